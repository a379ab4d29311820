#include "solver/nonlinear/jacobian_check.hpp"

#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver::assembly {

double model_jacobian_mismatch(Model& m, std::span<const double> state, double shift, const char* prefix) {
  const Domain& d = *m.domain;
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  copy_owned(x, state);
  if (shift > 0.0) {
    m.storage = Storage::transient_variable;
    m.test_shift = shift;
    m.test_base.resize(state.size());
    m.transient_variable(state.data(), m.test_base.data());
  }
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(d.comm(), snes.out()));
  m.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, d.dm()));
  if (prefix) IONPATH_PETSC_CALL(SNESSetOptionsPrefix(snes, prefix));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, snes_residual, callback_context(m)));
  const NewtonMatrices mats = make_newton_matrices(m, x);
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, mats.J(), mats.P, snes_jacobian, callback_context(m)));
  return jacobian_fd_mismatch(snes, x, mats.J(), m.pending);
}

}  // namespace ionpath::solver::assembly
