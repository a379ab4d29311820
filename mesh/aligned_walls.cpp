// Ice-templated VAMMT walls (spec §6.2): planes normal to x (or to a per-domain in-plane
// direction), continuous along the transport axis, with jitter, waviness, tilt and bridges.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "mesh/random.hpp"
#include "mesh/rasterisers.hpp"

namespace ionpath::mesh::detail {
namespace {

constexpr std::uint64_t stream_wall = 11, stream_domain = 12, stream_bridge = 13;

struct WallLayout {
  double period = 0.0;     // mean spacing actually used (tiles Lx when periodic)
  double thickness = 0.0;
  int n_walls = 0;         // walls per period length Lx (periodic) or covering Lx
  bool periodic_x = false;
  double length_x = 0.0;
};

// Centre of wall k (unwrapped, k may be negative) in the coordinate across the walls.
double wall_centre(const GeometryParams& p, const WallLayout& w, std::uint64_t domain, long k) {
  const auto& a = std::get<AlignedWallsParams>(p.structure);
  const long key = w.periodic_x && domain == 0 ? ((k % w.n_walls) + w.n_walls) % w.n_walls : k;
  CounterRng rng(p.seed, stream_wall + 100 * domain, static_cast<std::uint64_t>(key) + (1ULL << 40));
  const double jitter = std::clamp(a.spacing_spread * rng.normal(), -0.35, 0.35) * w.period;
  return (static_cast<double>(k) + 0.5) * w.period + jitter;
}

// Mid-plane displacement: waviness along the wall plane plus tilt along the transport axis.
double wall_offset(const GeometryParams& p, const Grid& g, std::uint64_t domain, long k, double s_along,
                   double y) {
  const auto& a = std::get<AlignedWallsParams>(p.structure);
  double off = 0.0;
  if (a.waviness_amplitude_m > 0.0) {
    CounterRng rng(p.seed, stream_wall + 100 * domain + 1, static_cast<std::uint64_t>(k) + (1ULL << 40));
    const double phase = 2.0 * std::numbers::pi * rng.uniform();
    off += a.waviness_amplitude_m * std::sin(2.0 * std::numbers::pi * (s_along + y) / a.waviness_wavelength_m + phase);
  }
  if (a.tilt_deg != 0.0) {
    const int t_axis = g.dimension() == 3 ? 2 : 1;
    off += std::tan(a.tilt_deg * std::numbers::pi / 180.0) * (s_along - 0.5 * g.length_m(t_axis));
  }
  return off;
}

}  // namespace

void rasterise_aligned_walls(const Grid& grid, const GeometryParams& params, LabelBlock& grown,
                             GenerationInfo& info) {
  const auto& a = std::get<AlignedWallsParams>(params.structure);
  const double h = grid.voxel_size_m;
  WallLayout w;
  w.length_x = grid.length_m(0);
  w.periodic_x = wraps(params, 0);
  w.n_walls = std::max(1, static_cast<int>(std::lround(w.length_x / a.spacing_m)));
  w.period = w.periodic_x ? w.length_x / w.n_walls : a.spacing_m;
  w.thickness = a.thickness_m ? *a.thickness_m : a.target_volume_fraction.value_or(0.152) * w.period;
  if (a.porosity > 0.0) w.thickness /= 1.0 - a.porosity;  // M-d: same dense wall, gel-filled pores
  if (w.thickness <= 0.0 || w.thickness >= w.period)
    throw std::invalid_argument("aligned walls: thickness must lie in (0, spacing)");
  const bool domains = a.domain_size_m > 0.0;
  const int t_axis = grid.dimension() == 3 ? 2 : 1;
  // Largest mid-plane displacement decides how many neighbouring walls a voxel must test.
  const double max_shift = a.waviness_amplitude_m +
                           std::abs(std::tan(a.tilt_deg * std::numbers::pi / 180.0)) * grid.length_m(t_axis);
  const long reach = 1 + static_cast<long>(std::ceil((max_shift + w.thickness) / w.period));

  const Box& b = grown.box();
  if (!domains) {
    // Straight walls: per (y, z) row, each wall covers one run of x cells. Centres and phases are
    // drawn once per wall, not per voxel.
    const long k_lo = static_cast<long>(std::floor(centre_m(b.lo[0], h) / w.period)) - reach;
    const long k_hi = static_cast<long>(std::floor(centre_m(b.hi[0] - 1, h) / w.period)) + reach;
    std::vector<double> centres;
    for (long kw = k_lo; kw <= k_hi; ++kw) centres.push_back(wall_centre(params, w, 0, kw));
    for (int k = b.lo[2]; k < b.hi[2]; ++k)
      for (int j = b.lo[1]; j < b.hi[1]; ++j) {
        const double y = centre_m(j, h), z = centre_m(k, h);
        const double s_along = t_axis == 2 ? z : y;
        const double y_plane = grid.dimension() == 3 ? y : 0.0;
        for (long kw = k_lo; kw <= k_hi; ++kw) {
          const double c = centres[static_cast<std::size_t>(kw - k_lo)] + wall_offset(params, grid, 0, kw, s_along, y_plane);
          // Same half-open rule as below: cells with (x - c + t/2)/h in [0, t/h).
          const double first = (c - 0.5 * w.thickness) / h - 0.5;  // index whose centre sits on the lower edge
          const int i0 = std::max(b.lo[0], static_cast<int>(std::ceil(first - 1e-9)));
          const int i1 = std::min(b.hi[0], static_cast<int>(std::ceil(first + w.thickness / h - 1e-9)));
          for (int i = i0; i < i1; ++i) grown.at(i, j, k) = phase::wall;
        }
      }
  }
  for (int k = b.lo[2]; k < b.hi[2] && domains; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const double x = centre_m(i, h), y = centre_m(j, h), z = centre_m(k, h);
        const double s_along = t_axis == 2 ? z : y;
        const double y_plane = grid.dimension() == 3 ? y : 0.0;
        double u = x;  // coordinate across the walls
        std::uint64_t domain = 0;
        if (domains) {
          // Voronoi domain on a jittered lattice of cell size D in the x-y plane.
          const double D = a.domain_size_m;
          const long ca = static_cast<long>(std::floor(x / D)), cb = static_cast<long>(std::floor(y / D));
          double best = 1e300;
          double angle = 0.0;
          for (long da = -1; da <= 1; ++da)
            for (long db = -1; db <= 1; ++db) {
              const long la = ca + da, lb = cb + db;
              const std::uint64_t id = (static_cast<std::uint64_t>(la + (1L << 20)) << 24) ^
                                       static_cast<std::uint64_t>(lb + (1L << 20));
              CounterRng rng(params.seed, stream_domain, id);
              const double sx = (la + rng.uniform()) * D, sy = (lb + rng.uniform()) * D;
              const double d2 = (x - sx) * (x - sx) + (y - sy) * (y - sy);
              if (d2 < best) {
                best = d2;
                angle = std::numbers::pi * rng.uniform();
                domain = id + 1;
              }
            }
          u = x * std::cos(angle) + y * std::sin(angle);
        }
        const long k0 = static_cast<long>(std::floor(u / w.period));
        bool in_wall = false;
        for (long kw = k0 - reach; kw <= k0 + reach && !in_wall; ++kw) {
          const double c = wall_centre(params, w, domain, kw) + wall_offset(params, grid, domain, kw, s_along, y_plane);
          // Half-open slab: a wall of t = m h covers exactly m voxels wherever its centre lies.
          // (The 1e-9 voxel shift keeps round-off from moving cells that sit exactly on an edge.)
          const double d = (u - c + 0.5 * w.thickness) / h;
          in_wall = d >= -1e-9 && d < w.thickness / h - 1e-9;
        }
        if (in_wall) grown.at(i, j, k) = phase::wall;
      }

  // Bridges: square slabs joining wall k to wall k+1 (straight walls only).
  if (a.bridges_per_m2 > 0.0 && !domains) {
    const double area = w.n_walls * grid.length_m(1) * (grid.dimension() == 3 ? grid.length_m(2) : h);
    const auto n_bridges = static_cast<std::uint64_t>(std::lround(a.bridges_per_m2 * area));
    const double half = 0.5 * a.bridge_thickness_m;
    for (std::uint64_t n = 0; n < n_bridges; ++n) {
      CounterRng rng(params.seed, stream_bridge, n);
      const long kw = static_cast<long>(rng.uniform() * w.n_walls);
      const double by = rng.uniform() * grid.length_m(1);
      const double bz = grid.dimension() == 3 ? rng.uniform() * grid.length_m(2) : 0.5 * h;
      const double x0 = wall_centre(params, w, 0, kw), x1 = wall_centre(params, w, 0, kw + 1);
      // Only the rows within the bridge's z window and y band are scanned (same cells as a full scan).
      const bool three_d = grid.dimension() == 3;
      const bool window = three_d && std::ceil(half / h) + 1.0 < grid.n_cells[2];  // else every row
      const int reach_cells = window ? static_cast<int>(std::ceil(half / h)) + 1 : 0;
      const int kc = static_cast<int>(std::floor(bz / h));
      for (int k = window ? std::max(b.lo[2], kc - reach_cells) : b.lo[2];
           k < (window ? std::min(b.hi[2], kc + reach_cells + 1) : b.hi[2]); ++k)
        for (int j = b.lo[1]; j < b.hi[1]; ++j) {
          const double dy = std::abs(std::remainder(centre_m(j, h) - by, grid.length_m(1)));
          const double dz = three_d ? std::abs(centre_m(k, h) - bz) : 0.0;
          if (dy > half || dz > half) continue;
          for (int i = b.lo[0]; i < b.hi[0]; ++i) {
            double x = centre_m(i, h);
            if (w.periodic_x) x = x0 + std::remainder(x - x0, w.length_x);
            if (x >= x0 && x <= x1) grown.at(i, j, k) = phase::wall;
          }
        }
    }
  }
  info.n_objects = static_cast<std::size_t>(w.n_walls);
  info.wall_thickness_m = w.thickness;
  info.target_clay_fraction = w.thickness / w.period;
}

}  // namespace ionpath::mesh::detail
