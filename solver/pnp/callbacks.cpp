// PETSc callbacks of the PNP solver: they only move arrays into pnp_detail::assemble and park any
// C++ exception in the context (it is rethrown after the PETSc call returns).
#include "solver/pnp/callbacks.hpp"

#include <exception>
#include <vector>

#include "solver/grid/ghosted_read.hpp"
#include "solver/pnp/assembly.hpp"

namespace ionpath::solver::pnp_detail {
namespace {

// Residual (J == nullptr) or Jacobian at x with the rates `rate` (nullptr = steady).
PetscErrorCode evaluate(Context& ctx, Vec x, const PetscScalar* rate, double shift, Vec f, Mat J) {
  PetscFunctionBeginUser;
  try {
    LocalState s(*ctx.domain, x);
    std::vector<double> scratch;
    PetscScalar* F = nullptr;
    if (f) {
      PetscCall(VecGetArray(f, &F));
    } else {
      scratch.resize(3 * ctx.domain->owned().n_cells());
      F = scratch.data();
    }
    if (J) PetscCall(MatZeroEntries(J));
    Target t;
    t.F = F;
    t.J = J;
    t.rate = rate;
    t.shift = shift;
    const bool ok = assemble(ctx, s.values(), t);
    if (f) PetscCall(VecRestoreArray(f, &F));
    if (J) {
      PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
      PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
    }
    if (!ok && f) PetscCall(SNESSetFunctionDomainError(ctx.snes));
  } catch (...) {
    ctx.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "pnp callback failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

// Jacobian test of the transient form: C' = shift (C(u) - C(u0)) at the state x.
std::vector<double> test_rate(const Context& ctx, Vec x) {
  std::vector<double> rate(ctx.test_base.size());
  const PetscScalar* xo = nullptr;
  IONPATH_PETSC_CALL(VecGetArrayRead(x, &xo));
  transient_variable(ctx, xo, rate.data());
  IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &xo));
  for (std::size_t q = 0; q < rate.size(); ++q) rate[q] = ctx.test_shift * (rate[q] - ctx.test_base[q]);
  return rate;
}

}  // namespace

PetscErrorCode snes_residual(SNES, Vec x, Vec f, void* raw) {
  auto& ctx = *static_cast<Context*>(raw);
  if (ctx.test_shift <= 0.0) return evaluate(ctx, x, nullptr, 0.0, f, nullptr);
  const std::vector<double> rate = test_rate(ctx, x);
  return evaluate(ctx, x, rate.data(), ctx.test_shift, f, nullptr);
}

PetscErrorCode snes_jacobian(SNES, Vec x, Mat J, Mat, void* raw) {
  auto& ctx = *static_cast<Context*>(raw);
  if (ctx.test_shift <= 0.0) return evaluate(ctx, x, nullptr, 0.0, nullptr, J);
  const std::vector<double> zero(ctx.test_base.size(), 0.0);  // C' enters the Jacobian only via shift
  return evaluate(ctx, x, zero.data(), ctx.test_shift, nullptr, J);
}

PetscErrorCode ts_ifunction(TS, PetscReal, Vec x, Vec xdot, Vec f, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  const PetscScalar* rate = nullptr;
  PetscCall(VecGetArrayRead(xdot, &rate));
  const PetscErrorCode ierr = evaluate(ctx, x, rate, 0.0, f, nullptr);
  PetscCall(VecRestoreArrayRead(xdot, &rate));
  PetscFunctionReturn(ierr);
}

PetscErrorCode ts_ijacobian(TS, PetscReal, Vec x, Vec xdot, PetscReal shift, Mat J, Mat, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  const PetscScalar* rate = nullptr;
  PetscCall(VecGetArrayRead(xdot, &rate));
  const PetscErrorCode ierr = evaluate(ctx, x, rate, shift, nullptr, J);
  PetscCall(VecRestoreArrayRead(xdot, &rate));
  PetscFunctionReturn(ierr);
}

PetscErrorCode ts_transient_variable(TS, Vec x, Vec C, void* raw) {
  PetscFunctionBeginUser;
  const auto& ctx = *static_cast<const Context*>(raw);
  const PetscScalar* xv = nullptr;
  PetscScalar* cv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArray(C, &cv));
  transient_variable(ctx, xv, cv);
  PetscCall(VecRestoreArray(C, &cv));
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscFunctionReturn(0);
}

}  // namespace ionpath::solver::pnp_detail
