#pragma once
/// Ghost exchange of one double per cell on a Domain's scalar DMDA (labels, masks, fields).
#include <petscdmda.h>

#include <span>
#include <vector>

#include "solver/grid/domain.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {

/// Scatters one double per owned cell into a ghosted copy (ghosted box, x fastest).
class GhostExchange {
 public:
  explicit GhostExchange(const Domain& domain) : domain_(domain) {
    IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.scalar_dm(), global_.out()));
    IONPATH_PETSC_CALL(DMCreateLocalVector(domain.scalar_dm(), local_.out()));
  }
  /// Returns the ghosted values (ghosted box, x fastest), valid until the next call.
  const std::vector<double>& exchange(std::span<const double> owned_values) {
    PetscScalar* g = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(global_, &g));
    std::copy(owned_values.begin(), owned_values.end(), g);
    IONPATH_PETSC_CALL(VecRestoreArray(global_, &g));
    IONPATH_PETSC_CALL(DMGlobalToLocalBegin(domain_.scalar_dm(), global_, INSERT_VALUES, local_));
    IONPATH_PETSC_CALL(DMGlobalToLocalEnd(domain_.scalar_dm(), global_, INSERT_VALUES, local_));
    const PetscScalar* l = nullptr;
    PetscInt n = 0;
    IONPATH_PETSC_CALL(VecGetLocalSize(local_, &n));
    IONPATH_PETSC_CALL(VecGetArrayRead(local_, &l));
    ghosted_.assign(l, l + n);
    IONPATH_PETSC_CALL(VecRestoreArrayRead(local_, &l));
    return ghosted_;
  }

 private:
  const Domain& domain_;
  VecHandle global_;
  VecHandle local_;
  std::vector<double> ghosted_;
};

}  // namespace ionpath::solver
