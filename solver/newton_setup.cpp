#include "solver/newton_setup.hpp"

#include <algorithm>
#include <sstream>

#include "solver/petsc_error.hpp"

namespace ionpath::solver {

MatHandle make_newton_matrix(const Domain& d) {
  MatHandle J;
  IONPATH_PETSC_CALL(DMCreateMatrix(d.dm(), J.out()));
  IONPATH_PETSC_CALL(MatSetOption(J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  return J;
}

void set_newton_defaults(SNES snes, const Domain& d, double rtol, double atol) {
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
  const std::size_t cells = d.grid().n_total();
  const bool three_d = d.grid().dimension() == 3;
  const bool direct = cells <= (three_d ? direct_limit_3d : direct_limit_2d);
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

std::string newton_divergence_message(std::string_view what, SNES snes, std::string_view hint) {
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
  m << ". Hint: " << hint;
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
  const PetscErrorCode ierr = jac(snes, x, J, J, ctx);
  if (pending) std::rethrow_exception(pending);
  IONPATH_PETSC_CALL(ierr);
  MatHandle Jfd;
  IONPATH_PETSC_CALL(MatDuplicate(J, MAT_DO_NOT_COPY_VALUES, Jfd.out()));
  IONPATH_PETSC_CALL(MatSetOption(Jfd, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  IONPATH_PETSC_CALL(SNESComputeJacobianDefault(snes, x, Jfd, Jfd, ctx));
  if (pending) std::rethrow_exception(pending);
  PetscReal norm_J = 0.0, norm_diff = 0.0;
  IONPATH_PETSC_CALL(MatNorm(J, NORM_FROBENIUS, &norm_J));
  IONPATH_PETSC_CALL(MatAXPY(Jfd, -1.0, J, DIFFERENT_NONZERO_PATTERN));
  IONPATH_PETSC_CALL(MatNorm(Jfd, NORM_FROBENIUS, &norm_diff));
  return norm_diff / norm_J;
}

}  // namespace ionpath::solver
