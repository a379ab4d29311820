// Transient electroneutral Nernst-Planck (spec §3.8): PETSc TS with IFunction/IJacobian from the
// same face loop as the steady residual. With TSBDF the stored concentrations C = (c+, c-) are
// transient variables, so BDF differences C itself and the anion inventory is conserved exactly
// (to solver tolerance); other TS types see the equivalent M(u) u' form.
#include <petscts.h>

#include <cmath>
#include <exception>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "solver/electroneutral/electroneutral.hpp"
#include "solver/electroneutral/assembly.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using en_detail::Context;
using en_detail::Storage;
using en_detail::Target;
using TsHandle = PetscHandle<TS, TSDestroy>;

struct TransientContext {
  Context en;
  TransientOptions options;
  TransientResult* result = nullptr;
  VecHandle previous;  // solution before the last step (steady criterion when no current flows)
  double tau_d = 0.0;
  bool steady = false;
  double shift = 0.0;          // of the last IJacobian (current time step)
  double jacobian_norm = 0.0;  // ||J||_inf of the last IJacobian
  double storage_norm = 0.0;   // || kappa c- ||_2 of the initial state
  double inventory = 0.0;      // sum kappa c- of the initial state
  VecHandle anion_rows;        // 1 on every anion row, 0 on the charge rows
  VecHandle anion_shift;       // 1 on the anion unknown (mu-) of active cells, else 0
  VecHandle column_sums;       // J^T anion_rows: the anion-row sum of J applied to a direction
};

PetscErrorCode ifunction(TS, PetscReal, Vec x, Vec xdot, Vec f, void* raw) {
  PetscFunctionBeginUser;
  auto& tc = *static_cast<TransientContext*>(raw);
  try {
    LocalState s(*tc.en.domain, x);
    PetscScalar* F = nullptr;
    const PetscScalar* rate = nullptr;
    PetscCall(VecGetArray(f, &F));
    PetscCall(VecGetArrayRead(xdot, &rate));
    Target t;
    t.F = F;
    t.rate = rate;
    const bool ok = en_detail::assemble(tc.en, s.values(), t);
    PetscCall(VecRestoreArrayRead(xdot, &rate));
    PetscCall(VecRestoreArray(f, &F));
    if (!ok) PetscCall(SNESSetFunctionDomainError(tc.en.snes));
  } catch (...) {
    tc.en.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral IFunction failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

PetscErrorCode ijacobian(TS, PetscReal, Vec x, Vec xdot, PetscReal shift, Mat J, Mat, void* raw) {
  PetscFunctionBeginUser;
  auto& tc = *static_cast<TransientContext*>(raw);
  try {
    LocalState s(*tc.en.domain, x);
    tc.shift = shift;
    PetscCall(MatZeroEntries(J));
    std::vector<double> scratch(2 * tc.en.domain->owned().n_cells());
    const PetscScalar* rate = nullptr;
    PetscCall(VecGetArrayRead(xdot, &rate));
    Target t;
    t.F = scratch.data();
    t.J = J;
    t.rate = rate;
    t.shift = shift;
    en_detail::assemble(tc.en, s.values(), t);
    PetscCall(VecRestoreArrayRead(xdot, &rate));
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatNorm(J, NORM_INFINITY, &tc.jacobian_norm));
    PetscCall(MatMultTranspose(J, tc.anion_rows, tc.column_sums));
  } catch (...) {
    tc.en.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral IJacobian failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

PetscErrorCode transient_variable_callback(TS, Vec x, Vec C, void* raw) {
  PetscFunctionBeginUser;
  auto& tc = *static_cast<TransientContext*>(raw);
  const PetscScalar* xv = nullptr;
  PetscScalar* cv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArray(C, &cv));
  en_detail::transient_variable(tc.en, xv, cv);
  PetscCall(VecRestoreArray(C, &cv));
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscFunctionReturn(0);
}

// Newton on a time step stops at the round-off floor of its residual. The anion rows difference
// O(1) concentrations over the step (rate ~ shift C), so they carry ~eps shift |kappa c-| of noise
// per cell, and the face fluxes ~eps |J| |mu|, that no iteration removes: a relative test against
// the step's first residual (small when the step is short) cannot be met, and stopping on the
// step length cost one or two extra linear solves per time step. The sum of the anion rows is
// the step's inventory error times the shift; it must also be below 1e-14 of the inventory (1e-12
// after a hundred steps even if every step's error had the same sign). Otherwise the default
// tests (rtol, step length) still apply.
PetscErrorCode newton_converged(SNES snes, PetscInt it, PetscReal xnorm, PetscReal snorm, PetscReal fnorm,
                                SNESConvergedReason* reason, void* raw) {
  PetscFunctionBeginUser;
  PetscCall(SNESConvergedDefault(snes, it, xnorm, snorm, fnorm, reason, nullptr));
  const auto& tc = *static_cast<const TransientContext*>(raw);
  const double floor =
      32.0 * std::numeric_limits<double>::epsilon() * (tc.shift * tc.storage_norm + tc.jacobian_norm * xnorm);
  if (*reason != SNES_CONVERGED_ITERATING || it < 1 || fnorm > floor) PetscFunctionReturn(0);
  Vec F = nullptr;
  PetscScalar anion_sum = 0.0;
  PetscCall(SNESGetFunction(snes, &F, nullptr, nullptr));
  PetscCall(VecStrideSum(F, 1, &anion_sum));
  if (std::abs(anion_sum) <= 1e-14 * tc.shift * std::abs(tc.inventory)) *reason = SNES_CONVERGED_FNORM_ABS;
  PetscFunctionReturn(0);
}

// GAMG needs 60-200 iterations per linear solve here (64^3 aligned walls), where GMRES(100)'s
// orthogonalisation took 45 % of the run; BiCGStab's fixed cost per iteration halved the linear
// solve time with the same results. The linear rtol only sets how many Newton steps reach the
// floor of newton_converged: 1e-5 saved 10 % of the iterations over 1e-6, 1e-4 none
// (docs/performance.md). Direct LU is left alone.
void use_short_recurrence_krylov(SNES snes) {
  if (uses_direct_solver(snes)) return;
  KSP ksp = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  IONPATH_PETSC_CALL(KSPSetType(ksp, KSPBCGS));
  IONPATH_PETSC_CALL(KSPSetTolerances(ksp, 1e-5, 1e-50, PETSC_DEFAULT, 2000));
}

// Above the direct limit the AMG is built once per TS and reused. A factorisation chosen by the
// options (-en_pc_type lu) would be reused the same way and fail once dt has grown: factorise with
// every Jacobian unless -en_snes_lag_preconditioner says otherwise.
void refactor_direct_solver_each_step(SNES snes) {
  if (!uses_direct_solver(snes)) return;
  PetscBool lag_given = PETSC_FALSE;
  const char* prefix = nullptr;
  IONPATH_PETSC_CALL(SNESGetOptionsPrefix(snes, &prefix));
  IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, prefix, "-snes_lag_preconditioner", &lag_given));
  if (!lag_given) IONPATH_PETSC_CALL(SNESSetLagPreconditioner(snes, 1));
}

// Line-search pre-check: makes the anion-row sum of the linearised residual, F - J y, exactly zero
// by adding a uniform mu- shift to the Newton direction y. With GAMG and a loose linear rtol the
// direction's largest error is that very mode (uniform mu-, nearly free once dt is long), so the
// inventory test of newton_converged used to cost a third linear solve in most late time steps.
// An exact linear solve satisfies the sum anyway; the shift is of the order of the solve's error.
PetscErrorCode conserve_anion_sum(SNESLineSearch ls, Vec, Vec y, PetscBool* changed, void* raw) {
  PetscFunctionBeginUser;
  const auto& tc = *static_cast<const TransientContext*>(raw);
  SNES snes = nullptr;
  Vec F = nullptr;
  PetscCall(SNESLineSearchGetSNES(ls, &snes));
  PetscCall(SNESGetFunction(snes, &F, nullptr, nullptr));
  PetscScalar sum_F = 0.0, e_y = 0.0, e_v = 0.0;
  PetscCall(VecStrideSum(F, 1, &sum_F));
  PetscCall(VecDot(tc.column_sums, y, &e_y));
  PetscCall(VecDot(tc.column_sums, tc.anion_shift, &e_v));
  *changed = PETSC_FALSE;
  if (e_v == 0.0) PetscFunctionReturn(0);
  PetscCall(VecAXPY(y, (sum_F - e_y) / e_v, tc.anion_shift));
  *changed = PETSC_TRUE;
  PetscFunctionReturn(0);
}

// After every accepted step: record the electrode currents and test the steady-state criterion.
PetscErrorCode post_step(TS ts) {
  PetscFunctionBeginUser;
  void* raw = nullptr;
  PetscCall(TSGetApplicationContext(ts, &raw));
  auto& tc = *static_cast<TransientContext*>(raw);
  try {
    Vec x = nullptr;
    PetscReal t = 0.0, dt_prev = 0.0, t_prev = 0.0;
    PetscCall(TSGetSolution(ts, &x));
    PetscCall(TSGetTime(ts, &t));
    PetscCall(TSGetPrevTime(ts, &t_prev));
    dt_prev = t - t_prev;
    {
      LocalState s(*tc.en.domain, x);
      std::vector<double> scratch(2 * tc.en.domain->owned().n_cells()), rate(scratch.size(), 0.0);
      Target tg;
      tg.F = scratch.data();
      tg.rate = rate.data();
      if (!en_detail::assemble(tc.en, s.values(), tg)) throw SolveError("electroneutral: accepted step is unphysical");
    }
    const auto& dg = tc.en.diag;
    auto potential = [&](int e) { return dg.potential_count[e] > 0 ? dg.potential_sum[e] / dg.potential_count[e] : 0.0; };
    CurrentSample sample{t,           dg.current_in[0], dg.current_in[1],           potential(0),
                         potential(1), dg.inventory,   dg.kinetic_conductance[0], dg.kinetic_conductance[1]};
    auto& h = tc.result->history;
    if (tc.options.t_final <= 0.0 && !h.empty() && t >= tc.tau_d) {  // steady no earlier than tau_d
      const double scale = std::max(std::abs(sample.current_in_low), std::abs(sample.current_in_high));
      double change = 0.0;
      if (scale > 0.0) {
        change = std::max(std::abs(sample.current_in_low - h.back().current_in_low),
                          std::abs(sample.current_in_high - h.back().current_in_high)) / scale;
      } else {  // no current: largest change of mu per step
        PetscCall(VecAXPY(tc.previous, -1.0, x));
        PetscReal dmax = 0.0;
        PetscCall(VecNorm(tc.previous, NORM_INFINITY, &dmax));
        change = dmax;
      }
      if (change / (dt_prev / tc.tau_d) < tc.options.steady_tol) {
        tc.steady = true;
        PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
      }
    }
    PetscCall(VecCopy(x, tc.previous));
    h.push_back(sample);
  } catch (...) {
    tc.en.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral post-step failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

// tau_d = N^2 / (pi^2 D_amb) along the transport axis, D_amb = 2 D+ D- / (D+ + D-) of the mean
// diffusivities of the active cells.
double default_tau_d(const Context& ctx) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const auto ta = static_cast<std::size_t>(d.transport_axis());
  double sums[3] = {0.0, 0.0, 0.0};
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t g = d.ghosted().offset(i, j, k);
        if (!ctx.active[g]) continue;
        sums[0] += ctx.Dp[ta][g];
        sums[1] += ctx.Dm[ta][g];
        sums[2] += 1.0;
      }
  MPI_Allreduce(MPI_IN_PLACE, sums, 3, MPI_DOUBLE, MPI_SUM, d.comm());
  const double Dp = sums[0] / std::max(1.0, sums[2]), Dm = sums[1] / std::max(1.0, sums[2]);
  const double D_amb = Dp + Dm > 0.0 ? 2.0 * Dp * Dm / (Dp + Dm) : 0.0;
  const double L = d.grid().n_cells[d.transport_axis()];
  return D_amb > 0.0 ? L * L / (std::numbers::pi * std::numbers::pi * D_amb) : 1.0;
}

}  // namespace

TransientResult solve_electroneutral_transient(const Domain& domain, const ElectroneutralInput& input,
                                               const TransientOptions& options) {
  TransientContext tc;
  TransientResult result;
  tc.options = options;
  tc.result = &result;
  en_detail::setup(tc.en, domain, input, /*steady=*/false);
  tc.tau_d = options.tau_d > 0.0 ? options.tau_d : default_tau_d(tc.en);
  result.tau_d = tc.tau_d;

  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, tc.previous.out()));
  if (!input.initial_mu.empty()) copy_owned(x, input.initial_mu);  // else equilibrium mu = 0
  IONPATH_PETSC_CALL(VecCopy(x, tc.previous));
  IONPATH_PETSC_CALL(VecDuplicate(x, tc.anion_rows.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, tc.anion_shift.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, tc.column_sums.out()));
  {
    PetscScalar *rows = nullptr, *shift = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(tc.anion_rows, &rows));
    IONPATH_PETSC_CALL(VecGetArray(tc.anion_shift, &shift));
    const mesh::Box& own = domain.owned();
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k);
          rows[2 * o] = shift[2 * o] = 0.0;
          rows[2 * o + 1] = 1.0;
          shift[2 * o + 1] = tc.en.active[domain.ghosted().offset(i, j, k)] ? 1.0 : 0.0;
        }
    IONPATH_PETSC_CALL(VecRestoreArray(tc.anion_shift, &shift));
    IONPATH_PETSC_CALL(VecRestoreArray(tc.anion_rows, &rows));
  }
  MatHandle J = make_newton_matrix(domain);

  const double dt0 = options.dt_initial > 0.0 ? options.dt_initial : 1e-6 * tc.tau_d;
  const double t_max = options.t_final > 0.0 ? options.t_final : options.max_time_in_tau * tc.tau_d;
  if (!(dt0 < t_max)) throw std::invalid_argument("electroneutral transient: first step exceeds the end time");
  // One TS per phase: a single backward-Euler step of dt0 makes the initial state consistent with
  // the algebraic charge row (the potential jumps at t = 0+, which no error estimate can follow;
  // its current is I0), then adaptive BDF2 from there.
  auto make_ts = [&](TsHandle& ts, bool first) {
    IONPATH_PETSC_CALL(TSCreate(domain.comm(), ts.out()));
    IONPATH_PETSC_CALL(TSSetDM(ts, domain.dm()));
    IONPATH_PETSC_CALL(TSSetOptionsPrefix(ts, "en_"));
    IONPATH_PETSC_CALL(TSSetProblemType(ts, TS_NONLINEAR));
    IONPATH_PETSC_CALL(TSSetType(ts, TSBDF));
    IONPATH_PETSC_CALL(TSBDFSetOrder(ts, 2));
    IONPATH_PETSC_CALL(TSSetApplicationContext(ts, &tc));
    IONPATH_PETSC_CALL(TSSetIFunction(ts, r, ifunction, &tc));
    IONPATH_PETSC_CALL(TSSetIJacobian(ts, J, J, ijacobian, &tc));
    IONPATH_PETSC_CALL(TSSetPostStep(ts, post_step));
    IONPATH_PETSC_CALL(TSSetTime(ts, first ? 0.0 : dt0));
    IONPATH_PETSC_CALL(TSSetTimeStep(ts, dt0));
    IONPATH_PETSC_CALL(TSSetMaxTime(ts, t_max));
    IONPATH_PETSC_CALL(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_MATCHSTEP));
    IONPATH_PETSC_CALL(TSSetMaxSteps(ts, options.max_steps));
    IONPATH_PETSC_CALL(TSSetTolerances(ts, options.atol, nullptr, options.rtol, nullptr));
    IONPATH_PETSC_CALL(TSSetMaxSNESFailures(ts, -1));
    IONPATH_PETSC_CALL(TSSetMaxStepRejections(ts, 20));
    IONPATH_PETSC_CALL(TSSetErrorIfStepFails(ts, PETSC_FALSE));
    TSAdapt adapt = nullptr;
    IONPATH_PETSC_CALL(TSGetAdapt(ts, &adapt));
    IONPATH_PETSC_CALL(TSAdaptSetType(adapt, TSADAPTBASIC));
    IONPATH_PETSC_CALL(TSAdaptSetClip(adapt, 0.1, 2.0));  // growth <= 2 per step (spec §3.8)
    SNES snes = nullptr;
    IONPATH_PETSC_CALL(TSGetSNES(ts, &snes));
    // Tight: the inventory drifts by the Newton residual of the anion rows, so Newton runs to the
    // round-off floor (newton_converged) with full steps; a backtracking line search would report
    // failure at that floor (short time steps keep Newton in its quadratic range).
    set_newton_defaults(snes, domain, 1e-12, 1e-50, transient_direct_limit_3d);
    SNESLineSearch ls = nullptr;
    IONPATH_PETSC_CALL(SNESGetLineSearch(snes, &ls));
    IONPATH_PETSC_CALL(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
    IONPATH_PETSC_CALL(SNESSetConvergenceTest(snes, newton_converged, &tc, nullptr));
    IONPATH_PETSC_CALL(SNESLineSearchSetPreCheck(ls, conserve_anion_sum, &tc));
    use_short_recurrence_krylov(snes);
    IONPATH_PETSC_CALL(TSSetFromOptions(ts));
    refactor_direct_solver_each_step(snes);
    if (first) {
      IONPATH_PETSC_CALL(TSSetType(ts, TSBDF));
      IONPATH_PETSC_CALL(TSBDFSetOrder(ts, 1));
      IONPATH_PETSC_CALL(TSAdaptSetType(adapt, TSADAPTNONE));
      IONPATH_PETSC_CALL(TSSetMaxSteps(ts, 1));
      IONPATH_PETSC_CALL(TSSetMaxTime(ts, dt0));
    }
    TSType type = nullptr;
    IONPATH_PETSC_CALL(TSGetType(ts, &type));
    const bool bdf = std::string(type) == TSBDF;
    if (!first) result.ts_type = type;
    if (bdf) IONPATH_PETSC_CALL(TSSetTransientVariable(ts, transient_variable_callback, &tc));
    return bdf;
  };
  auto run = [&](TsHandle& ts, bool bdf) {
    tc.en.storage = bdf ? Storage::transient_variable : Storage::mass_matrix;
    IONPATH_PETSC_CALL(TSGetSNES(ts, &tc.en.snes));
    const PetscErrorCode ierr = TSSolve(ts, x);
    if (tc.en.pending) std::rethrow_exception(tc.en.pending);
    IONPATH_PETSC_CALL(ierr);
    TSConvergedReason reason;
    IONPATH_PETSC_CALL(TSGetConvergedReason(ts, &reason));
    PetscInt steps = 0, rejects = 0, fails = 0, its = 0;
    IONPATH_PETSC_CALL(TSGetStepNumber(ts, &steps));
    IONPATH_PETSC_CALL(TSGetStepRejections(ts, &rejects));
    IONPATH_PETSC_CALL(TSGetSNESFailures(ts, &fails));
    IONPATH_PETSC_CALL(TSGetSNESIterations(ts, &its));
    result.steps += static_cast<int>(steps);
    result.rejected_steps += static_cast<int>(rejects);
    result.snes_failures += static_cast<int>(fails);
    result.final_state.newton_iterations += static_cast<int>(its);
    result.converged_reason = TSConvergedReasons[reason];
    if (reason < 0) {
      PetscReal t = 0.0;
      TSGetTime(ts, &t);
      throw SolveError("electroneutral TS diverged: " + result.converged_reason + " at t = " + std::to_string(t) + " (" +
                       std::to_string(t / tc.tau_d) + " tau_d) after " + std::to_string(result.steps) + " steps, " +
                       std::to_string(result.rejected_steps) + " rejected; " +
                       newton_divergence_message("last SNES", tc.en.snes, electroneutral_hint,
                                                 electroneutral_linear_hint) +
                       "; or loosen -en_ts_rtol / shorten -en_ts_dt");
    }
  };

  {  // initial inventory
    std::vector<double> C(2 * domain.owned().n_cells());
    const PetscScalar* xv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayRead(x, &xv));
    en_detail::transient_variable(tc.en, xv, C.data());
    IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &xv));
    double sums[2] = {0.0, 0.0};  // inventory, || kappa c- ||^2
    for (std::size_t c = 0; c < C.size() / 2; ++c) {
      const double content = tc.en.kappa[c] * C[2 * c + 1];
      sums[0] += content;
      sums[1] += content * content;
    }
    MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, domain.comm());
    result.initial_inventory = tc.inventory = sums[0];
    tc.storage_norm = std::sqrt(sums[1]);
  }
  {
    TsHandle first;
    const bool bdf = make_ts(first, true);
    run(first, bdf);
  }
  if (!tc.steady && !(options.t_final > 0.0 && dt0 >= options.t_final)) {
    TsHandle main;
    const bool bdf = make_ts(main, false);
    run(main, bdf);
  }
  result.reached_steady = tc.steady;
  const int newton = result.final_state.newton_iterations;
  en_detail::collect_result(tc.en, x, result.final_state);
  result.final_state.newton_iterations = newton;
  result.final_state.converged_reason = result.converged_reason;
  return result;
}

}  // namespace ionpath::solver
