// Steady electroneutral Nernst-Planck: one face loop assembles the residual and, on request, the
// analytic Jacobian (style guide §2.3); exceptions never cross the PETSc callbacks (§3.2).
#include "solver/electroneutral.hpp"

#include <petscsnes.h>

#include <array>
#include <cmath>
#include <exception>
#include <limits>

#include "physics/electroneutral.hpp"
#include "solver/components.hpp"
#include "solver/conduction_system.hpp"
#include "solver/ghost_exchange.hpp"
#include "solver/petsc_error.hpp"

namespace ionpath::solver {
namespace {

using SnesHandle = PetscHandle<SNES, SNESDestroy>;

// Everything the callbacks read; built once per solve.
struct Context {
  const Domain* domain = nullptr;
  ElectroneutralInput input;
  std::array<std::vector<double>, 3> Dp, Dm;  // ghosted, per axis
  std::vector<double> X, kappa;                // ghosted / owned
  double inactive_fraction = 0.0;              // owned cells left out (summed over ranks later)
  std::vector<std::uint8_t> active;            // ghosted: some species moves in the cell
  std::vector<PetscInt> l2g;                   // ghosted local (dof-interlaced) -> global index
  PetscInt anchor_row = -1;                    // global row of the inventory constraint (-1: none)
  double inventory_target = 0.0;
  std::size_t n_cells = 0;
  SNES snes = nullptr;
  std::exception_ptr pending;
  double li_in_low = 0.0, li_in_high = 0.0;
};

// Assembles F (and J if given) at the ghosted state `mu` (2 per ghosted cell). Returns false on
// an unphysical state (overflowing exponent), which becomes a SNES domain error.
bool assemble(Context& ctx, const double* mu, double* F, Mat J) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  const mesh::Index3& n = d.grid().n_cells;
  const int ta = d.transport_axis();
  const int dim = d.dimension();
  for (std::size_t c = 0; c < gb.n_cells(); ++c)
    if (ctx.active[c] && !(std::abs(mu[2 * c] + mu[2 * c + 1]) < 600.0)) return false;
  auto state = [&](std::size_t g) {
    return physics::electroneutral_state(mu[2 * g] + mu[2 * g + 1], ctx.X[g]);
  };
  auto add_J = [&](PetscInt row, PetscInt col, double v) {
    if (J && row != ctx.anchor_row) IONPATH_PETSC_CALL(MatSetValue(J, row, col, v, ADD_VALUES));
  };
  ctx.li_in_low = ctx.li_in_high = 0.0;
  double local_inventory = 0.0;
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = gb.offset(i, j, k);
        const PetscInt row[2] = {ctx.l2g[2 * g], ctx.l2g[2 * g + 1]};
        double* f = F + 2 * o;
        f[0] = f[1] = 0.0;
        if (!ctx.active[g]) {  // identity rows: mu = 0 in cells nothing can enter
          f[0] = mu[2 * g];
          f[1] = mu[2 * g + 1];
          add_J(row[0], row[0], 1.0);
          add_J(row[1], row[1], 1.0);
          continue;
        }
        const auto sK = state(g);
        local_inventory += (ctx.kappa.empty() ? 1.0 : ctx.kappa[o]) * sK.c_minus;
        const mesh::Index3 c{i, j, k};
        for (int a = 0; a < dim; ++a)
          for (int side : {-1, 1}) {
            mesh::Index3 nb = c;
            nb[a] += side;
            const bool outside = nb[a] < 0 || nb[a] >= n[a];
            if (outside && !d.periodic(a)) {
              if (a != ta) continue;  // zero-flux side wall
              const ElectrodeBC& bc = side < 0 ? ctx.input.low : ctx.input.high;
              if (bc.kind == ElectrodeKind::blocking) continue;
              // Dirichlet face half a cell away: conductance 2 D c of the cell.
              for (int sp = 0; sp < 2; ++sp) {
                if (sp == 1 && bc.kind == ElectrodeKind::ideal_li) continue;
                const double D = (sp == 0 ? ctx.Dp : ctx.Dm)[static_cast<std::size_t>(a)][g];
                const double c_sp = sp == 0 ? sK.c_plus : sK.c_minus;
                const double mu_b = sp == 0 ? bc.mu_plus : bc.mu_minus;
                const double gB = 2.0 * D * c_sp, dgB = 2.0 * D * sK.dc_ds;
                const double out = gB * (mu[2 * g + sp] - mu_b);
                f[sp] += out;
                if (sp == 0) (side < 0 ? ctx.li_in_low : ctx.li_in_high) -= out;
                const double dmu = mu[2 * g + sp] - mu_b;
                add_J(row[sp], row[sp], gB + dgB * dmu);
                add_J(row[sp], row[1 - sp], dgB * dmu);
              }
              continue;
            }
            const std::size_t gn = gb.offset(nb[0], nb[1], nb[2]);
            if (!ctx.active[gn]) continue;
            const auto sN = state(gn);
            // Lower-index cell first, so both cells of a face evaluate identical arithmetic.
            const bool K_is_L = side > 0;
            const std::size_t gL = K_is_L ? g : gn, gR = K_is_L ? gn : g;
            const auto& sL = K_is_L ? sK : sN;
            const auto& sR = K_is_L ? sN : sK;
            for (int sp = 0; sp < 2; ++sp) {
              const auto& Dv = (sp == 0 ? ctx.Dp : ctx.Dm)[static_cast<std::size_t>(a)];
              const double aL = Dv[gL] * (sp == 0 ? sL.c_plus : sL.c_minus);
              const double aR = Dv[gR] * (sp == 0 ? sR.c_plus : sR.c_minus);
              const auto hm = physics::harmonic_mean(aL, aR);
              if (hm.value == 0.0) continue;
              const double dmu = mu[2 * gL + sp] - mu[2 * gR + sp];
              const double flux = hm.value * dmu;  // from L to R
              const double sign = K_is_L ? 1.0 : -1.0;  // outflow of K
              f[sp] += sign * flux;
              // d flux / d mu_{L,R}, both species (through s = mu+ + mu-).
              const double daL = Dv[gL] * sL.dc_ds, daR = Dv[gR] * sR.dc_ds;
              const PetscInt colL[2] = {ctx.l2g[2 * gL], ctx.l2g[2 * gL + 1]};
              const PetscInt colR[2] = {ctx.l2g[2 * gR], ctx.l2g[2 * gR + 1]};
              for (int q = 0; q < 2; ++q) {
                const double dL = hm.d_a * daL * dmu + (q == sp ? hm.value : 0.0);
                const double dR = hm.d_b * daR * dmu - (q == sp ? hm.value : 0.0);
                add_J(row[sp], colL[q], sign * dL);
                add_J(row[sp], colR[q], sign * dR);
              }
            }
          }
      }
  if (ctx.anchor_row >= 0) {
    // Anion inventory replaces the anion row of one cell: sum kappa c- = its equilibrium value.
    double inventory = local_inventory;
    MPI_Allreduce(MPI_IN_PLACE, &inventory, 1, MPI_DOUBLE, MPI_SUM, d.comm());
    PetscInt rstart = 0, rend = 0;
    if (J) IONPATH_PETSC_CALL(MatGetOwnershipRange(J, &rstart, &rend));
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k), g = gb.offset(i, j, k);
          if (ctx.l2g[2 * g + 1] == ctx.anchor_row)
            F[2 * o + 1] = (inventory - ctx.inventory_target) / static_cast<double>(ctx.n_cells);
          if (J && ctx.active[g]) {
            const double v = (ctx.kappa.empty() ? 1.0 : ctx.kappa[o]) * state(g).dc_ds / static_cast<double>(ctx.n_cells);
            IONPATH_PETSC_CALL(MatSetValue(J, ctx.anchor_row, ctx.l2g[2 * g], v, ADD_VALUES));
            IONPATH_PETSC_CALL(MatSetValue(J, ctx.anchor_row, ctx.l2g[2 * g + 1], v, ADD_VALUES));
          }
        }
  }
  double totals[2] = {ctx.li_in_low, ctx.li_in_high};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_DOUBLE, MPI_SUM, d.comm());
  ctx.li_in_low = totals[0];
  ctx.li_in_high = totals[1];
  return true;
}

// Ghosted copy of x (dof 2).
struct LocalState {
  LocalState(const Domain& d, Vec x) : dm(d.dm()) {
    IONPATH_PETSC_CALL(DMGetLocalVector(dm, &local));
    IONPATH_PETSC_CALL(DMGlobalToLocalBegin(dm, x, INSERT_VALUES, local));
    IONPATH_PETSC_CALL(DMGlobalToLocalEnd(dm, x, INSERT_VALUES, local));
    IONPATH_PETSC_CALL(VecGetArrayRead(local, &values));
  }
  ~LocalState() {
    VecRestoreArrayRead(local, &values);
    DMRestoreLocalVector(dm, &local);
  }
  DM dm;
  Vec local = nullptr;
  const PetscScalar* values = nullptr;
};

PetscErrorCode residual_callback(SNES, Vec x, Vec f, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  try {
    LocalState s(*ctx.domain, x);
    PetscScalar* F = nullptr;
    PetscCall(VecGetArray(f, &F));
    const bool ok = assemble(ctx, s.values, F, nullptr);
    PetscCall(VecRestoreArray(f, &F));
    if (!ok) PetscCall(SNESSetFunctionDomainError(ctx.snes));
  } catch (...) {
    ctx.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral residual failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

PetscErrorCode jacobian_callback(SNES, Vec x, Mat J, Mat, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  try {
    LocalState s(*ctx.domain, x);
    PetscCall(MatZeroEntries(J));
    std::vector<double> scratch(2 * ctx.domain->owned().n_cells());
    assemble(ctx, s.values, scratch.data(), J);
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  } catch (...) {
    ctx.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral Jacobian failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

std::vector<double> ghosted(const Domain& d, GhostExchange& ex, std::span<const double> values, int stride, int comp) {
  std::vector<double> owned(d.owned().n_cells());
  for (std::size_t c = 0; c < owned.size(); ++c) owned[c] = values[stride * c + static_cast<std::size_t>(comp)];
  return ex.exchange(owned);
}

void setup(Context& ctx, const Domain& d, const ElectroneutralInput& in) {
  if (d.options().dof != 2) throw std::invalid_argument("electroneutral: the Domain must have dof = 2");
  const std::size_t n_own = d.owned().n_cells();
  if (in.D_plus.size() != 3 * n_own || in.D_minus.size() != 3 * n_own || in.X.size() != n_own)
    throw std::invalid_argument("electroneutral: coefficient arrays do not match the owned box");
  ctx.domain = &d;
  ctx.input = in;
  GhostExchange ex(d);
  for (int a = 0; a < 3; ++a) {
    ctx.Dp[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_plus, 3, a);
    ctx.Dm[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_minus, 3, a);
  }
  ctx.X = ghosted(d, ex, in.X, 1, 0);
  ctx.kappa.assign(in.capacity.begin(), in.capacity.end());
  // Cells that conduct and are connected to the electrodes: clusters touching no electrode face
  // (and, when the anion is held by the inventory row, clusters touching only one) would leave
  // mu undetermined, so they become identity rows, as in the conduction solver (spec §3.9).
  const bool fixes_anion = in.low.kind == ElectrodeKind::reservoir || in.high.kind == ElectrodeKind::reservoir;
  std::vector<double> transport(3 * n_own);
  for (std::size_t c = 0; c < transport.size(); ++c) transport[c] = in.D_plus[c] + in.D_minus[c];
  const AxisFlags flags = flags_from_tensor(transport);
  const BoxFace faces[2] = {{d.transport_axis(), 0}, {d.transport_axis(), 1}};
  const ComponentLabels labels = label_components(d, flags);
  const ActiveCells kept =
      fixes_anion ? classify_components(d, flags, labels, std::span(faces, 2), {}, ActiveRule::touch_any)
                  : classify_components(d, flags, labels, std::span(faces, 1), std::span(faces + 1, 1), ActiveRule::touch_both);
  const auto active_ghosted = ex.exchange(std::vector<double>(kept.active.begin(), kept.active.end()));
  ctx.active.assign(active_ghosted.begin(), active_ghosted.end());
  ctx.inactive_fraction = 0.0;
  for (std::size_t c = 0; c < n_own; ++c) ctx.inactive_fraction += kept.active[c] ? 0.0 : 1.0;
  ISLocalToGlobalMapping map = nullptr;
  IONPATH_PETSC_CALL(DMGetLocalToGlobalMapping(d.dm(), &map));
  const PetscInt* idx = nullptr;
  PetscInt n_idx = 0;
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetSize(map, &n_idx));
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetIndices(map, &idx));
  ctx.l2g.assign(idx, idx + n_idx);
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingRestoreIndices(map, &idx));
  ctx.n_cells = d.grid().n_total();
  // Inventory constraint when no face fixes mu-: anchor = the active owned cell with the smallest
  // global row over all ranks; target = anion content at equilibrium (mu = 0).
  if (!fixes_anion) {
    const mesh::Box& own = d.owned();
    long long best = std::numeric_limits<long long>::max();
    double target = 0.0;
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k), g = d.ghosted().offset(i, j, k);
          if (!ctx.active[g]) continue;
          best = std::min<long long>(best, ctx.l2g[2 * g + 1]);
          target += (ctx.kappa.empty() ? 1.0 : ctx.kappa[o]) * physics::electroneutral_state(0.0, ctx.X[g]).c_minus;
        }
    MPI_Allreduce(MPI_IN_PLACE, &best, 1, MPI_LONG_LONG, MPI_MIN, d.comm());
    MPI_Allreduce(MPI_IN_PLACE, &target, 1, MPI_DOUBLE, MPI_SUM, d.comm());
    if (best == std::numeric_limits<long long>::max()) throw std::invalid_argument("electroneutral: no active cell");
    ctx.anchor_row = static_cast<PetscInt>(best);
    ctx.inventory_target = target;
  }
}

MatHandle make_matrix(const Context& ctx) {
  MatHandle J;
  IONPATH_PETSC_CALL(DMCreateMatrix(ctx.domain->dm(), J.out()));
  // The inventory row is dense; everything else follows the DMDA stencil.
  IONPATH_PETSC_CALL(MatSetOption(J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  return J;
}

void copy_in(const Domain& d, Vec x, std::span<const double> mu) {
  PetscScalar* v = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &v));
  std::copy(mu.begin(), mu.end(), v);
  IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
  static_cast<void>(d);
}

}  // namespace

ElectroneutralResult solve_electroneutral_steady(const Domain& domain, const ElectroneutralInput& input) {
  Context ctx;
  setup(ctx, domain, input);
  ElectroneutralResult out;
  out.inventory_constraint = ctx.anchor_row >= 0;
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  {  // initial guess: linear mu+ between the electrode values, mu- = 0 (equilibrium elsewhere)
    PetscScalar* v = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(x, &v));
    const mesh::Box& own = domain.owned();
    const int ta = domain.transport_axis();
    const int nt = domain.grid().n_cells[ta];
    const double lo = input.low.kind == ElectrodeKind::blocking ? 0.0 : input.low.mu_plus;
    const double hi = input.high.kind == ElectrodeKind::blocking ? lo : input.high.mu_plus;
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const mesh::Index3 c{i, j, k};
          const double t = (c[ta] + 0.5) / nt;
          v[2 * own.offset(i, j, k)] = lo + (hi - lo) * t;
          v[2 * own.offset(i, j, k) + 1] = 0.0;
        }
    IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
  }
  MatHandle J = make_matrix(ctx);
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, domain.dm()));
  IONPATH_PETSC_CALL(SNESSetOptionsPrefix(snes, "en_"));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, residual_callback, &ctx));
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, J, J, jacobian_callback, &ctx));
  IONPATH_PETSC_CALL(SNESSetTolerances(snes, 1e-13, input.rtol, 1e-14, 50, 10000));
  KSP ksp = nullptr;
  PC pc = nullptr;
  IONPATH_PETSC_CALL(SNESGetKSP(snes, &ksp));
  IONPATH_PETSC_CALL(KSPSetType(ksp, KSPGMRES));
  IONPATH_PETSC_CALL(KSPGMRESSetRestart(ksp, 200));
  IONPATH_PETSC_CALL(KSPSetTolerances(ksp, 1e-12, 1e-50, PETSC_DEFAULT, 2000));
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  IONPATH_PETSC_CALL(PCSetType(pc, domain.n_ranks() == 1 ? PCLU : PCASM));  // spec §9.2: small problems direct
  IONPATH_PETSC_CALL(SNESSetFromOptions(snes));
  const PetscErrorCode ierr = SNESSolve(snes, nullptr, x);
  if (ctx.pending) std::rethrow_exception(ctx.pending);
  IONPATH_PETSC_CALL(ierr);
  SNESConvergedReason reason;
  IONPATH_PETSC_CALL(SNESGetConvergedReason(snes, &reason));
  PetscInt its = 0, lits = 0;
  IONPATH_PETSC_CALL(SNESGetIterationNumber(snes, &its));
  IONPATH_PETSC_CALL(SNESGetLinearSolveIterations(snes, &lits));
  PetscReal fnorm = 0.0;
  IONPATH_PETSC_CALL(SNESGetFunctionNorm(snes, &fnorm));
  out.newton_iterations = static_cast<int>(its);
  out.linear_iterations = static_cast<int>(lits);
  out.converged_reason = SNESConvergedReasons[reason];
  out.residual_norm = fnorm;
  if (reason < 0)
    throw SolveError("electroneutral SNES diverged: " + out.converged_reason + " after " + std::to_string(its) +
                     " Newton iterations, residual norm " + std::to_string(fnorm) +
                     ". Hint: ramp the applied voltage or current (continuation), or try -en_pc_type lu");
  // Outputs from a final residual evaluation (fluxes) and the converged state.
  {
    LocalState s(domain, x);
    std::vector<double> scratch(2 * domain.owned().n_cells());
    assemble(ctx, s.values, scratch.data(), nullptr);
    const mesh::Box& own = domain.owned();
    const mesh::Box& gb = domain.ghosted();
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t g = gb.offset(i, j, k);
          const double mp = s.values[2 * g], mm = s.values[2 * g + 1];
          const bool on = ctx.active[g] != 0;
          const auto st = physics::electroneutral_state(mp + mm, ctx.X[g]);
          out.mu_plus.push_back(on ? mp : 0.0);
          out.mu_minus.push_back(on ? mm : 0.0);
          out.c_plus.push_back(on ? st.c_plus : 0.0);
          out.c_minus.push_back(on ? st.c_minus : 0.0);
          out.psi.push_back(on ? mp - std::log(st.c_plus) : 0.0);
        }
  }
  double inactive = ctx.inactive_fraction;
  MPI_Allreduce(MPI_IN_PLACE, &inactive, 1, MPI_DOUBLE, MPI_SUM, domain.comm());
  out.inactive_fraction = inactive / static_cast<double>(domain.grid().n_total());
  out.li_flux_in_low = ctx.li_in_low;
  out.li_flux_in_high = ctx.li_in_high;
  return out;
}

double electroneutral_jacobian_mismatch(const Domain& domain, const ElectroneutralInput& input, std::span<const double> mu) {
  Context ctx;
  setup(ctx, domain, input);
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  copy_in(domain, x, mu);
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, domain.dm()));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, residual_callback, &ctx));
  MatHandle J = make_matrix(ctx), Jfd;
  IONPATH_PETSC_CALL(jacobian_callback(snes, x, J, J, &ctx));
  IONPATH_PETSC_CALL(MatDuplicate(J, MAT_DO_NOT_COPY_VALUES, Jfd.out()));
  IONPATH_PETSC_CALL(MatSetOption(Jfd, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  IONPATH_PETSC_CALL(SNESComputeJacobianDefault(snes, x, Jfd, Jfd, &ctx));
  if (ctx.pending) std::rethrow_exception(ctx.pending);
  PetscReal norm_J = 0.0, norm_diff = 0.0;
  IONPATH_PETSC_CALL(MatNorm(J, NORM_FROBENIUS, &norm_J));
  IONPATH_PETSC_CALL(MatAXPY(Jfd, -1.0, J, DIFFERENT_NONZERO_PATTERN));
  IONPATH_PETSC_CALL(MatNorm(Jfd, NORM_FROBENIUS, &norm_diff));
  return norm_diff / norm_J;
}

}  // namespace ionpath::solver
