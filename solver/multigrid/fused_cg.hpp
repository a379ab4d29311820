#pragma once
/// Preconditioned CG written around the matrix-free fine operator and the float W-cycle, the
/// default outer solver of the matrix-free conduction path (docs/performance.md, round 5).
/// Same iterates as PETSc's KSPCG with the float cycle as a PCSHELL, with less memory traffic:
/// - the search direction lives in the ghosted layout, so the operator reads it in place (only the
///   face halo is exchanged) and p.Ap is summed in the same pass;
/// - x += alpha p is deferred into the next direction update, which reads p anyway;
/// - r -= alpha w writes the cycle's float right-hand side and sums |r|^2 in the same pass;
/// - the cycle's float result is read directly (no double z vector);
/// - the energy stopping test uses CG's own decrement S_k - S_{k+1} = alpha_k (r_k . z_k) instead
///   of evaluating the Dirichlet energy every iteration. With exact line searches this identity
///   holds whatever the preconditioner's rounding (p_k . r_k = z_k . r_k because r_k is orthogonal
///   to p_{k-1}), so the test sees the same sequence up to round-off.
#include <petscvec.h>

#include <string>

#include "solver/multigrid/single_precision_cycle.hpp"
#include "solver/multigrid/hierarchy.hpp"

namespace ionpath::solver {

struct FusedCgSettings {
  double rtol = 1e-6;  ///< converged when ||r|| <= rtol ||b||
  int max_iterations = 10000;
  double energy_tol = 0.0;  ///< > 0: also stop by the energy test with this relative tolerance
  int axis = 2;             ///< driving axis (Dirichlet energy with phi = 1 / 0 beyond its ends)
  bool monitor = false;     ///< print iteration, energy and residual norm (rank 0)
};

struct FusedCgResult {
  int iterations = 0;
  bool converged = false;
  std::string reason;  ///< PETSc-style: CONVERGED_RTOL, CONVERGED_ENERGY, DIVERGED_INDEFINITE_PC, ...
  double residual_norm = 0.0;
  double energy = 0.0;  ///< the Dirichlet energy of x by CG's recurrence (0 without the energy test)
};

/// Solves A x = b on the finest level of H, preconditioned by one cycle of M per iteration
/// (M built with borrow_fine_work_vector = false: the search direction uses that vector).
/// x: initial guess in, solution out. rhs: b in, the final residual out. Collective.
FusedCgResult fused_cg(const MatrixFreeHierarchy& H, FloatCycle& M, Vec x, Vec rhs, const FusedCgSettings& settings);

}  // namespace ionpath::solver
