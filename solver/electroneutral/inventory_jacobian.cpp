// The steady Newton Jacobian with anion inventory rows (spec §4.5) as a MATSHELL over the sparse
// preconditioning matrix P: J x = P x except at the anchor rows, which get the cluster's
// constraint row applied to x. The constraint rows used to be entries of one AIJ matrix, which
// also served as the preconditioning matrix:
// - AMG dropped them. The dense row's entries, kappa dc/ds / n_cells, have the sign of its
//   diagonal (no strong connection), and BoomerAMG's first coarse level had at most 64 entries
//   per row (11 x 11 x 40 gel, -en_pc_hypre_boomeramg_print_statistics): no coarse level holds
//   the inventory, the only equation that fixes the uniform mu- level of the otherwise
//   pure-Neumann anion rows. The first Newton residual is almost all inventory (the linear initial
//   guess holds ~10 % too much salt), and GMRES stalled at it and broke down at the restart
//   (DIVERGED_BREAKDOWN; GAMG alike). The 1/n_cells scale makes it fatal: the same row scaled by
//   n_cells converged in 7-10 iterations per Newton step, but changes the Newton residual norm.
// - Its fill: the row was inserted beyond the DMDA preallocation, ~15 entries per reallocation of
//   the whole matrix, and in parallel each MatMult gathered the whole vector on the anchor's rank.
//   With the rescaled row, 40^3 gel on 2 ranks: 9 Jacobian evaluations 11.6 s, SNESSolve 65 s; with
//   this operator 4 evaluations in 0.35 s, SNESSolve 3.2 s (docs/performance.md, issue 12).
// P has each anchor's own anion balance in place of the constraint, with a pin on its mu- diagonal
// (assemble): an ordinary diffusion operator, nonsingular, what AMG and LU handle well. J and P
// differ in one row per cluster, so with an exact P^-1 GMRES converges in at most n_clusters + 1
// iterations.
#include <mpi.h>

#include <vector>

#include "solver/electroneutral/assembly.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::en_detail {
namespace {

struct Shell {
  const Context* ctx = nullptr;
  Mat P = nullptr;
  Vec g = nullptr;
  std::vector<double> sums;
};

PetscErrorCode mult(Mat J, Vec x, Vec y) {
  PetscFunctionBeginUser;
  Shell* s = nullptr;
  PetscCall(MatShellGetContext(J, &s));
  const Inventory& inv = s->ctx->inventory;
  PetscCall(MatMult(s->P, x, y));
  const PetscScalar *xv = nullptr, *gv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArrayRead(s->g, &gv));
  std::fill(s->sums.begin(), s->sums.end(), 0.0);
  const std::size_t n_own = inv.cluster.size();
  for (std::size_t o = 0; o < n_own; ++o) {
    const std::int32_t q = inv.cluster[o];
    if (q >= 0) s->sums[static_cast<std::size_t>(q)] += gv[2 * o] * xv[2 * o] + gv[2 * o + 1] * xv[2 * o + 1];
  }
  PetscCall(VecRestoreArrayRead(s->g, &gv));
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, s->sums.data(), static_cast<int>(s->sums.size()), MPI_DOUBLE, MPI_SUM,
                             PetscObjectComm(reinterpret_cast<PetscObject>(J))));
  PetscScalar* yv = nullptr;
  PetscCall(VecGetArray(y, &yv));
  for (std::size_t q = 0; q < s->sums.size(); ++q)
    if (inv.anchor_local[q] >= 0) yv[inv.anchor_local[q]] = s->sums[q];
  PetscCall(VecRestoreArray(y, &yv));
  PetscFunctionReturn(0);
}

PetscErrorCode destroy_shell(void* raw) {
  PetscFunctionBeginUser;
  auto* s = static_cast<Shell*>(raw);
  PetscCall(MatDestroy(&s->P));
  PetscCall(VecDestroy(&s->g));
  delete s;
  PetscFunctionReturn(0);
}

}  // namespace

MatHandle make_inventory_jacobian(const Context& ctx, Mat P, Vec g) {
  PetscInt m = 0, n = 0, M = 0, N = 0;
  IONPATH_PETSC_CALL(MatGetLocalSize(P, &m, &n));
  IONPATH_PETSC_CALL(MatGetSize(P, &M, &N));
  // The shell's context holds references to P and g, released with it.
  IONPATH_PETSC_CALL(PetscObjectReference(reinterpret_cast<PetscObject>(P)));
  IONPATH_PETSC_CALL(PetscObjectReference(reinterpret_cast<PetscObject>(g)));
  auto* s = new Shell{&ctx, P, g, std::vector<double>(ctx.inventory.n_clusters(), 0.0)};
  MatHandle J;
  const PetscErrorCode ierr =
      MatCreateShell(PetscObjectComm(reinterpret_cast<PetscObject>(P)), m, n, M, N, s, J.out());
  if (ierr) static_cast<void>(destroy_shell(s));
  IONPATH_PETSC_CALL(ierr);
  IONPATH_PETSC_CALL(MatShellSetContextDestroy(J, destroy_shell));
  IONPATH_PETSC_CALL(MatShellSetOperation(J, MATOP_MULT, reinterpret_cast<void (*)(void)>(mult)));
  return J;
}

}  // namespace ionpath::solver::en_detail
