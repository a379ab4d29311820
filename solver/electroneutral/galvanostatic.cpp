// The equipotential galvanostatic electrode (spec §4.4): the metal potential of the low electrode
// eliminated per evaluation from sum_f flux_in_f(phi) = I, and the rank-one Newton operator that
// carries its coupling (see Galvanostatic in assembly.hpp).
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "physics/butler_volmer.hpp"
#include "solver/electroneutral/assembly.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::en_detail {
namespace {

// Li+ flux from the metal into face cell K at metal potential phi, with its derivatives.
struct FaceFlux {
  double value = 0.0, d_phi = 0.0, d_mu[2] = {0.0, 0.0};
};

FaceFlux face_flux(const Context& ctx, std::size_t g, const double* mu, double phi) {
  const ElectrodeBC& bc = ctx.input.low;
  const auto ua = static_cast<std::size_t>(ctx.domain->transport_axis());
  const physics::ElectroneutralCell& K = ctx.cells[g];
  FaceFlux f;
  if (bc.kind == ElectrodeKind::ideal_li) {  // outflow g (mu_K - phi)
    const physics::BoundaryFlux out = physics::electroneutral_dirichlet_flux(K, mu[2 * g], phi, ctx.Dp[ua][g], 0, 1.0);
    f.value = -out.value;
    f.d_phi = 2.0 * ctx.Dp[ua][g] * K.c_plus;
    f.d_mu[0] = -out.d[0];
    f.d_mu[1] = -out.d[1];
    return f;
  }
  const physics::ButlerVolmerFace bv =
      physics::butler_volmer_face(K, mu[2 * g], mu[2 * g + 1], ctx.X[g], ctx.Dp[ua][g], 1.0, phi, bc.kinetics);
  f.value = bv.flux_in;
  f.d_phi = bv.d_phi_s;
  f.d_mu[0] = bv.d_mu_plus;
  f.d_mu[1] = bv.d_mu_minus;
  return f;
}

template <class Body>
void for_each_low_face_cell(const Context& ctx, Body&& body) {
  const int ta = ctx.domain->transport_axis();
  assembly::for_each_owned_cell(*ctx.domain, [&](const assembly::Cell& c) {
    if (c.index[ta] == 0 && ctx.active[c.ghost]) body(c);
  });
}

}  // namespace

void solve_metal_potential(Context& ctx, const double* mu, bool jacobian) {
  Galvanostatic& gv = ctx.galvanostatic;
  const MPI_Comm comm = ctx.domain->comm();
  // sum_f flux_in_f(phi) - I is increasing in phi (ideal: linear; Butler-Volmer: sinh-like), so
  // Newton is safeguarded by the bracket it builds and by a step limit of 4 V_T per iteration.
  double phi = gv.phi, lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  double sums[2] = {0.0, 0.0};  // residual, slope
  bool converged = false;
  for (int it = 0; it < 200; ++it) {
    sums[0] = sums[1] = 0.0;
    for_each_low_face_cell(ctx, [&](const assembly::Cell& c) {
      const FaceFlux f = face_flux(ctx, c.ghost, mu, phi);
      sums[0] += f.value;
      sums[1] += f.d_phi;
    });
    MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, comm);
    const double r = sums[0] - gv.current, S = sums[1];
    if (!(S > 0.0) || !std::isfinite(r))
      throw SolveError("electroneutral galvanostatic: no low-electrode face cell conducts Li+ (d I / d phi = " +
                       std::to_string(S) + "). Hint: the structure must connect the low electrode to the high one");
    if (r > 0.0) hi = std::min(hi, phi);
    if (r < 0.0) lo = std::max(lo, phi);
    double next = phi - std::clamp(r / S, -4.0, 4.0);
    if (!(next > lo && next < hi) && std::isfinite(lo) && std::isfinite(hi)) next = 0.5 * (lo + hi);
    const double step = next - phi;
    phi = next;  // the last, round-off-sized step too: the row then holds to a few ulps
    if (r == 0.0 || std::abs(step) <= 1e-14 * (1.0 + std::abs(phi))) {
      converged = true;
      break;
    }
  }
  if (!converged)
    throw SolveError("electroneutral galvanostatic: the metal potential iteration did not converge (current " +
                     std::to_string(gv.current) + "). Hint: the current may exceed what the kinetics can pass");
  gv.phi = phi;
  ctx.input.low.mu_plus = phi;
  if (!jacobian) return;
  const double S = sums[1];
  PetscScalar *b = nullptr, *c = nullptr;
  IONPATH_PETSC_CALL(VecSet(gv.b, 0.0));
  IONPATH_PETSC_CALL(VecSet(gv.c, 0.0));
  IONPATH_PETSC_CALL(VecGetArray(gv.b, &b));
  IONPATH_PETSC_CALL(VecGetArray(gv.c, &c));
  for_each_low_face_cell(ctx, [&](const assembly::Cell& cell) {
    const FaceFlux f = face_flux(ctx, cell.ghost, mu, phi);
    b[2 * cell.own] = -f.d_phi;  // the charge row holds the Li+ outflow -flux_in
    c[2 * cell.own] = -f.d_mu[0] / S;
    c[2 * cell.own + 1] = -f.d_mu[1] / S;
  });
  IONPATH_PETSC_CALL(VecRestoreArray(gv.c, &c));
  IONPATH_PETSC_CALL(VecRestoreArray(gv.b, &b));
}

namespace {

struct RankOne {
  Mat P = nullptr;
  Vec b = nullptr, c = nullptr;
};

PetscErrorCode mult(Mat J, Vec x, Vec y) {  // y = P x + b (c . x)
  PetscFunctionBeginUser;
  RankOne* s = nullptr;
  PetscCall(MatShellGetContext(J, &s));
  PetscScalar dot = 0.0;
  PetscCall(VecDot(x, s->c, &dot));
  PetscCall(MatMult(s->P, x, y));
  PetscCall(VecAXPY(y, dot, s->b));
  PetscFunctionReturn(0);
}

PetscErrorCode mult_transpose(Mat J, Vec x, Vec y) {  // y = P^T x + c (b . x)
  PetscFunctionBeginUser;
  RankOne* s = nullptr;
  PetscCall(MatShellGetContext(J, &s));
  PetscScalar dot = 0.0;
  PetscCall(VecDot(x, s->b, &dot));
  PetscCall(MatMultTranspose(s->P, x, y));
  PetscCall(VecAXPY(y, dot, s->c));
  PetscFunctionReturn(0);
}

PetscErrorCode destroy(void* raw) {
  PetscFunctionBeginUser;
  auto* s = static_cast<RankOne*>(raw);
  PetscCall(MatDestroy(&s->P));
  PetscCall(VecDestroy(&s->b));
  PetscCall(VecDestroy(&s->c));
  delete s;
  PetscFunctionReturn(0);
}

}  // namespace

MatHandle make_galvanostatic_jacobian(Mat P, Vec b, Vec c) {
  PetscInt m = 0, n = 0, M = 0, N = 0;
  IONPATH_PETSC_CALL(MatGetLocalSize(P, &m, &n));
  IONPATH_PETSC_CALL(MatGetSize(P, &M, &N));
  for (PetscObject o : {reinterpret_cast<PetscObject>(P), reinterpret_cast<PetscObject>(b), reinterpret_cast<PetscObject>(c)})
    IONPATH_PETSC_CALL(PetscObjectReference(o));
  auto* s = new RankOne{P, b, c};
  MatHandle J;
  const PetscErrorCode ierr = MatCreateShell(PetscObjectComm(reinterpret_cast<PetscObject>(P)), m, n, M, N, s, J.out());
  if (ierr) static_cast<void>(destroy(s));
  IONPATH_PETSC_CALL(ierr);
  IONPATH_PETSC_CALL(MatShellSetContextDestroy(J, destroy));
  IONPATH_PETSC_CALL(MatShellSetOperation(J, MATOP_MULT, reinterpret_cast<void (*)(void)>(mult)));
  IONPATH_PETSC_CALL(MatShellSetOperation(J, MATOP_MULT_TRANSPOSE, reinterpret_cast<void (*)(void)>(mult_transpose)));
  return J;
}

}  // namespace ionpath::solver::en_detail
