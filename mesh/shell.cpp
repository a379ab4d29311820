// Interface shell by an exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012,
// separable lower envelopes of parabolas) on a block grown by the shell thickness.
#include <cmath>
#include <limits>
#include <vector>

#include "mesh/generate.hpp"

namespace ionpath::mesh {
namespace {

constexpr double far = 1e20;

// 1-D squared distance transform of f (in place, n values, stride between them).
void edt_1d(double* f, int n, std::ptrdiff_t stride, std::vector<double>& d, std::vector<int>& v,
            std::vector<double>& z) {
  d.resize(n);
  v.resize(n);
  z.resize(n + 1);
  int k = 0;
  v[0] = 0;
  z[0] = -far;
  z[1] = far;
  auto val = [&](int q) { return f[q * stride]; };
  for (int q = 1; q < n; ++q) {
    if (val(q) >= far) continue;
    while (true) {
      if (val(v[k]) >= far) {  // only "infinite" parabolas so far: replace
        v[k] = q;
        z[k] = -far;
        z[k + 1] = far;
        break;
      }
      const double s = ((val(q) + double(q) * q) - (val(v[k]) + double(v[k]) * v[k])) / (2.0 * q - 2.0 * v[k]);
      if (s <= z[k] && k > 0) {
        --k;
        continue;
      }
      if (s <= z[k]) {  // k == 0
        v[0] = q;
        z[0] = -far;
        z[1] = far;
        break;
      }
      ++k;
      v[k] = q;
      z[k] = s;
      z[k + 1] = far;
      break;
    }
  }
  k = 0;
  for (int q = 0; q < n; ++q) {
    while (z[k + 1] < q) ++k;
    const double dq = q - v[k];
    d[q] = val(v[k]) >= far ? far : dq * dq + val(v[k]);
  }
  for (int q = 0; q < n; ++q) f[q * stride] = d[q];
}

}  // namespace

int shell_halo(const Grid& grid, const InterfaceShellParams& shell) {
  return std::max(1, static_cast<int>(std::ceil(shell.thickness_m / grid.voxel_size_m - 1e-9)));
}

int shell_halo(const Grid& grid, const GeometryParams& params) {
  const double widest = std::max(params.shell.thickness_m, params.clay_shell.thickness_m);
  return shell_halo(grid, InterfaceShellParams{widest});
}

namespace {

// Squared distance (in voxels^2) of every cell of `grown` to the nearest centre of a cell with
// is_source(label).
template <class Source>
std::vector<double> squared_distance(const LabelBlock& grown, Source is_source) {
  const Box& g = grown.box();
  const std::array<int, 3> n{g.extent(0), g.extent(1), g.extent(2)};
  std::vector<double> dist(g.n_cells());
  const auto labels = grown.labels();
  for (std::size_t c = 0; c < dist.size(); ++c) dist[c] = is_source(labels[c]) ? 0.0 : far;
  std::vector<double> d, z;
  std::vector<int> v;
  const std::array<std::ptrdiff_t, 3> stride{1, n[0], static_cast<std::ptrdiff_t>(n[0]) * n[1]};
  for (int axis = 0; axis < 3; ++axis) {
    if (n[axis] == 1) continue;
    const int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
    for (int p = 0; p < n[a1]; ++p)
      for (int q = 0; q < n[a2]; ++q)
        edt_1d(dist.data() + p * stride[a1] + q * stride[a2], n[axis], stride[axis], d, v, z);
  }
  return dist;
}

// Owned cells of `out` with label `from` within thickness_m of a source become `to`.
template <class Source>
void convert_within(const Grid& grid, const LabelBlock& grown, const Box& owned, double thickness_m, Source is_source,
                    Label from, Label to, LabelBlock& out) {
  const std::vector<double> dist = squared_distance(grown, is_source);
  const double r = thickness_m / grid.voxel_size_m;
  const double r2 = r * r * (1.0 + 1e-12);
  const Box& g = grown.box();
  for (int k = owned.lo[2]; k < owned.hi[2]; ++k)
    for (int j = owned.lo[1]; j < owned.hi[1]; ++j)
      for (int i = owned.lo[0]; i < owned.hi[0]; ++i)
        if (out.at(i, j, k) == from && dist[g.offset(i, j, k)] <= r2) out.at(i, j, k) = to;
}

}  // namespace

LabelBlock apply_interface_shell(const Grid& grid, const LabelBlock& grown, const Box& owned,
                                 const InterfaceShellParams& shell) {
  LabelBlock out = crop(grown, owned);
  if (shell.thickness_m <= 0.0) return out;
  convert_within(grid, grown, owned, shell.thickness_m, is_clay_like, phase::gel, phase::interface, out);
  return out;
}

LabelBlock apply_shells(const Grid& grid, const LabelBlock& grown, const Box& owned, const GeometryParams& params) {
  if (params.clay_shell.thickness_m <= 0.0) return apply_interface_shell(grid, grown, owned, params.shell);
  // M-a first: gel next to aggregates is clay_shell, then the interface takes the remaining gel
  // next to walls and clay (so clay_shell replaces the interface around aggregates).
  LabelBlock out = crop(grown, owned);
  convert_within(grid, grown, owned, params.clay_shell.thickness_m, [](Label l) { return l == phase::clay; }, phase::gel,
                 phase::clay_shell, out);
  if (params.shell.thickness_m > 0.0)
    convert_within(grid, grown, owned, params.shell.thickness_m, is_clay_like, phase::gel, phase::interface, out);
  return out;
}

LabelBlock crop(const LabelBlock& block, const Box& inner) {
  LabelBlock out(inner, phase::gel);
  for (int k = inner.lo[2]; k < inner.hi[2]; ++k)
    for (int j = inner.lo[1]; j < inner.hi[1]; ++j)
      for (int i = inner.lo[0]; i < inner.hi[0]; ++i) out.at(i, j, k) = block.at(i, j, k);
  return out;
}

}  // namespace ionpath::mesh
