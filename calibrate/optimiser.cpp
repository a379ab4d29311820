#include "calibrate/optimiser.hpp"

#include <petsctao.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>

#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::calibrate {
namespace {

struct Context {
  CalibrationModel* model = nullptr;
  bool jacobian = true;
  std::optional<Evaluation> last;
  int evaluations = 0;
  std::exception_ptr error;
  double chi2_start = -1.0;
  bool progress = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now(), printed = started;
  std::vector<double> objective_history;  ///< chi2/2 at each iteration, for the stagnation test
  bool stagnated = false;

  const Evaluation& at(Vec x) {
    const PetscScalar* v = nullptr;
    PetscInt n = 0;
    VecGetLocalSize(x, &n);
    VecGetArrayRead(x, &v);
    std::vector<double> z(v, v + n);
    VecRestoreArrayRead(x, &v);
    if (!last || last->z != z) {
      last = model->evaluate(z, jacobian);  // the Jacobian costs no extra solve: always keep it
      ++evaluations;
      double chi2 = 0.0;
      for (const double r : last->residuals) chi2 += r * r;
      if (chi2_start < 0.0) chi2_start = chi2;
      const auto now = std::chrono::steady_clock::now();
      if (progress && now - printed > std::chrono::seconds(5)) {
        std::printf("    evaluation %d: chi2 %.6g, %lld solves so far, %.0f s\n", evaluations, chi2, model->solves(),
                    std::chrono::duration<double>(now - started).count());
        std::fflush(stdout);
        printed = now;
      }
    }
    return *last;
  }
};

PetscErrorCode residual(Tao, Vec x, Vec f, void* ctx_) {
  auto& ctx = *static_cast<Context*>(ctx_);
  try {
    const Evaluation& e = ctx.at(x);
    PetscScalar* out = nullptr;
    PetscCall(VecGetArray(f, &out));
    for (std::size_t i = 0; i < e.residuals.size(); ++i) out[i] = e.residuals[i];
    PetscCall(VecRestoreArray(f, &out));
  } catch (...) {
    ctx.error = std::current_exception();
    return PETSC_ERR_USER;
  }
  return 0;
}

PetscErrorCode jacobian(Tao, Vec x, Mat J, Mat, void* ctx_) {
  auto& ctx = *static_cast<Context*>(ctx_);
  try {
    const Evaluation& e = ctx.at(x);
    for (std::size_t i = 0; i < e.jacobian.size(); ++i)
      for (std::size_t j = 0; j < e.jacobian[i].size(); ++j)
        PetscCall(MatSetValue(J, static_cast<PetscInt>(i), static_cast<PetscInt>(j), e.jacobian[i][j], INSERT_VALUES));
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  } catch (...) {
    ctx.error = std::current_exception();
    return PETSC_ERR_USER;
  }
  return 0;
}

// TAO's tests (gradient norm absolute / relative) plus stagnation: a start whose chi2 moved by
// less than 1e-6 relative over the last 5 iterations has stopped improving in any sense that
// matters (a chi2 change far below 1, i.e. far below one standard deviation), even when a
// parameter creeping along a flat valley toward a bound keeps the gradient above its tolerance
// (seen: 40 iterations, ~260 solves, each lowering chi2 16.7483 by ~4e-7, before this test).
PetscErrorCode converged_or_stagnated(Tao tao, void* ctx_) {
  auto& ctx = *static_cast<Context*>(ctx_);
  PetscCall(TaoDefaultConvergenceTest(tao, nullptr));
  TaoConvergedReason reason;
  PetscInt its = 0;
  PetscReal f = 0, gnorm = 0, cnorm = 0, xdiff = 0;
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, &gnorm, &cnorm, &xdiff, &reason));
  ctx.objective_history.push_back(f);
  constexpr std::size_t window = 5;
  const auto& h = ctx.objective_history;
  if (reason == TAO_CONTINUE_ITERATING && h.size() > window) {
    const double before = h[h.size() - 1 - window];
    if (std::abs(before - f) <= 1e-6 * std::abs(f)) {
      ctx.stagnated = true;
      PetscCall(TaoSetConvergedReason(tao, TAO_CONVERGED_USER));
    }
  }
  return 0;
}

Vec sequential(const std::vector<double>& values) {
  Vec v = nullptr;
  IONPATH_PETSC_CALL(VecCreateSeq(PETSC_COMM_SELF, static_cast<PetscInt>(values.size()), &v));
  PetscScalar* a = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(v, &a));
  std::copy(values.begin(), values.end(), a);
  IONPATH_PETSC_CALL(VecRestoreArray(v, &a));
  return v;
}

}  // namespace

StartOutcome minimise(CalibrationModel& model, const std::vector<double>& z_start, const std::string& tao_type,
                      bool progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const long long solves0 = model.solves();
  const std::size_t k = z_start.size(), m = model.config().targets.size();
  std::vector<double> lo(k), hi(k);
  for (std::size_t j = 0; j < k; ++j) std::tie(lo[j], hi[j]) = model.transforms()[j].z_bounds();

  Tao tao = nullptr;
  IONPATH_PETSC_CALL(TaoCreate(PETSC_COMM_SELF, &tao));
  solver::VecHandle x(sequential(z_start)), f(sequential(std::vector<double>(m, 0.0)));
  solver::VecHandle xl(sequential(lo)), xu(sequential(hi));
  Mat J = nullptr;
  IONPATH_PETSC_CALL(MatCreateSeqDense(PETSC_COMM_SELF, static_cast<PetscInt>(m), static_cast<PetscInt>(k), nullptr, &J));
  Context ctx;
  ctx.model = &model;
  ctx.progress = progress;
  StartOutcome out;
  out.z_start = z_start;
  PetscErrorCode solved = 0;
  try {
    IONPATH_PETSC_CALL(TaoSetOptionsPrefix(tao, "calib_"));
    IONPATH_PETSC_CALL(TaoSetType(tao, tao_type.c_str()));
    IONPATH_PETSC_CALL(TaoSetSolution(tao, x));
    IONPATH_PETSC_CALL(TaoSetResidualRoutine(tao, f, residual, &ctx));
    IONPATH_PETSC_CALL(TaoSetJacobianResidualRoutine(tao, J, J, jacobian, &ctx));
    IONPATH_PETSC_CALL(TaoSetVariableBounds(tao, xl, xu));
    // Residuals are O(1) (divided by their uncertainties): stop at |gradient of chi2/2| 1e-8, or
    // 1e-8 relative to chi2/2 (a non-zero minimum; the solves are converged to ~1e-9).
    IONPATH_PETSC_CALL(TaoSetTolerances(tao, 1e-8, 1e-8, 0.0));
    IONPATH_PETSC_CALL(TaoSetMaximumIterations(tao, 50));
    IONPATH_PETSC_CALL(TaoSetMaximumFunctionEvaluations(tao, 400));
    IONPATH_PETSC_CALL(TaoSetConvergenceTest(tao, converged_or_stagnated, &ctx));
    IONPATH_PETSC_CALL(TaoSetFromOptions(tao));
    TaoType type = nullptr;
    IONPATH_PETSC_CALL(TaoGetType(tao, &type));
    out.tao_type = type;
    ctx.jacobian = out.tao_type != TAOPOUNDERS;
    if (out.tao_type == TAOBRGN) {  // brgn iterates in its bound-constrained Newton subsolver
      Tao sub = nullptr;
      IONPATH_PETSC_CALL(TaoBRGNGetSubsolver(tao, &sub));
      IONPATH_PETSC_CALL(TaoSetConvergenceTest(sub, converged_or_stagnated, &ctx));
    }
    // A model error (exception in a callback) comes back here: keep PETSc quiet and rethrow it.
    IONPATH_PETSC_CALL(PetscPushErrorHandler(PetscReturnErrorHandler, nullptr));
    solved = TaoSolve(tao);
    IONPATH_PETSC_CALL(PetscPopErrorHandler());
  } catch (...) {
    MatDestroy(&J);
    TaoDestroy(&tao);
    throw;
  }
  if (ctx.error || solved != 0) {
    MatDestroy(&J);
    TaoDestroy(&tao);
    if (ctx.error) std::rethrow_exception(ctx.error);
    IONPATH_PETSC_CALL(solved);
  }
  TaoConvergedReason reason;
  PetscInt its = 0;
  IONPATH_PETSC_CALL(TaoGetConvergedReason(tao, &reason));
  IONPATH_PETSC_CALL(TaoGetIterationNumber(tao, &its));
  out.reason = ctx.stagnated ? "CONVERGED_STAGNATION" : TaoConvergedReasons[reason];
  out.converged = reason > 0;
  out.iterations = static_cast<int>(its);
  const PetscScalar* z = nullptr;
  IONPATH_PETSC_CALL(VecGetArrayRead(x, &z));
  out.z.assign(z, z + k);
  IONPATH_PETSC_CALL(VecRestoreArrayRead(x, &z));
  MatDestroy(&J);
  TaoDestroy(&tao);
  const Evaluation& e = ctx.last && ctx.last->z == out.z ? *ctx.last : (ctx.last = model.evaluate(out.z, false), *ctx.last);
  for (const double r : e.residuals) out.chi2 += r * r;
  out.chi2_start = ctx.chi2_start;
  out.evaluations = ctx.evaluations;
  out.solves = model.solves() - solves0;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace ionpath::calibrate
