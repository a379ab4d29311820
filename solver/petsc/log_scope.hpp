#pragma once
/// RAII begin/end of a PETSc log event, for C++ code whose errors are exceptions.
#include <petsclog.h>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {

class LogScope {
 public:
  explicit LogScope(PetscLogEvent e) : e_(e) { IONPATH_PETSC_CALL(PetscLogEventBegin(e_, 0, 0, 0, 0)); }
  ~LogScope() { static_cast<void>(PetscLogEventEnd(e_, 0, 0, 0, 0)); }
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

 private:
  PetscLogEvent e_;
};

}  // namespace ionpath::solver
