#include "solver/petsc/deadline.hpp"

#include <atomic>
#include <chrono>
#include <csignal>

#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using Clock = std::chrono::steady_clock;
std::atomic<bool> armed{false};
std::atomic<bool> in_scope{false};  // a ScopedDeadline is alive: monitors attach and reduce
std::atomic<bool> tripped{false};
volatile std::sig_atomic_t stop_flag = 0;
Clock::time_point deadline_at{};

PetscErrorCode check_in_monitor(PetscObject obj) {
  MPI_Comm comm = MPI_COMM_NULL;
  PetscCall(PetscObjectGetComm(obj, &comm));
  if (!deadline_due_on_any(comm)) return 0;
  // PETSC_ERR_USER ends the solve; ScopedDeadline installed the quiet handler.
  return PetscError(comm, __LINE__, "deadline monitor", __FILE__, PETSC_ERR_USER, PETSC_ERROR_INITIAL,
                    "point deadline reached or stop requested");
}

PetscErrorCode ksp_monitor(KSP ksp, PetscInt, PetscReal, void*) { return check_in_monitor(reinterpret_cast<PetscObject>(ksp)); }
PetscErrorCode snes_monitor(SNES snes, PetscInt, PetscReal, void*) { return check_in_monitor(reinterpret_cast<PetscObject>(snes)); }
PetscErrorCode ts_monitor(TS ts, PetscInt, PetscReal, Vec, void*) { return check_in_monitor(reinterpret_cast<PetscObject>(ts)); }

}  // namespace

ScopedDeadline::ScopedDeadline(double seconds) {
  tripped = false;
  in_scope = true;
  if (seconds > 0.0) {
    deadline_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    armed = true;
  }
  IONPATH_PETSC_CALL(PetscPushErrorHandler(PetscReturnErrorHandler, nullptr));
}

ScopedDeadline::~ScopedDeadline() {
  armed = false;
  in_scope = false;
  static_cast<void>(PetscPopErrorHandler());
}

void request_stop() noexcept { stop_flag = 1; }
bool stop_requested() noexcept { return stop_flag != 0; }
void clear_stop_request() noexcept { stop_flag = 0; }

bool deadline_due() noexcept { return stop_flag != 0 || (armed && Clock::now() >= deadline_at); }
bool deadline_tripped() noexcept { return tripped; }
void reset_deadline_trip() noexcept { tripped = false; }

bool deadline_due_on_any(MPI_Comm comm) {
  if (!in_scope) return false;  // not inside a sweep point: no reduction, never due
  int local = deadline_due() ? 1 : 0, any = 0;
  MPI_Allreduce(&local, &any, 1, MPI_INT, MPI_MAX, comm);
  if (any) tripped = true;
  return any != 0;
}

void check_deadline(MPI_Comm comm) {
  if (deadline_due_on_any(comm))
    throw DeadlineExceeded(stop_requested() ? "stopped on request (signal)" : "point timeout reached");
}

// Attached only inside a ScopedDeadline (a sweep point, alive on every rank of the group), so
// `ionpath run` pays nothing; inside, each iteration costs one MPI_Allreduce of an int.
void watch_deadline(KSP ksp) {
  if (in_scope) IONPATH_PETSC_CALL(KSPMonitorSet(ksp, ksp_monitor, nullptr, nullptr));
}
void watch_deadline(SNES snes) {
  if (in_scope) IONPATH_PETSC_CALL(SNESMonitorSet(snes, snes_monitor, nullptr, nullptr));
}
void watch_deadline(TS ts) {
  if (in_scope) IONPATH_PETSC_CALL(TSMonitorSet(ts, ts_monitor, nullptr, nullptr));
}

}  // namespace ionpath::solver
