#include "solver/electroneutral_solver_setup.hpp"

#include <algorithm>
#include <sstream>

#include "solver/petsc_error.hpp"

namespace ionpath::solver::en_detail {

MatHandle make_matrix(const Domain& d) {
  MatHandle J;
  IONPATH_PETSC_CALL(DMCreateMatrix(d.dm(), J.out()));
  // The inventory row is dense; everything else follows the DMDA stencil.
  IONPATH_PETSC_CALL(MatSetOption(J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  return J;
}

void set_default_solver(SNES snes, const Domain& d, double rtol, double atol) {
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
  PetscBool mumps = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscHasExternalPackage("mumps", &mumps));
  if (d.n_ranks() == 1) {
    IONPATH_PETSC_CALL(PCSetType(pc, PCLU));
  } else if (mumps && d.grid().n_total() <= 100000) {
    IONPATH_PETSC_CALL(PCSetType(pc, PCLU));
    IONPATH_PETSC_CALL(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  } else {
    IONPATH_PETSC_CALL(PCSetType(pc, PCASM));
    IONPATH_PETSC_CALL(PCASMSetOverlap(pc, 1));
  }
}

std::string divergence_message(const std::string& what, SNES snes) {
  SNESConvergedReason reason;
  PetscInt its = 0;
  PetscReal fnorm = 0.0;
  SNESGetConvergedReason(snes, &reason);
  SNESGetIterationNumber(snes, &its);
  SNESGetFunctionNorm(snes, &fnorm);
  std::ostringstream m;
  m << "electroneutral " << what << " diverged: " << SNESConvergedReasons[reason] << " after " << its
    << " Newton iterations, last residual norm " << fnorm;
  PetscInt n_hist = 0;
  PetscReal* hist = nullptr;
  SNESGetConvergenceHistory(snes, &hist, nullptr, &n_hist);
  if (hist && n_hist > 0) {
    m << " (history:";
    for (PetscInt q = std::max<PetscInt>(0, n_hist - 5); q < n_hist; ++q) m << ' ' << hist[q];
    m << ')';
  }
  m << ". Hint: ramp the applied voltage or current (continuation), check that X >= 0 and D > 0 in conducting "
       "phases, or try -en_pc_type lu / -en_snes_linesearch_type l2";
  return m.str();
}

void copy_owned(Vec x, std::span<const double> values) {
  PetscScalar* v = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &v));
  std::copy(values.begin(), values.end(), v);
  IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
}

}  // namespace ionpath::solver::en_detail
