#include "solver/nonlinear/callbacks.hpp"

#include <algorithm>

#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::assembly {
namespace {

Model& model_of(void* raw) noexcept { return *static_cast<Model*>(raw); }

// The SNES test of a transient Jacobian: C' = shift (C(u) - C(u0)) at the state x.
std::vector<double> test_rate(const Model& m, Vec x) {
  std::vector<double> rate(m.test_base.size());
  const PetscScalar* xo = nullptr;
  IONPATH_PETSC_CALL(VecGetArrayRead(x, &xo));
  if (m.storage == Storage::transient_variable) {
    m.transient_variable(xo, rate.data());
  } else {
    std::copy(xo, xo + rate.size(), rate.begin());
  }
  IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &xo));
  for (std::size_t q = 0; q < rate.size(); ++q) rate[q] = m.test_shift * (rate[q] - m.test_base[q]);
  return rate;
}

}  // namespace

NewtonMatrices make_newton_matrices(Model& m, Vec x) {
  NewtonMatrices mats;
  mats.P = make_newton_matrix(*m.domain);
  mats.shell = m.newton_operator(mats.P, x);
  return mats;
}

PetscErrorCode evaluate(Model& m, Vec x, const PetscScalar* rate, double shift, Vec f, Mat J, Mat P) {
  if (!P) P = J;
  return guarded(m, J ? "Jacobian" : "residual", [&] {
    LocalState s(*m.domain, x);
    std::vector<double> scratch;
    PetscScalar* F = nullptr;
    if (f) {
      IONPATH_PETSC_CALL(VecGetArray(f, &F));
    } else {  // the Jacobian pass writes a residual it does not need
      scratch.resize(static_cast<std::size_t>(m.dof) * m.domain->owned().n_cells());
      F = scratch.data();
    }
    if (P) IONPATH_PETSC_CALL(MatZeroEntries(P));
    Target t;
    t.F = F;
    t.J = P;
    t.rate = rate;
    t.shift = shift;
    const bool ok = m.assemble(s.values(), t);
    if (f) IONPATH_PETSC_CALL(VecRestoreArray(f, &F));
    if (P) {
      IONPATH_PETSC_CALL(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
      IONPATH_PETSC_CALL(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
    }
    if (J && J != P) {  // a shell over P: its own assembly marks it current
      IONPATH_PETSC_CALL(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
      IONPATH_PETSC_CALL(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
    }
    if (!ok && f) IONPATH_PETSC_CALL(SNESSetFunctionDomainError(m.snes));
  });
}

PetscErrorCode snes_residual(SNES, Vec x, Vec f, void* raw) {
  Model& m = model_of(raw);
  if (m.test_shift <= 0.0) return evaluate(m, x, nullptr, 0.0, f, nullptr);
  std::vector<double> rate;
  if (const PetscErrorCode ierr = guarded(m, "test rate", [&] { rate = test_rate(m, x); })) return ierr;
  return evaluate(m, x, rate.data(), m.test_shift, f, nullptr);
}

PetscErrorCode snes_jacobian(SNES, Vec x, Mat J, Mat P, void* raw) {
  Model& m = model_of(raw);
  if (m.test_shift <= 0.0) return evaluate(m, x, nullptr, 0.0, nullptr, J, P);
  const std::vector<double> zero(m.test_base.size(), 0.0);  // C' enters the Jacobian only via shift
  return evaluate(m, x, zero.data(), m.test_shift, nullptr, J, P);
}

PetscErrorCode ts_ifunction(TS, PetscReal, Vec x, Vec xdot, Vec f, void* raw) {
  PetscFunctionBeginUser;
  const PetscScalar* rate = nullptr;
  PetscCall(VecGetArrayRead(xdot, &rate));
  const PetscErrorCode ierr = evaluate(model_of(raw), x, rate, 0.0, f, nullptr);
  PetscCall(VecRestoreArrayRead(xdot, &rate));
  PetscFunctionReturn(ierr);
}

PetscErrorCode ts_ijacobian(TS, PetscReal, Vec x, Vec xdot, PetscReal shift, Mat J, Mat P, void* raw) {
  PetscFunctionBeginUser;
  const PetscScalar* rate = nullptr;
  PetscCall(VecGetArrayRead(xdot, &rate));
  const PetscErrorCode ierr = evaluate(model_of(raw), x, rate, shift, nullptr, J, P);
  PetscCall(VecRestoreArrayRead(xdot, &rate));
  PetscFunctionReturn(ierr);
}

PetscErrorCode ts_transient_variable(TS, Vec x, Vec C, void* raw) {
  Model& m = model_of(raw);
  return guarded(m, "transient variable", [&] {
    const PetscScalar* xv = nullptr;
    PetscScalar* cv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayRead(x, &xv));
    IONPATH_PETSC_CALL(VecGetArray(C, &cv));
    m.transient_variable(xv, cv);
    IONPATH_PETSC_CALL(VecRestoreArray(C, &cv));
    IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &xv));
  });
}

StateEvaluation::StateEvaluation(Model& m, Vec x, std::vector<double>* cell_current, const char* unphysical,
                                 std::vector<double>* cell_li_flux)
    : state_(*m.domain, x) {
  const std::size_t n_own = m.domain->owned().n_cells();
  std::vector<double> scratch(static_cast<std::size_t>(m.dof) * n_own);
  Target t;
  t.F = scratch.data();
  if (cell_current) {
    cell_current->assign(3 * n_own, 0.0);
    t.cell_current = cell_current->data();
  }
  if (cell_li_flux) {
    cell_li_flux->assign(3 * n_own, 0.0);
    t.cell_li_flux = cell_li_flux->data();
  }
  const Storage storage = m.storage;
  m.storage = Storage::steady;  // the fields and fluxes of the state, without storage terms
  const bool ok = m.assemble(state_.values(), t);
  m.storage = storage;
  if (!ok) throw SolveError(unphysical);
}

}  // namespace ionpath::solver::assembly
