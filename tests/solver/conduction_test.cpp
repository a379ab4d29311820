// Conduction verification (spec §8.4, §8.8, §8.9): laminates, all-gel box, insulating layers,
// conservation and the energy identity, rank independence. Exact values are identities of series
// and parallel resistors, which the harmonic face mean reproduces exactly.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/effective_properties.hpp"
#include "solver/conduction/conduction.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

ConductivityOptions tight(int axis) {
  ConductivityOptions o;
  o.axis = axis;
  o.ksp.rtol = 1e-13;
  return o;
}

struct Case {
  int dim;
  int axis;
};
std::vector<Case> all_cases() { return {{2, 0}, {2, 1}, {3, 0}, {3, 1}, {3, 2}}; }
mesh::Grid grid_for(int dim) { return dim == 2 ? mesh::Grid{{12, 8, 1}, 0.5e-6} : mesh::Grid{{8, 12, 8}, 0.5e-6}; }

/// Layers normal to `normal`, two cells thick, alternating phases a and b (equal fractions).
std::function<test::Tensor(int, int, int)> layers(int normal, test::Tensor a, test::Tensor b) {
  return [=](int i, int j, int k) {
    const int c[3] = {i, j, k};
    return (c[normal] / 2) % 2 == 0 ? a : b;
  };
}

TEST(Conduction, AllGelBoxGivesSigmaOneAndTauOne) {
  for (const Case& c : all_cases()) {
    for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
      const Domain domain(grid_for(c.dim), test::domain_options(c.axis, walls));
      const auto sigma = test::tensor_field(domain, [](int, int, int) { return test::Tensor{2.5, 2.5, 2.5}; });
      const ConductivityResult r = solve_conductivity(domain, sigma, tight(c.axis));
      ASSERT_TRUE(r.percolating);
      EXPECT_NEAR(r.sigma_eff / 2.5, 1.0, 1e-12) << c.dim << "D axis " << c.axis;
      EXPECT_NEAR(physics::tortuosity_factor(1.0, 2.5, r.sigma_eff), 1.0, 1e-12);
      EXPECT_NEAR(physics::macmullin_number(2.5, r.sigma_eff), 1.0, 1e-12);
      EXPECT_EQ(r.inactive_fraction(), 0.0);
      // I = sigma A dV / L in SI: A, L from the voxel size.
      const mesh::Grid& g = domain.grid();
      double area = 1.0;
      for (int b = 0; b < 3; ++b)
        if (b != c.axis) area *= g.n_cells[b] * g.voxel_size_m;
      EXPECT_NEAR(r.current, 2.5 * area / g.length_m(c.axis), 1e-12 * r.current);
    }
  }
}

TEST(Conduction, IsotropicLaminatesParallelAndSeries) {
  for (const Case& c : all_cases()) {
    for (int normal = 0; normal < c.dim; ++normal) {
      const Domain domain(grid_for(c.dim), test::domain_options(c.axis));
      const auto sigma = test::tensor_field(domain, layers(normal, {1, 1, 1}, {10, 10, 10}));
      const ConductivityResult r = solve_conductivity(domain, sigma, tight(c.axis));
      const double expected = normal == c.axis ? 1.0 / (0.5 / 1.0 + 0.5 / 10.0) : 5.5;
      EXPECT_NEAR(r.sigma_eff / expected, 1.0, 1e-10) << c.dim << "D axis " << c.axis << " normal " << normal;
      EXPECT_NEAR(r.sigma_eff_energy / expected, 1.0, 1e-10);
      EXPECT_LT(r.flux_balance, 1e-10);
    }
  }
}

TEST(Conduction, AnisotropicWallLaminates) {
  // Wall layers conduct 1 in their plane and 0.01 along their normal; gel layers 10.
  for (const Case& c : all_cases()) {
    for (int normal = 0; normal < c.dim; ++normal) {
      test::Tensor wall{1.0, 1.0, 1.0};
      wall[normal] = 0.01;
      const Domain domain(grid_for(c.dim), test::domain_options(c.axis));
      const auto sigma = test::tensor_field(domain, layers(normal, wall, {10, 10, 10}));
      const ConductivityResult r = solve_conductivity(domain, sigma, tight(c.axis));
      const double expected = normal == c.axis ? 1.0 / (0.5 / 0.01 + 0.5 / 10.0) : 5.5;
      EXPECT_NEAR(r.sigma_eff / expected, 1.0, 1e-10) << c.dim << "D axis " << c.axis << " normal " << normal;
    }
  }
}

TEST(Conduction, InsulatingLayersTauOneAlongNonPercolatingAcross) {
  for (const Case& c : all_cases()) {
    for (int normal = 0; normal < c.dim; ++normal) {
      const Domain domain(grid_for(c.dim), test::domain_options(c.axis));
      const auto sigma = test::tensor_field(domain, layers(normal, {1, 1, 1}, {0, 0, 0}));
      const ConductivityResult r = solve_conductivity(domain, sigma, tight(c.axis));
      if (normal == c.axis) {
        EXPECT_FALSE(r.percolating);
        EXPECT_EQ(r.sigma_eff, 0.0);
        EXPECT_TRUE(std::isinf(physics::tortuosity_factor(0.5, 1.0, r.sigma_eff)));
        EXPECT_EQ(r.solve.iterations, 0);
      } else {
        EXPECT_TRUE(r.percolating);
        EXPECT_NEAR(physics::tortuosity_factor(0.5, 1.0, r.sigma_eff), 1.0, 1e-10) << c.dim << "D axis " << c.axis;
        EXPECT_NEAR(r.inactive_fraction(), 0.5, 1e-15);
      }
    }
  }
}

TEST(Conduction, ConservationAndEnergyOnRandomHighContrast) {
  const mesh::Grid grid{{20, 18, 22}, 1e-6};
  for (int axis = 0; axis < 3; ++axis) {
    const Domain domain(grid, test::domain_options(axis, mesh::SideWalls::periodic));
    const auto sigma = test::tensor_field(domain, test::random_clay(grid, 11, 0.3, 0.2));
    ConductivityOptions opt = tight(axis);
    opt.keep_fields = true;
    const ConductivityResult r = solve_conductivity(domain, sigma, opt);
    ASSERT_TRUE(r.percolating);
    EXPECT_GT(r.components.n_floating, 0);  // the random structure must exercise cluster removal
    EXPECT_LT(r.flux_balance, 1e-10);
    EXPECT_NEAR(r.sigma_eff_energy / r.sigma_eff, 1.0, 1e-9);
    EXPECT_GT(r.sigma_eff, 0.0);
    EXPECT_LT(r.sigma_eff, 0.5);  // below the Wiener upper bound (arithmetic mean 0.5 + 2e-4)
    EXPECT_LT(r.solve.iterations, 120);  // ~70 at rtol 1e-13; a surviving floating cluster stalls CG
    // Mean current density along the axis equals I / A.
    double sum = 0.0;
    for (std::size_t c = 0; c < domain.owned().n_cells(); ++c) sum += r.current_density[3 * c + axis];
    MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, domain.comm());
    const double h = grid.voxel_size_m;
    const double area = double(grid.n_total()) / grid.n_cells[axis] * h * h;
    EXPECT_NEAR(sum / double(grid.n_total()), r.current / area, 1e-9 * r.current / area);
  }
}

// spec §8.9: the same sigma_eff on every decomposition; the reference is a serial solve on rank 0.
TEST(Conduction, RankIndependence) {
  const mesh::Grid grid{{24, 20, 16}, 1e-6};
  int rank = 0, size = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  double reference = 0.0;
  if (rank == 0) {
    DomainOptions o = test::domain_options(2);
    o.comm = PETSC_COMM_SELF;
    const Domain serial(grid, o);
    reference = solve_conductivity(serial, test::tensor_field(serial, test::random_clay(grid, 5)), tight(2)).sigma_eff;
  }
  MPI_Bcast(&reference, 1, MPI_DOUBLE, 0, PETSC_COMM_WORLD);
  std::vector<std::array<int, 3>> splits{{-1, -1, -1}};
  if (size == 4) splits.push_back({2, 2, 1});
  if (size == 2) splits.push_back({1, 1, 2});
  for (const auto& split : splits) {
    DomainOptions o = test::domain_options(2);
    o.ranks_per_axis = split;
    const Domain domain(grid, o);
    const ConductivityResult r = solve_conductivity(domain, test::tensor_field(domain, test::random_clay(grid, 5)),
                                                    tight(2));
    EXPECT_NEAR(r.sigma_eff / reference, 1.0, 1e-9) << split[0] << "x" << split[1] << "x" << split[2];
  }
}

TEST(Conduction, PeriodicAxisOfOneOrTwoCells) {
  // A periodic side of 2 cells has the same neighbour across both faces, one of 1 cell has the
  // cell itself; the operator must sum both faces (it used to overwrite one: sigma 9x too high on
  // straight walls 16 x 2 x 10, a failed preconditioner at 1 cell). The structure repeated along y
  // (period n) has the same sigma_eff as one period; for n = 1 it is a y-independent field.
  for (const int n : {1, 2}) {
    const auto structure = [n](int i, int j, int k) -> test::Tensor {
      const long long id = (static_cast<long long>(k) * n + (j % n)) * 6 + i;
      const double u = test::cell_random(11, id);
      const double s = u < 0.2 ? 0.0 : (u < 0.5 ? 0.05 : 1.0);
      return {s, 0.5 * s, s};
    };
    const Domain one(mesh::Grid{{6, n, 8}, 1e-6}, test::domain_options(2, mesh::SideWalls::periodic));
    const Domain tiled(mesh::Grid{{6, 6, 8}, 1e-6}, test::domain_options(2, mesh::SideWalls::periodic));
    const ConductivityResult a = solve_conductivity(one, test::tensor_field(one, structure), tight(2));
    const ConductivityResult b = solve_conductivity(tiled, test::tensor_field(tiled, structure), tight(2));
    ASSERT_TRUE(b.percolating);
    EXPECT_NEAR(a.sigma_eff / b.sigma_eff, 1.0, 1e-9) << "periodic y of " << n << " cells";
    EXPECT_LT(a.flux_balance, 1e-8) << "periodic y of " << n << " cells";
  }
}

TEST(Conduction, PeriodicDrivingAxisIsRejected) {
  const Domain domain(mesh::Grid{{6, 6, 6}, 1e-6}, test::domain_options(2, mesh::SideWalls::periodic));
  const auto sigma = test::tensor_field(domain, [](int, int, int) { return test::Tensor{1, 1, 1}; });
  EXPECT_THROW(static_cast<void>(solve_conductivity(domain, sigma, tight(0))), std::invalid_argument);
}

}  // namespace
}  // namespace ionpath::solver
