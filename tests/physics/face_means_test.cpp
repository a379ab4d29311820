// The one harmonic face mean (spec §3.2): half cells in series, zeros close the face.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "physics/face_means.hpp"

namespace ph = ionpath::physics;

TEST(HarmonicFaceMean, HalfCellsInSeries) {
  // Two half cells of conductance 2 g_L and 2 g_R (per h) in series give g_f.
  for (const auto& [gl, gr] : {std::pair{1.0, 3.0}, std::pair{0.25, 0.25}, std::pair{1e-6, 7.0}}) {
    const double series = 1.0 / (1.0 / (2.0 * gl) + 1.0 / (2.0 * gr));
    EXPECT_NEAR(ph::harmonic_mean(gl, gr).value, series, 1e-15 * series);
    EXPECT_EQ(ph::harmonic_mean(gl, gr).value, ph::harmonic_mean(gr, gl).value);  // symmetric, bit for bit
  }
  EXPECT_EQ(ph::harmonic_mean(2.5, 2.5).value, 2.5);  // equal sides: the value itself
  EXPECT_DOUBLE_EQ(ph::harmonic_mean(1.0, 3.0).value, 1.5);
  // Bounded by twice the smaller side, and by the arithmetic mean.
  EXPECT_LT(ph::harmonic_mean(1e-3, 1e3).value, 2e-3);
  EXPECT_LE(ph::harmonic_mean(1.0, 3.0).value, 2.0);
}

TEST(HarmonicFaceMean, ZeroOrNegativeSideClosesTheFace) {
  for (const auto& [a, b] : {std::pair{0.0, 3.0}, std::pair{2.0, 0.0}, std::pair{-1.0, 3.0}, std::pair{0.0, 0.0}}) {
    const auto h = ph::harmonic_mean(a, b);
    EXPECT_EQ(h.value, 0.0);
    EXPECT_EQ(h.d_a, 0.0);
    EXPECT_EQ(h.d_b, 0.0);
  }
  EXPECT_TRUE(std::isnan(ph::harmonic_mean(std::numeric_limits<double>::quiet_NaN(), 1.0).value));  // NaN propagates
}

TEST(HarmonicFaceMean, DerivativesAgainstCentralDifferences) {
  const double e = 1e-6;
  for (const auto& [a, b] : {std::pair{1.0, 3.0}, std::pair{0.2, 0.05}}) {
    const auto h = ph::harmonic_mean(a, b);
    EXPECT_NEAR(h.d_a, (ph::harmonic_mean(a + e, b).value - ph::harmonic_mean(a - e, b).value) / (2 * e), 1e-8);
    EXPECT_NEAR(h.d_b, (ph::harmonic_mean(a, b + e).value - ph::harmonic_mean(a, b - e).value) / (2 * e), 1e-8);
  }
}
