#include "physics/current_uniformity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ionpath::physics {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<HistogramBin> histogram(const std::vector<double>& v, double mean, double sum, int bins) {
  if (bins < 1) throw std::invalid_argument("uniformity histogram: bins must be >= 1");
  std::vector<HistogramBin> h(static_cast<std::size_t>(bins));
  if (v.empty() || !(mean != 0.0)) return h;
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  double lo = std::min(0.0, *mn / mean), hi = *mx / mean;
  if (lo > hi) std::swap(lo, hi);  // a negative mean flips the order
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const double width = (hi - lo) / bins;
  for (int b = 0; b < bins; ++b) {
    h[static_cast<std::size_t>(b)].lower = lo + b * width;
    h[static_cast<std::size_t>(b)].upper = b + 1 == bins ? hi : lo + (b + 1) * width;
  }
  for (const double x : v) {
    const auto b = static_cast<std::size_t>(std::clamp(static_cast<int>(std::floor((x / mean - lo) / width)), 0, bins - 1));
    h[b].count += 1;
    h[b].current_fraction += x;
  }
  for (auto& bin : h) {
    bin.area_fraction = static_cast<double>(bin.count) / static_cast<double>(v.size());
    bin.current_fraction = sum != 0.0 ? bin.current_fraction / sum : nan;
  }
  return h;
}

// Sum of `v` over the window of w cells around r along an axis of n cells.
template <class At>
std::pair<double, int> window_sum(int r, int w, int n, bool periodic, At&& at) {
  const int start = r - (w - 1) / 2;
  double s = 0.0;
  int count = 0;
  for (int q = start; q < start + w; ++q) {
    int idx = q;
    if (periodic) {
      idx = ((q % n) + n) % n;
    } else if (q < 0 || q >= n) {
      continue;
    }
    s += at(idx);
    ++count;
  }
  return {s, count};
}

}  // namespace

double area_fraction_half_current(std::vector<double> values) {
  if (values.empty()) return nan;
  std::sort(values.begin(), values.end(), std::greater<>());
  const double total = std::accumulate(values.begin(), values.end(), 0.0);
  if (!(total > 0.0)) return nan;
  const double half = 0.5 * total;
  double running = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (running + values[k] >= half) {
      const double part = values[k] > 0.0 ? (half - running) / values[k] : 0.0;
      return (static_cast<double>(k) + part) / static_cast<double>(values.size());
    }
    running += values[k];
  }
  return 1.0;  // round-off: the descending running sum ends just below half
}

UniformityStats uniformity_stats(const std::vector<double>& values, const std::vector<std::uint8_t>& include, int bins) {
  std::vector<double> v;
  v.reserve(values.size());
  for (std::size_t c = 0; c < values.size(); ++c)
    if (include.empty() || include[c]) v.push_back(values[c]);
  UniformityStats s;
  s.n_cells = v.size();
  if (v.empty()) {
    s.mean = s.std_dev = s.cv = s.max_over_mean = s.min_over_mean = s.a50 = nan;
    s.histogram = histogram(v, 0.0, 0.0, bins);
    return s;
  }
  const double n = static_cast<double>(v.size());
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  s.mean = sum / n;
  double sq = 0.0;
  for (const double x : v) sq += (x - s.mean) * (x - s.mean);
  s.std_dev = std::sqrt(sq / n);
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  s.cv = s.std_dev / s.mean;
  s.max_over_mean = *mx / s.mean;
  s.min_over_mean = *mn / s.mean;
  s.histogram = histogram(v, s.mean, sum, bins);
  s.a50 = area_fraction_half_current(std::move(v));
  return s;
}

FaceMap box_average(const FaceMap& map, int w) {
  if (w < 1 || w > map.n0 || (map.n1 > 1 && w > map.n1))
    throw std::invalid_argument("box_average: window of " + std::to_string(w) + " cells does not fit the face");
  if (map.values.size() != map.size()) throw std::invalid_argument("box_average: map size mismatch");
  const int w1 = map.n1 > 1 ? w : 1;
  FaceMap row = map;
  FaceMap out = map;
  const auto n0 = static_cast<std::size_t>(map.n0);
  // Separable: the window is a product of two intervals, so the sum and the count factor.
  std::vector<int> count0(map.size());
  for (int j = 0; j < map.n1; ++j)
    for (int i = 0; i < map.n0; ++i) {
      const auto [s, c] = window_sum(i, w, map.n0, map.periodic0,
                                     [&](int q) { return map.values[static_cast<std::size_t>(q) + n0 * j]; });
      row.values[static_cast<std::size_t>(i) + n0 * j] = s;
      count0[static_cast<std::size_t>(i) + n0 * j] = c;
    }
  for (int j = 0; j < map.n1; ++j)
    for (int i = 0; i < map.n0; ++i) {
      const auto [s, c] = window_sum(j, w1, map.n1, map.periodic1,
                                     [&](int q) { return row.values[static_cast<std::size_t>(i) + n0 * q]; });
      const std::size_t o = static_cast<std::size_t>(i) + n0 * j;
      out.values[o] = s / (static_cast<double>(c) * count0[o]);
    }
  return out;
}

PlaneStats plane_stats(const FaceMap& map, int bins) {
  static const std::vector<std::uint8_t> all;
  return {uniformity_stats(map.values, all, bins), uniformity_stats(map.values, map.conducting, bins)};
}

}  // namespace ionpath::physics
