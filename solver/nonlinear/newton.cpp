#include "solver/nonlinear/newton.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <sstream>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {

MatHandle make_newton_matrix(const Domain& d) {
  MatHandle J;
  IONPATH_PETSC_CALL(DMCreateMatrix(d.dm(), J.out()));
  IONPATH_PETSC_CALL(MatSetOption(J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  return J;
}

void set_newton_defaults(SNES snes, const Domain& d, double rtol, double atol, std::size_t direct_limit_3d_cells) {
  IONPATH_PETSC_CALL(SNESSetType(snes, SNESNEWTONLS));
  SNESLineSearch ls = nullptr;
  IONPATH_PETSC_CALL(SNESGetLineSearch(snes, &ls));
  IONPATH_PETSC_CALL(SNESLineSearchSetType(ls, SNESLINESEARCHBT));
  IONPATH_PETSC_CALL(SNESSetTolerances(snes, atol, rtol, 1e-14, 50, 100000));
  IONPATH_PETSC_CALL(SNESSetConvergenceHistory(snes, nullptr, nullptr, 1000, PETSC_TRUE));
  KSP ksp = nullptr;
  PC pc = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  IONPATH_PETSC_CALL(KSPSetType(ksp, KSPGMRES));
  IONPATH_PETSC_CALL(KSPGMRESSetRestart(ksp, 100));
  IONPATH_PETSC_CALL(KSPSetTolerances(ksp, 1e-10, 1e-50, PETSC_DEFAULT, 2000));
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  // Direct LU while its fill stays affordable (measured: 192k 3D cells x 2 dof took > 10 GB and
  // > 10 min with PETSc LU); beyond that GAMG with unsmoothed aggregation, which keeps the Galerkin
  // coarse operators sparse (the smoothed variant spent 80 % of the solve in PtAP; docs/performance.md).
  // What sets the fill is how many axes extend, not which one is flat: an x-z section (n_y = 1,
  // the Fig. 5 stage) is a 2D problem although mesh::Grid::dimension() calls it 3D. Counted as 3D
  // it went to GAMG above 400 cells (transients), which preconditioned the high-contrast aligned
  // walls so poorly at 200 cells along z (0.5 um) that BiCGStab stalled (2000 iterations) or broke
  // down into a wrong Newton direction: the first backward-Euler step diverged (docs/experiments.md).
  const std::size_t cells = d.grid().n_total();
  const bool three_d = std::count_if(d.grid().n_cells.begin(), d.grid().n_cells.end(), [](int n) { return n > 1; }) == 3;
  const bool direct = cells <= (three_d ? direct_limit_3d_cells : direct_limit_2d);
  PetscBool mumps = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscHasExternalPackage("mumps", &mumps));
  if (direct && d.n_ranks() == 1) {
    IONPATH_PETSC_CALL(PCSetType(pc, PCLU));
  } else if (direct && mumps) {
    IONPATH_PETSC_CALL(PCSetType(pc, PCLU));
    IONPATH_PETSC_CALL(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  } else {
    // Inexact Newton: the SNES tolerance, not the linear one, fixes the final accuracy.
    IONPATH_PETSC_CALL(KSPSetTolerances(ksp, 1e-6, 1e-50, PETSC_DEFAULT, 2000));
    IONPATH_PETSC_CALL(PCSetType(pc, PCGAMG));
    IONPATH_PETSC_CALL(PCGAMGSetNSmooths(pc, 0));
    PetscReal threshold = 0.02;
    IONPATH_PETSC_CALL(PCGAMGSetThreshold(pc, &threshold, 1));
    // One AMG setup per SNES solve: the hierarchy of the first Jacobian preconditions the later
    // ones as well (same GMRES counts, 20-25 % less time at 64^3).
    IONPATH_PETSC_CALL(SNESSetLagPreconditioner(snes, -2));
  }
}

namespace {

// Forcing term of the inexact Newton method (SNESSetUpdate: before each Newton step's linear
// solve). Newton converges quadratically here, so the step k nonlinear residual ratio is about
// the square of the last one; the linear solve only has to stay below that, and never needs to go
// further than half the SNES target. The fixed rtol 1e-6 solved 24 decades over 4 Newton steps
// where about 12 were needed (64^3 conductivity cell at 1 mV).
PetscErrorCode forcing_term(SNES snes, PetscInt it) {
  PetscFunctionBeginUser;
  KSP ksp = nullptr;
  PetscCall(SNESGetKSP(snes, &ksp));
  const char* prefix = nullptr;
  PetscBool user_rtol = PETSC_FALSE, ew = PETSC_FALSE;
  PetscCall(KSPGetOptionsPrefix(ksp, &prefix));
  PetscCall(PetscOptionsHasName(nullptr, prefix, "-ksp_rtol", &user_rtol));
  PetscCall(SNESKSPGetUseEW(snes, &ew));
  PetscReal* hist = nullptr;
  PetscInt n_hist = 0;
  PetscCall(SNESGetConvergenceHistory(snes, &hist, nullptr, &n_hist));
  if (user_rtol || ew || !hist || n_hist != it + 1) PetscFunctionReturn(0);  // the options rule
  PetscReal atol = 0.0, rtol = 0.0, stol = 0.0;
  PetscInt maxit = 0, maxf = 0;
  PetscCall(SNESGetTolerances(snes, &atol, &rtol, &stol, &maxit, &maxf));
  const double target = std::max(atol, rtol * hist[0]), f = hist[it];
  double eta = 1e-3;  // first step: no history yet
  if (it > 0 && hist[it - 1] > 0.0) {
    const double ratio = f / hist[it - 1];
    eta = std::min(1e-3, 0.1 * ratio * ratio);
  }
  if (f > 0.0) eta = std::max(eta, 0.5 * target / f);  // a last step close to the target is cheap
  eta = std::clamp(eta, 1e-10, 0.5);
  PetscCall(KSPSetTolerances(ksp, eta, 1e-50, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscFunctionReturn(0);
}

}  // namespace

bool uses_direct_solver(SNES snes) {
  KSP ksp = nullptr;
  PC pc = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  PetscBool direct = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(pc), PCLU, &direct));
  return direct == PETSC_TRUE;
}

void use_adaptive_forcing(SNES snes) {
  if (uses_direct_solver(snes)) return;  // one iteration anyway
  KSP ksp = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  // Right preconditioning: GMRES then measures the true residual, the norm the forcing term is about.
  IONPATH_PETSC_CALL(KSPSetPCSide(ksp, PC_RIGHT));
  IONPATH_PETSC_CALL(SNESSetUpdate(snes, forcing_term));
}

void use_boomeramg(SNES snes) {
  KSP ksp = nullptr;
  PC pc = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  const char* prefix = nullptr;
  IONPATH_PETSC_CALL(KSPGetOptionsPrefix(ksp, &prefix));
  // A preconditioner given as an option (command line, YAML recipe) replaces this one in
  // SNESSetFromOptions, and BoomerAMG options written here would then be reported unused by
  // -options_left.
  PetscBool gamg = PETSC_FALSE, hypre = PETSC_FALSE, user_pc = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(pc), PCGAMG, &gamg));
  IONPATH_PETSC_CALL(PetscHasExternalPackage("hypre", &hypre));
  IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, prefix, "-pc_type", &user_pc));
  if (!gamg || !hypre || user_pc) return;
  IONPATH_PETSC_CALL(PCSetType(pc, PCHYPRE));
  IONPATH_PETSC_CALL(PCHYPRESetType(pc, "boomeramg"));
  // The BoomerAMG parameters exist only as options: set under the solver's prefix unless given.
  // HMIS coarsening with ext+i interpolation and one level of aggressive coarsening is the usual
  // 3D choice; strong threshold 0.5 for 3D 7-point operators.
  const std::string p = std::string("-") + (prefix ? prefix : "") + "pc_hypre_boomeramg_";
  for (const auto& [key, value] : {std::pair{"coarsen_type", "HMIS"}, {"interp_type", "ext+i"},
                                   {"strong_threshold", "0.5"}, {"P_max", "4"}, {"agg_nl", "1"}}) {
    PetscBool set = PETSC_FALSE;
    IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, nullptr, (p + key).c_str(), &set));
    if (!set) IONPATH_PETSC_CALL(PetscOptionsSetValue(nullptr, (p + key).c_str(), value));
  }
  // hypre is built with OpenMP here: with one MPI rank per core its default threads oversubscribe
  // the cores (64^3 on 2 ranks: 35 s instead of 26 s). One thread per rank unless OMP_NUM_THREADS
  // says otherwise; libgomp is already loaded with hypre, so it is looked up, not linked.
  if (!std::getenv("OMP_NUM_THREADS"))
    if (auto* set_threads = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "omp_set_num_threads")))
      set_threads(1);
}

std::string newton_divergence_message(std::string_view what, SNES snes, std::string_view hint,
                                      std::string_view linear_hint) {
  SNESConvergedReason reason;
  PetscInt its = 0;
  PetscReal fnorm = 0.0;
  SNESGetConvergedReason(snes, &reason);
  SNESGetIterationNumber(snes, &its);
  SNESGetFunctionNorm(snes, &fnorm);
  std::ostringstream m;
  m << what << " diverged: " << SNESConvergedReasons[reason] << " after " << its
    << " Newton iterations, last residual norm " << fnorm;
  PetscInt n_hist = 0;
  PetscReal* hist = nullptr;
  SNESGetConvergenceHistory(snes, &hist, nullptr, &n_hist);
  if (hist && n_hist > 0) {
    m << " (history:";
    for (PetscInt q = std::max<PetscInt>(0, n_hist - 5); q < n_hist; ++q) m << ' ' << hist[q];
    m << ')';
  }
  if (reason != SNES_DIVERGED_LINEAR_SOLVE) {
    m << ". Hint: " << hint;
    return m.str();
  }
  KSP ksp = nullptr;
  PC pc = nullptr;
  KSPConvergedReason ksp_reason = KSP_CONVERGED_ITERATING;
  PetscInt ksp_its = 0;
  PetscReal ksp_norm = 0.0;
  KSPType ksp_type = nullptr;
  PCType pc_type = nullptr;
  SNESGetKSP(snes, &ksp);
  KSPGetPC(ksp, &pc);
  KSPGetConvergedReason(ksp, &ksp_reason);
  KSPGetIterationNumber(ksp, &ksp_its);
  KSPGetResidualNorm(ksp, &ksp_norm);
  KSPGetType(ksp, &ksp_type);
  PCGetType(pc, &pc_type);
  m << ". The linear solve of Newton step " << its + 1 << " failed, not Newton: " << KSPConvergedReasons[ksp_reason]
    << " after " << ksp_its << ' ' << (ksp_type ? ksp_type : "?") << " iterations with preconditioner "
    << (pc_type ? pc_type : "?") << ", linear residual norm " << ksp_norm << ". Hint: " << linear_hint;
  return m.str();
}

void copy_owned(Vec x, std::span<const double> values) {
  PetscScalar* v = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &v));
  std::copy(values.begin(), values.end(), v);
  IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
}

namespace {

struct Stagnation {
  double floor = 0.0;
  double previous = 0.0;
};

PetscErrorCode converged_or_stagnated(SNES snes, PetscInt it, PetscReal xnorm, PetscReal snorm, PetscReal fnorm,
                                      SNESConvergedReason* reason, void* raw) {
  PetscFunctionBeginUser;
  PetscCall(SNESConvergedDefault(snes, it, xnorm, snorm, fnorm, reason, nullptr));
  auto& s = *static_cast<Stagnation*>(raw);
  if (it == 0) s.previous = fnorm;
  if (*reason == SNES_CONVERGED_ITERATING && it >= 2 && fnorm <= s.floor && fnorm > 0.5 * s.previous)
    *reason = SNES_CONVERGED_FNORM_ABS;
  s.previous = fnorm;
  PetscFunctionReturn(0);
}

PetscErrorCode destroy_stagnation(void* raw) {
  delete static_cast<Stagnation*>(raw);
  return 0;
}

}  // namespace

void accept_roundoff_stagnation(SNES snes, double floor) {
  auto* s = new Stagnation{floor, 0.0};
  IONPATH_PETSC_CALL(SNESSetConvergenceTest(snes, converged_or_stagnated, s, destroy_stagnation));
}

NewtonStats run_newton(SNES snes, Vec x, std::exception_ptr& pending) {
  const PetscErrorCode ierr = SNESSolve(snes, nullptr, x);
  if (pending) std::rethrow_exception(pending);
  IONPATH_PETSC_CALL(ierr);
  SNESConvergedReason reason;
  PetscInt its = 0, lits = 0;
  PetscReal fnorm = 0.0;
  IONPATH_PETSC_CALL(SNESGetConvergedReason(snes, &reason));
  IONPATH_PETSC_CALL(SNESGetIterationNumber(snes, &its));
  IONPATH_PETSC_CALL(SNESGetLinearSolveIterations(snes, &lits));
  IONPATH_PETSC_CALL(SNESGetFunctionNorm(snes, &fnorm));
  return {static_cast<int>(its), static_cast<int>(lits), fnorm, SNESConvergedReasons[reason], reason > 0};
}

double jacobian_fd_mismatch(SNES snes, Vec x, Mat J, std::exception_ptr& pending) {
  Mat P = nullptr;
  void* ctx = nullptr;
  PetscErrorCode (*jac)(SNES, Vec, Mat, Mat, void*) = nullptr;
  IONPATH_PETSC_CALL(SNESGetJacobian(snes, nullptr, &P, &jac, &ctx));
  const PetscErrorCode ierr = jac(snes, x, J, P ? P : J, ctx);
  if (pending) std::rethrow_exception(pending);
  IONPATH_PETSC_CALL(ierr);
  // A matrix-free operator (the electroneutral inventory rows) is compared as the explicit matrix
  // it applies, column by column.
  PetscBool shell = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(J), MATSHELL, &shell));
  MatHandle explicit_J;
  if (shell) IONPATH_PETSC_CALL(MatComputeOperator(J, MATAIJ, explicit_J.out()));
  Mat A = shell ? explicit_J.get() : J;
  MatHandle Jfd;
  IONPATH_PETSC_CALL(MatDuplicate(A, MAT_DO_NOT_COPY_VALUES, Jfd.out()));
  IONPATH_PETSC_CALL(MatSetOption(Jfd, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  IONPATH_PETSC_CALL(SNESComputeJacobianDefault(snes, x, Jfd, Jfd, ctx));
  if (pending) std::rethrow_exception(pending);
  PetscReal norm_J = 0.0, norm_diff = 0.0;
  IONPATH_PETSC_CALL(MatNorm(A, NORM_FROBENIUS, &norm_J));
  IONPATH_PETSC_CALL(MatAXPY(Jfd, -1.0, A, DIFFERENT_NONZERO_PATTERN));
  IONPATH_PETSC_CALL(MatNorm(Jfd, NORM_FROBENIUS, &norm_diff));
  return norm_diff / norm_J;
}

}  // namespace ionpath::solver
