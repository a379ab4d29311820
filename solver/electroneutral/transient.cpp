// Transient electroneutral Nernst-Planck (spec §3.8): PETSc TS with IFunction/IJacobian from the
// same face loop as the steady residual. With TSBDF the stored concentrations C = (c+, c-) are
// transient variables, so BDF differences C itself and the anion inventory is conserved exactly
// (to solver tolerance); other TS types see the equivalent M(u) u' form.
#include <petscts.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "solver/electroneutral/electroneutral.hpp"
#include "solver/electroneutral/assembly.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/nonlinear/time_stepping.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using en_detail::Context;

struct TransientContext final : assembly::StepObserver {
  TransientContext(Context& model, const TransientOptions& opt, TransientResult& out)
      : StepObserver(model), en(model), options(opt), result(out) {}
  void on_accepted_step(const assembly::AcceptedStep& step) override;
  void record(const assembly::AcceptedStep& step);
  void take_snapshot(const assembly::AcceptedStep& step);
  void checkpoint(const assembly::AcceptedStep& step);
  [[nodiscard]] std::vector<double> records(TS ts) const;
  void restore(const CheckpointRecord& rec);

  Context& en;
  const TransientOptions& options;
  TransientResult& result;
  VecHandle previous;  // solution before the last step (steady criterion when no current flows)
  double tau_d = 0.0;
  bool steady = false;
  std::size_t next_snapshot = 0;  // index into options.snapshot_times
  bool adaptive_phase = false;    // checkpoints only after the first backward-Euler step
  bool replaying = false;         // restart: the first two steps again, only to rebuild the preconditioner
  CheckpointClock clock{options.checkpoint};
  double shift = 0.0;          // of the last IJacobian (current time step)
  double jacobian_norm = 0.0;  // ||J||_inf of the last IJacobian
  double storage_norm = 0.0;   // || kappa c- ||_2 of the initial state
  double inventory = 0.0;      // sum kappa c- of the initial state
  VecHandle anion_rows;        // 1 on every anion row, 0 on the charge rows
  VecHandle anion_shift;       // 1 on the anion unknown (mu-) of active cells, else 0
  VecHandle column_sums;       // J^T anion_rows: the anion-row sum of J applied to a direction
};

// The model's IJacobian, plus what newton_converged and conserve_anion_sum read of it.
PetscErrorCode ijacobian(TS ts, PetscReal t, Vec x, Vec xdot, PetscReal shift, Mat J, Mat P, void* raw) {
  PetscFunctionBeginUser;
  auto& tc = *static_cast<TransientContext*>(raw);
  tc.shift = shift;
  PetscCall(assembly::ts_ijacobian(ts, t, x, xdot, shift, J, P, assembly::callback_context(tc.en)));
  PetscCall(MatNorm(P, NORM_INFINITY, &tc.jacobian_norm));  // P: the assembled part (J may be a shell over it)
  PetscCall(MatMultTranspose(J, tc.anion_rows, tc.column_sums));
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

// Above the direct limit the AMG is built once per TS and reused. A factorisation reused across
// time steps fails once dt has grown (the shift changes the matrix), so the factor is rebuilt at the
// first Newton iteration of every step and every second one after; the iteration in between solves
// with GMRES on the factor of the same step (a few more iterations: 638 -> 850 triangular solves
// per run). That halves the factorisations, which were 74 % of a 160 x 1 x 200 Fig. 5 section:
// wall time x 0.78 (median of 3 pairs, 2 ranks), same 95 steps, results equal to 2e-9
// (docs/performance.md). -en_snes_lag_preconditioner overrides it.
void factorise_once_per_newton_pair(SNES snes) {
  if (!uses_direct_solver(snes)) return;
  PetscBool lag_given = PETSC_FALSE;
  const char* prefix = nullptr;
  IONPATH_PETSC_CALL(SNESGetOptionsPrefix(snes, &prefix));
  IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, prefix, "-snes_lag_preconditioner", &lag_given));
  if (!lag_given) IONPATH_PETSC_CALL(SNESSetLagPreconditioner(snes, 2));
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

// The one place that acts after an accepted step, in this order: record, steady-state test,
// snapshots (and the landing of the next step on the next snapshot time), the caller's per-step
// hook (progress reports; a checkpoint writer belongs here too).
void TransientContext::on_accepted_step(const assembly::AcceptedStep& step) {
  record(step);
  if (replaying) return;
  take_snapshot(step);
  checkpoint(step);
  if (options.on_step) {
    const auto& h = result.history;
    StepReport report;
    report.step = static_cast<int>(h.size());
    report.t = step.t;
    report.dt = step.t - step.t_previous;
    report.tau_d = tau_d;
    report.t_end = options.t_final;
    report.sample = &h.back();
    options.on_step(report);
  }
}

// Layout of a checkpoint's records: version, inventory, storage norm, the four counters, the
// galvanostatic metal potential of the last evaluation and the low electrode's potential (the next
// evaluation's first guess: without them a resumed run differs at the scalar solve's tolerance),
// the number of samples, then the history (8 numbers per sample, CurrentSample's order), then the
// caller's records.
constexpr double records_version = 3.0;
constexpr std::size_t records_head = 10, sample_size = 8;

std::vector<double> TransientContext::records(TS ts) const {
  PetscInt steps = 0, rejects = 0, fails = 0, its = 0;
  IONPATH_PETSC_CALL(TSGetStepNumber(ts, &steps));
  IONPATH_PETSC_CALL(TSGetStepRejections(ts, &rejects));
  IONPATH_PETSC_CALL(TSGetSNESFailures(ts, &fails));
  IONPATH_PETSC_CALL(TSGetSNESIterations(ts, &its));
  std::vector<double> r{records_version,
                        inventory,
                        storage_norm,
                        static_cast<double>(result.steps + steps),
                        static_cast<double>(result.rejected_steps + rejects),
                        static_cast<double>(result.snes_failures + fails),
                        static_cast<double>(result.final_state.newton_iterations + its),
                        en.galvanostatic.phi,
                        en.input.low.mu_plus,
                        static_cast<double>(result.history.size())};
  for (const CurrentSample& h : result.history)
    r.insert(r.end(), {h.t, h.current_in_low, h.current_in_high, h.electrode_potential_low, h.electrode_potential_high,
                       h.anion_inventory, h.kinetic_conductance_low, h.kinetic_conductance_high});
  if (options.caller_records) {
    const std::vector<double> mine = options.caller_records();
    r.insert(r.end(), mine.begin(), mine.end());
  }
  return r;
}

void TransientContext::restore(const CheckpointRecord& rec) {
  const auto& r = rec.records;
  const std::size_t samples = r.size() >= records_head ? static_cast<std::size_t>(r[9]) : 0;
  if (r.size() < records_head || r[0] != records_version || r.size() < records_head + samples * sample_size)
    throw std::runtime_error("restart: checkpoint " + options.checkpoint.file.string() +
                             " holds records of another layout (written by another ionpath version?)");
  inventory = result.initial_inventory = r[1];
  storage_norm = r[2];
  result.steps = static_cast<int>(r[3]);
  result.rejected_steps = static_cast<int>(r[4]);
  result.snes_failures = static_cast<int>(r[5]);
  result.final_state.newton_iterations = static_cast<int>(r[6]);
  en.galvanostatic.phi = r[7];
  en.input.low.mu_plus = r[8];
  result.history.clear();
  const std::size_t end = records_head + samples * sample_size;
  for (std::size_t i = records_head; i < end; i += sample_size)
    result.history.push_back({r[i], r[i + 1], r[i + 2], r[i + 3], r[i + 4], r[i + 5], r[i + 6], r[i + 7]});
  if (options.restore_caller_records) options.restore_caller_records(std::span<const double>(r).subspan(end));
  while (next_snapshot < options.snapshot_times.size() && options.snapshot_times[next_snapshot] <= rec.t * (1.0 + 1e-10))
    ++next_snapshot;  // delivered before the checkpoint
}

// At a restart point: writes a checkpoint when one is due, then restarts BDF at this state. A
// resumed run starts a fresh BDF at its checkpoint, so both take the same steps (bit for bit on
// the same ranks) whichever restart point the wall clock chose for the write.
void TransientContext::checkpoint(const assembly::AcceptedStep& step) {
  const int steps = static_cast<int>(result.history.size());
  if (!adaptive_phase || steady || !clock.restart_point(steps)) return;
  if (clock.due(en.domain->comm(), steps)) {
    PetscReal dt = 0.0;
    IONPATH_PETSC_CALL(TSGetTimeStep(step.ts, &dt));  // the next step, after any snapshot landing
    CheckpointRecord rec{options.checkpoint.run_key, step.t, dt, steps, records(step.ts)};
    write_checkpoint(en.domain->comm(), options.checkpoint.file, step.x, rec);
  }
  IONPATH_PETSC_CALL(TSRestartStep(step.ts));
}

// Delivers a snapshot when the step landed on the next snapshot time, then shortens the next step
// (already chosen by the adaptor) so that one lands on the time after that: reach it exactly, or
// in two steps when one full step would leave a sliver.
void TransientContext::take_snapshot(const assembly::AcceptedStep& step) {
  const auto& times = options.snapshot_times;
  const double t = step.t;
  while (next_snapshot < times.size() && times[next_snapshot] <= t * (1.0 + 1e-10)) {
    if (std::abs(times[next_snapshot] - t) <= 1e-10 * std::max(t, 1e-300) && options.on_snapshot) {
      ElectroneutralResult state;
      en_detail::collect_result(en, step.x, state);
      options.on_snapshot(t, state);
    }
    ++next_snapshot;  // a time already passed (before the first step) is skipped
  }
  if (next_snapshot == times.size()) return;
  PetscReal dt = 0.0;
  IONPATH_PETSC_CALL(TSGetTimeStep(step.ts, &dt));
  const double remaining = times[next_snapshot] - t;
  if (dt >= remaining) {
    IONPATH_PETSC_CALL(TSSetTimeStep(step.ts, remaining));
  } else if (dt > 0.5 * remaining) {
    IONPATH_PETSC_CALL(TSSetTimeStep(step.ts, 0.5 * remaining));
  }
}

// Records the electrode currents and tests the steady-state criterion: the current settles
// (potentiostatic) or, with a prescribed current, the cell voltage.
void TransientContext::record(const assembly::AcceptedStep& step) {
  const double t = step.t, dt_prev = step.t - step.t_previous;
  { const assembly::StateEvaluation diagnostics(en, step.x, nullptr, "electroneutral: accepted step is unphysical"); }
  const auto& dg = en.diag;
  auto potential = [&](int e) { return dg.potential_count[e] > 0 ? dg.potential_sum[e] / dg.potential_count[e] : 0.0; };
  CurrentSample sample{t,           dg.current_in[0], dg.current_in[1],           potential(0),
                       potential(1), dg.inventory,   dg.kinetic_conductance[0], dg.kinetic_conductance[1]};
  auto& h = result.history;
  // Steady no earlier than tau_d, nor before the last snapshot.
  const double earliest = std::max(tau_d, options.snapshot_times.empty() ? 0.0 : options.snapshot_times.back());
  if (options.t_final <= 0.0 && !h.empty() && t >= earliest) {
    const double scale = std::max(std::abs(sample.current_in_low), std::abs(sample.current_in_high));
    const double V = sample.electrode_potential_low - sample.electrode_potential_high;
    double change = 0.0;
    if (en.galvanostatic.on && V != 0.0) {
      change = std::abs(V - (h.back().electrode_potential_low - h.back().electrode_potential_high)) / std::abs(V);
    } else if (scale > 0.0) {
      change = std::max(std::abs(sample.current_in_low - h.back().current_in_low),
                        std::abs(sample.current_in_high - h.back().current_in_high)) / scale;
    } else {  // no current: largest change of mu per step
      IONPATH_PETSC_CALL(VecAXPY(previous, -1.0, step.x));
      PetscReal dmax = 0.0;
      IONPATH_PETSC_CALL(VecNorm(previous, NORM_INFINITY, &dmax));
      change = dmax;
    }
    if (change / (dt_prev / tau_d) < options.steady_tol) {
      steady = true;
      IONPATH_PETSC_CALL(TSSetConvergedReason(step.ts, TS_CONVERGED_USER));
    }
  }
  IONPATH_PETSC_CALL(VecCopy(step.x, previous));
  h.push_back(sample);
}

// tau_d = N^2 / (pi^2 D_amb) along the transport axis, D_amb = 2 D+ D- / (D+ + D-) of the mean
// diffusivities of the active cells.
double default_tau_d(const Context& ctx) {
  const Domain& d = *ctx.domain;
  const auto ta = static_cast<std::size_t>(d.transport_axis());
  double sums[3] = {0.0, 0.0, 0.0};
  assembly::for_each_owned_cell(d, [&](const assembly::Cell& c) {
    if (!ctx.active[c.ghost]) return;
    sums[0] += ctx.Dp[ta][c.ghost];
    sums[1] += ctx.Dm[ta][c.ghost];
    sums[2] += 1.0;
  });
  MPI_Allreduce(MPI_IN_PLACE, sums, 3, MPI_DOUBLE, MPI_SUM, d.comm());
  const double Dp = sums[0] / std::max(1.0, sums[2]), Dm = sums[1] / std::max(1.0, sums[2]);
  const double D_amb = Dp + Dm > 0.0 ? 2.0 * Dp * Dm / (Dp + Dm) : 0.0;
  const double L = d.grid().n_cells[d.transport_axis()];
  return D_amb > 0.0 ? L * L / (std::numbers::pi * std::numbers::pi * D_amb) : 1.0;
}

}  // namespace

TransientResult solve_electroneutral_transient(const Domain& domain, const ElectroneutralInput& input,
                                               const TransientOptions& options) {
  TransientResult result;
  Context en;
  en_detail::setup(en, domain, input, /*steady=*/false);
  TransientContext tc(en, options, result);
  tc.tau_d = options.tau_d > 0.0 ? options.tau_d : default_tau_d(en);
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
    assembly::for_each_owned_cell(domain, [&](const assembly::Cell& c) {
      rows[2 * c.own] = shift[2 * c.own] = 0.0;
      rows[2 * c.own + 1] = 1.0;
      shift[2 * c.own + 1] = en.active[c.ghost] ? 1.0 : 0.0;
    });
    IONPATH_PETSC_CALL(VecRestoreArray(tc.anion_shift, &shift));
    IONPATH_PETSC_CALL(VecRestoreArray(tc.anion_rows, &rows));
  }
  // The Newton operator: P itself, or with a galvanostatic electrode the rank-one shell over P.
  const assembly::NewtonMatrices J = assembly::make_newton_matrices(en, x);

  const double dt0 = options.dt_initial > 0.0 ? options.dt_initial : 1e-6 * tc.tau_d;
  const double t_max = options.t_final > 0.0 ? options.t_final : options.max_time_in_tau * tc.tau_d;
  if (!(dt0 < t_max)) throw std::invalid_argument("electroneutral transient: first step exceeds the end time");
  // One TS per phase: a single backward-Euler step of dt0 makes the initial state consistent with
  // the algebraic charge row (the potential jumps at t = 0+, which no error estimate can follow;
  // its current is I0), then adaptive BDF2 from there.
  auto make_ts = [&](bool first, double t_start, double dt) {
    assembly::TimeSteppingRecipe recipe;
    recipe.prefix = "en_";
    recipe.t_start = t_start;
    recipe.dt = dt;
    recipe.t_max = t_max;
    recipe.max_steps = options.max_steps;
    recipe.atol = options.atol;
    recipe.rtol = options.rtol;
    recipe.direct_limit_3d_cells = transient_direct_limit_3d;
    recipe.ijacobian = ijacobian;
    recipe.ijacobian_context = &tc;
    recipe.operator_matrix = J.shell ? J.shell.get() : nullptr;
    TsHandle ts = assembly::make_time_stepper(domain, recipe, r, J.P, tc);
    SNES snes = nullptr;
    IONPATH_PETSC_CALL(TSGetSNES(ts, &snes));
    SNESLineSearch ls = nullptr;
    IONPATH_PETSC_CALL(SNESGetLineSearch(snes, &ls));
    IONPATH_PETSC_CALL(SNESSetConvergenceTest(snes, newton_converged, &tc, nullptr));
    IONPATH_PETSC_CALL(SNESLineSearchSetPreCheck(ls, conserve_anion_sum, &tc));
    use_short_recurrence_krylov(snes);
    IONPATH_PETSC_CALL(TSSetFromOptions(ts));
    factorise_once_per_newton_pair(snes);
    if (first) {
      TSAdapt adapt = nullptr;
      IONPATH_PETSC_CALL(TSGetAdapt(ts, &adapt));
      IONPATH_PETSC_CALL(TSSetType(ts, TSBDF));
      IONPATH_PETSC_CALL(TSBDFSetOrder(ts, 1));
      IONPATH_PETSC_CALL(TSAdaptSetType(adapt, TSADAPTNONE));
      IONPATH_PETSC_CALL(TSSetMaxSteps(ts, 1));
      IONPATH_PETSC_CALL(TSSetMaxTime(ts, dt0));
    }
    const std::string type = assembly::use_transient_variable(ts, en);
    if (!first) result.ts_type = type;
    return ts;
  };
  auto run = [&](TS ts) {
    const assembly::TimeSteppingStats s = assembly::run_time_stepper(ts, x, en);
    result.steps += s.steps;
    result.rejected_steps += s.rejected_steps;
    result.snes_failures += s.snes_failures;
    result.final_state.newton_iterations += s.newton_iterations;
    result.converged_reason = s.reason;
    if (s.diverged)
      throw SolveError(assembly::time_stepping_divergence_message(
          "electroneutral", s, result.steps, result.rejected_steps, " (" + std::to_string(s.t / tc.tau_d) + " tau_d)",
          en.snes, {electroneutral_hint, electroneutral_linear_hint, "loosen -en_ts_rtol / shorten -en_ts_dt"}));
  };

  {  // initial inventory
    std::vector<double> C(2 * domain.owned().n_cells());
    const PetscScalar* xv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayRead(x, &xv));
    en.transient_variable(xv, C.data());
    IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &xv));
    double sums[2] = {0.0, 0.0};  // inventory, || kappa c- ||^2
    for (std::size_t c = 0; c < C.size() / 2; ++c) {
      const double content = en.kappa[c] * C[2 * c + 1];
      sums[0] += content;
      sums[1] += content * content;
    }
    MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, domain.comm());
    result.initial_inventory = tc.inventory = sums[0];
    tc.storage_norm = std::sqrt(sums[1]);
  }
  if (options.restart) {  // resume the adaptive phase where the checkpoint left it
    VecHandle saved;
    IONPATH_PETSC_CALL(VecDuplicate(x, saved.out()));
    const CheckpointRecord rec =
        read_checkpoint(domain.comm(), options.checkpoint.file, saved, options.checkpoint.run_key);
    // The adaptive TS keeps the preconditioner of its first Jacobian (above the direct limit: an
    // AMG set up once, newton.cpp), and an AMG set up at the checkpoint's long step instead is
    // another preconditioner (it even failed to converge on charged walls). So the resumed run
    // takes the first two steps again, unrecorded, and jumps to the checkpoint in the same TS,
    // restarting BDF there as the unbroken run did.
    tc.replaying = true;
    run(make_ts(/*first=*/true, 0.0, dt0));
    TsHandle ts = make_ts(/*first=*/false, dt0, dt0);
    IONPATH_PETSC_CALL(TSSetMaxSteps(ts, 1));
    run(ts);
    tc.replaying = false;
    IONPATH_PETSC_CALL(VecCopy(saved, x));
    IONPATH_PETSC_CALL(VecCopy(x, tc.previous));
    tc.restore(rec);  // history, counters (replaces what the replay added), the scalars of the last evaluation
    IONPATH_PETSC_CALL(TSSetStepNumber(ts, 0));
    IONPATH_PETSC_CALL(TSSetMaxSteps(ts, options.max_steps));
    IONPATH_PETSC_CALL(TSSetTime(ts, rec.t));
    IONPATH_PETSC_CALL(TSSetTimeStep(ts, rec.dt));
    IONPATH_PETSC_CALL(TSRestartStep(ts));
    tc.adaptive_phase = true;
    run(ts);
  } else {
    run(make_ts(/*first=*/true, 0.0, dt0));
    tc.adaptive_phase = true;
    if (!tc.steady && !(options.t_final > 0.0 && dt0 >= options.t_final)) run(make_ts(/*first=*/false, dt0, dt0));
  }
  result.reached_steady = tc.steady;
  const int newton = result.final_state.newton_iterations;
  en_detail::collect_result(en, x, result.final_state);
  result.final_state.newton_iterations = newton;
  result.final_state.converged_reason = result.converged_reason;
  return result;
}

}  // namespace ionpath::solver
