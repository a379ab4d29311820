#include "solver/nonlinear/time_stepping.hpp"

#include <exception>

#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::assembly {
namespace {

PetscErrorCode post_step(TS ts) {
  PetscFunctionBeginUser;
  void* raw = nullptr;
  PetscCall(TSGetApplicationContext(ts, &raw));
  auto& observer = *static_cast<StepObserver*>(raw);
  const PetscErrorCode ierr = guarded(observer.model, "post-step", [&] {
    AcceptedStep step;
    step.ts = ts;
    PetscReal t = 0.0, t_prev = 0.0;
    IONPATH_PETSC_CALL(TSGetSolution(ts, &step.x));
    IONPATH_PETSC_CALL(TSGetTime(ts, &t));
    IONPATH_PETSC_CALL(TSGetPrevTime(ts, &t_prev));
    step.t = t;
    step.t_previous = t_prev;
    observer.on_accepted_step(step);
  });
  PetscFunctionReturn(ierr);
}

}  // namespace

TsHandle make_time_stepper(const Domain& d, const TimeSteppingRecipe& recipe, Vec r, Mat J, StepObserver& observer) {
  TsHandle ts;
  void* model = callback_context(observer.model);
  IONPATH_PETSC_CALL(TSCreate(d.comm(), ts.out()));
  IONPATH_PETSC_CALL(TSSetDM(ts, d.dm()));
  IONPATH_PETSC_CALL(TSSetOptionsPrefix(ts, recipe.prefix));
  IONPATH_PETSC_CALL(TSSetProblemType(ts, TS_NONLINEAR));
  IONPATH_PETSC_CALL(TSSetType(ts, TSBDF));
  IONPATH_PETSC_CALL(TSBDFSetOrder(ts, 2));
  IONPATH_PETSC_CALL(TSSetApplicationContext(ts, &observer));
  IONPATH_PETSC_CALL(TSSetIFunction(ts, r, ts_ifunction, model));
  IONPATH_PETSC_CALL(TSSetIJacobian(ts, recipe.operator_matrix ? recipe.operator_matrix : J, J, recipe.ijacobian,
                                    recipe.ijacobian_context ? recipe.ijacobian_context : model));
  IONPATH_PETSC_CALL(TSSetPostStep(ts, post_step));
  IONPATH_PETSC_CALL(TSSetTime(ts, recipe.t_start));
  IONPATH_PETSC_CALL(TSSetTimeStep(ts, recipe.dt));
  IONPATH_PETSC_CALL(TSSetMaxTime(ts, recipe.t_max));
  IONPATH_PETSC_CALL(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_MATCHSTEP));
  IONPATH_PETSC_CALL(TSSetMaxSteps(ts, recipe.max_steps));
  if (recipe.atol_per_unknown) {
    IONPATH_PETSC_CALL(TSSetTolerances(ts, PETSC_DECIDE, recipe.atol_per_unknown, PETSC_DECIDE, recipe.rtol_per_unknown));
  } else {
    IONPATH_PETSC_CALL(TSSetTolerances(ts, recipe.atol, nullptr, recipe.rtol, nullptr));
  }
  IONPATH_PETSC_CALL(TSSetMaxSNESFailures(ts, -1));
  IONPATH_PETSC_CALL(TSSetMaxStepRejections(ts, 20));
  IONPATH_PETSC_CALL(TSSetErrorIfStepFails(ts, PETSC_FALSE));  // reported through SolveError
  TSAdapt adapt = nullptr;
  IONPATH_PETSC_CALL(TSGetAdapt(ts, &adapt));
  IONPATH_PETSC_CALL(TSAdaptSetType(adapt, TSADAPTBASIC));
  IONPATH_PETSC_CALL(TSAdaptSetClip(adapt, 0.1, 2.0));
  SNES snes = nullptr;
  IONPATH_PETSC_CALL(TSGetSNES(ts, &snes));
  set_newton_defaults(snes, d, 1e-12, 1e-50, recipe.direct_limit_3d_cells);
  SNESLineSearch ls = nullptr;
  IONPATH_PETSC_CALL(SNESGetLineSearch(snes, &ls));
  IONPATH_PETSC_CALL(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
  watch_deadline(ts);
  return ts;
}

std::string use_transient_variable(TS ts, Model& m) {
  TSType type = nullptr;
  IONPATH_PETSC_CALL(TSGetType(ts, &type));
  const std::string name = type;
  const bool bdf = name == TSBDF;
  if (bdf) IONPATH_PETSC_CALL(TSSetTransientVariable(ts, ts_transient_variable, callback_context(m)));
  m.storage = bdf ? Storage::transient_variable : Storage::mass_matrix;
  return name;
}

TimeSteppingStats run_time_stepper(TS ts, Vec x, Model& m) {
  IONPATH_PETSC_CALL(TSGetSNES(ts, &m.snes));
  const PetscErrorCode ierr = TSSolve(ts, x);
  if (m.pending) std::rethrow_exception(m.pending);
  IONPATH_PETSC_CALL(ierr);
  TSConvergedReason reason;
  PetscInt steps = 0, rejects = 0, fails = 0, its = 0;
  PetscReal t = 0.0;
  IONPATH_PETSC_CALL(TSGetConvergedReason(ts, &reason));
  IONPATH_PETSC_CALL(TSGetStepNumber(ts, &steps));
  IONPATH_PETSC_CALL(TSGetStepRejections(ts, &rejects));
  IONPATH_PETSC_CALL(TSGetSNESFailures(ts, &fails));
  IONPATH_PETSC_CALL(TSGetSNESIterations(ts, &its));
  IONPATH_PETSC_CALL(TSGetTime(ts, &t));
  TimeSteppingStats s;
  s.steps = static_cast<int>(steps);
  s.rejected_steps = static_cast<int>(rejects);
  s.snes_failures = static_cast<int>(fails);
  s.newton_iterations = static_cast<int>(its);
  s.reason = TSConvergedReasons[reason];
  s.diverged = reason < 0;
  s.t = t;
  return s;
}

std::string time_stepping_divergence_message(std::string_view what, const TimeSteppingStats& at, int steps,
                                             int rejected_steps, std::string_view time_note, SNES snes,
                                             const DivergenceAdvice& advice) {
  return std::string(what) + " TS diverged: " + at.reason + " at t = " + std::to_string(at.t) + std::string(time_note) +
         " after " + std::to_string(steps) + " steps, " + std::to_string(rejected_steps) + " rejected; " +
         newton_divergence_message("last SNES", snes, advice.newton, advice.linear) + "; or " +
         std::string(advice.time_stepping);
}

}  // namespace ionpath::solver::assembly
