#pragma once
/// `ionpath sweep` as a library call (docs/sweeps.md). Collective over `world`: ranks split into
/// groups of `ranks_per_point` (MPI_Comm_split); each group takes the next point from a shared
/// counter on world rank 0 (MPI_Fetch_and_op, passive target), runs study::run_study on the group's
/// communicator into points/<id>/ and publishes status.json atomically; world rank 0 rebuilds
/// the tables from the point files at the end.
#include <mpi.h>

#include <filesystem>
#include <string>

#include "io/sweep_file.hpp"

namespace ionpath::sweep {

struct SweepOptions {
  std::filesystem::path output = "sweep_out";
  int ranks_per_point = 1;
  bool dry_run = false;       ///< list the points, run nothing
  bool collect = false;       ///< rebuild the tables (and plots) from the point files, run nothing
  bool plot = false;          ///< PNG plots into <output>/plots after the run
  bool retry_failed = false;  ///< run only the failed and timed-out points
  bool quiet = false;
  double point_timeout_s = 0.0;  ///< 0: none
  int task_index = 0;            ///< job-array share: points with index % task_count == task_index
  int task_count = 1;
  bool static_schedule = false;  ///< round-robin instead of the shared counter (benchmarks)
  std::string command_line;
};

/// Exit statuses of a sweep run.
inline constexpr int sweep_ok = 0;            ///< every point of this share is done
inline constexpr int sweep_some_failed = 1;   ///< some recorded failed or timeout (the rest ran)
inline constexpr int sweep_interrupted = 143; ///< stopped by SIGTERM/SIGINT, running points recorded

[[nodiscard]] int run_sweep(const io::SweepFile& sweep, const SweepOptions& options, MPI_Comm world);

/// The plot script (scripts/plot_sweep.py; IONPATH_PLOT_SCRIPT overrides) on `output`; returns
/// false with a warning on stderr if it could not run.
bool make_plots(const std::filesystem::path& output);

}  // namespace ionpath::sweep
