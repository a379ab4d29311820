#pragma once
// Helpers for the solver tests: coefficient fields defined by global cell index, so every rank
// count sees the same structure, and rank-independent pseudo-random numbers.
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "solver/grid/domain.hpp"

namespace ionpath::solver::test {

using Tensor = std::array<double, 3>;

/// 3 values per owned cell from a function of the global cell index.
inline std::vector<double> tensor_field(const Domain& domain, const std::function<Tensor(int, int, int)>& f) {
  const mesh::Box& own = domain.owned();
  std::vector<double> s(3 * own.n_cells());
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const Tensor t = f(i, j, k);
        for (int a = 0; a < 3; ++a) s[3 * own.offset(i, j, k) + a] = t[a];
      }
  return s;
}

inline std::vector<std::uint8_t> mask_field(const Domain& domain, const std::function<bool(int, int, int)>& f) {
  const mesh::Box& own = domain.owned();
  std::vector<std::uint8_t> m(own.n_cells());
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) m[own.offset(i, j, k)] = f(i, j, k) ? 1 : 0;
  return m;
}

/// Uniform [0, 1) from (seed, cell): splitmix64, independent of the decomposition.
inline double cell_random(std::uint64_t seed, long long cell) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(cell) + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// Random three-phase structure: gel (1), clay-like low conductor (1e-3), insulator (0).
inline std::function<Tensor(int, int, int)> random_clay(const mesh::Grid& grid, std::uint64_t seed,
                                                        double insulating = 0.15, double clay = 0.25) {
  return [=](int i, int j, int k) -> Tensor {
    const long long id = (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i;
    const double u = cell_random(seed, id);
    const double s = u < insulating ? 0.0 : (u < insulating + clay ? 1e-3 : 1.0);
    return {s, s, s};
  };
}

inline DomainOptions domain_options(int transport_axis, mesh::SideWalls walls = mesh::SideWalls::zero_flux) {
  DomainOptions o;
  o.transport_axis = transport_axis;
  o.side_walls = walls;
  return o;
}

}  // namespace ionpath::solver::test
