#include "solver/grid/connected_components.hpp"

#include <petscdmda.h>

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using Extents = std::array<std::size_t, 3>;  // owned box extents, x fastest

struct Events {
  PetscLogEvent label = 0, classify = 0;
};
const Events& events() {
  static const Events e = [] {
    Events r;
    PetscLogEventRegister("IonpathLabel", DM_CLASSID, &r.label);
    PetscLogEventRegister("IonpathClassify", DM_CLASSID, &r.classify);
    return r;
  }();
  return e;
}

Extents extents_of(const mesh::Box& box) {
  return {std::size_t(box.extent(0)), std::size_t(box.extent(1)), std::size_t(box.extent(2))};
}

Extents strides_of(const Extents& e) { return {1, e[0], e[0] * e[1]}; }

/// Calls fn(offset) for every owned cell on face (axis, side) of the owned box, the lower of the
/// two other axes fastest: both ranks sharing a face enumerate it in the same order.
template <typename Fn>
void for_each_face_cell(const Extents& e, int axis, int side, Fn&& fn) {
  const Extents st = strides_of(e);
  const int u = axis == 0 ? 1 : 0, v = axis == 2 ? 1 : 2;
  const std::size_t base = side == 0 ? 0 : (e[axis] - 1) * st[axis];
  for (std::size_t q = 0; q < e[v]; ++q)
    for (std::size_t p = 0; p < e[u]; ++p) fn(base + p * st[u] + q * st[v]);
}

// Union-find on owned offsets. Union by the smaller root keeps every root the smallest offset of
// its tree and parent[c] <= c, which compact_components relies on.
std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];  // path halving
    x = parent[x];
  }
  return x;
}

void unite(std::vector<std::uint32_t>& parent, std::uint32_t a, std::uint32_t b) {
  a = find_root(parent, a);
  b = find_root(parent, b);
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

/// Joins the tree of `cell` to the tree whose root is `root`; returns the root of the union.
std::uint32_t join(std::vector<std::uint32_t>& parent, std::uint32_t root, std::uint32_t cell) {
  const std::uint32_t r = find_root(parent, cell);
  if (r == root) return root;
  parent[std::max(r, root)] = std::min(r, root);
  return std::min(r, root);
}

bool linked(const AxisFlags& flags, std::size_t a, std::size_t b, unsigned bit) {
  return (flags[a] & flags[b] & bit) != 0;
}

/// True when the owned box spans `axis` and wraps onto itself, so the wrap is a local union.
bool wraps_locally(const Domain& domain, int axis, int cut_axis) {
  return domain.periodic(axis) && axis != cut_axis && domain.owned().extent(axis) == domain.grid().n_cells[axis];
}

/// Union-find over the owned box: a cell joins its lower neighbour along a when both have bit a.
/// A lower neighbour already joined through the diagonal cell between it and an earlier neighbour
/// is skipped: in connected regions most cells then cost a single find.
std::vector<std::uint32_t> local_union_find(const Domain& domain, const AxisFlags& flags, int cut_axis) {
  const Extents e = extents_of(domain.owned());
  const std::size_t sy = e[0], sz = e[0] * e[1];
  std::vector<std::uint32_t> parent(flags.size());
  std::uint32_t c = 0;
  for (std::size_t k = 0; k < e[2]; ++k)
    for (std::size_t j = 0; j < e[1]; ++j)
      for (std::size_t i = 0; i < e[0]; ++i, ++c) {
        parent[c] = c;
        if (flags[c] == 0) continue;
        const bool x = i > 0 && linked(flags, c, c - 1, 1u);
        const bool y = j > 0 && linked(flags, c, c - sy, 2u);
        const bool z = k > 0 && linked(flags, c, c - sz, 4u);
        std::uint32_t root = x ? find_root(parent, c - 1) : c;
        if (y && !(x && linked(flags, c - 1 - sy, c - sy, 1u) && linked(flags, c - 1 - sy, c - 1, 2u)))
          root = join(parent, root, static_cast<std::uint32_t>(c - sy));
        if (z && !(x && linked(flags, c - 1 - sz, c - sz, 1u) && linked(flags, c - 1 - sz, c - 1, 4u)) &&
            !(y && linked(flags, c - sy - sz, c - sz, 2u) && linked(flags, c - sy - sz, c - sy, 4u)))
          root = join(parent, root, static_cast<std::uint32_t>(c - sz));
        parent[c] = root;
      }
  const Extents st = strides_of(e);
  for (int a = 0; a < domain.dimension(); ++a) {
    if (!wraps_locally(domain, a, cut_axis)) continue;
    const std::size_t across = (e[a] - 1) * st[a];
    const auto bit = static_cast<std::uint8_t>(1u << a);
    for_each_face_cell(e, a, 0, [&](std::size_t lo) {
      if (flags[lo] & flags[lo + across] & bit)
        unite(parent, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(lo + across));
    });
  }
  return parent;
}

/// Overwrites `parent` with compact component ids (ascending by first cell; none when insulating)
/// and returns each component's global label: the global linear index of its first cell, which is
/// its smallest one because owned offsets and global indices are both ordered z, y, x.
std::vector<long long> compact_components(const Domain& domain, const AxisFlags& flags,
                                          std::vector<std::uint32_t>& parent) {
  const mesh::Box& own = domain.owned();
  const auto ex = static_cast<std::uint32_t>(own.extent(0)), ey = static_cast<std::uint32_t>(own.extent(1));
  std::vector<long long> first_label;
  // Raw pointers: the byte-sized flags may alias anything, which would reload vector internals.
  const std::uint8_t* f = flags.data();
  std::uint32_t* p = parent.data();
  const auto n = static_cast<std::uint32_t>(parent.size());
  for (std::uint32_t c = 0; c < n; ++c) {
    if (f[c] == 0) {
      p[c] = ComponentLabels::none;
    } else if (p[c] == c) {
      p[c] = static_cast<std::uint32_t>(first_label.size());
      first_label.push_back(
          domain.linear_index(own.lo[0] + int(c % ex), own.lo[1] + int(c / ex % ey), own.lo[2] + int(c / ex / ey)));
    } else {
      p[c] = p[p[c]];  // p[c] < c already holds its compact id
    }
  }
  return first_label;
}

/// One face of the owned box shared with another rank: the local component of each face cell
/// that conducts across it (none otherwise), and the labels sent and received.
struct FaceLink {
  int axis = 0;
  int side = 0;
  int rank = MPI_PROC_NULL;
  std::vector<std::uint32_t> component;
  std::vector<long long> send, recv;
};

std::vector<FaceLink> face_links(const Domain& domain, const AxisFlags& flags,
                                 const std::vector<std::uint32_t>& component, int cut_axis) {
  const mesh::Box& own = domain.owned();
  const Extents e = extents_of(own);
  const int dim = domain.dimension();
  std::vector<FaceLink> links;
  for (int a = 0; a < dim; ++a) {
    if (wraps_locally(domain, a, cut_axis)) continue;
    for (int s = 0; s < 2; ++s) {
      const bool on_boundary = s == 0 ? own.lo[a] == 0 : own.hi[a] == domain.grid().n_cells[a];
      if (on_boundary && (!domain.periodic(a) || a == cut_axis)) continue;
      FaceLink link{a, s, domain.neighbour(a, s), {}, {}, {}};
      const auto bit = static_cast<std::uint8_t>(1u << a);
      for_each_face_cell(e, a, s, [&](std::size_t c) {
        link.component.push_back((flags[c] & bit) ? component[c] : ComponentLabels::none);
      });
      link.send.resize(link.component.size());
      link.recv.resize(link.component.size());
      links.push_back(std::move(link));
    }
  }
  return links;
}

/// Sends each link's face labels (-1 where the cell does not conduct across the face) and
/// receives the neighbour's. Tags name the sender's face, as two links may lead to one rank.
void exchange_faces(MPI_Comm comm, std::vector<FaceLink>& links, const std::vector<long long>& label) {
  std::vector<MPI_Request> requests;
  requests.reserve(2 * links.size());
  for (FaceLink& l : links) {
    for (std::size_t p = 0; p < l.component.size(); ++p)
      l.send[p] = l.component[p] == ComponentLabels::none ? -1 : label[l.component[p]];
    const int n = static_cast<int>(l.send.size());
    requests.emplace_back();
    MPI_Irecv(l.recv.data(), n, MPI_LONG_LONG, l.rank, 2 * l.axis + (1 - l.side), comm, &requests.back());
    requests.emplace_back();
    MPI_Isend(l.send.data(), n, MPI_LONG_LONG, l.rank, 2 * l.axis + l.side, comm, &requests.back());
  }
  MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
}

/// Lowers component labels to the smaller labels received across faces; true if any changed.
bool absorb_faces(const std::vector<FaceLink>& links, std::vector<long long>& label) {
  bool changed = false;
  for (const FaceLink& l : links)
    for (std::size_t p = 0; p < l.component.size(); ++p) {
      const std::uint32_t q = l.component[p];
      if (q != ComponentLabels::none && l.recv[p] >= 0 && l.recv[p] < label[q]) {
        label[q] = l.recv[p];
        changed = true;
      }
    }
  return changed;
}

std::vector<long long> gather_all(MPI_Comm comm, std::vector<long long> local) {
  std::sort(local.begin(), local.end());
  local.erase(std::unique(local.begin(), local.end()), local.end());
  int n_ranks = 1;
  MPI_Comm_size(comm, &n_ranks);
  const int n_local = static_cast<int>(local.size());
  std::vector<int> counts(n_ranks), displs(n_ranks, 0);
  MPI_Allgather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  std::partial_sum(counts.begin(), counts.end() - 1, displs.begin() + 1);
  std::vector<long long> all(static_cast<std::size_t>(displs.back() + counts.back()));
  MPI_Allgatherv(local.data(), n_local, MPI_LONG_LONG, all.data(), counts.data(), displs.data(), MPI_LONG_LONG, comm);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

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
  if (flags.size() != domain.owned().n_cells())
    throw std::invalid_argument("label_components: flags do not cover the owned box");
  if (flags.size() >= ComponentLabels::none)
    throw std::invalid_argument("label_components: more than 2^32 - 2 owned cells on one rank");
  IONPATH_PETSC_CALL(PetscLogEventBegin(events().label, 0, 0, 0, 0));

  ComponentLabels out;
  out.component = local_union_find(domain, flags, cut_axis);
  const std::vector<long long> first_label = compact_components(domain, flags, out.component);
  out.component_label = first_label;

  // Min-label rounds on the component graph: each round carries labels across one rank boundary.
  std::vector<FaceLink> links = face_links(domain, flags, out.component, cut_axis);
  for (;;) {
    exchange_faces(domain.comm(), links, out.component_label);
    int changed = absorb_faces(links, out.component_label) ? 1 : 0;
    ++out.n_sweeps;
    MPI_Allreduce(MPI_IN_PLACE, &changed, 1, MPI_INT, MPI_MAX, domain.comm());
    if (!changed) break;
  }

  // The rank holding a component's smallest cell is the one whose label is still its own.
  out.holds_smallest.resize(first_label.size());
  long long roots = 0;
  for (std::size_t q = 0; q < first_label.size(); ++q) {
    out.holds_smallest[q] = out.component_label[q] == first_label[q] ? 1 : 0;
    roots += out.holds_smallest[q];
  }
  MPI_Allreduce(&roots, &out.n_components, 1, MPI_LONG_LONG, MPI_SUM, domain.comm());
  IONPATH_PETSC_CALL(PetscLogEventEnd(events().label, 0, 0, 0, 0));
  return out;
}

ActiveCells classify_components(const Domain& domain, const AxisFlags& flags, const ComponentLabels& labels,
                                std::span<const BoxFace> group_a, std::span<const BoxFace> group_b, ActiveRule rule) {
  IONPATH_PETSC_CALL(PetscLogEventBegin(events().classify, 0, 0, 0, 0));
  const mesh::Box& own = domain.owned();
  const Extents e = extents_of(own);
  const std::vector<long long>& label = labels.component_label;
  const std::size_t n_local = label.size();

  // Labels of the components touching a group, gathered from all ranks (one entry per component).
  const auto touching = [&](std::span<const BoxFace> group) {
    std::vector<std::uint8_t> touches(n_local, 0);
    for (const BoxFace& f : group) {
      const bool on_face = f.side == 0 ? own.lo[f.axis] == 0 : own.hi[f.axis] == domain.grid().n_cells[f.axis];
      if (!on_face) continue;
      const auto bit = static_cast<std::uint8_t>(1u << f.axis);
      for_each_face_cell(e, f.axis, f.side, [&](std::size_t c) {
        if (flags[c] & bit) touches[labels.component[c]] = 1;
      });
    }
    std::vector<long long> local;
    for (std::size_t q = 0; q < n_local; ++q)
      if (touches[q]) local.push_back(label[q]);
    return gather_all(domain.comm(), std::move(local));
  };
  const std::vector<long long> set_a = touching(group_a);
  const std::vector<long long> set_b = touching(group_b);

  // Per local component + 1, so that `none` wraps to entry 0 (insulating): active or not.
  std::vector<std::uint8_t> active_of(n_local + 1, 0);
  long long local[6] = {0, 0, 0, 0, 0, 0};  // both, one, floating, conducting, active, components
  for (std::size_t q = 0; q < n_local; ++q) {
    const bool ta = std::binary_search(set_a.begin(), set_a.end(), label[q]);
    const bool tb = std::binary_search(set_b.begin(), set_b.end(), label[q]);
    active_of[q + 1] = (rule == ActiveRule::touch_both ? (ta && tb) : ta) ? 1 : 0;
    if (!labels.holds_smallest[q]) continue;  // counted by the rank holding its smallest cell
    ++local[5];
    ++local[ta && tb ? 0 : ta || tb ? 1 : 2];
  }
  ActiveCells out;
  out.active.resize(own.n_cells());
  const std::uint32_t* component = labels.component.data();
  const std::uint8_t* table = active_of.data();
  std::uint8_t* active = out.active.data();
  long long n_conducting = 0, n_active = 0;
  for (std::size_t c = 0; c < out.active.size(); ++c) {
    const std::uint32_t q1 = component[c] + 1u;
    active[c] = table[q1];
    n_conducting += q1 != 0 ? 1 : 0;
    n_active += table[q1];
  }
  local[3] = n_conducting;
  local[4] = n_active;
  long long global[6];
  MPI_Allreduce(local, global, 6, MPI_LONG_LONG, MPI_SUM, domain.comm());
  out.stats.n_touch_both = global[0];
  out.stats.n_touch_one = global[1];
  out.stats.n_floating = global[2];
  out.stats.n_conducting_cells = global[3];
  out.stats.n_active_cells = global[4];
  out.stats.n_components = global[5];
  out.stats.n_cells = static_cast<long long>(domain.grid().n_total());
  IONPATH_PETSC_CALL(PetscLogEventEnd(events().classify, 0, 0, 0, 0));
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
