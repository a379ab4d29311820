// Electroneutral kernels: Donnan state from s = mu+ + mu-, derivatives against central differences.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/electroneutral.hpp"

namespace ph = ionpath::physics;

TEST(ElectroneutralState, DonnanValuesAndNeutrality) {
  const auto st = ph::electroneutral_state(0.0, 2.0);  // equilibrium with the gel: s = 0
  EXPECT_NEAR(st.c_plus, 1.0 + std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(st.c_minus, std::sqrt(2.0) - 1.0, 1e-14);
  EXPECT_NEAR(-std::log(st.c_plus), -0.881373587019543, 1e-13);  // psi_D with mu+ = 0
  for (const double s : {-3.0, -0.5, 0.0, 0.7, 4.0})
    for (const double X : {0.0, 0.3, 2.0, 1e6}) {
      const auto a = ph::electroneutral_state(s, X);
      EXPECT_NEAR(a.c_plus - a.c_minus, X, 1e-12 * std::max(1.0, X));
      EXPECT_NEAR(a.c_plus * a.c_minus / std::exp(s), 1.0, 1e-12);
      const double e = 1e-6;
      const double fd = (ph::electroneutral_state(s + e, X).c_minus - ph::electroneutral_state(s - e, X).c_minus) / (2 * e);
      EXPECT_NEAR(a.dc_ds, fd, 1e-7 * std::max(1.0, std::abs(fd)));
    }
}

TEST(HarmonicMean, ValueDerivativesAndZeros) {
  const auto h = ph::harmonic_mean(1.0, 3.0);
  EXPECT_DOUBLE_EQ(h.value, 1.5);
  const double e = 1e-7;
  EXPECT_NEAR(h.d_a, (ph::harmonic_mean(1.0 + e, 3.0).value - ph::harmonic_mean(1.0 - e, 3.0).value) / (2 * e), 1e-7);
  EXPECT_NEAR(h.d_b, (ph::harmonic_mean(1.0, 3.0 + e).value - ph::harmonic_mean(1.0, 3.0 - e).value) / (2 * e), 1e-7);
  EXPECT_EQ(ph::harmonic_mean(0.0, 3.0).value, 0.0);
}
