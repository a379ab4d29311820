#pragma once
/// Ghosted read-only copy of a global vector on a Domain's DMDA for the duration of a scope
/// (the state the face loops of the nonlinear solvers read).
#include <petscdm.h>

#include "solver/grid/domain.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {

class LocalState {
 public:
  LocalState(const Domain& d, Vec x) : dm_(d.dm()) {
    IONPATH_PETSC_CALL(DMGetLocalVector(dm_, &local_));
    IONPATH_PETSC_CALL(DMGlobalToLocalBegin(dm_, x, INSERT_VALUES, local_));
    IONPATH_PETSC_CALL(DMGlobalToLocalEnd(dm_, x, INSERT_VALUES, local_));
    IONPATH_PETSC_CALL(VecGetArrayRead(local_, &values_));
  }
  ~LocalState() {
    VecRestoreArrayRead(local_, &values_);
    DMRestoreLocalVector(dm_, &local_);
  }
  LocalState(const LocalState&) = delete;
  LocalState& operator=(const LocalState&) = delete;
  [[nodiscard]] const double* values() const noexcept { return values_; }

 private:
  DM dm_;
  Vec local_ = nullptr;
  const PetscScalar* values_ = nullptr;
};

}  // namespace ionpath::solver
