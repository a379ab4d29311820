#include "study/checkpoints.hpp"

#include "io/atomic_file.hpp"
#include "io/digest.hpp"
#include "io/sweep_file.hpp"
#include "solver/electroneutral/electroneutral.hpp"
#include "study/outputs.hpp"

namespace ionpath::study {
namespace {

bool exists_on_rank0(const std::filesystem::path& file, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  int found = rank == 0 && std::filesystem::is_regular_file(file);
  MPI_Bcast(&found, 1, MPI_INT, 0, comm);
  return found != 0;
}

}  // namespace

std::filesystem::path checkpoint_file(const std::filesystem::path& dir, int axis) {
  return dir / (std::string("checkpoint_") + axis_name(axis) + ".h5");
}

bool has_checkpoint(const std::filesystem::path& dir) {
  for (int axis = 0; axis < 3; ++axis)
    if (std::filesystem::is_regular_file(checkpoint_file(dir, axis))) return true;
  return false;
}

std::string checkpoint_run_key(const io::RunConfig& config, int axis) {
  return io::sha256_hex(io::point_identity_text(config) + "\n# axis " + axis_name(axis) + "\n");
}

int resumable_checkpoints(const io::RunConfig& config, MPI_Comm comm) {
  int found = 0;
  for (const int axis : config.experiment.axes) {
    const auto file = checkpoint_file(config.output.directory, axis);
    if (!exists_on_rank0(file, comm)) continue;
    if (solver::read_checkpoint_run_key(comm, file) != checkpoint_run_key(config, axis))
      throw RestartRefusal("checkpoint " + file.string() +
                           " belongs to another configuration (the configuration, a --set value or the PETSc "
                           "options changed since it was written); run without --restart to start over (the "
                           "checkpoint then moves to stale/)");
    ++found;
  }
  return found;
}

void use_checkpoints(const io::RunConfig& config, int axis, Checkpoints mode, MPI_Comm comm,
                     solver::TransientOptions& opt) {
  if (mode == Checkpoints::off || config.output.checkpoint_every_steps <= 0) return;
  opt.checkpoint.file = checkpoint_file(config.output.directory, axis);
  opt.checkpoint.every_steps = config.output.checkpoint_every_steps;
  opt.checkpoint.every_seconds = config.output.checkpoint_every_seconds;
  opt.checkpoint.run_key = checkpoint_run_key(config, axis);
  opt.restart = mode == Checkpoints::resume && exists_on_rank0(opt.checkpoint.file, comm);
}

void remove_checkpoints(const io::RunConfig& config, MPI_Comm comm) {
  io::on_rank0_collectively(comm, [&] {
    for (const int axis : config.experiment.axes) std::filesystem::remove(checkpoint_file(config.output.directory, axis));
  });
}

}  // namespace ionpath::study
