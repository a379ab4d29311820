#pragma once
/// What kind of failure ended a study, for records that outlive the process (sweep status files):
/// the same exit statuses `ionpath run` would end with (0 ok, 1 failure while running, 2 bad input),
/// plus 124 for a point stopped at its timeout and 143 for one stopped by a signal (as timeout(1)
/// and a SIGTERM-ed process report them).
#include <exception>
#include <string>

namespace ionpath::study {

struct Failure {
  std::string kind;  ///< config, image, solver (SolveError), petsc, timeout, interrupted, error
  int exit_status = 1;
  std::string reason;  ///< what()
};

/// Classifies the exception in flight (call inside a catch block). A solve the deadline monitors
/// ended is a timeout (or interrupted, when a stop was requested) whatever PETSc threw for it.
[[nodiscard]] Failure classify_current_exception();

}  // namespace ionpath::study
