// Scharfetter-Gummel flux (spec §3.3): Bernoulli function branches against long double, the
// limiting cases named in the spec, zero flux at Boltzmann equilibrium, derivatives against
// central differences.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/scharfetter_gummel.hpp"

namespace ph = ionpath::physics;

namespace {
long double bernoulli_reference(long double x) { return x == 0.0L ? 1.0L : x / std::expm1(x); }
}  // namespace

TEST(Bernoulli, AllBranchesMatchExtendedPrecision) {
  for (const double x : {-200.0, -31.0, -30.0, -5.0, -0.5, -0.0101, -0.0099, -1e-6, 0.0, 1e-6, 0.0099, 0.0101, 0.7,
                         12.0, 29.9, 30.1, 300.0}) {
    const double ref = static_cast<double>(bernoulli_reference(x));
    EXPECT_NEAR(ph::bernoulli(x), ref, 2e-15 * std::max(1.0, ref)) << "x = " << x;
    EXPECT_NEAR(ph::bernoulli(-x), ph::bernoulli(x) * std::exp(x), 1e-13 * std::max(1.0, ph::bernoulli(-x)))
        << "B(-x) = e^x B(x) at x = " << x;
  }
  EXPECT_TRUE(std::isfinite(ph::bernoulli(800.0)));
  EXPECT_TRUE(std::isfinite(ph::bernoulli(-800.0)));
}

TEST(Bernoulli, DerivativeMatchesCentralDifference) {
  for (const double x : {-40.0, -3.0, -0.2, -0.0101, -0.005, 0.0, 0.005, 0.0101, 0.2, 3.0, 40.0}) {
    const double h = 1e-5;
    const double fd = (ph::bernoulli(x + h) - ph::bernoulli(x - h)) / (2.0 * h);
    EXPECT_NEAR(ph::bernoulli_derivative(x), fd, 1e-8) << "x = " << x;
  }
}

TEST(ScharfetterGummel, LimitsOfTheSpec) {
  // No field: plain diffusion D (c_L - c_R) / h.
  EXPECT_NEAR(ph::sg_flux(2.0, 0.5, 0.3, 0.3, 1, 0.8).value, 0.8 * 1.5, 1e-15);
  // Cation, large potential rise: drift against the field, N ~ -D dpsi c_R / h.
  const auto drift = ph::sg_flux(1.0, 1.0, 0.0, 60.0, 1, 1.0);
  EXPECT_NEAR(drift.value, -60.0, 1e-10);
  // Boltzmann equilibrium c_R / c_L = e^{-z dpsi}: zero flux to round-off for both charges.
  for (const int z : {1, -1})
    for (const double dpsi : {-8.0, -0.004, 0.0, 0.3, 25.0}) {
      const double cL = 0.7, cR = cL * std::exp(-z * dpsi);
      EXPECT_NEAR(ph::sg_flux(cL, cR, 0.1, 0.1 + dpsi, z, 2.0).value, 0.0, 1e-14 * std::max(cL, cR))
          << "z " << z << " dpsi " << dpsi;
    }
}

TEST(ScharfetterGummel, DerivativesMatchCentralDifferences) {
  const double h = 1e-6;
  for (const int z : {1, -1})
    for (const double dpsi : {-3.0, -0.001, 0.0, 0.5, 4.0}) {
      const double uL = 0.2, uR = -0.3, pL = 0.1, pR = 0.1 + dpsi, g = 1.7;
      auto flux = [&](double a, double b, double p, double q) {
        return ph::sg_flux(std::exp(a), std::exp(b), p, q, z, g).value;
      };
      const auto f = ph::sg_flux(std::exp(uL), std::exp(uR), pL, pR, z, g);
      const double tol = 1e-7 * (1.0 + std::abs(f.value));
      EXPECT_NEAR(f.d_uL, (flux(uL + h, uR, pL, pR) - flux(uL - h, uR, pL, pR)) / (2 * h), tol);
      EXPECT_NEAR(f.d_uR, (flux(uL, uR + h, pL, pR) - flux(uL, uR - h, pL, pR)) / (2 * h), tol);
      EXPECT_NEAR(f.d_psiL, (flux(uL, uR, pL + h, pR) - flux(uL, uR, pL - h, pR)) / (2 * h), tol);
      EXPECT_NEAR(f.d_psiR, (flux(uL, uR, pL, pR + h) - flux(uL, uR, pL, pR - h)) / (2 * h), tol);
    }
}
