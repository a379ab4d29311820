#pragma once
/// Internal: the per-structure rasterisers behind generate_block. Each fills a block covering a
/// grown box whose indices may run outside [0, N) on periodic axes (coordinates are unwrapped).
#include <cstdint>
#include <vector>

#include "mesh/generate.hpp"

namespace ionpath::mesh::detail {

/// Cell-centre coordinate in metres along one axis (unwrapped: index -1 lies at -h/2).
[[nodiscard]] inline double centre_m(int i, double h) noexcept { return (i + 0.5) * h; }

void rasterise_aligned_walls(const Grid& grid, const GeometryParams& params, LabelBlock& grown,
                             GenerationInfo& info);

/// Platelets: fills `first_object` (per grown cell, the smallest index of an object covering it,
/// or UINT32_MAX) for the first `n` objects of the deterministic sequence.
struct Platelet {
  std::array<double, 3> centre;
  std::array<double, 3> normal;
  std::array<double, 3> e1;  ///< in-plane axes (rectangles; e1 is the in-plane direction in 2D)
  std::array<double, 3> e2;
};
[[nodiscard]] std::vector<Platelet> platelet_sequence(const Grid& grid, const GeometryParams& params,
                                                      std::size_t n);
void rasterise_platelets(const Grid& grid, const GeometryParams& params, const std::vector<Platelet>& objects,
                         const Box& box, std::vector<std::uint32_t>& first_object);
[[nodiscard]] OrientationStats orientation_stats(const Grid& grid, const GeometryParams& params,
                                                 const std::vector<Platelet>& objects);
/// Watson concentration k with <P2> = S (3D) or <cos 2a> = S (2D); 0 for S = 0.
[[nodiscard]] double watson_concentration(double S, int dimension);

/// Boolean-model number of platelets for a volume fraction (overlaps allowed).
[[nodiscard]] double platelet_estimate(const Grid& grid, const RandomPlateletsParams& prm, double target);
/// Voxels of one platelet's bounding box (clipped to the grid).
[[nodiscard]] double platelet_voxels_each(const Grid& grid, const RandomPlateletsParams& prm);
/// Most platelets a generator places: the voxel count (at least 1000).
[[nodiscard]] double platelet_object_limit(const Grid& grid);

}  // namespace ionpath::mesh::detail
