// The one face loop of the electroneutral model: residual, analytic Jacobian and diagnostics
// (electrode currents, cross-section currents, inventory) from the same flux evaluations. Each
// face's flux is evaluated once (assembly::for_each_face) and scattered to both of its cells.
#include "solver/electroneutral/assembly.hpp"

#include <mpi.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <utility>

#include "physics/butler_volmer.hpp"
#include "solver/nonlinear/block_rows.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::en_detail {
namespace {

using assembly::BoundaryFace;
using assembly::Cell;
using assembly::Face;
using Rows = assembly::BlockRows<2>;
using Block = Rows::Block;

// Rows: 0 = charge, div(N+ - N-) = 0 (no storage: the algebraic row of the index-1 DAE);
// 1 = anion balance, kappa dc-/dt + div N- = 0. The residual collects the species outflows N+, N-
// and forms the rows when the cell is finished; derivatives of species `sp` with respect to
// unknown q go straight into the rows.
void add_species(Block& b, int sp, int q, double v) noexcept {
  if (sp == 0) {
    b[q] += v;
  } else {
    b[2 + q] += v;
    b[q] -= v;
  }
}

template <bool WithJacobian>
class Sweep {
 public:
  Sweep(Context& ctx, const double* mu, const Target& t)
      : ctx_(ctx), d_(*ctx.domain), mu_(mu), t_(t), rows_(d_, ctx.l2g, WithJacobian ? t.J : nullptr),
        ta_(d_.transport_axis()), n_ta_(d_.grid().n_cells[ta_]) {}

  void begin_cell(const Cell& c) { rows_.begin_cell(c); }

  void interior(const Face& f) {
    if (!ctx_.active[f.L] || !ctx_.active[f.R]) return;
    const auto a = static_cast<std::size_t>(f.axis);
    const physics::FaceSide L{ctx_.cells[f.L], mu_[2 * f.L], mu_[2 * f.L + 1], ctx_.Dp[a][f.L], ctx_.Dm[a][f.L]};
    const physics::FaceSide R{ctx_.cells[f.R], mu_[2 * f.R], mu_[2 * f.R + 1], ctx_.Dp[a][f.R], ctx_.Dm[a][f.R]};
    const physics::ElectroneutralFaceFlux ff =
        assembly::evaluate_face(ctx_.face_calls, f, [&] { return physics::electroneutral_face_flux(L, R, 1.0); });
    const double outflow[2] = {ff.plus.value, ff.minus.value};
    assembly::scatter_outflow<2>(t_.F, f, outflow);
    const double current = ff.current();
    if (double* cur = t_.cell_current) {
      if (f.own_L >= 0) cur[3 * f.own_L + f.axis] += 0.5 * current;
      if (f.own_R >= 0) cur[3 * f.own_R + f.axis] += 0.5 * current;
    }
    if (double* li = t_.cell_li_flux) {
      if (f.own_L >= 0) li[3 * f.own_L + f.axis] += 0.5 * ff.plus.value;
      if (f.own_R >= 0) li[3 * f.own_R + f.axis] += 0.5 * ff.plus.value;
    }
    if (f.axis == ta_ && f.own_L >= 0) {
      ctx_.diag.cross_section[static_cast<std::size_t>(f.upper[ta_])] += current;
      record_plane(f.upper, current, conducts(f));
    }
    if constexpr (WithJacobian) {
      Block dL{}, dR{};
      for (int q = 0; q < 2; ++q) {
        add_species(dL, 0, q, ff.plus.d_L[q]);
        add_species(dL, 1, q, ff.minus.d_L[q]);
        add_species(dR, 0, q, ff.plus.d_R[q]);
        add_species(dR, 1, q, ff.minus.d_R[q]);
      }
      rows_.add_face(f, dL, dR);
    }
  }

  // Electrode faces (the other non-periodic sides are zero-flux walls).
  void boundary(const BoundaryFace& b) {
    const std::size_t g = b.cell.ghost;
    if (b.axis != ta_ || !ctx_.active[g]) return;
    const int e = b.side;
    const ElectrodeBC& bc = e == 0 ? ctx_.input.low : ctx_.input.high;
    const auto ua = static_cast<std::size_t>(b.axis);
    const physics::ElectroneutralCell& sK = ctx_.cells[g];
    Diagnostics& dg = ctx_.diag;
    Block& J = rows_.diagonal();
    double out[2] = {0.0, 0.0};  // outflow of K through the electrode face, per species
    switch (bc.kind) {
      case ElectrodeKind::blocking:
        break;
      case ElectrodeKind::ideal_li:
      case ElectrodeKind::reservoir: {
        const int n_species = bc.kind == ElectrodeKind::ideal_li ? 1 : 2;  // Li metal blocks the anion
        const auto flux = assembly::evaluate_boundary_face(ctx_.face_calls, b, [&] {
          std::array<physics::BoundaryFlux, 2> N{};
          for (int sp = 0; sp < n_species; ++sp)
            N[sp] = physics::electroneutral_dirichlet_flux(sK, mu_[2 * g + sp], sp == 0 ? bc.mu_plus : bc.mu_minus,
                                                           (sp == 0 ? ctx_.Dp : ctx_.Dm)[ua][g], sp, 1.0);
          return N;
        });
        for (int sp = 0; sp < n_species; ++sp) {
          out[sp] = flux[sp].value;
          if constexpr (WithJacobian)
            for (int q = 0; q < 2; ++q) add_species(J, sp, q, flux[sp].d[q]);
        }
        if (bc.kind == ElectrodeKind::ideal_li) {
          dg.potential_sum[e] += bc.mu_plus;
          dg.potential_count[e] += 1.0;
        }
        break;
      }
      case ElectrodeKind::butler_volmer: {
        const auto bv = assembly::evaluate_boundary_face(ctx_.face_calls, b, [&] {
          return physics::butler_volmer_face(sK, mu_[2 * g], mu_[2 * g + 1], ctx_.X[g], ctx_.Dp[ua][g], 1.0, bc.mu_plus,
                                             bc.kinetics);
        });
        out[0] = -bv.flux_in;
        if constexpr (WithJacobian) {
          add_species(J, 0, 0, -bv.d_mu_plus);
          add_species(J, 0, 1, -bv.d_mu_minus);
        }
        dg.potential_sum[e] += bc.mu_plus;
        dg.potential_count[e] += 1.0;
        dg.kinetic_conductance[e] += (bc.kinetics.alpha_a + bc.kinetics.alpha_c) * bv.i0;
        break;
      }
      case ElectrodeKind::uniform_flux: {
        out[0] = -bc.li_flux_in;
        const double G = 2.0 * ctx_.Dp[ua][g] * sK.c_plus;
        if (G > 0.0) {  // face value of mu+ with ideal kinetics: G (mu_f - mu_K) = j
          dg.potential_sum[e] += mu_[2 * g] + bc.li_flux_in / G;
          dg.potential_count[e] += 1.0;
        }
        break;
      }
    }
    double* f = t_.F + 2 * b.cell.own;
    f[0] += out[0];
    f[1] += out[1];
    dg.li_in[e] -= out[0];
    dg.current_in[e] -= out[0] - out[1];
    const double i_dir = e == 1 ? out[0] - out[1] : -(out[0] - out[1]);  // current in +axis
    if (t_.cell_current) t_.cell_current[3 * b.cell.own + ua] += 0.5 * i_dir;
    if (t_.cell_li_flux) t_.cell_li_flux[3 * b.cell.own + ua] += 0.5 * (e == 1 ? out[0] : -out[0]);
    dg.cross_section[static_cast<std::size_t>(e == 1 ? n_ta_ : 0)] += i_dir;
    if (dg.planes) {
      mesh::Index3 f = b.cell.index;
      f[ta_] = e == 1 ? n_ta_ : 0;
      record_plane(f, i_dir, bc.kind != ElectrodeKind::blocking && ctx_.Dp[ua][g] > 0.0);
    }
  }

  // Current in +axis direction through the face with global index f, when its plane is requested.
  void record_plane(const mesh::Index3& f, double current, bool conducting) {
    Diagnostics& dg = ctx_.diag;
    if (!dg.planes || !t_.cell_current) return;
    const int slot = dg.plane_slot[static_cast<std::size_t>(f[ta_])];
    if (slot < 0) return;
    const std::size_t o = plane_offset(d_.grid(), ta_, f);
    dg.planes->current[static_cast<std::size_t>(slot)][o] = current;
    dg.planes->conducting[static_cast<std::size_t>(slot)][o] = conducting ? 1 : 0;
  }
  // Both sides carry some species along the face normal (the face is open).
  bool conducts(const Face& f) const {
    const auto a = static_cast<std::size_t>(f.axis);
    return (ctx_.Dp[a][f.L] > 0.0 && ctx_.Dp[a][f.R] > 0.0) || (ctx_.Dm[a][f.L] > 0.0 && ctx_.Dm[a][f.R] > 0.0);
  }

  // Every face of c has been visited: cell-local terms, then the rows.
  void end_cell(const Cell& c) {
    const std::size_t o = c.own, g = c.ghost;
    double* f = t_.F + 2 * o;
    Block& J = rows_.diagonal();
    // A charge row replaced by the gauge is left out. An anchor's anion row keeps the cell's anion
    // balance, the cluster's pin added to its own mu- diagonal: P's stand-in for the inventory row
    // (see pin_anchors).
    const unsigned skip = ctx_.l2g[2 * g] == ctx_.gauge_row ? 1u : 0u;
    Inventory& inv = ctx_.inventory;
    const std::int32_t cluster = inv.cluster.empty() ? -1 : inv.cluster[o];
    if (cluster >= 0 && inv.anchor_row[static_cast<std::size_t>(cluster)] == ctx_.l2g[2 * g + 1])
      J[3] += inv.pin[static_cast<std::size_t>(cluster)];
    if (!ctx_.active[g]) {  // identity rows: mu = 0 in cells nothing can enter
      f[0] = mu_[2 * g];
      f[1] = mu_[2 * g + 1];
      J[0] += 1.0;
      J[3] += 1.0;
      rows_.end_cell(skip);
      return;
    }
    const physics::ElectroneutralCell& sK = ctx_.cells[g];
    const double kap = ctx_.kappa[o];
    ctx_.diag.inventory += kap * sK.c_minus;
    if (cluster >= 0) inv.content[static_cast<std::size_t>(cluster)] += kap * sK.c_minus;
    // Storage term (anion row only).
    double storage = 0.0;
    if (ctx_.storage == Storage::transient_variable) {
      storage = kap * t_.rate[2 * o + 1];
      J[2] += t_.shift * kap * sK.dc_ds;
      J[3] += t_.shift * kap * sK.dc_ds;
    } else if (ctx_.storage == Storage::mass_matrix) {
      const double sdot = t_.rate[2 * o] + t_.rate[2 * o + 1];
      storage = kap * sK.dc_ds * sdot;
      J[2] += kap * (t_.shift * sK.dc_ds + sK.d2c_ds2 * sdot);
      J[3] += kap * (t_.shift * sK.dc_ds + sK.d2c_ds2 * sdot);
    }
    if (!ctx_.input.source.empty()) {  // species balances outflow - production, before the rows combine
      f[0] -= ctx_.input.source[2 * o];
      f[1] -= ctx_.input.source[2 * o + 1];
    }
    f[0] -= f[1];  // charge row
    f[1] += storage;
    rows_.end_cell(skip);
  }

 private:
  Context& ctx_;
  const Domain& d_;
  const double* mu_;
  const Target& t_;
  Rows rows_;
  int ta_, n_ta_;
};

// Pin of each anchor's anion row in P: the cluster's sum of kappa dc/ds / n_cells, i.e. what
// its constraint row gives for a uniform mu- shift of the cluster. P then answers that shift
// (the null vector of the cluster's anion rows) at the anchor as J does, and J P^-1 keeps those
// eigenvalues near 1. Measured against doubling the anchor's diagonal (a Dirichlet-like pin):
// 160 x 80 x 8 aligned walls 27 instead of 65 GMRES iterations over 4 Newton steps, 30 x 30 x 25
// gel 29 instead of 36; 10x the sum: 40 and 35, 0.1x: 39 and 31.
void pin_anchors(Context& ctx) {
  Inventory& inv = ctx.inventory;
  std::fill(inv.pin.begin(), inv.pin.end(), 0.0);
  const auto n_cells = static_cast<double>(ctx.n_cells);
  assembly::for_each_owned_cell(*ctx.domain, [&](const Cell& c) {
    if (inv.cluster[c.own] >= 0)
      inv.pin[static_cast<std::size_t>(inv.cluster[c.own])] += ctx.kappa[c.own] * ctx.cells[c.ghost].dc_ds / n_cells;
  });
  MPI_Allreduce(MPI_IN_PLACE, inv.pin.data(), static_cast<int>(inv.pin.size()), MPI_DOUBLE, MPI_SUM, ctx.domain->comm());
}

// The entries of every cell's inventory row, d content / d(mu+, mu-) / n_cells, into
// ctx.inventory_row: the operator's constraint rows (make_inventory_jacobian).
void fill_inventory_row(const Context& ctx) {
  PetscScalar* g = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(ctx.inventory_row, &g));
  const auto n_cells = static_cast<double>(ctx.n_cells);
  assembly::for_each_owned_cell(*ctx.domain, [&](const Cell& c) {
    const bool in_cluster = ctx.active[c.ghost] && ctx.inventory.cluster[c.own] >= 0;
    g[2 * c.own] = g[2 * c.own + 1] = in_cluster ? ctx.kappa[c.own] * ctx.cells[c.ghost].dc_ds / n_cells : 0.0;
  });
  IONPATH_PETSC_CALL(VecRestoreArray(ctx.inventory_row, &g));
}

// Gauge and inventory rows, once the inventory is known on every rank.
void constraint_rows(Context& ctx, const double* mu, const Target& t) {
  const Domain& d = *ctx.domain;
  if (ctx.gauge_row >= 0)
    assembly::for_each_owned_cell(d, [&](const Cell& c) {
      if (ctx.l2g[2 * c.ghost] != ctx.gauge_row) return;
      t.F[2 * c.own] = mu[2 * c.ghost] - ctx.gauge_value;
      if (t.J) IONPATH_PETSC_CALL(MatSetValue(t.J, ctx.gauge_row, ctx.gauge_row, 1.0, ADD_VALUES));
    });
  // Each anchor's anion row holds its cluster's inventory: (content - target) / n_cells. Its
  // Jacobian row (inventory_row over the cluster) is applied by make_inventory_jacobian.
  const Inventory& inv = ctx.inventory;
  for (std::size_t q = 0; q < inv.n_clusters(); ++q)
    if (inv.anchor_local[q] >= 0)
      t.F[inv.anchor_local[q]] = (inv.content[q] - inv.target[q]) / static_cast<double>(ctx.n_cells);
  if (t.J && ctx.inventory_row) fill_inventory_row(ctx);
}

}  // namespace

MatHandle Context::newton_operator(Mat P, Vec x) {
  if (galvanostatic.on) {  // the vectors live as long as the operator (it holds references)
    VecHandle b, c;
    IONPATH_PETSC_CALL(VecDuplicate(x, b.out()));
    IONPATH_PETSC_CALL(VecDuplicate(x, c.out()));
    IONPATH_PETSC_CALL(VecSet(b, 0.0));
    IONPATH_PETSC_CALL(VecSet(c, 0.0));
    galvanostatic.b = b;
    galvanostatic.c = c;
    return make_galvanostatic_jacobian(P, b, c);
  }
  if (inventory.n_clusters() == 0) return {};
  VecHandle g;  // the shell holds a reference: it lives as long as the operator
  IONPATH_PETSC_CALL(VecDuplicate(x, g.out()));
  IONPATH_PETSC_CALL(VecSet(g, 0.0));
  inventory_row = g;
  return make_inventory_jacobian(*this, P, g);
}

bool Context::assemble(const double* mu, const Target& t) {
  Context& ctx = *this;
  const Domain& d = *ctx.domain;
  const mesh::Box& gb = d.ghosted();
  // Cell states once per ghosted cell (the faces read them on both sides).
  bool ok = true;
  for (std::size_t c = 0; c < gb.n_cells(); ++c) {
    if (!ctx.active[c]) continue;
    const double mp = mu[2 * c], mm = mu[2 * c + 1];
    if (!std::isfinite(mp) || !std::isfinite(mm) || !(std::abs(mp + mm) < 600.0)) {
      ok = false;
      break;
    }
    ctx.cells[c] = physics::electroneutral_cell(mp, mm, ctx.X[c]);
  }
  if (!assembly::on_all_ranks(d.comm(), ok)) return false;
  if (ctx.galvanostatic.on) solve_metal_potential(ctx, mu, t.J != nullptr && ctx.galvanostatic.b != nullptr);
  Diagnostics& dg = ctx.diag;
  dg.li_in = dg.current_in = dg.potential_sum = dg.potential_count = dg.kinetic_conductance = {0.0, 0.0};
  dg.inventory = 0.0;
  std::fill(dg.cross_section.begin(), dg.cross_section.end(), 0.0);
  Inventory& inventory = ctx.inventory;
  std::fill(inventory.content.begin(), inventory.content.end(), 0.0);
  if (t.J && inventory.n_clusters() > 0) pin_anchors(ctx);
  assembly::run_sweep<Sweep>(ctx, mu, t);
  // Diagnostics over all ranks (the residual callback is collective).
  assembly::sum_over_ranks(d.comm(), {dg.li_in, dg.current_in, dg.potential_sum, dg.potential_count,
                                      dg.kinetic_conductance, std::span(&dg.inventory, 1), dg.cross_section,
                                      inventory.content});
  constraint_rows(ctx, mu, t);
  return true;
}

void Context::transient_variable(const double* mu_owned, double* C) const {
  const Context& ctx = *this;
  assembly::for_each_owned_cell(*ctx.domain, [&](const Cell& c) {
    if (!ctx.active[c.ghost]) {
      C[2 * c.own] = C[2 * c.own + 1] = 0.0;
      return;
    }
    const auto s = physics::electroneutral_cell(mu_owned[2 * c.own], mu_owned[2 * c.own + 1], ctx.X[c.ghost]);
    C[2 * c.own] = s.c_plus;
    C[2 * c.own + 1] = s.c_minus;
  });
}

void collect_result(Context& ctx, Vec x, ElectroneutralResult& out) {
  const Domain& d = *ctx.domain;
  PlaneCurrentMaps planes;
  if (!ctx.input.current_planes.empty()) {
    const int ta = d.transport_axis();
    planes = empty_plane_maps(d.grid(), ta, ctx.input.current_planes);
    ctx.diag.plane_slot.assign(static_cast<std::size_t>(d.grid().n_cells[ta]) + 1, -1);
    for (std::size_t q = 0; q < planes.planes.size(); ++q)
      ctx.diag.plane_slot[static_cast<std::size_t>(planes.planes[q])] = static_cast<int>(q);
    ctx.diag.planes = &planes;
  }
  const assembly::StateEvaluation s(ctx, x, &out.current, "electroneutral: final state is unphysical (overflow or NaN)",
                                    &out.li_flux);
  ctx.diag.planes = nullptr;
  if (!planes.empty()) reduce_plane_maps(d.comm(), planes);
  out.plane_currents = std::move(planes);
  out.mu_plus.clear();
  out.mu_minus.clear();
  out.c_plus.clear();
  out.c_minus.clear();
  out.psi.clear();
  out.active.clear();
  assembly::for_each_owned_cell(d, [&](const Cell& c) {
    const bool on = ctx.active[c.ghost] != 0;
    const auto& st = ctx.cells[c.ghost];
    out.active.push_back(on ? 1 : 0);
    out.mu_plus.push_back(on ? s.values()[2 * c.ghost] : 0.0);
    out.mu_minus.push_back(on ? s.values()[2 * c.ghost + 1] : 0.0);
    out.c_plus.push_back(on ? st.c_plus : 0.0);
    out.c_minus.push_back(on ? st.c_minus : 0.0);
    out.psi.push_back(on ? st.psi : 0.0);
  });
  const Diagnostics& dg = ctx.diag;
  out.li_flux_in_low = dg.li_in[0];
  out.li_flux_in_high = dg.li_in[1];
  out.current_in_low = dg.current_in[0];
  out.current_in_high = dg.current_in[1];
  out.cross_section_current = dg.cross_section;
  out.electrode_potential_low = dg.potential_count[0] > 0 ? dg.potential_sum[0] / dg.potential_count[0] : 0.0;
  out.electrode_potential_high = dg.potential_count[1] > 0 ? dg.potential_sum[1] / dg.potential_count[1] : 0.0;
  out.kinetic_conductance_low = dg.kinetic_conductance[0];
  out.kinetic_conductance_high = dg.kinetic_conductance[1];
  out.anion_inventory = dg.inventory;
  double inactive = ctx.inactive_fraction;
  MPI_Allreduce(MPI_IN_PLACE, &inactive, 1, MPI_DOUBLE, MPI_SUM, d.comm());
  out.inactive_fraction = inactive / static_cast<double>(d.grid().n_total());
  out.inventory_constraint = ctx.inventory.n_clusters() > 0;
  out.inventory_clusters = static_cast<int>(ctx.inventory.n_clusters());
}

}  // namespace ionpath::solver::en_detail
