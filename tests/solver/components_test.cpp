// Parallel connected components (spec §3.9): floating pockets, dead ends, a serpentine path that
// crosses rank boundaries many times, and percolation through periodic sides.
#include <gtest/gtest.h>

#include "solver/components.hpp"
#include "solver/conduction.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

int world_size() {
  int n = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &n);
  return n;
}

TEST(Components, FloatingPocketAndDeadEndAreRemoved) {
  const mesh::Grid grid{{12, 12, 12}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  // Insulating shell [3, 8]^3 around a gel pocket [4, 7]^3; a dead-end cup at the inlet: the gel
  // column x = y = 10, z in [0, 3], walled off by insulators in x, y in [9, 11], z <= 4.
  const auto insulating = [](int i, int j, int k) {
    const bool in_shell = i >= 3 && i <= 8 && j >= 3 && j <= 8 && k >= 3 && k <= 8;
    const bool in_pocket = i >= 4 && i <= 7 && j >= 4 && j <= 7 && k >= 4 && k <= 7;
    const bool cup_wall = i >= 9 && j >= 9 && k <= 4 && !(i == 10 && j == 10 && k <= 3);
    return (in_shell && !in_pocket) || cup_wall;
  };
  const auto pocket = [](int i, int j, int k) { return i >= 4 && i <= 7 && j >= 4 && j <= 7 && k >= 4 && k <= 7; };
  const auto cup = [](int i, int j, int k) { return i == 10 && j == 10 && k <= 3; };
  const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) -> test::Tensor {
    const double s = insulating(i, j, k) ? 0.0 : 1.0;
    return {s, s, s};
  });
  const ActiveCells act = electrode_active_cells(domain, flags_from_tensor(sigma), 2);
  EXPECT_EQ(act.stats.n_components, 3);
  EXPECT_EQ(act.stats.n_touch_both, 1);
  EXPECT_EQ(act.stats.n_touch_one, 1);
  EXPECT_EQ(act.stats.n_floating, 1);
  const mesh::Box& own = domain.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const bool expect_active = !insulating(i, j, k) && !pocket(i, j, k) && !cup(i, j, k);
        ASSERT_EQ(act.active[own.offset(i, j, k)] != 0, expect_active) << i << " " << j << " " << k;
      }
  const long long n_insulating = 6 * 6 * 6 - 4 * 4 * 4 + (3 * 3 * 5 - 4);
  EXPECT_EQ(act.stats.n_conducting_cells, 12 * 12 * 12 - n_insulating);
  EXPECT_EQ(act.stats.n_active_cells, 12 * 12 * 12 - n_insulating - 64 - 4);

  ConductivityOptions opt;
  opt.keep_fields = true;
  opt.ksp.rtol = 1e-12;
  const ConductivityResult r = solve_conductivity(domain, sigma, opt);
  EXPECT_TRUE(r.percolating);
  EXPECT_GT(r.sigma_eff, 0.5);
  EXPECT_LT(r.sigma_eff, 1.0);
  EXPECT_LT(r.flux_balance, 1e-10);
  EXPECT_LT(r.solve.iterations, 60);
  for (std::size_t c = 0; c < act.active.size(); ++c)
    if (!act.active[c]) {
      EXPECT_EQ(r.potential[c], 0.0);
    }
  EXPECT_NEAR(r.inactive_fraction(), double(n_insulating + 68) / (12 * 12 * 12), 1e-15);
}

// Serpentine along x in 2D (transport y): even rows full, odd rows open at alternating ends.
TEST(Components, SerpentineCrossesRanksManyTimes) {
  const mesh::Grid grid{{16, 17, 1}, 1e-6};
  DomainOptions o = test::domain_options(1);
  o.ranks_per_axis = {world_size(), 1, 1};  // every path row crosses every rank boundary
  const Domain domain(grid, o);
  for (const bool broken : {false, true}) {
    const auto path = [&](int i, int j, int) {
      if (broken && j == 8 && i == 7) return false;
      if (j % 2 == 0) return true;
      return (j % 4 == 1) ? i == 15 : i == 0;
    };
    const auto mask = test::mask_field(domain, path);
    const AxisFlags flags = flags_from_mask(mask);
    const ComponentLabels labels = label_components(domain, flags);
    EXPECT_EQ(labels.n_components, broken ? 2 : 1);
    EXPECT_EQ(percolates(domain, mask, 1), !broken);
    const mesh::Box& own = domain.owned();
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, 0);
        if (!path(i, j, 0)) {
          ASSERT_EQ(labels.label[c], -1.0);
        } else if (!broken || j < 8 || (j == 8 && i < 7)) {
          ASSERT_EQ(labels.label[c], 0.0) << i << " " << j;  // min index of the (first) path
        } else {
          ASSERT_EQ(labels.label[c], double(8 * 16 + 8)) << i << " " << j;  // first cell after the break
        }
      }
    if (world_size() > 1 && !broken) {
      EXPECT_GT(labels.n_sweeps, 2);
    }
  }
}

// Two half-columns joined only through the periodic x boundary.
TEST(Components, PeriodicSidesConnect) {
  const mesh::Grid grid{{8, 6, 10}, 1e-6};
  const auto channel = [](int i, int j, int k) { return j == 2 && ((i == 0 && k <= 5) || (i == 7 && k >= 4)); };
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(2, walls));
    const bool periodic = walls == mesh::SideWalls::periodic;
    EXPECT_EQ(percolates(domain, test::mask_field(domain, channel), 2), periodic);
    const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) -> test::Tensor {
      const double s = channel(i, j, k) ? 1.0 : 0.0;
      return {s, s, s};
    });
    ConductivityOptions opt;
    opt.ksp.rtol = 1e-12;
    const ConductivityResult r = solve_conductivity(domain, sigma, opt);
    EXPECT_EQ(r.percolating, periodic);
    if (periodic) {
      // Series path: 6 + 6 cells along z (z 0..5 then 4..9) and the wrap face at z = 4, 5 in parallel.
      EXPECT_GT(r.sigma_eff, 0.0);
      EXPECT_LT(r.flux_balance, 1e-10);
    } else {
      EXPECT_EQ(r.sigma_eff, 0.0);
    }
  }
}

// A sheet conducting only in its plane is not joined to its neighbours through its normal.
TEST(Components, AnisotropicCellsConnectOnlyAlongConductingAxes) {
  const mesh::Grid grid{{6, 6, 6}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  // Gel everywhere except the plane z = 3, which conducts in x, y only: no path along z.
  const auto sigma = test::tensor_field(domain, [](int, int, int k) -> test::Tensor {
    return k == 3 ? test::Tensor{1.0, 1.0, 0.0} : test::Tensor{1.0, 1.0, 1.0};
  });
  const ActiveCells act = electrode_active_cells(domain, flags_from_tensor(sigma), 2);
  EXPECT_EQ(act.stats.n_touch_both, 0);
  EXPECT_EQ(act.stats.n_components, 3);
  const ConductivityResult r = solve_conductivity(domain, sigma, {});
  EXPECT_FALSE(r.percolating);
  EXPECT_EQ(r.sigma_eff, 0.0);
  const ConductivityResult rx = solve_conductivity(Domain(grid, test::domain_options(0)), sigma,
                                                   ConductivityOptions{.axis = 0, .ksp = {.rtol = 1e-12}});
  EXPECT_NEAR(rx.sigma_eff, 1.0, 1e-10);
}

}  // namespace
}  // namespace ionpath::solver
