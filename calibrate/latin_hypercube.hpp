#pragma once
// Latin-hypercube sample of n points in [0, 1)^k: each coordinate visits each of the n strata
// once, at a uniform position inside it (McKay et al. 1979). Deterministic for a seed.
#include <cstdint>
#include <vector>

namespace ionpath::calibrate {

[[nodiscard]] std::vector<std::vector<double>> latin_hypercube(int n, int k, std::uint64_t seed);

}  // namespace ionpath::calibrate
