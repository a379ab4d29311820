#pragma once
// Checkpoints of the transient experiments (bruce_vincent transient, fields_under_current) in the
// run's output folder, one per axis: `checkpoint_<axis>.h5`, keyed to the resolved configuration
// (io::point_identity_text: everything but output.directory, hashed with the axis), so a changed
// configuration refuses to resume. `ionpath run --restart` and a re-run sweep point resume from
// them; a run that ends successfully removes them (docs/cli.md). PETSc-free (sweep/ includes it).
#include <mpi.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "io/config.hpp"

namespace ionpath::solver {
struct TransientOptions;
}

namespace ionpath::study {

/// --restart found a checkpoint of another configuration (bad input: exit status 2).
class RestartRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a transient does with checkpoints: none (library callers), write them, or also resume
/// from the one in the output folder when there is one.
enum class Checkpoints { off, write, resume };

[[nodiscard]] std::filesystem::path checkpoint_file(const std::filesystem::path& dir, int axis);
[[nodiscard]] std::string checkpoint_run_key(const io::RunConfig& config, int axis);
/// True when `dir` holds a checkpoint of any axis (not collective).
[[nodiscard]] bool has_checkpoint(const std::filesystem::path& dir);

/// How many of `config`'s axes have a checkpoint in its output folder (collective; same on every
/// rank); throws RestartRefusal, before any work, when one carries another configuration's key.
[[nodiscard]] int resumable_checkpoints(const io::RunConfig& config, MPI_Comm comm);

/// Sets opt.checkpoint (file, output.checkpoint's intervals, run key) and opt.restart (when
/// `mode` is resume and the axis has a checkpoint). Collective.
void use_checkpoints(const io::RunConfig& config, int axis, Checkpoints mode, MPI_Comm comm,
                     solver::TransientOptions& opt);

/// After a successful run (collective).
void remove_checkpoints(const io::RunConfig& config, MPI_Comm comm);

}  // namespace ionpath::study
