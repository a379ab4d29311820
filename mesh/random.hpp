#pragma once
/// Counter-based random numbers: every draw is a pure function of (seed, stream, index), so
/// object k of a structure is identical on every MPI rank and in every decomposition.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace ionpath::mesh {

/// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A stream of draws keyed by (seed, stream, index); `next` advances a private counter.
class CounterRng {
 public:
  constexpr CounterRng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) noexcept
      : key_(mix64(mix64(mix64(seed) ^ stream) ^ index)) {}
  constexpr std::uint64_t next_u64() noexcept { return mix64(key_ + 0x632be59bd9b4e019ULL * ++counter_); }
  /// Uniform in [0, 1).
  double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Standard normal (Box-Muller; the second value is discarded to keep draws stateless).
  double normal() noexcept {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  /// Poisson(mean) by inversion (mean is small: tens of children per cluster).
  int poisson(double mean) noexcept {
    const double u = uniform();
    double p = std::exp(-mean), cdf = p;
    int k = 0;
    while (u > cdf && k < 100000) {
      ++k;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

}  // namespace ionpath::mesh
