#pragma once
// Shared helpers of the electroneutral solver tests: coefficient fields over the owned box and
// gathering a value held by one rank.
#include <mpi.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "solver/grid/domain.hpp"
#include "solver/electroneutral/electroneutral.hpp"

namespace en_test {

namespace solver = ionpath::solver;
namespace mesh = ionpath::mesh;

inline constexpr double VT_298 = 8.314462618 * 298.15 / 96485.33212;
inline constexpr double t_plus_gel = 0.724 / 1.724;  // spec §8.2: D+ = 0.724, D- = 1

struct Fields {
  std::vector<double> Dp, Dm, X, mu;
};

/// Fills Dp, Dm (3 per cell), X (1 per cell) and mu (2 per cell) from f(i, j, k, Fields&).
template <typename F>
Fields fields(const solver::Domain& d, F&& f) {
  Fields c;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) f(i, j, k, c);
  return c;
}

inline Fields uniform(const solver::Domain& d, double Dp, double Dm) {
  return fields(d, [&](int, int, int, Fields& c) {
    for (int a = 0; a < 3; ++a) {
      c.Dp.push_back(Dp);
      c.Dm.push_back(Dm);
    }
    c.X.push_back(0.0);
    c.mu.push_back(0.0);
    c.mu.push_back(0.0);
  });
}

inline solver::DomainOptions two_dof(MPI_Comm comm = MPI_COMM_NULL, mesh::SideWalls sides = mesh::SideWalls::zero_flux) {
  solver::DomainOptions o;
  o.dof = 2;
  o.side_walls = sides;
  o.comm = comm;
  return o;
}

/// Value of an owned-cell array at global cell (i, j, k), broadcast from its owner.
inline double at_cell(const solver::Domain& d, const std::vector<double>& v, int i, int j, int k, int stride = 1,
                      int comp = 0) {
  double x = d.owned().contains(i, j, k) ? v[stride * d.owned().offset(i, j, k) + static_cast<std::size_t>(comp)] : 0.0;
  MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_DOUBLE, MPI_SUM, d.comm());
  return x;
}

inline bool d_rank_zero() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank == 0;
}

}  // namespace en_test
