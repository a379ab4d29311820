// Bruce-Vincent formulas (spec §5.3): ratio, the paper's corrected t+, and the initial current of
// a bulk conductance in series with two Butler-Volmer electrodes.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/bruce_vincent.hpp"

namespace ph = ionpath::physics;

TEST(BruceVincent, RatioAndCorrectedTransferenceNumber) {
  EXPECT_DOUBLE_EQ(ph::t_plus_ratio(0.42, 1.0), 0.42);
  EXPECT_EQ(ph::t_plus_ratio(0.42, 0.0), 0.0);
  // Without interfacial resistance the correction does nothing.
  for (const double Is : {0.1, 0.4, 0.9}) EXPECT_DOUBLE_EQ(ph::t_plus_corrected(0.39, 1.0, 0.0, Is, 0.0), ph::t_plus_ratio(Is, 1.0));
  // Exact numbers: dV = 10, I0 = 4, R0 = 1, Is = 2, Rs = 1: 2 (10 - 4) / (4 (10 - 2)) = 0.375.
  EXPECT_DOUBLE_EQ(ph::t_plus_corrected(10.0, 4.0, 1.0, 2.0, 1.0), 0.375);
  EXPECT_DOUBLE_EQ(ph::t_plus_ratio(2.0, 4.0), 0.5);
  // The correction removes the interfacial drops: a bulk of resistance Rb that polarises to Rb / t+
  // at steady state, in series with an unchanged interface R: I0 = dV / (Rb + R),
  // Is = dV / (Rb / t+ + R), and the corrected formula returns t+ exactly (the ratio does not).
  const double dV = 0.4, Rb = 2.0, R = 3.0, t = 0.4;
  const double I0 = dV / (Rb + R);
  const double Is = dV / (Rb / t + R);
  EXPECT_GT(ph::t_plus_ratio(Is, I0), t + 0.1);
  EXPECT_NEAR(ph::t_plus_corrected(dV, I0, R, Is, R), t, 1e-15);
  EXPECT_EQ(ph::t_plus_corrected(1.0, 0.0, 0.0, 1.0, 0.0), 0.0);  // zero denominator
}

TEST(BruceVincent, InitialCurrentMatchesSymmetricClosedForm) {
  // alpha = 1/2, equal electrodes: eta(I) = 2 asinh(I / (2 i0)) each, so
  // dV(I) = I / G + 4 asinh(I / (2 i0)); invert numerically and compare.
  const double G = 0.8, i0 = 0.05;
  for (const double I : {1e-4, 0.01, 0.3, 2.0}) {
    const double dV = I / G + 4.0 * std::asinh(I / (2.0 * i0));
    const ph::LumpedElectrode e{i0, 0.5, 0.5};
    EXPECT_NEAR(ph::series_initial_current(dV, G, e, e), I, 1e-13 * I) << "I = " << I;
    EXPECT_NEAR(ph::series_initial_current(-dV, G, e, e), -I, 1e-13 * I);  // odd in dV
  }
}

TEST(BruceVincent, InitialCurrentLimits) {
  const double G = 1.7, dV = 0.389;
  // Ideal electrodes (i0 <= 0): the ohmic current.
  EXPECT_NEAR(ph::series_initial_current(dV, G, {}, {}), dV * G, 1e-15 * dV * G);
  // Small step: linear kinetics, R_ct = 1 / ((alpha_a + alpha_c) i0) per electrode.
  const ph::LumpedElectrode a{0.2, 0.3, 0.7}, b{0.5, 0.6, 0.4};
  const double small = 1e-6;
  const double linear = small / (1.0 / G + 1.0 / (1.0 * 0.2) + 1.0 / (1.0 * 0.5));
  EXPECT_NEAR(ph::series_initial_current(small, G, a, b), linear, 1e-5 * linear);
  // Asymmetric kinetics at a large step: the voltage balance holds with each electrode's own
  // direction (the high electrode passes -I).
  const double I = ph::series_initial_current(3.0, G, a, b);
  const double eta_low = ph::butler_volmer_overpotential(I, a.i0, a.alpha_a, a.alpha_c);
  const double eta_high = ph::butler_volmer_overpotential(-I, b.i0, b.alpha_a, b.alpha_c);
  EXPECT_NEAR(I / G + eta_low - eta_high, 3.0, 1e-13);
  EXPECT_NEAR(b.i0 * (std::exp(b.alpha_a * eta_high) - std::exp(-b.alpha_c * eta_high)), -I, 1e-13);
  EXPECT_GT(I, 0.0);
  EXPECT_LT(I, 3.0 * G);
  // Nothing conducts, or no step.
  EXPECT_EQ(ph::series_initial_current(dV, 0.0, a, b), 0.0);
  EXPECT_EQ(ph::series_initial_current(0.0, G, a, b), 0.0);
}
