// The one face loop of the electroneutral model: residual, analytic Jacobian and diagnostics
// (electrode currents, cross-section currents, inventory) from the same flux evaluations.
#include "solver/electroneutral/assembly.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "physics/butler_volmer.hpp"
#include "solver/grid/connected_components.hpp"
#include "solver/grid/dmda_ghosts.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::en_detail {
namespace {

std::vector<double> ghosted(const Domain& d, GhostExchange& ex, std::span<const double> values, int stride, int comp) {
  std::vector<double> owned(d.owned().n_cells());
  for (std::size_t c = 0; c < owned.size(); ++c) owned[c] = values[stride * c + static_cast<std::size_t>(comp)];
  return ex.exchange(owned);
}

bool fixes_anion(const ElectroneutralInput& in) {
  return in.low.kind == ElectrodeKind::reservoir || in.high.kind == ElectrodeKind::reservoir;
}

// Faces that fix the level of mu+ (and so of the potential) of the clusters touching them.
bool fixes_potential(const ElectrodeBC& bc) {
  return bc.kind == ElectrodeKind::ideal_li || bc.kind == ElectrodeKind::reservoir ||
         bc.kind == ElectrodeKind::butler_volmer;
}

// One cell's two Jacobian rows (charge, anion) over its block columns (the cell and its face
// neighbours, at most 7), added with one MatSetValuesBlocked call: the DMDA numbers the dof
// interlaced, so global row 2b + r is row r of block b. One call per cell instead of one per entry
// made the assembly about N times cheaper (it was 13 % of a 64^3 solve with MatSetValue).
class BlockRow {
 public:
  void start(PetscInt first_row) {
    block_row_ = first_row / 2;
    n_ = 0;
  }
  void add(int r, PetscInt col, double v) { values_[r][2 * slot(col / 2) + col % 2] += v; }
  // A charge row replaced by the gauge is left out. An anchor's anion row keeps the cell's anion
  // balance, `pin` added to its own mu- diagonal: the preconditioning matrix's stand-in for the
  // inventory row (see assemble).
  void flush(Mat J, bool skip_charge, double pin) {
    if (skip_charge) std::fill_n(values_[0].begin(), 2 * n_, 0.0);
    if (pin != 0.0) values_[1][2 * slot(block_row_) + 1] += pin;
    std::array<double, 2 * 2 * max_blocks> packed{};  // row-major 2 x (2 n)
    for (int r = 0; r < 2; ++r) std::copy_n(values_[r].begin(), 2 * n_, packed.begin() + 2 * n_ * r);
    IONPATH_PETSC_CALL(MatSetValuesBlocked(J, 1, &block_row_, n_, columns_.data(), packed.data(), ADD_VALUES));
  }

 private:
  static constexpr int max_blocks = 8;  // self + 6 neighbours (+1 spare: a periodic axis of 2 cells repeats one)
  int slot(PetscInt block_col) {
    for (int q = 0; q < n_; ++q)
      if (columns_[q] == block_col) return q;
    columns_[n_] = block_col;
    for (auto& row : values_) row[2 * n_] = row[2 * n_ + 1] = 0.0;
    return n_++;
  }
  PetscInt block_row_ = 0;
  int n_ = 0;
  std::array<PetscInt, max_blocks> columns_{};
  std::array<std::array<double, 2 * max_blocks>, 2> values_{};
};

// One inventory constraint per anion cluster (see Inventory): components of the active cells
// under anion transport (an active cell that carries no anions along any axis is a cluster of its
// own). Cluster ids are the components' labels (smallest linear index) in increasing order, the
// same on every rank; the anchor is the cell whose linear index is the label.
void setup_inventory(Context& ctx, const Domain& d, const ElectroneutralInput& in, std::span<const std::uint8_t> active) {
  const mesh::Box& own = d.owned();
  const std::size_t n_own = own.n_cells();
  std::vector<double> anion(3 * n_own, 0.0);
  for (std::size_t c = 0; c < n_own; ++c)
    if (active[c])
      for (std::size_t a = 0; a < 3; ++a) anion[3 * c + a] = in.D_minus[3 * c + a];
  const ComponentLabels labels = label_components(d, flags_from_tensor(anion));
  std::vector<long long> label(n_own, -1);
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k);
        if (!active[o]) continue;
        const long long l = labels.label(o);
        label[o] = l >= 0 ? l : d.linear_index(i, j, k);
      }
  // Distinct labels of all ranks, sorted: position = cluster id.
  std::vector<long long> mine;
  for (const long long l : label)
    if (l >= 0) mine.push_back(l);
  std::sort(mine.begin(), mine.end());
  mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  int n_mine = static_cast<int>(mine.size());
  const auto n_ranks = static_cast<std::size_t>(d.n_ranks());
  std::vector<int> counts(n_ranks, 0), displs(n_ranks, 0);
  MPI_Allgather(&n_mine, 1, MPI_INT, counts.data(), 1, MPI_INT, d.comm());
  for (std::size_t r = 1; r < n_ranks; ++r) displs[r] = displs[r - 1] + counts[r - 1];
  std::vector<long long> all(static_cast<std::size_t>(displs[n_ranks - 1] + counts[n_ranks - 1]));
  MPI_Allgatherv(mine.data(), n_mine, MPI_LONG_LONG, all.data(), counts.data(), displs.data(), MPI_LONG_LONG, d.comm());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (all.empty()) throw std::invalid_argument("electroneutral: no active cell");
  Inventory& inv = ctx.inventory;
  const std::size_t n_clusters = all.size();
  inv.cluster.assign(n_own, -1);
  inv.anchor_row.assign(n_clusters, -1);
  inv.anchor_local.assign(n_clusters, -1);
  inv.target.assign(n_clusters, 0.0);
  inv.content.assign(n_clusters, 0.0);
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = d.ghosted().offset(i, j, k);
        if (label[o] < 0) continue;
        const auto q = static_cast<std::size_t>(std::lower_bound(all.begin(), all.end(), label[o]) - all.begin());
        inv.cluster[o] = static_cast<std::int32_t>(q);
        if (d.linear_index(i, j, k) == label[o]) {
          inv.anchor_row[q] = ctx.l2g[2 * g + 1];
          inv.anchor_local[q] = static_cast<long long>(2 * o + 1);
        }
        // Target = content of the initial state (equilibrium by default).
        const double s = in.initial_mu.empty() ? 0.0 : in.initial_mu[2 * o] + in.initial_mu[2 * o + 1];
        inv.target[q] += ctx.kappa[o] * physics::electroneutral_cell(s, 0.0, ctx.X[g]).c_minus;
      }
  static_assert(sizeof(PetscInt) == 4 || sizeof(PetscInt) == 8);
  MPI_Allreduce(MPI_IN_PLACE, inv.anchor_row.data(), static_cast<int>(n_clusters),
                sizeof(PetscInt) == 8 ? MPI_INT64_T : MPI_INT32_T, MPI_MAX, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, inv.target.data(), static_cast<int>(n_clusters), MPI_DOUBLE, MPI_SUM, d.comm());
}

}  // namespace

void setup(Context& ctx, const Domain& d, const ElectroneutralInput& in, bool steady) {
  if (d.options().dof != 2) throw std::invalid_argument("electroneutral: the Domain must have dof = 2");
  const std::size_t n_own = d.owned().n_cells();
  if (in.D_plus.size() != 3 * n_own || in.D_minus.size() != 3 * n_own || in.X.size() != n_own)
    throw std::invalid_argument("electroneutral: coefficient arrays do not match the owned box (3, 3, 1 per cell)");
  if (!in.capacity.empty() && in.capacity.size() != n_own)
    throw std::invalid_argument("electroneutral: capacity must be empty or 1 per owned cell");
  if (!in.initial_mu.empty() && in.initial_mu.size() != 2 * n_own)
    throw std::invalid_argument("electroneutral: initial_mu must be empty or 2 per owned cell");
  if (!in.source.empty() && in.source.size() != 2 * n_own)
    throw std::invalid_argument("electroneutral: source must be empty or 2 per owned cell");
  for (const double x : in.X)
    if (!(x >= 0.0)) throw std::invalid_argument("electroneutral: fixed charge X must be >= 0, got " + std::to_string(x));
  ctx.domain = &d;
  ctx.input = in;
  GhostExchange ex(d);
  for (int a = 0; a < 3; ++a) {
    ctx.Dp[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_plus, 3, a);
    ctx.Dm[static_cast<std::size_t>(a)] = ghosted(d, ex, in.D_minus, 3, a);
  }
  ctx.X = ghosted(d, ex, in.X, 1, 0);
  ctx.kappa.assign(n_own, 1.0);
  if (!in.capacity.empty()) ctx.kappa.assign(in.capacity.begin(), in.capacity.end());
  ctx.cells.assign(d.ghosted().n_cells(), physics::ElectroneutralCell{});
  // Active cells (spec §3.9). A cluster is determined when it touches a face that fixes the
  // potential level (ideal, reservoir, Butler-Volmer); steady runs with the anion held by the
  // inventory row need a path between both electrodes as well (a dead end's mu- is free).
  std::vector<double> transport(3 * n_own);
  for (std::size_t c = 0; c < transport.size(); ++c) transport[c] = in.D_plus[c] + in.D_minus[c];
  const AxisFlags flags = flags_from_tensor(transport);
  const ComponentLabels labels = label_components(d, flags);
  std::vector<BoxFace> anchors;
  if (fixes_potential(in.low)) anchors.push_back({d.transport_axis(), 0});
  if (fixes_potential(in.high)) anchors.push_back({d.transport_axis(), 1});
  const BoxFace both[2] = {{d.transport_axis(), 0}, {d.transport_axis(), 1}};
  const bool inventory_row = steady && !fixes_anion(in);
  ActiveCells kept;
  ctx.gauge_row = -1;
  if (anchors.empty()) {
    if (steady)
      throw std::invalid_argument("electroneutral: a steady problem needs an ideal, Butler-Volmer or reservoir face");
    // Both electrodes blocking (or galvanostatic): the potential level is fixed by one gauge row,
    // which needs a single conducting cluster.
    if (labels.n_components != 1)
      throw std::invalid_argument("electroneutral: without a potential-fixing electrode the conducting region must be "
                                  "one connected cluster, found " + std::to_string(labels.n_components));
    kept = classify_components(d, flags, labels, std::span(both, 2), {}, ActiveRule::touch_any);
    for (std::size_t c = 0; c < n_own; ++c)
      kept.active[c] = transport[3 * c] + transport[3 * c + 1] + transport[3 * c + 2] > 0.0;
  } else if (inventory_row) {
    kept = classify_components(d, flags, labels, std::span(both, 1), std::span(both + 1, 1), ActiveRule::touch_both);
  } else {
    kept = classify_components(d, flags, labels, anchors, {}, ActiveRule::touch_any);
  }
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
  ctx.inventory = Inventory{};
  if (inventory_row) setup_inventory(ctx, d, in, kept.active);
  if (anchors.empty()) {  // gauge: mu+ of the first active cell keeps its initial value
    const mesh::Box& own = d.owned();
    long long best = std::numeric_limits<long long>::max();
    double value = 0.0;
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k), g = d.ghosted().offset(i, j, k);
          if (!ctx.active[g] || ctx.l2g[2 * g] >= best) continue;
          best = ctx.l2g[2 * g];
          value = in.initial_mu.empty() ? 0.0 : in.initial_mu[2 * o];
        }
    long long global_best = best;
    MPI_Allreduce(MPI_IN_PLACE, &global_best, 1, MPI_LONG_LONG, MPI_MIN, d.comm());
    double v = global_best == best ? value : 0.0;  // only the owner contributes
    MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_SUM, d.comm());
    ctx.gauge_row = static_cast<PetscInt>(global_best);
    ctx.gauge_value = v;
  }
  ctx.diag.cross_section.assign(static_cast<std::size_t>(d.grid().n_cells[d.transport_axis()]) + 1, 0.0);
}

bool assemble(Context& ctx, const double* mu, const Target& t) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  const mesh::Index3& n = d.grid().n_cells;
  const int ta = d.transport_axis();
  const int dim = d.dimension();
  // Cell states once per ghosted cell; an unphysical state anywhere is a domain error everywhere.
  int ok = 1;
  for (std::size_t c = 0; c < gb.n_cells(); ++c) {
    if (!ctx.active[c]) continue;
    const double mp = mu[2 * c], mm = mu[2 * c + 1];
    if (!std::isfinite(mp) || !std::isfinite(mm) || !(std::abs(mp + mm) < 600.0)) {
      ok = 0;
      break;
    }
    ctx.cells[c] = physics::electroneutral_cell(mp, mm, ctx.X[c]);
  }
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, d.comm());
  if (!ok) return false;

  BlockRow jrow;
  // Rows: 0 = charge, div(N+ - N-) = 0 (no storage: the algebraic row of the index-1 DAE);
  // 1 = anion balance, kappa dc-/dt + div N- = 0. Species flux derivatives go through add_sp.
  auto add_J = [&](int r, PetscInt col, double v) {
    if (t.J) jrow.add(r, col, v);
  };
  auto add_sp = [&](int sp, PetscInt col, double v) {
    if (sp == 0) {
      add_J(0, col, v);
    } else {
      add_J(1, col, v);
      add_J(0, col, -v);
    }
  };
  Inventory& inv = ctx.inventory;
  std::vector<double> content(inv.n_clusters(), 0.0);
  const auto n_cells = static_cast<double>(ctx.n_cells);
  // Pin of each anchor's anion row in P: the cluster's sum of kappa dc/ds / n_cells, i.e. what
  // its constraint row gives for a uniform mu- shift of the cluster. P then answers that shift
  // (the null vector of the cluster's anion rows) at the anchor as J does, and J P^-1 keeps those
  // eigenvalues near 1. Measured against doubling the anchor's diagonal (a Dirichlet-like pin):
  // 160 x 80 x 8 aligned walls 27 instead of 65 GMRES iterations over 4 Newton steps, 30 x 30 x 25
  // gel 29 instead of 36; 10x the sum: 40 and 35, 0.1x: 39 and 31.
  std::vector<double> pin(inv.n_clusters(), 0.0);
  if (t.J && inv.n_clusters() > 0) {
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k);
          if (inv.cluster[o] >= 0)
            pin[static_cast<std::size_t>(inv.cluster[o])] += ctx.kappa[o] * ctx.cells[gb.offset(i, j, k)].dc_ds / n_cells;
        }
    MPI_Allreduce(MPI_IN_PLACE, pin.data(), static_cast<int>(pin.size()), MPI_DOUBLE, MPI_SUM, d.comm());
  }
  Diagnostics& dg = ctx.diag;
  dg.li_in = dg.current_in = dg.potential_sum = dg.potential_count = dg.kinetic_conductance = {0.0, 0.0};
  dg.inventory = 0.0;
  std::fill(dg.cross_section.begin(), dg.cross_section.end(), 0.0);
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = gb.offset(i, j, k);
        const PetscInt row[2] = {ctx.l2g[2 * g], ctx.l2g[2 * g + 1]};
        double* f = t.F + 2 * o;
        double* cur = t.cell_current ? t.cell_current + 3 * o : nullptr;
        if (cur) cur[0] = cur[1] = cur[2] = 0.0;
        if (t.J) jrow.start(row[0]);
        const std::int32_t cluster = inv.cluster.empty() ? -1 : inv.cluster[o];
        const bool anchor = cluster >= 0 && inv.anchor_row[static_cast<std::size_t>(cluster)] == row[1];
        if (t.inventory_row) t.inventory_row[2 * o] = t.inventory_row[2 * o + 1] = 0.0;
        const auto flush = [&] {
          if (t.J) jrow.flush(t.J, row[0] == ctx.gauge_row, anchor ? pin[static_cast<std::size_t>(cluster)] : 0.0);
        };
        if (!ctx.active[g]) {  // identity rows: mu = 0 in cells nothing can enter
          f[0] = mu[2 * g];
          f[1] = mu[2 * g + 1];
          add_J(0, row[0], 1.0);
          add_J(1, row[1], 1.0);
          flush();
          continue;
        }
        const physics::ElectroneutralCell& sK = ctx.cells[g];
        const double kap = ctx.kappa[o];
        dg.inventory += kap * sK.c_minus;
        if (cluster >= 0) {
          content[static_cast<std::size_t>(cluster)] += kap * sK.c_minus;
          if (t.inventory_row) t.inventory_row[2 * o] = t.inventory_row[2 * o + 1] = kap * sK.dc_ds / n_cells;
        }
        f[0] = f[1] = 0.0;  // species outflows first; rows formed after the face loop
        // Storage term (anion row only).
        double storage = 0.0;
        if (ctx.storage == Storage::transient_variable) {
          storage = kap * t.rate[2 * o + 1];
          add_J(1, row[0], t.shift * kap * sK.dc_ds);
          add_J(1, row[1], t.shift * kap * sK.dc_ds);
        } else if (ctx.storage == Storage::mass_matrix) {
          const double sdot = t.rate[2 * o] + t.rate[2 * o + 1];
          storage = kap * sK.dc_ds * sdot;
          add_J(1, row[0], kap * (t.shift * sK.dc_ds + sK.d2c_ds2 * sdot));
          add_J(1, row[1], kap * (t.shift * sK.dc_ds + sK.d2c_ds2 * sdot));
        }
        const mesh::Index3 c{i, j, k};
        for (int a = 0; a < dim; ++a)
          for (int side : {-1, 1}) {
            mesh::Index3 nb = c;
            nb[a] += side;
            const bool outside = nb[a] < 0 || nb[a] >= n[a];
            if (outside && !d.periodic(a)) {
              if (a != ta) continue;  // zero-flux side wall
              const int e = side < 0 ? 0 : 1;
              const ElectrodeBC& bc = e == 0 ? ctx.input.low : ctx.input.high;
              const auto ua = static_cast<std::size_t>(a);
              double out[2] = {0.0, 0.0};  // outflow of K through the electrode face, per species
              switch (bc.kind) {
                case ElectrodeKind::blocking:
                  break;
                case ElectrodeKind::ideal_li:
                case ElectrodeKind::reservoir:
                  for (int sp = 0; sp < 2; ++sp) {
                    if (sp == 1 && bc.kind == ElectrodeKind::ideal_li) continue;
                    const double D = (sp == 0 ? ctx.Dp : ctx.Dm)[ua][g];
                    const auto b = physics::electroneutral_dirichlet_flux(sK, mu[2 * g + sp], sp == 0 ? bc.mu_plus : bc.mu_minus,
                                                                          D, sp, 1.0);
                    out[sp] = b.value;
                    add_sp(sp, row[0], b.d[0]);
                    add_sp(sp, row[1], b.d[1]);
                  }
                  if (bc.kind == ElectrodeKind::ideal_li) {
                    dg.potential_sum[e] += bc.mu_plus;
                    dg.potential_count[e] += 1.0;
                  }
                  break;
                case ElectrodeKind::butler_volmer: {
                  const auto bv = physics::butler_volmer_face(sK, mu[2 * g], mu[2 * g + 1], ctx.X[g], ctx.Dp[ua][g], 1.0,
                                                              bc.mu_plus, bc.kinetics);
                  out[0] = -bv.flux_in;
                  add_sp(0, row[0], -bv.d_mu_plus);
                  add_sp(0, row[1], -bv.d_mu_minus);
                  dg.potential_sum[e] += bc.mu_plus;
                  dg.potential_count[e] += 1.0;
                  dg.kinetic_conductance[e] += (bc.kinetics.alpha_a + bc.kinetics.alpha_c) * bv.i0;
                  break;
                }
                case ElectrodeKind::uniform_flux: {
                  out[0] = -bc.li_flux_in;
                  const double G = 2.0 * ctx.Dp[ua][g] * sK.c_plus;
                  if (G > 0.0) {  // face value of mu+ with ideal kinetics: G (mu_f - mu_K) = j
                    dg.potential_sum[e] += mu[2 * g] + bc.li_flux_in / G;
                    dg.potential_count[e] += 1.0;
                  }
                  break;
                }
              }
              f[0] += out[0];
              f[1] += out[1];
              dg.li_in[e] -= out[0];
              dg.current_in[e] -= out[0] - out[1];
              const double i_dir = side > 0 ? out[0] - out[1] : -(out[0] - out[1]);  // current in +a
              if (cur) cur[a] += 0.5 * i_dir;
              if (a == ta) dg.cross_section[static_cast<std::size_t>(side > 0 ? n[ta] : 0)] += i_dir;
              continue;
            }
            const std::size_t gn = gb.offset(nb[0], nb[1], nb[2]);
            if (!ctx.active[gn]) continue;
            // Lower-index cell first, so both cells of a face evaluate identical arithmetic.
            const bool K_is_L = side > 0;
            const std::size_t gL = K_is_L ? g : gn, gR = K_is_L ? gn : g;
            const auto ua = static_cast<std::size_t>(a);
            const physics::FaceSide L{ctx.cells[gL], mu[2 * gL], mu[2 * gL + 1], ctx.Dp[ua][gL], ctx.Dm[ua][gL]};
            const physics::FaceSide R{ctx.cells[gR], mu[2 * gR], mu[2 * gR + 1], ctx.Dp[ua][gR], ctx.Dm[ua][gR]};
            const physics::ElectroneutralFaceFlux ff = physics::electroneutral_face_flux(L, R, 1.0);
            const double sign = K_is_L ? 1.0 : -1.0;  // outflow of K
            f[0] += sign * ff.plus.value;
            f[1] += sign * ff.minus.value;
            if (cur) cur[a] += 0.5 * ff.current();
            if (a == ta && K_is_L) dg.cross_section[static_cast<std::size_t>(c[ta] + 1)] += ff.current();
            if (t.J) {
              const PetscInt colL[2] = {ctx.l2g[2 * gL], ctx.l2g[2 * gL + 1]};
              const PetscInt colR[2] = {ctx.l2g[2 * gR], ctx.l2g[2 * gR + 1]};
              for (int q = 0; q < 2; ++q) {
                add_sp(0, colL[q], sign * ff.plus.d_L[q]);
                add_sp(0, colR[q], sign * ff.plus.d_R[q]);
                add_sp(1, colL[q], sign * ff.minus.d_L[q]);
                add_sp(1, colR[q], sign * ff.minus.d_R[q]);
              }
            }
          }
        if (!ctx.input.source.empty()) {  // species balances outflow - production, before the rows combine
          f[0] -= ctx.input.source[2 * o];
          f[1] -= ctx.input.source[2 * o + 1];
        }
        f[0] -= f[1];  // charge row
        f[1] += storage;
        flush();
      }
  // Diagnostics over all ranks (the residual callback is collective).
  std::vector<double> buf{dg.li_in[0], dg.li_in[1], dg.current_in[0], dg.current_in[1], dg.potential_sum[0],
                          dg.potential_sum[1], dg.potential_count[0], dg.potential_count[1], dg.kinetic_conductance[0],
                          dg.kinetic_conductance[1], dg.inventory};
  buf.insert(buf.end(), dg.cross_section.begin(), dg.cross_section.end());
  buf.insert(buf.end(), content.begin(), content.end());
  MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_DOUBLE, MPI_SUM, d.comm());
  dg.li_in = {buf[0], buf[1]};
  dg.current_in = {buf[2], buf[3]};
  dg.potential_sum = {buf[4], buf[5]};
  dg.potential_count = {buf[6], buf[7]};
  dg.kinetic_conductance = {buf[8], buf[9]};
  dg.inventory = buf[10];
  const auto n_sections = static_cast<std::ptrdiff_t>(dg.cross_section.size());
  std::copy(buf.begin() + 11, buf.begin() + 11 + n_sections, dg.cross_section.begin());
  std::copy(buf.begin() + 11 + n_sections, buf.end(), inv.content.begin());
  if (ctx.gauge_row >= 0) {
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k), g = gb.offset(i, j, k);
          if (ctx.l2g[2 * g] != ctx.gauge_row) continue;
          t.F[2 * o] = mu[2 * g] - ctx.gauge_value;
          if (t.J) IONPATH_PETSC_CALL(MatSetValue(t.J, ctx.gauge_row, ctx.gauge_row, 1.0, ADD_VALUES));
        }
  }
  // Each anchor's anion row holds its cluster's inventory: (content - target) / n_cells. Its
  // Jacobian row (inventory_row over the cluster) is applied by make_inventory_jacobian.
  for (std::size_t q = 0; q < inv.n_clusters(); ++q)
    if (inv.anchor_local[q] >= 0) t.F[inv.anchor_local[q]] = (inv.content[q] - inv.target[q]) / n_cells;
  return true;
}

void transient_variable(const Context& ctx, const double* mu_owned, double* C) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k), g = d.ghosted().offset(i, j, k);
        if (!ctx.active[g]) {
          C[2 * o] = C[2 * o + 1] = 0.0;
          continue;
        }
        const auto s = physics::electroneutral_cell(mu_owned[2 * o], mu_owned[2 * o + 1], ctx.X[g]);
        C[2 * o] = s.c_plus;
        C[2 * o + 1] = s.c_minus;
      }
}

void collect_result(Context& ctx, Vec x, ElectroneutralResult& out) {
  const Domain& d = *ctx.domain;
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  LocalState s(d, x);
  std::vector<double> scratch(2 * own.n_cells()), zero_rate(2 * own.n_cells(), 0.0);
  out.current.assign(3 * own.n_cells(), 0.0);
  Target t;
  t.F = scratch.data();
  t.rate = zero_rate.data();
  t.cell_current = out.current.data();
  if (!assemble(ctx, s.values(), t)) throw SolveError("electroneutral: final state is unphysical (overflow or NaN)");
  out.mu_plus.clear();
  out.mu_minus.clear();
  out.c_plus.clear();
  out.c_minus.clear();
  out.psi.clear();
  out.active.clear();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t g = gb.offset(i, j, k);
        const bool on = ctx.active[g] != 0;
        const auto& st = ctx.cells[g];
        out.active.push_back(on ? 1 : 0);
        out.mu_plus.push_back(on ? s.values()[2 * g] : 0.0);
        out.mu_minus.push_back(on ? s.values()[2 * g + 1] : 0.0);
        out.c_plus.push_back(on ? st.c_plus : 0.0);
        out.c_minus.push_back(on ? st.c_minus : 0.0);
        out.psi.push_back(on ? st.psi : 0.0);
      }
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
