// Transient PNP (spec §3.8 applied to §1.4): PETSc TS with IFunction/IJacobian from the same face
// loop as the steady residual. With TSBDF the concentrations are transient variables, so BDF
// differences c itself and the species inventories are conserved to solver tolerance; other TS
// types see the equivalent c du/dt form (u = ln c).
#include <petscts.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "solver/grid/ghosted_read.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"
#include "solver/pnp/assembly.hpp"
#include "solver/pnp/callbacks.hpp"
#include "solver/pnp/pnp.hpp"

namespace ionpath::solver {
namespace {

using pnp_detail::Context;
using TsHandle = PetscHandle<TS, TSDestroy>;

struct TransientContext {
  Context pnp;  // first member: the callbacks receive a pointer to it
  PnpTransientResult* result = nullptr;
};

// After every accepted step: currents and inventories of the accepted state.
PetscErrorCode record_step(TS ts) {
  PetscFunctionBeginUser;
  void* raw = nullptr;
  PetscCall(TSGetApplicationContext(ts, &raw));
  auto& tc = *static_cast<TransientContext*>(raw);
  try {
    Vec x = nullptr;
    PetscReal t = 0.0;
    PetscCall(TSGetSolution(ts, &x));
    PetscCall(TSGetTime(ts, &t));
    PnpResult state;
    pnp_detail::collect_result(tc.pnp, x, state);
    tc.result->history.push_back(
        {t, state.current_in_low, state.current_in_high, state.inventory_plus, state.inventory_minus});
  } catch (...) {
    tc.pnp.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "pnp post-step failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

}  // namespace

PnpTransientResult solve_pnp_transient(const Domain& domain, const PnpInput& input, const PnpTransientOptions& options) {
  if (input.initial.empty()) throw std::invalid_argument("pnp transient: an initial state is required");
  if (!(options.dt_initial > 0.0 && options.dt_initial < options.t_final))
    throw std::invalid_argument("pnp transient: need 0 < dt_initial < t_final");
  TransientContext tc;
  PnpTransientResult result;
  tc.result = &result;
  pnp_detail::setup(tc.pnp, domain, input, /*steady=*/false);
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  copy_owned(x, input.initial);
  MatHandle J = make_newton_matrix(domain);
  TsHandle ts;
  IONPATH_PETSC_CALL(TSCreate(domain.comm(), ts.out()));
  IONPATH_PETSC_CALL(TSSetDM(ts, domain.dm()));
  IONPATH_PETSC_CALL(TSSetOptionsPrefix(ts, "pnp_"));
  IONPATH_PETSC_CALL(TSSetProblemType(ts, TS_NONLINEAR));
  IONPATH_PETSC_CALL(TSSetType(ts, TSBDF));
  IONPATH_PETSC_CALL(TSBDFSetOrder(ts, 2));
  IONPATH_PETSC_CALL(TSSetApplicationContext(ts, &tc));
  IONPATH_PETSC_CALL(TSSetIFunction(ts, r, pnp_detail::ts_ifunction, &tc.pnp));
  IONPATH_PETSC_CALL(TSSetIJacobian(ts, J, J, pnp_detail::ts_ijacobian, &tc.pnp));
  IONPATH_PETSC_CALL(TSSetPostStep(ts, record_step));
  IONPATH_PETSC_CALL(TSSetTime(ts, 0.0));
  IONPATH_PETSC_CALL(TSSetTimeStep(ts, options.dt_initial));
  IONPATH_PETSC_CALL(TSSetMaxTime(ts, options.t_final));
  IONPATH_PETSC_CALL(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_MATCHSTEP));
  IONPATH_PETSC_CALL(TSSetMaxSteps(ts, options.max_steps));
  // Error control on the concentrations only: psi is the algebraic part of the index-1 DAE and
  // jumps with the boundary data (an infinite absolute tolerance takes it out of the norm).
  VecHandle vatol, vrtol;
  IONPATH_PETSC_CALL(VecDuplicate(x, vatol.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, vrtol.out()));
  {
    PetscScalar *a = nullptr, *rt = nullptr;
    PetscInt n_local = 0;
    IONPATH_PETSC_CALL(VecGetLocalSize(x, &n_local));
    IONPATH_PETSC_CALL(VecGetArray(vatol, &a));
    IONPATH_PETSC_CALL(VecGetArray(vrtol, &rt));
    for (PetscInt q = 0; q < n_local; ++q) {
      const bool potential = q % 3 == 2;
      a[q] = potential ? 1e300 : options.atol;
      rt[q] = potential ? 0.0 : options.rtol;
    }
    IONPATH_PETSC_CALL(VecRestoreArray(vrtol, &rt));
    IONPATH_PETSC_CALL(VecRestoreArray(vatol, &a));
  }
  IONPATH_PETSC_CALL(TSSetTolerances(ts, PETSC_DECIDE, vatol, PETSC_DECIDE, vrtol));
  IONPATH_PETSC_CALL(TSSetMaxSNESFailures(ts, -1));
  IONPATH_PETSC_CALL(TSSetMaxStepRejections(ts, 20));
  IONPATH_PETSC_CALL(TSSetErrorIfStepFails(ts, PETSC_FALSE));  // report through SolveError
  TSAdapt adapt = nullptr;
  IONPATH_PETSC_CALL(TSGetAdapt(ts, &adapt));
  IONPATH_PETSC_CALL(TSAdaptSetType(adapt, TSADAPTBASIC));
  IONPATH_PETSC_CALL(TSAdaptSetClip(adapt, 0.1, 2.0));
  SNES snes = nullptr;
  IONPATH_PETSC_CALL(TSGetSNES(ts, &snes));
  // Tight Newton (the inventories drift by the residual of the species rows), stopped at the
  // round-off floor of the residual instead of stalling there.
  set_newton_defaults(snes, domain, 1e-12, 1e-50);
  accept_roundoff_stagnation(snes, 1e-9);
  SNESLineSearch ls = nullptr;
  IONPATH_PETSC_CALL(SNESGetLineSearch(snes, &ls));
  IONPATH_PETSC_CALL(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
  IONPATH_PETSC_CALL(TSSetFromOptions(ts));
  TSType type = nullptr;
  IONPATH_PETSC_CALL(TSGetType(ts, &type));
  result.ts_type = type;
  const bool bdf = result.ts_type == TSBDF;
  if (bdf) IONPATH_PETSC_CALL(TSSetTransientVariable(ts, pnp_detail::ts_transient_variable, &tc.pnp));
  tc.pnp.storage = bdf ? pnp_detail::Storage::transient_variable : pnp_detail::Storage::mass_matrix;
  tc.pnp.snes = snes;
  {
    PnpResult initial;
    pnp_detail::collect_result(tc.pnp, x, initial);
    result.history.push_back(
        {0.0, initial.current_in_low, initial.current_in_high, initial.inventory_plus, initial.inventory_minus});
  }
  const PetscErrorCode ierr = TSSolve(ts, x);
  if (tc.pnp.pending) std::rethrow_exception(tc.pnp.pending);
  IONPATH_PETSC_CALL(ierr);
  TSConvergedReason reason;
  PetscInt steps = 0, rejects = 0, its = 0;
  IONPATH_PETSC_CALL(TSGetConvergedReason(ts, &reason));
  IONPATH_PETSC_CALL(TSGetStepNumber(ts, &steps));
  IONPATH_PETSC_CALL(TSGetStepRejections(ts, &rejects));
  IONPATH_PETSC_CALL(TSGetSNESIterations(ts, &its));
  result.steps = static_cast<int>(steps);
  result.rejected_steps = static_cast<int>(rejects);
  result.converged_reason = TSConvergedReasons[reason];
  if (reason < 0) {
    PetscReal t = 0.0;
    TSGetTime(ts, &t);
    throw SolveError("pnp TS diverged: " + result.converged_reason + " at t = " + std::to_string(t) + " after " +
                     std::to_string(result.steps) + " steps, " + std::to_string(result.rejected_steps) +
                     " rejected; " + newton_divergence_message("last SNES", snes, pnp_hint, pnp_linear_hint) +
                     "; or loosen -pnp_ts_rtol / shorten the first step");
  }
  pnp_detail::collect_result(tc.pnp, x, result.final_state);
  result.final_state.newton_iterations = static_cast<int>(its);
  result.final_state.converged_reason = result.converged_reason;
  return result;
}

}  // namespace ionpath::solver
