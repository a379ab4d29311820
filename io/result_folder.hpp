#pragma once
/// An output folder holds the results of one run only. Before a run writes, the results of an
/// earlier run in the same folder move to `<dir>/stale/` (replacing an older `stale/`), so a run
/// that then fails (divergence, kill, Ctrl-C) never leaves an old, complete-looking summary.json
/// beside its own files; and the temporaries (`*.tmp.<pid>`) of killed runs are removed.
#include <mpi.h>

#include <filesystem>
#include <string>
#include <vector>

namespace ionpath::io {

/// True for the names a run writes into its folder: summary.{json,h5}, geometry.json,
/// structure*, fields_*, arrhenius_*, bruce_vincent_*, uniformity_* (files or piece folders),
/// checkpoint_<axis>.h5.
[[nodiscard]] bool is_result_name(const std::string& name);

/// True for `<name>.tmp.<pid>` whose process no longer runs on this host.
[[nodiscard]] bool is_orphan_temporary(const std::string& name);

/// Collective over `comm` (rank 0 works, failures are thrown on every rank). Creates `dir` (an
/// unusable folder fails here, before any work). Returns the names
/// moved to stale/ (rank 0; empty elsewhere). Other files in `dir` are left alone. `resuming`: the
/// folder holds an interrupted run that this one continues (--restart): nothing moves.
std::vector<std::string> retire_earlier_results(const std::filesystem::path& dir, MPI_Comm comm, bool resuming = false);

}  // namespace ionpath::io
