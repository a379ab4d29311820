// The one face loop of the PNP model: residual, analytic Jacobian and diagnostics (electrode
// currents, cross-section currents, inventories, net charge) from the same flux evaluations.
#include "solver/pnp/assembly.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "physics/electroneutral_kernels.hpp"
#include "physics/face_means.hpp"
#include "physics/scharfetter_gummel.hpp"
#include "solver/grid/connected_components.hpp"
#include "solver/grid/dmda_ghosts.hpp"
#include "solver/grid/ghosted_read.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::pnp_detail {
namespace {

constexpr int charge_number[2] = {1, -1};

std::vector<double> ghosted(const Domain& d, GhostExchange& ex, std::span<const double> values, int stride, int comp) {
  std::vector<double> owned(d.owned().n_cells());
  for (std::size_t c = 0; c < owned.size(); ++c) owned[c] = values[stride * c + static_cast<std::size_t>(comp)];
  return ex.exchange(owned);
}

bool fixes_psi(const PnpFace& f) { return f.kind != PnpFaceKind::charged_wall; }

void check_sizes(const Domain& d, const PnpInput& in) {
  const std::size_t n = d.owned().n_cells();
  auto need = [&](std::span<const double> v, std::size_t per_cell, const char* name, bool optional) {
    if ((optional && v.empty()) || v.size() == per_cell * n) return;
    throw std::invalid_argument(std::string("pnp: ") + name + " must have " + std::to_string(per_cell) +
                                " values per owned cell" + (optional ? " or be empty" : ""));
  };
  need(in.D_plus, 3, "D_plus", false);
  need(in.D_minus, 3, "D_minus", false);
  need(in.permittivity, 1, "permittivity", false);
  need(in.X, 1, "X", false);
  need(in.source, 3, "source", true);
  need(in.initial, 3, "initial", true);
  for (const double e : in.permittivity)
    if (!(e > 0.0)) throw std::invalid_argument("pnp: permittivity must be > 0 in every cell, got " + std::to_string(e));
  if (!(in.Lambda2 > 0.0)) throw std::invalid_argument("pnp: Lambda2 must be > 0");
  if (!fixes_psi(in.low) && !fixes_psi(in.high))
    throw std::invalid_argument("pnp: one transport face must fix the potential (electrode or reservoir)");
  for (const PnpFace* f : {&in.low, &in.high})
    if (f->kind == PnpFaceKind::reservoir && !(f->c_plus > 0.0 && f->c_minus > 0.0))
      throw std::invalid_argument("pnp: reservoir concentrations must be > 0");
}

}  // namespace

void setup(Context& ctx, const Domain& d, const PnpInput& in, bool steady) {
  if (d.options().dof != 3) throw std::invalid_argument("pnp: the Domain must have dof = 3");
  check_sizes(d, in);
  const int ta = d.transport_axis();
  std::vector<BoxFace> reservoirs;
  if (in.low.kind == PnpFaceKind::reservoir) reservoirs.push_back({ta, 0});
  if (in.high.kind == PnpFaceKind::reservoir) reservoirs.push_back({ta, 1});
  if (steady && reservoirs.empty())
    throw std::invalid_argument("pnp: a steady problem needs a reservoir face (closed cells: use the transient solver)");
  ctx.domain = &d;
  ctx.input = in;
  GhostExchange ex(d);
  for (int a = 0; a < 3; ++a) {
    ctx.Dp[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_plus, 3, a);
    ctx.Dm[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_minus, 3, a);
  }
  ctx.eps = ghosted(d, ex, in.permittivity, 1, 0);
  ctx.X = ghosted(d, ex, in.X, 1, 0);
  // A species row is solved where the species can move; steady problems also need a path to a
  // reservoir (an isolated pore's content is not determined by a steady balance, spec §3.9).
  const std::size_t n_own = d.owned().n_cells();
  ctx.inactive_fraction = 0.0;
  for (int sp = 0; sp < 2; ++sp) {
    const std::span<const double> D = sp == 0 ? in.D_plus : in.D_minus;
    std::vector<double> on(n_own, 0.0);
    if (steady) {
      const AxisFlags flags = flags_from_tensor(D);
      const ComponentLabels labels = label_components(d, flags);
      const ActiveCells kept = classify_components(d, flags, labels, reservoirs, {}, ActiveRule::touch_any);
      for (std::size_t c = 0; c < n_own; ++c) on[c] = kept.active[c];
    } else {
      for (std::size_t c = 0; c < n_own; ++c) on[c] = D[3 * c] + D[3 * c + 1] + D[3 * c + 2] > 0.0;
    }
    for (const double v : on) ctx.inactive_fraction += v > 0.0 ? 0.0 : 1.0;
    const auto& g = ex.exchange(on);
    ctx.active[static_cast<std::size_t>(sp)].assign(g.begin(), g.end());
  }
  ISLocalToGlobalMapping map = nullptr;
  IONPATH_PETSC_CALL(DMGetLocalToGlobalMapping(d.dm(), &map));
  const PetscInt* idx = nullptr;
  PetscInt n_idx = 0;
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetSize(map, &n_idx));
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetIndices(map, &idx));
  ctx.l2g.assign(idx, idx + n_idx);
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingRestoreIndices(map, &idx));
  ctx.diag.cross_section.assign(static_cast<std::size_t>(d.grid().n_cells[ta]) + 1, 0.0);
}

bool assemble(Context& ctx, const double* u, const Target& t) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  const mesh::Index3& n = d.grid().n_cells;
  const int ta = d.transport_axis();
  const int dim = d.dimension();
  const PnpInput& in = ctx.input;
  const double lam = ctx.charge_scale;
  const double poisson_scale = 1.0 / std::max(1.0, in.Lambda2);  // spec §9.3 row scaling
  // Concentrations once per ghosted cell; an unphysical state anywhere is a domain error everywhere.
  std::vector<double> conc(2 * gb.n_cells(), 0.0);
  int ok = 1;
  for (std::size_t c = 0; c < gb.n_cells() && ok; ++c)
    for (int sp = 0; sp < 2; ++sp) {
      if (!ctx.active[static_cast<std::size_t>(sp)][c]) continue;
      const double v = u[3 * c + static_cast<std::size_t>(sp)];
      if (!std::isfinite(v) || !(std::abs(v) < 600.0) || !std::isfinite(u[3 * c + 2])) ok = 0;
      conc[2 * c + static_cast<std::size_t>(sp)] = std::exp(v);
    }
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, d.comm());
  if (!ok) return false;

  auto add_J = [&](PetscInt row, PetscInt col, double v) {
    if (t.J) IONPATH_PETSC_CALL(MatSetValue(t.J, row, col, v, ADD_VALUES));
  };
  Diagnostics& dg = ctx.diag;
  dg.current_in = dg.li_flux_in = dg.inventory = {0.0, 0.0};
  dg.net_charge = 0.0;
  std::fill(dg.cross_section.begin(), dg.cross_section.end(), 0.0);
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = gb.offset(i, j, k);
        const PetscInt row[3] = {ctx.l2g[3 * g], ctx.l2g[3 * g + 1], ctx.l2g[3 * g + 2]};
        const bool on[2] = {ctx.active[0][g] != 0, ctx.active[1][g] != 0};
        const double cK[2] = {conc[2 * g], conc[2 * g + 1]};
        const double psiK = u[3 * g + 2];
        double* f = t.F + 3 * o;
        double* cur = t.cell_current ? t.cell_current + 3 * o : nullptr;
        if (cur) cur[0] = cur[1] = cur[2] = 0.0;
        // Species rows: storage - source + outflows; absent species are identity rows (u = 0).
        for (int sp = 0; sp < 2; ++sp) {
          const auto s = static_cast<std::size_t>(sp);
          if (!on[sp]) {
            f[sp] = u[3 * g + s];
            add_J(row[sp], row[sp], 1.0);
            continue;
          }
          dg.inventory[s] += cK[sp];
          f[sp] = in.source.empty() ? 0.0 : -in.source[3 * o + s];
          if (ctx.storage == Storage::transient_variable) {
            f[sp] += t.rate[3 * o + s];
            add_J(row[sp], row[sp], t.shift * cK[sp]);
          } else if (ctx.storage == Storage::mass_matrix) {
            f[sp] += cK[sp] * t.rate[3 * o + s];
            add_J(row[sp], row[sp], cK[sp] * (t.rate[3 * o + s] + t.shift));
          }
        }
        // Poisson row: Lambda^2 sum eps_f (psi_K - psi_N) - (c+ - c- - X) - s_psi, scaled.
        const double charge = cK[0] * on[0] - cK[1] * on[1] - lam * ctx.X[g];
        dg.net_charge += charge;
        f[2] = -charge - (in.source.empty() ? 0.0 : in.source[3 * o + 2]);
        for (int sp = 0; sp < 2; ++sp)
          if (on[sp]) add_J(row[2], row[sp], -charge_number[sp] * cK[sp] * poisson_scale);
        auto displacement = [&](double conductance, double psi_other, PetscInt col_other) {
          f[2] += in.Lambda2 * conductance * (psiK - psi_other);
          add_J(row[2], row[2], in.Lambda2 * conductance * poisson_scale);
          if (col_other >= 0) add_J(row[2], col_other, -in.Lambda2 * conductance * poisson_scale);
        };
        const mesh::Index3 c{i, j, k};
        for (int a = 0; a < dim; ++a)
          for (int side : {-1, 1}) {
            mesh::Index3 nb = c;
            nb[a] += side;
            const auto ua = static_cast<std::size_t>(a);
            const bool outside = nb[a] < 0 || nb[a] >= n[a];
            if (outside && !d.periodic(a)) {
              const PnpFace* face = a == ta ? (side < 0 ? &in.low : &in.high) : nullptr;
              if (!face || face->kind == PnpFaceKind::charged_wall) {
                const double q = face ? face->surface_charge : in.side_surface_charge;
                f[2] -= lam * q;  // displacement outflow through a charged wall = -q
                dg.net_charge += lam * q;
                continue;
              }
              displacement(ctx.eps[g] / 0.5, face->psi, -1);
              if (face->kind != PnpFaceKind::reservoir) continue;
              // Reservoir: SG flux over the half cell between the face state and the cell centre.
              const int e = side < 0 ? 0 : 1;
              double out_current = 0.0;
              for (int sp = 0; sp < 2; ++sp) {
                if (!on[sp]) continue;
                const double G = ((sp == 0 ? ctx.Dp : ctx.Dm)[ua][g]) / 0.5;
                const double cb = sp == 0 ? face->c_plus : face->c_minus;
                const int z = charge_number[sp];
                // Outflow of K: +N through the high face (K is L), -N through the low face.
                const physics::SgFlux N = side > 0 ? physics::sg_flux(cK[sp], cb, psiK, face->psi, z, G)
                                                   : physics::sg_flux(cb, cK[sp], face->psi, psiK, z, G);
                const double sgn = side > 0 ? 1.0 : -1.0;
                f[sp] += sgn * N.value;
                add_J(row[sp], row[sp], sgn * (side > 0 ? N.d_uL : N.d_uR));
                add_J(row[sp], row[2], sgn * (side > 0 ? N.d_psiL : N.d_psiR));
                out_current += z * sgn * N.value;
                if (sp == 0) dg.li_flux_in[static_cast<std::size_t>(e)] -= sgn * N.value;
              }
              dg.current_in[static_cast<std::size_t>(e)] -= out_current;
              const double i_dir = side > 0 ? out_current : -out_current;  // current in +a
              if (cur) cur[a] += 0.5 * i_dir;
              if (a == ta) dg.cross_section[static_cast<std::size_t>(side > 0 ? n[ta] : 0)] += i_dir;
              continue;
            }
            const std::size_t gn = gb.offset(nb[0], nb[1], nb[2]);
            const PetscInt nrow_psi = ctx.l2g[3 * gn + 2];
            displacement(physics::harmonic_mean(ctx.eps[g], ctx.eps[gn]).value, u[3 * gn + 2], nrow_psi);
            // Lower-index cell first, so both cells of a face evaluate identical arithmetic.
            const bool K_is_L = side > 0;
            const std::size_t gL = K_is_L ? g : gn, gR = K_is_L ? gn : g;
            const double sign = K_is_L ? 1.0 : -1.0;  // outflow of K
            double face_current = 0.0;
            for (int sp = 0; sp < 2; ++sp) {
              const auto s = static_cast<std::size_t>(sp);
              if (!ctx.active[s][gL] || !ctx.active[s][gR]) continue;
              const auto& D = sp == 0 ? ctx.Dp[ua] : ctx.Dm[ua];
              const double G = physics::harmonic_mean(D[gL], D[gR]).value;
              if (G == 0.0) continue;
              const int z = charge_number[sp];
              const physics::SgFlux N =
                  physics::sg_flux(conc[2 * gL + s], conc[2 * gR + s], u[3 * gL + 2], u[3 * gR + 2], z, G);
              f[sp] += sign * N.value;
              face_current += z * N.value;
              add_J(row[sp], ctx.l2g[3 * gL + s], sign * N.d_uL);
              add_J(row[sp], ctx.l2g[3 * gR + s], sign * N.d_uR);
              add_J(row[sp], ctx.l2g[3 * gL + 2], sign * N.d_psiL);
              add_J(row[sp], ctx.l2g[3 * gR + 2], sign * N.d_psiR);
            }
            if (cur) cur[a] += 0.5 * face_current;
            if (a == ta && K_is_L) dg.cross_section[static_cast<std::size_t>(c[ta] + 1)] += face_current;
          }
        f[2] *= poisson_scale;
      }
  std::vector<double> buf{dg.current_in[0], dg.current_in[1], dg.inventory[0], dg.inventory[1], dg.net_charge,
                          dg.li_flux_in[0],  dg.li_flux_in[1]};
  buf.insert(buf.end(), dg.cross_section.begin(), dg.cross_section.end());
  MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_DOUBLE, MPI_SUM, d.comm());
  dg.current_in = {buf[0], buf[1]};
  dg.inventory = {buf[2], buf[3]};
  dg.net_charge = buf[4];
  dg.li_flux_in = {buf[5], buf[6]};
  std::copy(buf.begin() + 7, buf.end(), dg.cross_section.begin());
  return true;
}

void transient_variable(const Context& ctx, const double* u_owned, double* C) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = d.ghosted().offset(i, j, k);
        for (std::size_t sp = 0; sp < 2; ++sp) C[3 * o + sp] = ctx.active[sp][g] ? std::exp(u_owned[3 * o + sp]) : 0.0;
        C[3 * o + 2] = u_owned[3 * o + 2];
      }
}

void collect_result(Context& ctx, Vec x, PnpResult& out) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  LocalState s(d, x);
  std::vector<double> scratch(3 * own.n_cells()), zero_rate(3 * own.n_cells(), 0.0);
  out.current.assign(3 * own.n_cells(), 0.0);
  Target t;
  t.F = scratch.data();
  t.rate = zero_rate.data();
  t.cell_current = out.current.data();
  const Storage storage = ctx.storage;
  ctx.storage = Storage::steady;  // the fields and fluxes of the state, without storage terms
  const bool ok = assemble(ctx, s.values(), t);
  ctx.storage = storage;
  if (!ok) throw SolveError("pnp: final state is unphysical (overflow or NaN)");
  out.c_plus.clear();
  out.c_minus.clear();
  out.psi.clear();
  out.active_plus.clear();
  out.active_minus.clear();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t g = gb.offset(i, j, k);
        const double* v = s.values() + 3 * g;
        out.active_plus.push_back(ctx.active[0][g]);
        out.active_minus.push_back(ctx.active[1][g]);
        out.c_plus.push_back(ctx.active[0][g] ? std::exp(v[0]) : 0.0);
        out.c_minus.push_back(ctx.active[1][g] ? std::exp(v[1]) : 0.0);
        out.psi.push_back(v[2]);
      }
  const Diagnostics& dg = ctx.diag;
  out.current_in_low = dg.current_in[0];
  out.current_in_high = dg.current_in[1];
  out.li_flux_in_low = dg.li_flux_in[0];
  out.li_flux_in_high = dg.li_flux_in[1];
  out.cross_section_current = dg.cross_section;
  out.inventory_plus = dg.inventory[0];
  out.inventory_minus = dg.inventory[1];
  out.net_charge = dg.net_charge;
  double inactive = ctx.inactive_fraction;
  MPI_Allreduce(MPI_IN_PLACE, &inactive, 1, MPI_DOUBLE, MPI_SUM, d.comm());
  out.inactive_fraction = inactive / (2.0 * static_cast<double>(d.grid().n_total()));
}

}  // namespace ionpath::solver::pnp_detail
