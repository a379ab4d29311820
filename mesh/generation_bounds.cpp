// check_generation_bounds: reject in-range parameters whose combination would make a generator
// run away (issue 14: cluster_radius_m = 5 at 16^3 grew to 2.2 GB, wall spacing 1e-12 m and
// bridges_per_m2 = 1e30 ran without output). All estimates use doubles, so nothing overflows.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "mesh/generate.hpp"

namespace ionpath::mesh {
namespace {

// The voxel count in a double (n_total() wraps for 1e9^3).
double voxels(const Grid& g) { return static_cast<double>(g.n_cells[0]) * g.n_cells[1] * g.n_cells[2]; }

std::string g3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

void check_walls(const Grid& grid, const AlignedWallsParams& a) {
  const std::string key = "geometry.aligned_walls.";
  const double h = grid.voxel_size_m, nx = grid.n_cells[0];
  const double n_walls = std::max(1.0, std::round(grid.length_m(0) / a.spacing_m));
  if (n_walls > nx)
    throw GenerationLimitError(key + "spacing_m",
                               "spacing_m = " + g3(a.spacing_m) + " m puts " + g3(n_walls) + " walls across " +
                                   g3(nx) + " voxels along x (more walls than voxels): the spacing must be at least "
                                   "the voxel size " + g3(h) + " m");
  const double period = grid.length_m(0) / n_walls;
  const double t_len = grid.length_m(grid.dimension() == 3 ? 2 : 1);
  const double shift = a.waviness_amplitude_m + std::abs(std::tan(a.tilt_deg * std::numbers::pi / 180.0)) * t_len;
  const double reach = 1.0 + std::ceil((shift + a.thickness_m.value_or(period)) / period);
  const double rows = voxels(grid) / nx;
  const double tests = a.domain_size_m > 0.0 ? voxels(grid) * (2.0 * reach + 1.0)
                                             : rows * (n_walls + 2.0 * reach + 1.0);
  if (tests > generation_work_limit_of(grid))
    throw GenerationLimitError(key + "waviness_amplitude_m",
                               "walls displaced by up to " + g3(shift) + " m (waviness_amplitude_m, tilt_deg) need " +
                                   g3(tests) + " voxel-wall tests, above the limit " + g3(generation_work_limit_of(grid)));
  if (a.bridges_per_m2 <= 0.0 || a.domain_size_m > 0.0) return;
  const double area = n_walls * grid.length_m(1) * (grid.dimension() == 3 ? grid.length_m(2) : h);
  const double n_bridges = a.bridges_per_m2 * area;
  if (n_bridges > voxels(grid))
    throw GenerationLimitError(key + "bridges_per_m2",
                               "bridges_per_m2 = " + g3(a.bridges_per_m2) + " gives " + g3(n_bridges) +
                                   " bridges in " + g3(voxels(grid)) +
                                   " voxels (more objects than voxels)");
  // Each bridge is rasterised over its own y-z window: nx x (cross-section + 2)^2 voxels.
  const double side = std::min(a.bridge_thickness_m / h + 2.0, static_cast<double>(grid.n_cells[1]));
  const double per_bridge = nx * side * (grid.dimension() == 3 ? std::min(side, double(grid.n_cells[2])) : 1.0);
  if (n_bridges * per_bridge > generation_work_limit_of(grid))
    throw GenerationLimitError(key + "bridges_per_m2",
                               g3(n_bridges) + " bridges of " + g3(a.bridge_thickness_m) + " m need " +
                                   g3(n_bridges * per_bridge) + " voxel tests, above the limit " +
                                   g3(generation_work_limit_of(grid)) + " (lower bridges_per_m2 or bridge_thickness_m)");
}

}  // namespace

double generation_work_limit_of(const Grid& grid) noexcept {
  return std::max(generation_work_limit, generation_work_per_voxel * voxels(grid));
}

namespace detail {

double platelet_estimate(const Grid& grid, const RandomPlateletsParams& prm, double target) {
  const int dim = grid.dimension();
  const double h = grid.voxel_size_m;
  const double volume = grid.length_m(0) * grid.length_m(1) * (dim == 3 ? grid.length_m(2) : h);
  const double object_volume = dim == 3 ? (prm.shape == PlateletShape::disc ? std::numbers::pi / 4.0 : 1.0) *
                                              prm.diameter_m * prm.diameter_m * prm.thickness_m
                                        : prm.diameter_m * prm.thickness_m * h;
  // Boolean-model estimate (overlaps allowed): phi = 1 - exp(-n v / V).
  return std::ceil(-volume * std::log(1.0 - target) / object_volume);
}

double platelet_voxels_each(const Grid& grid, const RandomPlateletsParams& prm) {
  double cells = 1.0;
  for (int a = 0; a < grid.dimension(); ++a)
    cells *= std::min(prm.diameter_m / grid.voxel_size_m + 2.0, static_cast<double>(grid.n_cells[a]));
  return cells;
}

double platelet_object_limit(const Grid& grid) { return std::max(1000.0, voxels(grid)); }

}  // namespace detail

void check_generation_bounds(const Grid& grid, const GeometryParams& params) {
  if (const auto* w = std::get_if<AlignedWallsParams>(&params.structure)) check_walls(grid, *w);
  const auto* p = std::get_if<RandomPlateletsParams>(&params.structure);
  if (p == nullptr) return;
  const double target = p->volume_fraction.value_or(
      p->weight_fraction ? volume_fraction_from_weight(*p->weight_fraction, p->clay_density_kg_m3, p->matrix_density_kg_m3)
                         : 0.0);
  if (target <= 0.0) return;
  const std::string key = "geometry.random_platelets.";
  const double n = detail::platelet_estimate(grid, *p, target);
  if (n > detail::platelet_object_limit(grid))
    throw GenerationLimitError(key + "diameter_m",
                               "platelets of " + g3(p->diameter_m) + " x " + g3(p->thickness_m) + " m need about " +
                                   g3(n) + " objects for the fraction " + g3(target) + " in " +
                                   g3(voxels(grid)) + " voxels (more objects than voxels)");
  if (n * detail::platelet_voxels_each(grid, *p) > generation_work_limit_of(grid))
    throw GenerationLimitError(key + "diameter_m",
                               "about " + g3(n) + " platelets of " + g3(p->diameter_m) + " m need " +
                                   g3(n * detail::platelet_voxels_each(grid, *p)) + " voxel tests, above the limit " +
                                   g3(generation_work_limit_of(grid)));
}

}  // namespace ionpath::mesh
