#pragma once
/// Cooperative stop of a running study (sweep --point-timeout, SIGTERM): a process-wide deadline
/// and stop request, checked by the KSP/SNES/TS monitors that watch_deadline attaches
/// (solver/petsc/deadline_monitor.hpp) and by the study loops between solves. The check is
/// collective over the solve's communicator (one MPI_Allreduce), so every rank of a group stops at
/// the same iteration. PETSc-free header: sweep/ arms it without seeing PETSc.
#include <mpi.h>

#include <stdexcept>

namespace ionpath::solver {

/// Thrown by check_deadline (and reported for solves the monitors ended): the point ran past its
/// deadline or a stop was requested.
class DeadlineExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Arms the deadline `seconds` from now (<= 0: no deadline) for its lifetime; PETSc errors raised
/// meanwhile return quietly (no traceback on stderr) since the caller records them.
class ScopedDeadline {
 public:
  explicit ScopedDeadline(double seconds);
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;
};

/// Async-signal-safe: asks every running solve to stop at its next check.
void request_stop() noexcept;
[[nodiscard]] bool stop_requested() noexcept;
void clear_stop_request() noexcept;

/// Local test: past the armed deadline or stop requested.
[[nodiscard]] bool deadline_due() noexcept;
/// True once a check (monitor or check_deadline) found the deadline due since it was armed (or
/// since reset_deadline_trip: a sweep calls it before each point, so a point that fails before it
/// arms its deadline is not taken for the previous point's timeout).
[[nodiscard]] bool deadline_tripped() noexcept;
void reset_deadline_trip() noexcept;

/// Collective over comm: throws DeadlineExceeded on every rank when any rank finds it due.
void check_deadline(MPI_Comm comm);
/// Collective over comm, no throw: whether any rank finds it due (records the trip).
[[nodiscard]] bool deadline_due_on_any(MPI_Comm comm);

}  // namespace ionpath::solver
