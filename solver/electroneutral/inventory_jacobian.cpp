// The steady Newton Jacobian with anion inventory rows (spec §4.5) as a MATSHELL over the sparse
// preconditioning matrix P: J x = P x except at the anchor rows, which get the cluster's
// constraint row applied to x. Why not one AIJ matrix with the dense rows in it (the original
// form, still what -snes_test_jacobian-style checks compare against via MatComputeOperator):
// - an AMG preconditioner built from it breaks down. The dense row has entries kappa dc/ds / N of
//   the sign of its diagonal (no strong connection, 1/N of its own row sum on the diagonal), and
//   it is the only row that fixes the cluster's uniform mu- level, the constant null vector of the
//   remaining pure-Neumann anion rows. BoomerAMG's smoother then answers an inventory residual by
//   moving mu- of the anchor cell alone by N times the uniform shift that was needed, and no coarse
//   level represents the shift: 11 x 11 x 40 gel stalled at 1e-1 and GMRES broke down at the
//   restart (DIVERGED_BREAKDOWN, issue 12).
// - its fill: the row was inserted beyond the DMDA preallocation, ~15 entries per reallocation of
//   the whole matrix (O(N^2) on the first assembly), and every MatMult in parallel gathered the
//   whole vector on the anchor's rank.
// P itself has each anchor's own anion balance, diagonal doubled, in place of the constraint: an
// ordinary diffusion operator with one Robin-like cell per cluster, nonsingular, what AMG and LU
// handle well. J and P differ in one row per cluster, so with an exact P^{-1} GMRES converges in
// at most n_clusters + 1 iterations; with AMG the difference adds about one iteration per cluster.
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
  delete static_cast<Shell*>(raw);
  return 0;
}

}  // namespace

MatHandle make_inventory_jacobian(const Context& ctx, Mat P, Vec g) {
  PetscInt m = 0, n = 0, M = 0, N = 0;
  IONPATH_PETSC_CALL(MatGetLocalSize(P, &m, &n));
  IONPATH_PETSC_CALL(MatGetSize(P, &M, &N));
  auto* s = new Shell{&ctx, P, g, std::vector<double>(ctx.inventory.n_clusters(), 0.0)};
  MatHandle J;
  const PetscErrorCode ierr =
      MatCreateShell(PetscObjectComm(reinterpret_cast<PetscObject>(P)), m, n, M, N, s, J.out());
  if (ierr) delete s;
  IONPATH_PETSC_CALL(ierr);
  IONPATH_PETSC_CALL(MatShellSetContextDestroy(J, destroy_shell));
  IONPATH_PETSC_CALL(MatShellSetOperation(J, MATOP_MULT, reinterpret_cast<void (*)(void)>(mult)));
  return J;
}

}  // namespace ionpath::solver::en_detail
