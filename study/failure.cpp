#include "study/failure.hpp"

#include "io/config.hpp"
#include "io/image_import.hpp"
#include "solver/petsc/deadline.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::study {

Failure classify_current_exception() {
  Failure f;
  try {
    throw;
  } catch (const io::ConfigError& e) {
    f = {"config", 2, e.what()};
  } catch (const io::ImageError& e) {
    f = {"image", 2, e.what()};
  } catch (const solver::SolveError& e) {
    f = {"solver", 1, e.what()};
  } catch (const solver::PetscFailure& e) {
    f = {"petsc", 1, e.what()};
  } catch (const std::exception& e) {
    f = {"error", 1, e.what()};
  } catch (...) {
    f = {"error", 1, "unknown exception"};
  }
  if (solver::deadline_tripped()) {
    const bool signal = solver::stop_requested();
    f.kind = signal ? "interrupted" : "timeout";
    f.exit_status = signal ? 143 : 124;
    f.reason = (signal ? "stopped by a signal" : "point timeout reached") + std::string(" (") + f.reason + ")";
  }
  return f;
}

}  // namespace ionpath::study
