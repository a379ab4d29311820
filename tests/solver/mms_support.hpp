#pragma once
// Shared by the manufactured-solution tests: sources as exact divergences of analytic fluxes by
// nested 4th-order central differences on the unit box (truncation ~1e-12, far below the
// discretisation error), cell-centre loops, error norms and the observed-order check.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "mesh/grid.hpp"

namespace mms {

using UnitPoint = std::array<double, 3>;
using UnitField = std::function<double(const UnitPoint&)>;
using UnitFlux = std::function<double(const UnitPoint&, int axis)>;

inline double fd_derivative(const UnitField& f, UnitPoint p, int axis) {
  constexpr double h = 1e-3;
  auto at = [&](double s) {
    UnitPoint q = p;
    q[static_cast<std::size_t>(axis)] += s * h;
    return f(q);
  };
  return (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * h);
}

/// Unit-box divergence of the vector field with components flux(p, axis), axes 0..dim-1.
inline double fd_divergence(const UnitFlux& flux, const UnitPoint& p, int dim) {
  double s = 0.0;
  for (int a = 0; a < dim; ++a) s += fd_derivative([&](const UnitPoint& q) { return flux(q, a); }, p, a);
  return s;
}

/// Calls fn(centre) for every owned cell of an n^dim unit-box grid, x fastest (the field layout).
template <class Fn>
void for_each_cell_centre(const ionpath::mesh::Box& b, int n, int dim, Fn&& fn) {
  const auto N = static_cast<double>(n);
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i)
        fn(UnitPoint{(i + 0.5) / N, (j + 0.5) / N, dim == 3 ? (k + 0.5) / N : 0.0});
}

/// Discrete L2 (RMS over all cells) and max errors of several unknowns.
struct ErrorNorms {
  std::vector<double> l2, max;
  explicit ErrorNorms(std::size_t n_unknowns = 0) : l2(n_unknowns, 0.0), max(n_unknowns, 0.0) {}
  void add(std::size_t unknown, double got, double exact) {
    const double e = std::abs(got - exact);
    l2[unknown] += e * e;
    max[unknown] = std::max(max[unknown], e);
  }
  void reduce(MPI_Comm comm, std::size_t n_total_cells) {
    MPI_Allreduce(MPI_IN_PLACE, l2.data(), static_cast<int>(l2.size()), MPI_DOUBLE, MPI_SUM, comm);
    MPI_Allreduce(MPI_IN_PLACE, max.data(), static_cast<int>(max.size()), MPI_DOUBLE, MPI_MAX, comm);
    for (double& v : l2) v = std::sqrt(v / static_cast<double>(n_total_cells));
  }
};

/// Observed orders between the two finest of three grids: L2 in [1.8, 2.2], max norm >= 1.7.
inline void expect_second_order(const std::string& label, const std::vector<std::string>& names,
                                const std::array<ErrorNorms, 3>& e, const std::array<int, 3>& sizes) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const double ratio = static_cast<double>(sizes[2]) / sizes[1];
  for (std::size_t u = 0; u < names.size(); ++u) {
    const double l2_order = std::log(e[1].l2[u] / e[2].l2[u]) / std::log(ratio);
    const double max_order = std::log(e[1].max[u] / e[2].max[u]) / std::log(ratio);
    if (rank == 0)
      std::printf("%s %-3s L2 %.3e %.3e %.3e (order %.3f), max %.3e %.3e %.3e (order %.3f)\n", label.c_str(),
                  names[u].c_str(), e[0].l2[u], e[1].l2[u], e[2].l2[u], l2_order, e[0].max[u], e[1].max[u], e[2].max[u],
                  max_order);
    EXPECT_GE(l2_order, 1.8) << names[u];
    EXPECT_LE(l2_order, 2.2) << names[u];
    EXPECT_GE(max_order, 1.7) << names[u];
  }
}

}  // namespace mms
