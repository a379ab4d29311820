#pragma once
/// Internal to the PNP solver: the PETSc callbacks (SNES residual/Jacobian, TS IFunction/IJacobian,
/// transient variable). The context pointer is a pnp_detail::Context (TS: its application context).
#include <petscsnes.h>
#include <petscts.h>

namespace ionpath::solver::pnp_detail {

PetscErrorCode snes_residual(SNES, Vec x, Vec f, void* ctx);
PetscErrorCode snes_jacobian(SNES, Vec x, Mat J, Mat, void* ctx);
PetscErrorCode ts_ifunction(TS, PetscReal, Vec x, Vec xdot, Vec f, void* ctx);
PetscErrorCode ts_ijacobian(TS, PetscReal, Vec x, Vec xdot, PetscReal shift, Mat J, Mat, void* ctx);
PetscErrorCode ts_transient_variable(TS, Vec x, Vec C, void* ctx);

}  // namespace ionpath::solver::pnp_detail
