// Electroneutral boundary conditions: analytic Jacobian (steady and transient IJacobian) against
// finite differences on small 3D grids for every boundary condition (spec §8 item 10); Donnan slab
// well-balanced (item 3); conservation: equal current through every cross-section at steady state,
// anion inventory constant with blocking electrodes (item 8).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tests/solver/electroneutral_test_support.hpp"

using namespace en_test;
using K = solver::ElectrodeKind;

namespace {

// Random smooth-ish coefficients and state on the owned box (seeded per rank).
Fields random_fields(const solver::Domain& d, unsigned seed, bool with_zero_cells = false) {
  std::mt19937 rng(seed + 17u * static_cast<unsigned>(d.rank()));
  std::uniform_real_distribution<double> U(0.2, 1.5);
  return fields(d, [&](int i, int j, int k, Fields& c) {
    const bool insulating = with_zero_cells && i == 1 && j == 1 && k == 2;
    for (int a = 0; a < 3; ++a) {
      c.Dp.push_back(insulating ? 0.0 : U(rng));
      c.Dm.push_back(insulating ? 0.0 : U(rng));
    }
    c.X.push_back(std::max(0.0, U(rng) - 0.5) * 3.0);
    c.mu.push_back(0.3 * (U(rng) - 0.8) + 0.05 * k);
    c.mu.push_back(0.3 * (U(rng) - 0.8) - 0.03 * k);
  });
}

}  // namespace

TEST(ElectroneutralBoundary, JacobianMatchesFiniteDifferencesForEveryCondition) {
  const mesh::Grid grid{{6, 5, 4}, 1e-6};
  const ionpath::physics::ButlerVolmerParams bv_fast{2.0, 0.5, 0.5}, bv_asym{0.3, 0.3, 0.7};
  struct Case {
    const char* name;
    solver::ElectrodeBC lo, hi;
  };
  const std::vector<Case> cases{
      {"ideal|ideal (inventory row)", {K::ideal_li, 0.4, 0}, {K::ideal_li, 0.0, 0}},
      {"reservoir|blocking", {K::reservoir, 0.1, -0.2}, {K::blocking, 0, 0}},
      {"reservoir|ideal", {K::reservoir, 0.0, 0.0}, {K::ideal_li, 0.3, 0}},
      {"bv|bv", {K::butler_volmer, 0.5, 0, 0, bv_fast}, {K::butler_volmer, -0.2, 0, 0, bv_asym}},
      {"bv|ideal", {K::butler_volmer, 0.2, 0, 0, bv_asym}, {K::ideal_li, 0.0, 0}},
      {"uniform_flux|ideal", {K::uniform_flux, 0, 0, 0.05}, {K::ideal_li, 0.0, 0}},
  };
  for (const auto sides : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    solver::Domain d(grid, two_dof(MPI_COMM_NULL, sides));
    const Fields c = random_fields(d, 7, /*with_zero_cells=*/true);
    for (const auto& cs : cases) {
      const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, cs.lo, cs.hi};
      const double steady = solver::electroneutral_jacobian_mismatch(d, in, c.mu);
      const double transient = solver::electroneutral_jacobian_mismatch(d, in, c.mu, /*shift=*/3.7);
      EXPECT_LT(steady, 1e-6) << cs.name;
      EXPECT_LT(transient, 1e-6) << cs.name;
      if (d_rank_zero())
        std::printf("Jacobian mismatch %-28s %-9s steady %.2e transient %.2e\n", cs.name,
                    sides == mesh::SideWalls::periodic ? "periodic" : "zero-flux", steady, transient);
    }
    // Both electrodes blocking (transient only): the gauge row fixes the potential level.
    const solver::ElectroneutralInput blocked{c.Dp, c.Dm, c.X, {}, {K::blocking, 0, 0}, {K::blocking, 0, 0}};
    const Fields connected = random_fields(d, 11);
    const solver::ElectroneutralInput blocked2{connected.Dp, connected.Dm, connected.X, {}, blocked.low, blocked.high};
    EXPECT_LT(solver::electroneutral_jacobian_mismatch(d, blocked2, connected.mu, 2.0), 1e-6);
  }
}

TEST(ElectroneutralBoundary, DonnanSlabIsWellBalanced) {
  // spec §8 item 3: reservoir (c = 1, psi = 0) at x = 0, X = 2 on 0.4 < x < 0.6, blocking at x = 1.
  const int N = 50;
  const solver::Domain d(mesh::Grid{{1, 1, N}, 1e-6}, two_dof());
  const Fields c = fields(d, [](int, int, int k, Fields& f) {
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(0.724);
      f.Dm.push_back(1.0);
    }
    f.X.push_back(k >= 20 && k < 30 ? 2.0 : 0.0);
  });
  const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {K::reservoir, 0.0, 0.0}, {K::blocking, 0, 0}};
  const auto r = solver::solve_electroneutral_steady(d, in);
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k) {
    const std::size_t o = b.offset(0, 0, k);
    const bool slab = k >= 20 && k < 30;
    EXPECT_NEAR(r.c_plus[o], slab ? 2.414213562 : 1.0, 1e-9);
    EXPECT_NEAR(r.c_plus[o], slab ? 1.0 + std::sqrt(2.0) : 1.0, 1e-12);
    EXPECT_NEAR(r.c_minus[o], slab ? std::sqrt(2.0) - 1.0 : 1.0, 1e-12);
    EXPECT_NEAR(r.psi[o], slab ? -std::asinh(1.0) : 0.0, 1e-12);
    for (int a = 0; a < 3; ++a) EXPECT_LT(std::abs(r.current[3 * o + a]), 1e-14);
  }
  for (const double f : r.cross_section_current) EXPECT_LT(std::abs(f), 1e-14);
  EXPECT_LT(std::abs(r.li_flux_in_low), 1e-14);
}

TEST(ElectroneutralBoundary, SteadyCurrentEqualThroughEveryCrossSection) {
  const mesh::Grid grid{{5, 4, 12}, 1e-6};
  const solver::Domain d(grid, two_dof());
  const Fields c = random_fields(d, 3);
  for (const auto& [lo, hi] : {std::pair<solver::ElectrodeBC, solver::ElectrodeBC>{{K::ideal_li, 0.5, 0}, {K::ideal_li, 0, 0}},
                               {{K::butler_volmer, 0.5, 0, 0, {0.5, 0.5, 0.5}}, {K::butler_volmer, 0, 0, 0, {0.5, 0.5, 0.5}}},
                               {{K::reservoir, 0.3, -0.1}, {K::ideal_li, 0, 0}}}) {
    const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, lo, hi};
    const auto r = solver::solve_electroneutral_steady(d, in);
    const double I = r.current_in_low;
    EXPECT_GT(std::abs(I), 1e-3);
    EXPECT_NEAR(r.current_in_high, -I, 1e-10 * std::abs(I));
    for (const double s : r.cross_section_current) EXPECT_NEAR(s, I, 1e-10 * std::abs(I));
  }
}

TEST(ElectroneutralBoundary, InventoryConstantWithBlockingElectrodes) {
  // A non-equilibrium start relaxes between blocking electrodes: no species leaves, so the anion
  // inventory is constant to 1e-12 (relative) at every step, and the final state is uniform in mu.
  const mesh::Grid grid{{4, 3, 10}, 1e-6};
  const solver::Domain d(grid, two_dof());
  Fields c = random_fields(d, 5);
  const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {K::blocking, 0, 0}, {K::blocking, 0, 0}, 1e-12, c.mu};
  solver::TransientOptions opt;
  opt.t_final = 40.0;
  const auto r = solver::solve_electroneutral_transient(d, in, opt);
  ASSERT_FALSE(r.history.empty());
  double worst = 0.0;
  for (const auto& s : r.history) {
    worst = std::max(worst, std::abs(s.anion_inventory / r.initial_inventory - 1.0));
    EXPECT_EQ(s.current_in_low, 0.0);
  }
  EXPECT_LT(worst, 1e-12);
  // Relaxed towards equilibrium: mu- nearly uniform.
  double lo = 1e300, hi = -1e300;
  for (std::size_t o = 0; o < r.final_state.mu_minus.size(); ++o) {
    lo = std::min(lo, r.final_state.mu_minus[o]);
    hi = std::max(hi, r.final_state.mu_minus[o]);
  }
  MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_DOUBLE, MPI_MIN, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  if (d_rank_zero())
    std::printf("blocking relaxation: %d steps, max |inventory drift| = %.2e, mu- spread at t = 40: %.2e\n", r.steps, worst,
                hi - lo);
  EXPECT_LT(hi - lo, 0.05);
}

TEST(ElectroneutralBoundary, InvalidInputIsRejected) {
  const solver::Domain d(mesh::Grid{{2, 2, 4}, 1e-6}, two_dof());
  Fields c = uniform(d, 1.0, 1.0);
  c.X[0] = -1.0;
  const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {K::ideal_li, 0.1, 0}, {K::ideal_li, 0, 0}};
  EXPECT_THROW(static_cast<void>(solver::solve_electroneutral_steady(d, in)), std::invalid_argument);
  const Fields u = uniform(d, 1.0, 1.0);
  const solver::ElectroneutralInput blocked{u.Dp, u.Dm, u.X, {}, {}, {}};
  EXPECT_THROW(static_cast<void>(solver::solve_electroneutral_steady(d, blocked)), std::invalid_argument);
}

TEST(ElectroneutralBoundary, TwoDimensionalDomain) {
  // 2D DMDA (n_z = 1), transport along y: Jacobian check and a steady Bruce-Vincent state that
  // matches the 1D exact ratio for uniform coefficients.
  solver::DomainOptions o = two_dof();
  o.transport_axis = 1;
  const solver::Domain d(mesh::Grid{{6, 5, 1}, 1e-6}, o);
  const Fields c = random_fields(d, 13);
  const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {K::butler_volmer, 0.3, 0, 0, {0.7, 0.5, 0.5}},
                                       {K::ideal_li, 0.0, 0}};
  EXPECT_LT(solver::electroneutral_jacobian_mismatch(d, in, c.mu), 1e-6);
  EXPECT_LT(solver::electroneutral_jacobian_mismatch(d, in, c.mu, 5.0), 1e-6);
  const solver::Domain d2(mesh::Grid{{3, 40, 1}, 1e-6}, o);
  const Fields u = uniform(d2, 0.724, 1.0);
  const double dV = 0.010 / VT_298, uu = 0.010 / (4 * VT_298);
  const auto r = solver::solve_electroneutral_steady(
      d2, solver::ElectroneutralInput{u.Dp, u.Dm, u.X, {}, {K::ideal_li, dV, 0}, {K::ideal_li, 0, 0}});
  const double I0 = 1.724 * dV / 40 * 3;
  EXPECT_NEAR(r.current_in_low / I0, t_plus_gel * std::tanh(uu) / uu, 2e-4);
}
