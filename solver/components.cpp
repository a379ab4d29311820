#include "solver/components.hpp"

#include <petscdmda.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "solver/ghost_exchange.hpp"
#include "solver/petsc_error.hpp"

namespace ionpath::solver {
namespace {

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

struct GhostEdge {
  std::size_t cell;   ///< owned offset
  std::size_t ghost;  ///< ghosted offset
};

std::vector<double> gather_all(MPI_Comm comm, std::vector<double> local) {
  std::sort(local.begin(), local.end());
  local.erase(std::unique(local.begin(), local.end()), local.end());
  int n_ranks = 1;
  MPI_Comm_size(comm, &n_ranks);
  const int n_local = static_cast<int>(local.size());
  std::vector<int> counts(n_ranks), displs(n_ranks, 0);
  MPI_Allgather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  std::partial_sum(counts.begin(), counts.end() - 1, displs.begin() + 1);
  std::vector<double> all(static_cast<std::size_t>(displs.back() + counts.back()));
  MPI_Allgatherv(local.data(), n_local, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, comm);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

bool contains(const std::vector<double>& sorted, double v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

}  // namespace

AxisFlags flags_from_mask(std::span<const std::uint8_t> mask) {
  AxisFlags flags(mask.size());
  std::transform(mask.begin(), mask.end(), flags.begin(), [](std::uint8_t m) { return m ? all_axes : 0; });
  return flags;
}

AxisFlags flags_from_tensor(std::span<const double> tensor_xyz) {
  AxisFlags flags(tensor_xyz.size() / 3, 0);
  for (std::size_t c = 0; c < flags.size(); ++c)
    for (int a = 0; a < 3; ++a)
      if (tensor_xyz[3 * c + a] > 0.0) flags[c] |= static_cast<std::uint8_t>(1u << a);
  return flags;
}

ComponentLabels label_components(const Domain& domain, const AxisFlags& flags, int cut_axis) {
  const mesh::Box& own = domain.owned();
  const mesh::Box& gh = domain.ghosted();
  const mesh::Index3& n = domain.grid().n_cells;
  const int dim = domain.dimension();
  if (flags.size() != own.n_cells()) throw std::invalid_argument("label_components: flags do not cover the owned box");

  GhostExchange exchange(domain);
  std::vector<double> flag_values(flags.begin(), flags.end());
  const std::vector<double> ghost_flags = exchange.exchange(flag_values);

  // Union-find inside the owned box (fixed), and the list of edges that leave it.
  std::vector<std::size_t> parent(own.n_cells());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  std::vector<GhostEdge> ghost_edges;
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, k);
        for (int a = 0; a < dim; ++a) {
          const auto bit = static_cast<std::uint8_t>(1u << a);
          if (!(flags[c] & bit)) continue;
          for (int d : {-1, +1}) {
            mesh::Index3 q{i, j, k};
            q[a] += d;
            if (q[a] < 0 || q[a] >= n[a]) {
              if (!domain.periodic(a) || a == cut_axis) continue;
            }
            if (own.contains(q[0], q[1], q[2])) {
              if (d > 0 && (flags[own.offset(q[0], q[1], q[2])] & bit)) {
                const std::size_t r1 = find_root(parent, c), r2 = find_root(parent, own.offset(q[0], q[1], q[2]));
                if (r1 != r2) parent[std::max(r1, r2)] = std::min(r1, r2);
              }
            } else {
              const std::size_t g = gh.offset(q[0], q[1], q[2]);
              if (static_cast<unsigned>(ghost_flags[g]) & bit) ghost_edges.push_back({c, g});
            }
          }
        }
      }

  ComponentLabels out;
  out.label.assign(own.n_cells(), -1.0);
  std::vector<double> root_label(own.n_cells(), -1.0);
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, k);
        if (flags[c] == 0) continue;
        const std::size_t r = find_root(parent, c);
        const double id = static_cast<double>(domain.linear_index(i, j, k));
        root_label[r] = root_label[r] < 0 ? id : std::min(root_label[r], id);
      }
  for (std::size_t c = 0; c < own.n_cells(); ++c) {
    parent[c] = find_root(parent, c);
    if (flags[c] != 0) out.label[c] = root_label[parent[c]];
  }

  // Ghost exchange rounds: each round carries minima across at least one rank boundary.
  for (;;) {
    const std::vector<double>& ghost_label = exchange.exchange(out.label);
    int changed = 0;
    for (const auto& e : ghost_edges) {
      const double g = ghost_label[e.ghost];
      double& r = root_label[parent[e.cell]];
      if (g >= 0 && g < r) {
        r = g;
        changed = 1;
      }
    }
    if (changed)
      for (std::size_t c = 0; c < own.n_cells(); ++c)
        if (flags[c] != 0) out.label[c] = root_label[parent[c]];
    ++out.n_sweeps;
    int any = 0;
    MPI_Allreduce(&changed, &any, 1, MPI_INT, MPI_MAX, domain.comm());
    if (!any) break;
  }

  long long roots = 0;
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i)
        if (out.label[own.offset(i, j, k)] == static_cast<double>(domain.linear_index(i, j, k))) ++roots;
  MPI_Allreduce(&roots, &out.n_components, 1, MPI_LONG_LONG, MPI_SUM, domain.comm());
  return out;
}

ActiveCells classify_components(const Domain& domain, const AxisFlags& flags, const ComponentLabels& labels,
                                std::span<const BoxFace> group_a, std::span<const BoxFace> group_b,
                                ActiveRule rule) {
  const mesh::Box& own = domain.owned();
  const mesh::Index3& n = domain.grid().n_cells;
  const auto touching = [&](std::span<const BoxFace> group) {
    std::vector<double> local;
    for (const BoxFace& f : group) {
      const int plane = f.side == 0 ? 0 : n[f.axis] - 1;
      if (plane < own.lo[f.axis] || plane >= own.hi[f.axis]) continue;
      mesh::Box face = own;
      face.lo[f.axis] = plane;
      face.hi[f.axis] = plane + 1;
      for (int k = face.lo[2]; k < face.hi[2]; ++k)
        for (int j = face.lo[1]; j < face.hi[1]; ++j)
          for (int i = face.lo[0]; i < face.hi[0]; ++i) {
            const std::size_t c = own.offset(i, j, k);
            if (flags[c] & (1u << f.axis)) local.push_back(labels.label[c]);
          }
    }
    return gather_all(domain.comm(), std::move(local));
  };
  const std::vector<double> set_a = touching(group_a);
  const std::vector<double> set_b = touching(group_b);

  ActiveCells out;
  out.active.assign(own.n_cells(), 0);
  long long local[6] = {0, 0, 0, 0, 0, 0};  // both, one, floating, conducting, active, components
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, k);
        const double l = labels.label[c];
        if (l < 0) continue;
        const bool ta = contains(set_a, l), tb = contains(set_b, l);
        const bool act = rule == ActiveRule::touch_both ? (ta && tb) : ta;
        out.active[c] = act ? 1 : 0;
        ++local[3];
        if (act) ++local[4];
        if (l == static_cast<double>(domain.linear_index(i, j, k))) {
          ++local[5];
          if (ta && tb) ++local[0];
          else if (ta || tb) ++local[1];
          else ++local[2];
        }
      }
  long long global[6];
  MPI_Allreduce(local, global, 6, MPI_LONG_LONG, MPI_SUM, domain.comm());
  out.stats.n_touch_both = global[0];
  out.stats.n_touch_one = global[1];
  out.stats.n_floating = global[2];
  out.stats.n_conducting_cells = global[3];
  out.stats.n_active_cells = global[4];
  out.stats.n_components = global[5];
  out.stats.n_cells = static_cast<long long>(domain.grid().n_total());
  return out;
}

ActiveCells electrode_active_cells(const Domain& domain, const AxisFlags& flags, int axis) {
  const ComponentLabels labels = label_components(domain, flags, axis);
  const BoxFace low{axis, 0}, high{axis, 1};
  return classify_components(domain, flags, labels, std::span(&low, 1), std::span(&high, 1), ActiveRule::touch_both);
}

bool percolates(const Domain& domain, std::span<const std::uint8_t> mask, int axis) {
  return electrode_active_cells(domain, flags_from_mask(mask), axis).stats.n_touch_both > 0;
}

}  // namespace ionpath::solver
