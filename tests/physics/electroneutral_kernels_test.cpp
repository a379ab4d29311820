// Electroneutral kernels (spec §1.5, §3.4): cell state identities, well-balanced face flux, every
// derivative against a central difference.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "physics/electroneutral_kernels.hpp"

namespace ph = ionpath::physics;

namespace {
constexpr double eps = 1e-6;
double rel(double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(b)); }
}  // namespace

TEST(ElectroneutralCell, IdentitiesAndCancellationFreeLimit) {
  for (const double mp : {-2.0, 0.0, 0.4, 3.0})
    for (const double mm : {-1.5, 0.0, 0.8})
      for (const double X : {0.0, 0.3, 2.0, 1e6}) {
        const auto c = ph::electroneutral_cell(mp, mm, X);
        EXPECT_NEAR(c.c_plus - c.c_minus, X, 1e-12 * std::max(1.0, X));
        EXPECT_NEAR(c.c_plus * c.c_minus / std::exp(mp + mm), 1.0, 1e-12);
        EXPECT_NEAR(c.psi, mp - std::log(c.c_plus), 1e-14 * std::max(1.0, std::abs(c.psi)));
        EXPECT_NEAR(c.psi, std::log(c.c_minus) - mm, 1e-11 * std::max(1.0, std::abs(c.psi)));  // mu- = ln c- - psi
      }
  const auto big = ph::electroneutral_cell(0.0, 0.0, 1e8);  // c- = 1e-8 with full relative accuracy
  EXPECT_NEAR(big.c_minus * 1e8, 1.0, 1e-12);
  const auto x0 = ph::electroneutral_cell(0.6, -0.2, 0.0);  // X = 0: c = exp(s/2), psi = (mu+ - mu-)/2
  EXPECT_NEAR(x0.c_plus, std::exp(0.2), 1e-15);
  EXPECT_NEAR(x0.psi, 0.4, 1e-15);
}

TEST(ElectroneutralCell, DerivativesMatchCentralDifferences) {
  for (const double X : {0.0, 0.5, 2.0, 40.0})
    for (const double mp : {-1.0, 0.3})
      for (const double mm : {-0.4, 0.9}) {
        const auto c = ph::electroneutral_cell(mp, mm, X);
        const auto up = ph::electroneutral_cell(mp + eps, mm, X), dn = ph::electroneutral_cell(mp - eps, mm, X);
        const auto um = ph::electroneutral_cell(mp, mm + eps, X), dm = ph::electroneutral_cell(mp, mm - eps, X);
        EXPECT_LT(rel(c.dc_ds, (up.c_plus - dn.c_plus) / (2 * eps)), 1e-8);
        EXPECT_LT(rel(c.dc_ds, (um.c_minus - dm.c_minus) / (2 * eps)), 1e-8);
        EXPECT_LT(rel(c.d2c_ds2, (up.dc_ds - dn.dc_ds) / (2 * eps)), 1e-8);
        EXPECT_LT(rel(c.dpsi_dmu_plus, (up.psi - dn.psi) / (2 * eps)), 1e-8);
        EXPECT_LT(rel(c.dpsi_dmu_minus, (um.psi - dm.psi) / (2 * eps)), 1e-8);
      }
}

TEST(HarmonicMean, ValueDerivativesZeros) {
  const auto h = ph::harmonic_mean(1.0, 3.0);
  EXPECT_DOUBLE_EQ(h.value, 1.5);
  EXPECT_LT(rel(h.d_a, (ph::harmonic_mean(1 + eps, 3).value - ph::harmonic_mean(1 - eps, 3).value) / (2 * eps)), 1e-8);
  EXPECT_LT(rel(h.d_b, (ph::harmonic_mean(1, 3 + eps).value - ph::harmonic_mean(1, 3 - eps).value) / (2 * eps)), 1e-8);
  EXPECT_EQ(ph::harmonic_mean(0.0, 3.0).value, 0.0);
  EXPECT_EQ(ph::harmonic_mean(2.0, 0.0).d_a, 0.0);
}

namespace {
// Face flux at (mu+_L, mu-_L, mu+_R, mu-_R) with fixed coefficients.
ph::ElectroneutralFaceFlux flux_at(const std::array<double, 4>& m, double XL, double XR) {
  const auto cL = ph::electroneutral_cell(m[0], m[1], XL), cR = ph::electroneutral_cell(m[2], m[3], XR);
  return ph::electroneutral_face_flux({cL, m[0], m[1], 0.724, 1.3}, {cR, m[2], m[3], 2.0, 0.2}, 0.7);
}
}  // namespace

TEST(ElectroneutralFaceFlux, WellBalancedAcrossDonnanJump) {
  // Equal mu on both sides: zero flux to round-off, whatever the fixed charges.
  for (const double X : {0.0, 2.0, 1e4}) {
    const auto f = flux_at({0.3, -0.1, 0.3, -0.1}, 0.0, X);
    EXPECT_EQ(f.plus.value, 0.0);
    EXPECT_EQ(f.minus.value, 0.0);
  }
  // Antisymmetry: swapping L and R reverses the flux exactly (identical arithmetic).
  const auto cL = ph::electroneutral_cell(0.2, 0.1, 1.0), cR = ph::electroneutral_cell(-0.3, 0.4, 0.0);
  const auto a = ph::electroneutral_face_flux({cL, 0.2, 0.1, 1, 1}, {cR, -0.3, 0.4, 1, 1}, 1.0);
  const auto b = ph::electroneutral_face_flux({cR, -0.3, 0.4, 1, 1}, {cL, 0.2, 0.1, 1, 1}, 1.0);
  EXPECT_EQ(a.plus.value, -b.plus.value);
  EXPECT_EQ(a.minus.value, -b.minus.value);
  // Uniform cell, X = 0: N_i = D c (mu_L - mu_R) / h, current = N+ - N-.
  const auto u = ph::electroneutral_cell(0, 0, 0);
  const auto f = ph::electroneutral_face_flux({u, 0.5, 0.0, 2.0, 3.0}, {u, 0.0, 0.25, 2.0, 3.0}, 0.5);
  EXPECT_NEAR(f.plus.value, 2.0 * 0.5 / 0.5, 1e-15);
  EXPECT_NEAR(f.minus.value, 3.0 * -0.25 / 0.5, 1e-15);
  EXPECT_NEAR(f.current(), 2.0 + 1.5, 1e-15);
  // A zero diffusivity on one side blocks the species.
  const auto z = ph::electroneutral_face_flux({u, 0.5, 0.0, 0.0, 3.0}, {u, 0.0, 0.25, 2.0, 3.0}, 0.5);
  EXPECT_EQ(z.plus.value, 0.0);
}

TEST(ElectroneutralFaceFlux, DerivativesMatchCentralDifferences) {
  const std::array<double, 4> m0{0.3, -0.2, -0.1, 0.45};
  for (const auto& [XL, XR] : {std::pair{0.0, 0.0}, std::pair{2.0, 0.0}, std::pair{0.5, 30.0}}) {
    const auto f = flux_at(m0, XL, XR);
    for (int q = 0; q < 4; ++q) {
      auto p = m0, n = m0;
      p[q] += eps;
      n[q] -= eps;
      const auto fp = flux_at(p, XL, XR), fn = flux_at(n, XL, XR);
      const double a_plus = q < 2 ? f.plus.d_L[q] : f.plus.d_R[q - 2];
      const double a_minus = q < 2 ? f.minus.d_L[q] : f.minus.d_R[q - 2];
      EXPECT_LT(rel(a_plus, (fp.plus.value - fn.plus.value) / (2 * eps)), 1e-8) << q;
      EXPECT_LT(rel(a_minus, (fp.minus.value - fn.minus.value) / (2 * eps)), 1e-8) << q;
    }
  }
}

TEST(ElectroneutralDirichletFlux, ValueAndDerivatives) {
  const double X = 1.5, D = 0.8, h = 1.0, mu_face = 0.25;
  for (int sp = 0; sp < 2; ++sp) {
    auto eval = [&](double mp, double mm) {
      const auto c = ph::electroneutral_cell(mp, mm, X);
      return ph::electroneutral_dirichlet_flux(c, sp == 0 ? mp : mm, mu_face, D, sp, h);
    };
    const auto f = eval(0.4, -0.3);
    const auto c = ph::electroneutral_cell(0.4, -0.3, X);
    EXPECT_NEAR(f.value, 2 * D * (sp == 0 ? c.c_plus : c.c_minus) * ((sp == 0 ? 0.4 : -0.3) - mu_face) / h, 1e-15);
    EXPECT_LT(rel(f.d[0], (eval(0.4 + eps, -0.3).value - eval(0.4 - eps, -0.3).value) / (2 * eps)), 1e-8);
    EXPECT_LT(rel(f.d[1], (eval(0.4, -0.3 + eps).value - eval(0.4, -0.3 - eps).value) / (2 * eps)), 1e-8);
  }
}
