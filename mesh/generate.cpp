// generate_block: structure on a grown box, clay fraction reached by counting, then the shell.
#include "mesh/generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "mesh/rasterisers.hpp"

namespace ionpath::mesh {
namespace {

// Voxel-counted clay fraction as a function of the number of platelets n: every owned voxel is
// covered first by one object index, so a histogram over indices gives fraction(n) for all n.
std::vector<double> coverage_histogram(const std::vector<std::uint32_t>& first, const Box& grown, const Box& owned,
                                       std::size_t n_objects, const SumInPlace& sum) {
  std::vector<double> hist(n_objects + 1, 0.0);  // last slot: owned cells (for the total)
  for (int k = owned.lo[2]; k < owned.hi[2]; ++k)
    for (int j = owned.lo[1]; j < owned.hi[1]; ++j)
      for (int i = owned.lo[0]; i < owned.hi[0]; ++i) {
        const std::uint32_t f = first[grown.offset(i, j, k)];
        if (f != std::numeric_limits<std::uint32_t>::max()) hist[f] += 1.0;
      }
  hist.back() = static_cast<double>(owned.n_cells());
  sum(hist);
  return hist;
}

GenerationInfo generate_platelets(const Grid& grid, const GeometryParams& params, const Box& owned, LabelBlock& grown,
                                  const SumInPlace& sum) {
  const auto& prm = std::get<RandomPlateletsParams>(params.structure);
  GenerationInfo info;
  info.structure = "random_platelets";
  double target = prm.volume_fraction.value_or(0.0);
  if (prm.weight_fraction) {
    info.weight_fraction = *prm.weight_fraction;
    target = volume_fraction_from_weight(*prm.weight_fraction, prm.clay_density_kg_m3, prm.matrix_density_kg_m3);
    info.converted_volume_fraction = target;
  }
  info.target_clay_fraction = target;
  if (target <= 0.0) return info;
  const auto estimate = static_cast<std::size_t>(detail::platelet_estimate(grid, prm, target));
  std::size_t n_max = std::max<std::size_t>(8, estimate + estimate / 4 + 8);
  std::vector<std::uint32_t> first;
  std::vector<double> hist;
  std::vector<detail::Platelet> objects;
  for (int attempt = 0;; ++attempt) {
    objects = detail::platelet_sequence(grid, params, n_max);
    detail::rasterise_platelets(grid, params, objects, grown.box(), first);
    hist = coverage_histogram(first, grown.box(), owned, n_max, sum);
    double covered = 0.0;
    for (std::size_t o = 0; o < n_max; ++o) covered += hist[o];
    if (covered / hist.back() >= target) break;
    if (attempt > 30) throw std::runtime_error("random platelets: target fraction not reachable");
    n_max *= 2;
    if (static_cast<double>(n_max) > detail::platelet_object_limit(grid) ||
        static_cast<double>(n_max) * detail::platelet_voxels_each(grid, prm) > generation_work_limit_of(grid)) {
      char msg[480];
      std::snprintf(msg, sizeof msg,
                    "random platelets: %zu platelets cover only %.3g of the target fraction %.3g, and more would "
                    "exceed the bound (objects <= voxels = %zu, voxel tests <= %.3g)%s",
                    n_max / 2, covered / hist.back(), target, grid.n_total(), generation_work_limit_of(grid),
                    prm.placement == PlacementKind::clustered && !wraps(params, 0)
                        ? ": with placement clustered most children land outside the domain when cluster_radius_m "
                          "is large against the box"
                        : "");
      throw GenerationLimitError("geometry.random_platelets.cluster_radius_m", msg);
    }
  }
  // Smallest n whose fraction reaches the target; keep n-1 if that is closer.
  const double total = hist.back();
  double covered = 0.0;
  std::size_t n = 0;
  while (n < n_max && covered / total < target) covered += hist[n++];
  if (n > 0 && std::abs((covered - hist[n - 1]) / total - target) < std::abs(covered / total - target)) {
    covered -= hist[--n];
  }
  objects.resize(n);
  for (std::size_t c = 0; c < first.size(); ++c)
    if (first[c] < n) grown.labels()[c] = phase::clay;
  info.n_objects = n;
  info.orientation = detail::orientation_stats(grid, params, objects);
  return info;
}

}  // namespace

SumInPlace serial_sum() {
  return [](std::span<double>) {};
}

bool wraps(const GeometryParams& params, int /*axis*/) noexcept {
  // Every axis, the transport axis included: the labels are a function of (grid, parameters,
  // seed) only, so sigma_x, sigma_y and sigma_z are measured on one structure (defect 9). The
  // electrodes that the solver puts on the transport faces cut the periodic structure there.
  return params.side_walls == SideWalls::periodic;
}

Box grow_box(const Grid& grid, const Box& owned, int halo, const GeometryParams& params) {
  Box b = owned;
  for (int a = 0; a < 3; ++a) {
    if (grid.n_cells[a] == 1) continue;
    b.lo[a] -= halo;
    b.hi[a] += halo;
    if (!wraps(params, a)) {
      b.lo[a] = std::max(b.lo[a], 0);
      b.hi[a] = std::min(b.hi[a], grid.n_cells[a]);
    }
  }
  return b;
}

GeneratedBlock generate_block(const Grid& grid, const GeometryParams& params, const Box& owned,
                              const SumInPlace& sum) {
  if (std::holds_alternative<ImageParams>(params.structure))
    throw std::invalid_argument("image structures are read by io::import_image_block, not generated");
  check_generation_bounds(grid, params);
  const int halo = shell_halo(grid, params);
  LabelBlock grown(grow_box(grid, owned, halo, params), phase::gel);
  GenerationInfo info;
  if (std::holds_alternative<PureGelParams>(params.structure)) {
    info.structure = "pure_gel";
  } else if (std::holds_alternative<AlignedWallsParams>(params.structure)) {
    info.structure = "aligned_walls";
    detail::rasterise_aligned_walls(grid, params, grown, info);
  } else {
    info = generate_platelets(grid, params, owned, grown, sum);
  }
  // Achieved clay fraction over the whole domain (owned cells only, so nothing is counted twice).
  std::vector<double> count{0.0, static_cast<double>(owned.n_cells())};
  for (int k = owned.lo[2]; k < owned.hi[2]; ++k)
    for (int j = owned.lo[1]; j < owned.hi[1]; ++j)
      for (int i = owned.lo[0]; i < owned.hi[0]; ++i) count[0] += is_clay_like(grown.at(i, j, k)) ? 1.0 : 0.0;
  sum(count);
  info.achieved_clay_fraction = count[0] / count[1];
  return {apply_shells(grid, grown, owned, params), info};
}

}  // namespace ionpath::mesh
