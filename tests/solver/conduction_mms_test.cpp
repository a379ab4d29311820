// Manufactured solutions for conduction (spec §8.1): smooth diagonal-tensor sigma, smooth exact
// phi, analytic source; second-order convergence in L2 (and >= 1.7 in max norm) between the two
// finest grids. Cell centres at (i + 1/2) h on the unit box.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "solver/conduction/system.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

constexpr double pi = std::numbers::pi;

struct Exact {
  int dim = 2;
  bool with_xy = true;  ///< false: phi has zero normal derivative on y faces (Neumann sides)
  [[nodiscard]] test::Tensor sigma(const Point& x) const {
    return {1.0 + 0.3 * x[0] * x[1], 2.0 - 0.5 * x[0], 1.0 + 0.2 * x[2]};
  }
  [[nodiscard]] double phi(const Point& x) const {
    return std::sin(pi * x[0]) * std::cos(pi * x[1]) + (with_xy ? x[0] * x[1] : x[0]) + (dim == 3 ? x[2] * x[2] : 0.0);
  }
  /// f = -sum_a d_a(sigma_a d_a phi).
  [[nodiscard]] double source(const Point& x) const {
    const double s = std::sin(pi * x[0]), c = std::cos(pi * x[1]);
    const double dx = pi * std::cos(pi * x[0]) * c + (with_xy ? x[1] : 1.0);
    const double dxx = -pi * pi * s * c;
    const double dyy = -pi * pi * s * c;
    const test::Tensor sg = sigma(x);
    double f = -(0.3 * x[1] * dx + sg[0] * dxx) - sg[1] * dyy;
    if (dim == 3) f -= 0.2 * (2.0 * x[2]) + sg[2] * 2.0;
    return f;
  }
};

struct Errors {
  double l2 = 0.0;
  double max = 0.0;
};

Errors solve_mms(const Exact& exact, int n, bool all_faces_dirichlet) {
  const mesh::Grid grid{{n, n, exact.dim == 3 ? n : 1}, 1e-6};
  const Domain domain(grid, [] {
    DomainOptions o;
    o.transport_axis = 0;
    return o;
  }());
  const double h = 1.0 / n;
  const auto centre = [&](int i, int j, int k) {
    return Point{(i + 0.5) * h, (j + 0.5) * h, exact.dim == 3 ? (k + 0.5) * h : 0.0};
  };
  const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) { return exact.sigma(centre(i, j, k)); });
  DirichletProblem problem;
  problem.faces = all_faces_dirichlet ? DirichletFaces{} : DirichletFaces::electrodes(0);
  if (all_faces_dirichlet)
    for (int a = 0; a < exact.dim; ++a) problem.faces.on[a] = {true, true};
  problem.boundary_value = [&](const Point& x) { return exact.phi(x); };
  problem.source = [&](const Point& x) { return exact.source(x); };
  problem.h = h;
  const PotentialSolution sol = solve_dirichlet_problem(domain, sigma, problem, KspSettings{.rtol = 1e-12});
  EXPECT_EQ(sol.components.n_active_cells, static_cast<long long>(grid.n_total()));
  Errors e;
  const mesh::Box& own = domain.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const double d = sol.potential[own.offset(i, j, k)] - exact.phi(centre(i, j, k));
        e.l2 += d * d * std::pow(h, exact.dim);
        e.max = std::max(e.max, std::abs(d));
      }
  MPI_Allreduce(MPI_IN_PLACE, &e.l2, 1, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &e.max, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD);
  e.l2 = std::sqrt(e.l2);
  return e;
}

void expect_second_order(const Exact& exact, const std::vector<int>& sizes, bool all_faces_dirichlet) {
  std::vector<Errors> e;
  for (const int n : sizes) e.push_back(solve_mms(exact, n, all_faces_dirichlet));
  const double order_l2 = std::log2(e[1].l2 / e[2].l2);
  const double order_max = std::log2(e[1].max / e[2].max);
  ::testing::Test::RecordProperty("order_l2", std::to_string(order_l2));
  ::testing::Test::RecordProperty("order_max", std::to_string(order_max));
  EXPECT_GE(order_l2, 1.8) << "L2 errors " << e[0].l2 << " " << e[1].l2 << " " << e[2].l2;
  EXPECT_LE(order_l2, 2.2) << "L2 errors " << e[0].l2 << " " << e[1].l2 << " " << e[2].l2;
  EXPECT_GE(order_max, 1.7) << "max errors " << e[0].max << " " << e[1].max << " " << e[2].max;
  EXPECT_LT(e[2].l2, e[0].l2 / 10.0);
}

TEST(ConductionMms, SecondOrder2dAllFacesDirichlet) { expect_second_order(Exact{2, true}, {16, 32, 64}, true); }
TEST(ConductionMms, SecondOrder2dElectrodesWithNeumannSides) {
  expect_second_order(Exact{2, false}, {16, 32, 64}, false);
}
TEST(ConductionMms, SecondOrder3dAllFacesDirichlet) { expect_second_order(Exact{3, true}, {8, 16, 32}, true); }

}  // namespace
}  // namespace ionpath::solver
