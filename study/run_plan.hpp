#pragma once
// What a run would need before it allocates anything: memory (from measured bytes per cell of
// each model, docs/performance.md "Memory per model"), the decomposition and the solver. `ionpath
// run --dry-run` prints it; run_study and run_geometry refuse a run that would not fit.
#include <mpi.h>

#include <array>
#include <stdexcept>
#include <string>

#include "io/config.hpp"

namespace ionpath::study {

/// A run refused before any work because it would not fit in memory (bad input, exit status 2).
class ResourceRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Fraction of the node's physical memory a run may plan to use (the rest: OS, page cache, MPI).
inline constexpr double memory_margin = 0.8;

struct RunPlan {
  double cells = 0.0;               ///< voxels (a double: 1e9^3 does not overflow)
  double bytes_per_cell = 0.0;      ///< measured peak of the model, all ranks together
  double fixed_bytes_per_rank = 0.0;
  double bytes_per_rank = 0.0;      ///< estimate for the rank with the largest box
  double bytes_on_node = 0.0;       ///< bytes_per_rank x ranks on this node
  double node_bytes = 0.0;          ///< physical memory of this node (sysconf)
  int ranks = 1, ranks_on_node = 1;
  std::array<int, 3> ranks_per_axis{1, 1, 1};
  std::array<int, 3> largest_box{0, 0, 0};  ///< cells per axis of the largest rank box
  std::string model;                ///< which measurement the estimate uses
  std::string solver;               ///< the solver(s) the run would use
  [[nodiscard]] bool fits() const { return bytes_on_node <= memory_margin * node_bytes; }
};

/// Collective over `comm` (ranks per node). Allocates nothing proportional to the grid.
/// `structure_only`: the plan of `ionpath geometry` (no solve).
[[nodiscard]] RunPlan plan_run(const io::RunConfig& config, MPI_Comm comm, bool structure_only = false);

/// Human-readable plan (estimate, decomposition, solver, verdict).
[[nodiscard]] std::string describe(const RunPlan& plan);

/// Throws ResourceRefusal (same on every rank) when the plan does not fit.
void refuse_if_too_big(const RunPlan& plan);

}  // namespace ionpath::study
