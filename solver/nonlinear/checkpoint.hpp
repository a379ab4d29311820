#pragma once
/// Checkpoints of transient runs (issue 14): the TS state on its DMDA, the time, the next step
/// size and the run's own records, in one HDF5 file written atomically (PETSc's HDF5 viewer in
/// the DMDA's natural ordering, so a run may resume on another rank count). The file carries a
/// run key (a hash of the resolved configuration): a restart refuses a checkpoint of another run.
///
/// Resuming reproduces the uninterrupted run exactly because a checkpoint is also a restart point
/// of the integrator: after writing, the run restarts BDF from that state (TSRestartStep), which
/// is what a resumed run does when it starts a TS there.
#include <petscts.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace ionpath::solver {

/// When and where a transient writes checkpoints; no file or neither trigger set = none.
struct CheckpointPolicy {
  std::filesystem::path file;
  int every_steps = 0;          ///< after every N accepted steps (reproducible)
  double every_seconds = 0.0;   ///< or when this much wall time passed since the last one
  std::string run_key;          ///< identifies the run; written into the file, checked on restart
  [[nodiscard]] bool enabled() const { return !file.empty() && (every_steps > 0 || every_seconds > 0.0); }
};

/// Everything but the state vector.
struct CheckpointRecord {
  std::string run_key;
  double t = 0.0;                ///< time of the state (model units)
  double dt = 0.0;               ///< the step the run takes next
  int steps = 0;                 ///< accepted steps so far
  std::vector<double> records;   ///< the model's flat records (history, counters), same on every rank
};

/// Decides when the next checkpoint is due (collectively: rank 0's clock decides for all).
class CheckpointClock {
 public:
  explicit CheckpointClock(const CheckpointPolicy& policy);
  /// True when a checkpoint is due after `steps` accepted steps; resets the timers when it is.
  [[nodiscard]] bool due(MPI_Comm comm, int steps);
  /// A resumed run counts from the checkpoint's steps, so its checkpoints fall where the
  /// uninterrupted run's do.
  void resume_from(int steps) { last_steps_ = steps; }

 private:
  const CheckpointPolicy& policy_;
  int last_steps_ = 0;
  std::chrono::steady_clock::time_point last_;
};

/// Writes x (a DMDA vector) and the record to policy.file: every rank writes its part to a
/// temporary file, which rank 0 renames over the old checkpoint once all have closed it.
void write_checkpoint(MPI_Comm comm, const std::filesystem::path& file, Vec x, const CheckpointRecord& record);

/// Reads a checkpoint into x (same DMDA layout as written, any rank count). Throws
/// std::runtime_error naming the file when it is missing, unreadable, of another grid, or carries
/// a run key other than `expected_run_key` (unless that is empty).
[[nodiscard]] CheckpointRecord read_checkpoint(MPI_Comm comm, const std::filesystem::path& file, Vec x,
                                               const std::string& expected_run_key);

}  // namespace ionpath::solver
