#include "calibrate/latin_hypercube.hpp"

#include <numeric>
#include <random>

namespace ionpath::calibrate {

std::vector<std::vector<double>> latin_hypercube(int n, int k, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Uniform in [0, 1) from the top 53 bits: the same on every standard library (ranks agree).
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<std::vector<double>> points(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(k)));
  std::vector<int> strata(static_cast<std::size_t>(n));
  for (int d = 0; d < k; ++d) {
    std::iota(strata.begin(), strata.end(), 0);
    for (int i = n - 1; i > 0; --i) {  // Fisher-Yates with the portable uniform
      const int j = static_cast<int>(uniform() * (i + 1));
      std::swap(strata[static_cast<std::size_t>(i)], strata[static_cast<std::size_t>(j)]);
    }
    for (int i = 0; i < n; ++i)
      points[static_cast<std::size_t>(i)][static_cast<std::size_t>(d)] = (strata[static_cast<std::size_t>(i)] + uniform()) / n;
  }
  return points;
}

}  // namespace ionpath::calibrate
