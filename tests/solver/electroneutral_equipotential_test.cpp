// The equipotential galvanostatic electrode in transients (spec §4.4): the metal potential as a
// global unknown eliminated per evaluation, its rank-one Newton operator against finite
// differences (spec §8 item 10) and its input checks; spec §8 item 2 is
// electroneutral_equipotential_convergence_test.
#include <gtest/gtest.h>

#include <random>

#include "tests/solver/electroneutral_test_support.hpp"

using namespace en_test;
using K = solver::ElectrodeKind;

TEST(ElectroneutralEquipotential, JacobianMatchesFiniteDifferences) {
  const solver::Domain d(mesh::Grid{{6, 5, 4}, 1e-6}, two_dof());
  std::mt19937 rng(5u + 17u * static_cast<unsigned>(d.rank()));
  std::uniform_real_distribution<double> U(0.2, 1.5);
  const Fields c = fields(d, [&](int, int, int k, Fields& f) {
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(U(rng));
      f.Dm.push_back(U(rng));
    }
    f.X.push_back(std::max(0.0, U(rng) - 0.5) * 3.0);
    f.mu.push_back(0.3 * (U(rng) - 0.8) + 0.05 * k);
    f.mu.push_back(0.3 * (U(rng) - 0.8) - 0.03 * k);
  });
  const ionpath::physics::ButlerVolmerParams bv{0.7, 0.5, 0.5}, asym{0.3, 0.3, 0.7};
  struct Case {
    const char* name;
    solver::ElectrodeBC lo, hi;
  };
  for (const Case& cs : {Case{"ideal|ideal", {K::ideal_li, 0.1, 0}, {K::ideal_li, 0.0, 0}},
                         Case{"bv|bv", {K::butler_volmer, 0.4, 0, 0, bv}, {K::butler_volmer, 0.0, 0, 0, asym}},
                         Case{"bv(asym)|ideal", {K::butler_volmer, -0.2, 0, 0, asym}, {K::ideal_li, 0.0, 0}}}) {
    solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, cs.lo, cs.hi};
    in.galvanostatic_current = 0.8;
    const double mismatch = solver::electroneutral_jacobian_mismatch(d, in, c.mu, /*shift=*/3.7);
    if (d_rank_zero()) std::printf("galvanostatic Jacobian mismatch %-16s %.2e\n", cs.name, mismatch);
    EXPECT_LT(mismatch, 1e-6) << cs.name;
  }
}

TEST(ElectroneutralEquipotential, RejectsSteadyAndNonMetalElectrodes) {
  const solver::Domain d(mesh::Grid{{1, 1, 8}, 1e-6}, two_dof());
  const Fields c = uniform(d, 0.724, 1.0);
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {K::blocking, 0, 0}, {K::ideal_li, 0, 0}};
  in.galvanostatic_current = 0.1;
  solver::TransientOptions opt;
  opt.t_final = 1.0;
  EXPECT_THROW(static_cast<void>(solver::solve_electroneutral_transient(d, in, opt)), std::invalid_argument);
  in.low.kind = K::ideal_li;
  EXPECT_THROW(static_cast<void>(solver::solve_electroneutral_steady(d, in)), std::invalid_argument);
}
