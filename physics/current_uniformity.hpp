#pragma once
/// Statistics of the normal current density on a plane of face cells (spec §5.5): an electrode
/// face or an interior cross-section, n0 x n1 equal cells (n0 fastest; n1 = 1 for 2D grids).
///
/// Definitions, over a set S of cells (the full face, or the conducting cells only), each cell of
/// area fraction 1/|S| of the set:
///   mean       i_bar = sum_S i_f / |S|  (over the full, unaveraged face: I / A)
///   std_dev    s = sqrt(sum_S (i_f - i_bar)^2 / |S|)   (population standard deviation)
///   cv         s / i_bar;  max_over_mean, min_over_mean = max_S i_f / i_bar, min_S i_f / i_bar
///   a50        smallest area fraction of S carrying half of sum_S i_f: cells sorted by i_f
///              descending, whole cells taken while the running sum stays below half; the cell
///              that crosses half counts with the fraction of its area that carries the missing
///              part (linear in its current), so a50 is continuous and = 0.5 on a uniform face.
///              NaN when sum_S i_f <= 0.
///   histogram  `bins` equal bins of i_f / i_bar over [min(0, min), max] (a zero-width range is
///              widened by +-0.5); the maximum falls in the last bin; counts, area and current
///              fractions per bin.
/// Box averaging over w x w cells (w along axis 1 only if n1 > 1): the window of cell r covers
/// r - (w-1)/2 ... r - (w-1)/2 + w - 1 (integer division; centred for odd w). Along a periodic
/// axis the window wraps; along any other axis it is truncated to the cells inside the face and
/// the average is over the cells it still covers. Inactive cells count with their value (0).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ionpath::physics {

/// A plane of face currents: values[i0 + n0 * i1] (A/m2 or any unit), conducting mask alike.
struct FaceMap {
  int n0 = 1, n1 = 1;
  bool periodic0 = false, periodic1 = false;
  std::vector<double> values;
  std::vector<std::uint8_t> conducting;  ///< 1 where the face conducts; empty = all conduct
  [[nodiscard]] std::size_t size() const noexcept {
    return static_cast<std::size_t>(n0) * static_cast<std::size_t>(n1);
  }
};

struct HistogramBin {
  double lower = 0.0, upper = 0.0;  ///< edges in units of i_bar
  std::size_t count = 0;
  double area_fraction = 0.0;     ///< count / |S|
  double current_fraction = 0.0;  ///< sum of i_f in the bin / sum_S i_f
};

struct UniformityStats {
  std::size_t n_cells = 0;  ///< |S|
  double mean = 0.0, std_dev = 0.0, cv = 0.0, max_over_mean = 0.0, min_over_mean = 0.0, a50 = 0.0;
  std::vector<HistogramBin> histogram;
};

/// Statistics of `values[c]` over the cells with `include[c] != 0` (all cells if include is
/// empty). An empty set gives n_cells = 0 and NaN statistics.
[[nodiscard]] UniformityStats uniformity_stats(const std::vector<double>& values,
                                               const std::vector<std::uint8_t>& include, int bins);

/// a50 of the values (definition above), exposed for tests.
[[nodiscard]] double area_fraction_half_current(std::vector<double> values);

/// The map box-averaged over w x w cells (definition above); w >= 1, w <= n0 and (n1 > 1) w <= n1.
[[nodiscard]] FaceMap box_average(const FaceMap& map, int w);

/// Full-face and conducting-cell statistics of one map.
struct PlaneStats {
  UniformityStats full, conducting;
};
[[nodiscard]] PlaneStats plane_stats(const FaceMap& map, int bins);

}  // namespace ionpath::physics
