// Set-up of the electroneutral model: coefficient ghosts, the active cells (spec §3.9), and the
// rows that replace a charge or anion row when no electrode fixes its level (gauge, inventory).
#include <mpi.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "solver/electroneutral/assembly.hpp"
#include "solver/grid/connected_components.hpp"
#include "solver/grid/dmda_ghosts.hpp"

namespace ionpath::solver::en_detail {
namespace {

bool fixes_anion(const ElectroneutralInput& in) {
  return in.low.kind == ElectrodeKind::reservoir || in.high.kind == ElectrodeKind::reservoir;
}

// Faces that fix the level of mu+ (and so of the potential) of the clusters touching them.
bool fixes_potential(const ElectrodeBC& bc) {
  return bc.kind == ElectrodeKind::ideal_li || bc.kind == ElectrodeKind::reservoir ||
         bc.kind == ElectrodeKind::butler_volmer;
}


// One inventory constraint per anion cluster (see Inventory): components of the active cells
// under anion transport (an active cell that carries no anions along any axis is a cluster of its
// own). Cluster ids are the components' labels (smallest linear index) in increasing order, the
// same on every rank; the anchor is the cell whose linear index is the label.
void setup_inventory(Context& ctx, const Domain& d, const ElectroneutralInput& in, std::span<const std::uint8_t> active) {
  const std::size_t n_own = d.owned().n_cells();
  std::vector<double> anion(3 * n_own, 0.0);
  for (std::size_t c = 0; c < n_own; ++c)
    if (active[c])
      for (std::size_t a = 0; a < 3; ++a) anion[3 * c + a] = in.D_minus[3 * c + a];
  const ComponentLabels labels = label_components(d, flags_from_tensor(anion));
  std::vector<long long> label(n_own, -1);
  assembly::for_each_owned_cell(d, [&](const assembly::Cell& c) {
    if (!active[c.own]) return;
    const long long l = labels.label(c.own);
    label[c.own] = l >= 0 ? l : d.linear_index(c.index[0], c.index[1], c.index[2]);
  });
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
  inv.pin.assign(n_clusters, 0.0);
  assembly::for_each_owned_cell(d, [&](const assembly::Cell& c) {
    const std::size_t o = c.own, g = c.ghost;
    if (label[o] < 0) return;
    const auto q = static_cast<std::size_t>(std::lower_bound(all.begin(), all.end(), label[o]) - all.begin());
    inv.cluster[o] = static_cast<std::int32_t>(q);
    if (d.linear_index(c.index[0], c.index[1], c.index[2]) == label[o]) {
      inv.anchor_row[q] = ctx.l2g[2 * g + 1];
      inv.anchor_local[q] = static_cast<long long>(2 * o + 1);
    }
    // Target = content of the initial state (equilibrium by default).
    const double s = in.initial_mu.empty() ? 0.0 : in.initial_mu[2 * o] + in.initial_mu[2 * o + 1];
    inv.target[q] += ctx.kappa[o] * physics::electroneutral_cell(s, 0.0, ctx.X[g]).c_minus;
  });
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
  if (in.galvanostatic_current) {
    if (steady)
      throw std::invalid_argument("electroneutral: galvanostatic_current is for transients (steady: "
                                  "solve_electroneutral_galvanostatic_steady)");
    if (in.low.kind != ElectrodeKind::ideal_li && in.low.kind != ElectrodeKind::butler_volmer)
      throw std::invalid_argument("electroneutral galvanostatic: the low electrode must be ideal_li or butler_volmer");
    if (!fixes_potential(in.high))
      throw std::invalid_argument("electroneutral galvanostatic: the high electrode must fix the potential "
                                  "(ideal_li, butler_volmer or reservoir)");
  }
  ctx.domain = &d;
  ctx.dof = 2;
  ctx.input = in;
  ctx.galvanostatic = Galvanostatic{};
  ctx.galvanostatic.on = in.galvanostatic_current.has_value();
  ctx.galvanostatic.current = in.galvanostatic_current.value_or(0.0);
  ctx.galvanostatic.phi = in.low.mu_plus;
  GhostExchange ex(d);
  ctx.Dp = assembly::ghosted_axes(d, ex, in.D_plus);
  ctx.Dm = assembly::ghosted_axes(d, ex, in.D_minus);
  ctx.X = assembly::ghosted_component(d, ex, in.X, 1, 0);
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
  ctx.l2g = assembly::local_to_global_rows(d);
  ctx.n_cells = d.grid().n_total();
  ctx.inventory = Inventory{};
  if (inventory_row) setup_inventory(ctx, d, in, kept.active);
  if (anchors.empty()) {  // gauge: mu+ of the first active cell keeps its initial value
    long long best = std::numeric_limits<long long>::max();
    double value = 0.0;
    assembly::for_each_owned_cell(d, [&](const assembly::Cell& c) {
      if (!ctx.active[c.ghost] || ctx.l2g[2 * c.ghost] >= best) return;
      best = ctx.l2g[2 * c.ghost];
      value = in.initial_mu.empty() ? 0.0 : in.initial_mu[2 * c.own];
    });
    long long global_best = best;
    MPI_Allreduce(MPI_IN_PLACE, &global_best, 1, MPI_LONG_LONG, MPI_MIN, d.comm());
    double v = global_best == best ? value : 0.0;  // only the owner contributes
    MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_SUM, d.comm());
    ctx.gauge_row = static_cast<PetscInt>(global_best);
    ctx.gauge_value = v;
  }
  ctx.diag.cross_section.assign(static_cast<std::size_t>(d.grid().n_cells[d.transport_axis()]) + 1, 0.0);
}

}  // namespace ionpath::solver::en_detail
