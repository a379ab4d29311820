// Transient PNP (spec §3.8 applied to §1.4): PETSc TS with IFunction/IJacobian from the same face
// loop as the steady residual. With TSBDF the concentrations are transient variables, so BDF
// differences c itself and the species inventories are conserved to solver tolerance; other TS
// types see the equivalent c du/dt form (u = ln c).
#include <petscts.h>

#include <stdexcept>
#include <string>

#include "solver/nonlinear/newton.hpp"
#include "solver/nonlinear/time_stepping.hpp"
#include "solver/petsc/error.hpp"
#include "solver/pnp/assembly.hpp"
#include "solver/pnp/pnp.hpp"

namespace ionpath::solver {
namespace {

using pnp_detail::Context;

PnpSample sample_of(double t, const PnpResult& r) {
  return {t, r.current_in_low, r.current_in_high, r.inventory_plus, r.inventory_minus};
}

// After every accepted step: currents and inventories of the accepted state.
struct StepRecorder final : assembly::StepObserver {
  StepRecorder(Context& model, PnpTransientResult& out) : StepObserver(model), pnp(model), result(out) {}
  void on_accepted_step(const assembly::AcceptedStep& step) override {
    PnpResult state;
    pnp_detail::collect_result(pnp, step.x, state);
    result.history.push_back(sample_of(step.t, state));
  }
  Context& pnp;
  PnpTransientResult& result;
};

}  // namespace

PnpTransientResult solve_pnp_transient(const Domain& domain, const PnpInput& input, const PnpTransientOptions& options) {
  if (input.initial.empty()) throw std::invalid_argument("pnp transient: an initial state is required");
  if (!(options.dt_initial > 0.0 && options.dt_initial < options.t_final))
    throw std::invalid_argument("pnp transient: need 0 < dt_initial < t_final");
  PnpTransientResult result;
  Context pnp;
  pnp_detail::setup(pnp, domain, input, /*steady=*/false);
  StepRecorder recorder(pnp, result);
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  copy_owned(x, input.initial);
  MatHandle J = make_newton_matrix(domain);
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
  assembly::TimeSteppingRecipe recipe;
  recipe.prefix = "pnp_";
  recipe.dt = options.dt_initial;
  recipe.t_max = options.t_final;
  recipe.max_steps = options.max_steps;
  recipe.atol_per_unknown = vatol;
  recipe.rtol_per_unknown = vrtol;
  TsHandle ts = assembly::make_time_stepper(domain, recipe, r, J, recorder);
  SNES snes = nullptr;
  IONPATH_PETSC_CALL(TSGetSNES(ts, &snes));
  // Newton stops at the round-off floor of the residual instead of stalling there.
  accept_roundoff_stagnation(snes, 1e-9);
  IONPATH_PETSC_CALL(TSSetFromOptions(ts));
  result.ts_type = assembly::use_transient_variable(ts, pnp);
  {
    PnpResult initial;
    pnp_detail::collect_result(pnp, x, initial);
    result.history.push_back(sample_of(0.0, initial));
  }
  const assembly::TimeSteppingStats s = assembly::run_time_stepper(ts, x, pnp);
  result.steps = s.steps;
  result.rejected_steps = s.rejected_steps;
  result.converged_reason = s.reason;
  if (s.diverged)
    throw SolveError(assembly::time_stepping_divergence_message(
        "pnp", s, s.steps, s.rejected_steps, "", pnp.snes,
        {pnp_hint, pnp_linear_hint, "loosen -pnp_ts_rtol / shorten the first step"}));
  pnp_detail::collect_result(pnp, x, result.final_state);
  result.final_state.newton_iterations = s.newton_iterations;
  result.final_state.converged_reason = result.converged_reason;
  return result;
}

}  // namespace ionpath::solver
