#pragma once
/// Shared plumbing of the nonlinear (Newton) solvers, electroneutral and PNP: matrix creation, the
/// code-default recipe (spec §9.2, §9.3; any option under the solver's prefix overrides it),
/// divergence messages and the finite-difference Jacobian check.
#include <petscsnes.h>

#include <cstddef>
#include <exception>
#include <span>
#include <string>
#include <string_view>

#include "solver/grid/domain.hpp"

namespace ionpath::solver {

/// Hints of the divergence messages: `*_hint` when Newton itself failed (line search, iteration
/// limit), `*_linear_hint` when a linear solve inside it did (DIVERGED_LINEAR_SOLVE), for which
/// continuation or line-search options do nothing.
inline constexpr std::string_view electroneutral_hint =
    "ramp the applied voltage or current (continuation), check that X >= 0 and D > 0 in conducting phases, or try "
    "-en_snes_linesearch_type l2 / -en_snes_max_it 200";
inline constexpr std::string_view electroneutral_linear_hint =
    "factorise instead, -en_pc_type lu -en_pc_factor_mat_solver_type mumps (memory grows fast with the grid: "
    "52 kB/cell at 30^3), or try another preconditioner, -en_pc_type gamg (configs/petsc/electroneutral_gamg.yaml), "
    "or give GMRES more room, -en_ksp_gmres_restart 300 -en_ksp_max_it 10000";
inline constexpr std::string_view pnp_hint =
    "resolve the Debye length (voxel <= lambda_D / 5), reduce the fixed or surface charge, or try "
    "-pnp_snes_linesearch_type l2 / -pnp_snes_max_it 200";
inline constexpr std::string_view pnp_linear_hint =
    "factorise, -pnp_pc_type lu -pnp_pc_factor_mat_solver_type mumps (configs/petsc/pnp_direct.yaml), or give "
    "GMRES more room, -pnp_ksp_gmres_restart 300 -pnp_ksp_max_it 10000";

/// DMDA matrix (interlaced blocks, star stencil) that also accepts entries outside the stencil
/// (none of the solvers adds any now: the steady electroneutral inventory rows, once dense rows
/// here, are applied by a shell operator, solver/electroneutral/inventory_jacobian.cpp).
[[nodiscard]] MatHandle make_newton_matrix(const Domain& d);
/// Grid sizes (cells) up to which the Newton defaults factorise the Jacobian directly (PNP needs
/// the factorisation there: its GAMG path fails on the Debye-length continuation). A grid is 3D
/// here when all three axes have more than one cell (an x-z section is 2D).
inline constexpr std::size_t direct_limit_3d = 30000, direct_limit_2d = 200000;
/// The steady electroneutral solve, whose iterative path (BoomerAMG) is robust: on 30^3 cells
/// MUMPS took 139 s and 52 kB/cell, plain BoomerAMG 8.2 s and 8.7 kB/cell; on 16^3 5.9 s and 2.8 s
/// (2 ranks, loaded machine). The tuned default of use_boomeramg: 30^3 in 1.3 s, 6.8 kB/cell.
inline constexpr std::size_t electroneutral_direct_limit_3d = 4000;
/// The electroneutral time stepping, which factorises once per Newton step of every time step: a
/// Bruce-Vincent transient on 8^3 cells took 2.4 s with MUMPS and 1.1 s with GAMG, on 16^3 70 s
/// and 2.0 s (2 ranks, docs/performance.md).
inline constexpr std::size_t transient_direct_limit_3d = 400;
/// Newton with backtracking, rtol given, atol, 50 iterations; GMRES(100) with a direct LU (PETSc on
/// one rank, MUMPS on several) up to the direct limits, else GAMG (unsmoothed aggregation,
/// threshold 0.02, built once per SNES solve) with linear rtol 1e-6. Options with the solver's prefix override all of it.
void set_newton_defaults(SNES snes, const Domain& d, double rtol, double atol = 1e-12,
                         std::size_t direct_limit_3d_cells = direct_limit_3d);
/// True when the SNES's preconditioner is a direct LU factorisation.
[[nodiscard]] bool uses_direct_solver(SNES snes);
/// Iterative linear solver only (no-op with LU): the linear rtol of each Newton step follows the
/// square of the last residual ratio (quadratic convergence) and stops at half the SNES target,
/// bounded to [1e-10, 1e-3]; right-preconditioned GMRES. Call before SNESSetFromOptions; a given
/// -<prefix>ksp_rtol or -<prefix>snes_ksp_ew switches it off.
void use_adaptive_forcing(SNES snes);
/// Replaces the default GAMG by hypre BoomerAMG (HMIS, ext+i, strong threshold 0.5, P_max 4, one
/// aggressive level; each overridable by its option) when PETSc has hypre; no-op otherwise, with
/// LU, or when -<prefix>pc_type is given (that choice rules, and unused BoomerAMG options would be
/// left over). Scalar-like coupled systems (electroneutral): 11-12 GMRES its per Newton step at
/// 64^3 and 128^3 where GAMG needed 35 and 48. Call before SNESSetFromOptions.
void use_boomeramg(SNES snes);
/// Adds to the default convergence test: converged when ||F|| <= floor and the last iteration
/// no longer reduced it by half (Newton has reached the round-off floor of the residual, which
/// grows like 1 / dt in implicit time steps and so cannot be a fixed absolute tolerance).
void accept_roundoff_stagnation(SNES snes, double floor);
/// "<what> diverged: <reason> after n Newton iterations, residual norm r (history ...). Hint: ..."
/// with `hint`; after DIVERGED_LINEAR_SOLVE it says which linear solve failed and why (KSP reason,
/// iterations, residual, KSP and PC types) and gives `linear_hint` instead.
[[nodiscard]] std::string newton_divergence_message(std::string_view what, SNES snes, std::string_view hint,
                                                    std::string_view linear_hint);
/// Copies the owned values (interlaced) into a global vector.
void copy_owned(Vec x, std::span<const double> values);

struct NewtonStats {
  int iterations = 0, linear_iterations = 0;
  double residual_norm = 0.0;
  std::string reason;
  bool converged = false;
};
/// SNESSolve on x; rethrows an exception a callback parked in `pending`, returns the statistics.
[[nodiscard]] NewtonStats run_newton(SNES snes, Vec x, std::exception_ptr& pending);

/// ||J - J_fd||_F / ||J||_F at x, with J from the SNES's Jacobian callback (J as the operator, the
/// SNES's preconditioning matrix as such; a MATSHELL J is compared as the explicit matrix it
/// applies) and J_fd by finite differences of its residual (testing; `pending` as in run_newton).
[[nodiscard]] double jacobian_fd_mismatch(SNES snes, Vec x, Mat J, std::exception_ptr& pending);

}  // namespace ionpath::solver
