#pragma once
/// Converts PETSc error codes into C++ exceptions outside PETSc callbacks (style guide §3.1).
/// (Not named PetscError: PetscCall expands to a call of ::PetscError, which a class of that name
/// in this namespace would hide.)
#include <petscsys.h>

#include <stdexcept>
#include <string>

namespace ionpath::solver {

/// A solve that did not converge (KSP, SNES or TS): what() names the reason, the residual and a
/// hint that points the right way.
class SolveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PetscFailure : public std::runtime_error {
 public:
  PetscFailure(PetscErrorCode code, const char* expr)
      : std::runtime_error(std::string("PETSc error ") + std::to_string(static_cast<int>(code)) + " in " + expr),
        code_(code) {}
  [[nodiscard]] PetscErrorCode code() const noexcept { return code_; }

 private:
  PetscErrorCode code_;
};

}  // namespace ionpath::solver

#define IONPATH_PETSC_CALL(expr)                                                  \
  do {                                                                            \
    if (const PetscErrorCode ionpath_ierr_ = (expr)) throw ::ionpath::solver::PetscFailure(ionpath_ierr_, #expr); \
  } while (0)
