// Optional mechanisms of spec §7.3 in the material model: closed forms and exact "off" limits.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/conductivity.hpp"
#include "physics/porous_wall.hpp"
#include "physics/sodium.hpp"

namespace {

using namespace ionpath::physics;

PhaseMaterial gel() {
  PhaseMaterial m;
  m.name = "gel";
  m.D_plus_m2_s = 1.81e-11;
  m.D_minus_m2_s = 2.50e-11;
  m.D_sodium_m2_s = 1.81e-11;
  return m;
}

// Na+ counts toward the cation balance with X; both cations share one Donnan ratio.
TEST(Sodium, TernaryDonnanIsElectroneutralWithOneRatioForBothCations) {
  const double c0 = 390.0, y = 0.3;
  for (const double X : {0.0, 100.0, 780.0, 2430.0}) {
    const TernaryDonnanState d = ternary_donnan_state(X, c0, y);
    EXPECT_NEAR(d.c_li_mol_m3 + d.c_na_mol_m3, d.c_minus_mol_m3 + X, 1e-12 * (c0 + X)) << X;
    const double r = d.c_li_mol_m3 / ((1.0 - y) * c0);  // gel: c_Li = (1-y) c0, c_Na = y c0, c- = c0
    EXPECT_NEAR(d.c_na_mol_m3 / (y * c0), r, 1e-13 * r);
    EXPECT_NEAR(c0 / d.c_minus_mol_m3, r, 1e-12 * r);
    EXPECT_NEAR(d.potential, -std::log(r), 1e-12);
  }
  // X = 2 c0: total cations 2.414 c0 as in the binary example of spec §1.2.
  const TernaryDonnanState d = ternary_donnan_state(2.0 * c0, c0, y);
  EXPECT_NEAR((d.c_li_mol_m3 + d.c_na_mol_m3) / c0, 1.0 + std::sqrt(2.0), 1e-12);
}

TEST(Sodium, OffIsTheBinaryStateBitForBit) {
  const DonnanState b = donnan_state(627.0, 390.0);
  const TernaryDonnanState t = ternary_donnan_state(627.0, 390.0, 0.0);
  EXPECT_EQ(t.c_li_mol_m3, b.c_plus_mol_m3);
  EXPECT_EQ(t.c_na_mol_m3, 0.0);
  EXPECT_EQ(t.c_minus_mol_m3, b.c_minus_mol_m3);
}

// Homogeneous gel: t+ = sigma_Li / (sigma_Li + sigma_- + sigma_Na) with every sigma ~ D c.
TEST(Sodium, HomogeneousTransferenceCountsNaInTheTotalOnly) {
  Electrolyte e;
  e.sodium_cation_fraction = 0.25;
  PhaseMaterial m = gel();
  m.D_sodium_m2_s = 0.5 * m.D_plus_m2_s;
  const auto s = phase_conductivity(m, e);
  const double Dp = m.D_plus_m2_s, Dm = m.D_minus_m2_s, Dn = m.D_sodium_m2_s, y = 0.25;
  const double t = Dp * (1 - y) / (Dp * (1 - y) + Dm + Dn * y);
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(s.plus[a] / s.total()[a], t, 1e-14);
  EXPECT_NEAR(s.t_plus(1), t, 1e-14);
  // Na+ as mobile as Li+: sigma unchanged (Na+ replaces Li+ one for one), t+ scaled by 1 - y.
  Electrolyte binary;
  const auto s0 = phase_conductivity(gel(), binary);
  const auto s1 = phase_conductivity(gel(), e);
  EXPECT_NEAR(s1.total()[0], s0.total()[0], 1e-15 * s0.total()[0]);
  EXPECT_NEAR(s1.t_plus(0), (1 - y) * s0.t_plus(0), 1e-14);
}

TEST(Sodium, InventoryFromTheExchangeCapacity) {
  // xi = 1: 0.9 mol/kg x 2700 kg/m3 x 6.58 vol % = 160 mol Na+ per m3 of composite, over the
  // cations of 93.4 vol % gel at 390 mol/m3.
  const double y = sodium_cation_fraction(1.0, 0.9, 2700.0, 0.0658, 390.0, 0.9342);
  EXPECT_NEAR(y * 390.0 * 0.9342, 0.9 * 2700.0 * 0.0658, 1e-9);
  EXPECT_NEAR(y, 0.43889, 1e-4);
  EXPECT_EQ(sodium_cation_fraction(0.0, 0.9, 2700.0, 0.0658, 390.0, 0.9342), 0.0);
}

TEST(LiMobilityFactor, ScalesLiPlusOnlyAndIsExactAtOne) {
  Electrolyte e;
  PhaseMaterial m = gel();
  m.excess_li_sheet_conductance_S = 4e-10;
  m.internal_interface_area_1_m = 9e8;
  m.sheet_normal_axis = 0;
  m.normal_to_inplane_ratio = 0.0;
  const auto base = phase_conductivity(m, e);
  m.li_mobility_factor = 1.0;
  const auto one = phase_conductivity(m, e);
  for (int a = 0; a < 3; ++a) EXPECT_EQ(one.plus[a], base.plus[a]);
  m.li_mobility_factor = 0.3;  // beta+ (M-a); the interface excess Sigma+ a_v is not a gel mobility
  const auto held = phase_conductivity(m, e);
  const double excess = 4e-10 * 9e8;
  EXPECT_NEAR(held.plus[1] - excess, 0.3 * (base.plus[1] - excess), 1e-15);
  EXPECT_EQ(held.minus[1], base.minus[1]);
  EXPECT_EQ(held.plus[0], 0.0);
  // local t+ of an uncharged phase: beta D+ / (beta D+ + D-), below the gel's for beta < 1
  PhaseMaterial shell = gel();
  shell.li_mobility_factor = 0.5;
  EXPECT_NEAR(phase_conductivity(shell, e).t_plus(2), 0.5 * 1.81 / (0.5 * 1.81 + 2.50), 1e-14);
}

TEST(PorousWall, ParallelInPlaneSeriesAcrossExactLimits) {
  const std::array<double, 3> wall{0.0, 0.36, 0.36}, gel{0.0632, 0.0632, 0.0632};
  const auto dense = porous_wall_mixture(wall, gel, 0.0, 0);
  for (int a = 0; a < 3; ++a) EXPECT_EQ(dense[a], wall[a]);
  const auto m = porous_wall_mixture(wall, gel, 0.4, 0);
  EXPECT_NEAR(m[1], 0.6 * 0.36 + 0.4 * 0.0632, 1e-15);
  EXPECT_EQ(m[0], 0.0);  // slits in series with a wall that does not conduct across
  const std::array<double, 3> leaky{0.01, 0.36, 0.36};
  const auto l = porous_wall_mixture(leaky, gel, 0.4, 0);
  // A stack of n slit pairs, each (1-p) h of wall and p h of gel, resistances in series.
  const int n = 7;
  double R = 0.0;
  for (int i = 0; i < n; ++i) R += 0.6 / n / 0.01 + 0.4 / n / 0.0632;
  EXPECT_NEAR(l[0], 1.0 / R, 1e-14);
  EXPECT_NEAR(porous_wall_mixture(leaky, gel, 1.0, 0)[0], 0.0632, 1e-15);
}

}  // namespace
