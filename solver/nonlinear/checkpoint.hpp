#pragma once
/// Checkpoints of transient runs (issue 14): the TS state on its DMDA, the time, the next step
/// size and the run's own records, in one HDF5 file written atomically (PETSc's HDF5 viewer in
/// the DMDA's natural ordering, so a run may resume on another rank count). The file carries a
/// run key (a hash of the resolved configuration): a restart refuses a checkpoint of another run.
///
/// Resuming reproduces the uninterrupted run exactly because checkpoints fall only on restart
/// points of the integrator: every `every_steps` accepted steps the run restarts BDF from its state
/// (TSRestartStep), which is what a resumed run does when it starts a TS there. The wall clock only
/// chooses at which restart point a checkpoint is written, never where BDF restarts, so the steps
/// a run takes do not depend on when (or whether) it was killed, nor on how busy the machine was.
#include <petscts.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace ionpath::solver {

/// When and where a transient writes checkpoints; no file or no every_steps = none.
struct CheckpointPolicy {
  std::filesystem::path file;
  int every_steps = 0;          ///< restart points: after every N accepted steps (counted from t = 0)
  double every_seconds = 0.0;   ///< write at the first restart point this much wall time after the
                                ///< last write (0: at every restart point)
  std::string run_key;          ///< identifies the run; written into the file, checked on restart
  [[nodiscard]] bool enabled() const { return !file.empty() && every_steps > 0; }
};

/// Everything but the state vector.
struct CheckpointRecord {
  std::string run_key;
  double t = 0.0;                ///< time of the state (model units)
  double dt = 0.0;               ///< the step the run takes next
  int steps = 0;                 ///< accepted steps so far
  std::vector<double> records;   ///< the model's flat records (history, counters), same on every rank
};

/// Decides where the restart points are and when a checkpoint is written at one (collectively:
/// rank 0's clock decides for all).
class CheckpointClock {
 public:
  explicit CheckpointClock(const CheckpointPolicy& policy);
  /// True after `steps` accepted steps when that is a restart point (a multiple of every_steps).
  [[nodiscard]] bool restart_point(int steps) const;
  /// True at a restart point where a checkpoint is to be written; restarts the wall clock then.
  [[nodiscard]] bool due(MPI_Comm comm, int steps);

 private:
  const CheckpointPolicy& policy_;
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

/// The run key of a checkpoint (to refuse another configuration's before any work). Throws
/// std::runtime_error naming the file when it cannot be read.
[[nodiscard]] std::string read_checkpoint_run_key(MPI_Comm comm, const std::filesystem::path& file);

}  // namespace ionpath::solver
