// Butler-Volmer electrode face (spec §4.3): kinetics identities, local elimination of the face
// value, implicit-differentiation Jacobian against central differences, limits.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/butler_volmer.hpp"

namespace ph = ionpath::physics;

namespace {
ph::ButlerVolmerFace face(double mp, double mm, double X, double D, double phi, const ph::ButlerVolmerParams& p) {
  return ph::butler_volmer_face(ph::electroneutral_cell(mp, mm, X), mp, mm, X, D, 1.0, phi, p);
}
}  // namespace

TEST(ButlerVolmer, RateIdentities) {
  const ph::ButlerVolmerParams p{2.0, 0.5, 0.5};
  EXPECT_EQ(ph::butler_volmer_rate(0.0, 1.3, p).value, 0.0);                       // equilibrium
  EXPECT_NEAR(ph::butler_volmer_rate(0.3, 1.0, p).value, 4.0 * std::sinh(0.15), 1e-14);  // symmetric: 2 i0 sinh(eta/2)
  EXPECT_NEAR(ph::butler_volmer_rate(1e-7, 1.0, p).d_eta, 2.0, 1e-9);                 // linear: i0 (aa + ac)
  const double e = 1e-6;
  const auto r = ph::butler_volmer_rate(0.4, 0.7, {1.5, 0.3, 0.6});
  EXPECT_NEAR(r.d_eta, (ph::butler_volmer_rate(0.4 + e, 0.7, {1.5, 0.3, 0.6}).value -
                        ph::butler_volmer_rate(0.4 - e, 0.7, {1.5, 0.3, 0.6}).value) / (2 * e), 1e-8);
  EXPECT_NEAR(r.d_c, (ph::butler_volmer_rate(0.4, 0.7 + e, {1.5, 0.3, 0.6}).value -
                      ph::butler_volmer_rate(0.4, 0.7 - e, {1.5, 0.3, 0.6}).value) / (2 * e), 1e-8);
  for (const auto& q : {ph::ButlerVolmerParams{1.0, 0.5, 0.5}, ph::ButlerVolmerParams{0.7, 0.3, 0.8}}) {
    const double eta = ph::butler_volmer_overpotential(0.9, q.i0_ref, q.alpha_a, q.alpha_c);
    EXPECT_NEAR(ph::butler_volmer_rate(eta, 1.0, q).value, 0.9, 1e-13);
  }
}

TEST(ButlerVolmerFace, EliminationSatisfiesBothLaws) {
  for (const auto& p : {ph::ButlerVolmerParams{0.3, 0.5, 0.5}, ph::ButlerVolmerParams{5.0, 0.3, 0.7}})
    for (const double phi : {-2.0, -0.1, 0.0, 0.05, 3.0})
      for (const double X : {0.0, 2.0}) {
        const double mp = 0.2, mm = -0.1, D = 0.724;
        const auto f = face(mp, mm, X, D, phi, p);
        ASSERT_TRUE(f.converged);
        EXPECT_LE(f.iterations, 60);
        const auto K = ph::electroneutral_cell(mp, mm, X);
        const double transport = 2 * D * K.c_plus * (f.mu_face - mp);  // half cell, h = 1
        const double kinetic = ph::butler_volmer_rate(phi - f.mu_face, ph::electroneutral_cell(f.mu_face, mm, X).c_plus, p).value;
        EXPECT_NEAR(f.flux_in, transport, 1e-13 * std::max(1.0, std::abs(transport)));
        EXPECT_NEAR(f.flux_in, kinetic, 1e-11 * std::max(1.0, std::abs(kinetic)));
        EXPECT_GE(f.mu_face, std::min(mp, phi) - 1e-15);
        EXPECT_LE(f.mu_face, std::max(mp, phi) + 1e-15);
        EXPECT_EQ(f.flux_in > 0, phi > mp);  // anodic when the metal sits above the electrolyte
      }
}

TEST(ButlerVolmerFace, DerivativesMatchCentralDifferences) {
  const double e = 1e-6;
  for (const auto& p : {ph::ButlerVolmerParams{0.3, 0.5, 0.5}, ph::ButlerVolmerParams{5.0, 0.3, 0.7}})
    for (const double phi : {-1.0, 0.02, 2.5})
      for (const double X : {0.0, 2.0}) {
        const double mp = 0.2, mm = -0.1, D = 1.3;
        const auto f = face(mp, mm, X, D, phi, p);
        const double fd_p = (face(mp + e, mm, X, D, phi, p).flux_in - face(mp - e, mm, X, D, phi, p).flux_in) / (2 * e);
        const double fd_m = (face(mp, mm + e, X, D, phi, p).flux_in - face(mp, mm - e, X, D, phi, p).flux_in) / (2 * e);
        EXPECT_NEAR(f.d_mu_plus, fd_p, 1e-7 * std::max(1.0, std::abs(fd_p)));
        EXPECT_NEAR(f.d_mu_minus, fd_m, 1e-7 * std::max(1.0, std::abs(fd_m)));
        const double fd_phi = (face(mp, mm, X, D, phi + e, p).flux_in - face(mp, mm, X, D, phi - e, p).flux_in) / (2 * e);
        EXPECT_NEAR(f.d_phi_s, fd_phi, 1e-7 * std::max(1.0, std::abs(fd_phi)));
        EXPECT_GT(f.d_phi_s, 0.0);  // monotone in the metal potential (the galvanostatic row)
      }
}

TEST(ButlerVolmer, ExchangeCurrentFromThePapersInterfacialResistances) {
  // spec §7.1: 326 ohm (aligned) and 669 ohm (pure gel) per cell, two interfaces, 2 cm2, 298.15 K.
  const double VT = 8.314462618 * 298.15 / 96485.33212;
  EXPECT_NEAR(ph::exchange_current_from_resistance(VT, 326.0, 2e-4), 0.788, 5e-4);
  EXPECT_NEAR(ph::exchange_current_from_resistance(VT, 669.0, 2e-4), 0.384, 5e-4);
  // Round trip: two interfaces of R_ct = V_T / (i0 A) each give the cell resistance back.
  const double i0 = ph::exchange_current_from_resistance(VT, 500.0, 1e-8);
  EXPECT_NEAR(2.0 * VT / (i0 * 1e-8), 500.0, 1e-9);
  EXPECT_NEAR(ph::exchange_current_from_resistance(VT, 500.0, 1e-8, 2.0), 0.5 * i0, 1e-12 * i0);
  EXPECT_EQ(ph::exchange_current_from_resistance(VT, 0.0, 1e-8), 0.0);
}

TEST(ButlerVolmerFace, LimitsIdealAndInsulating) {
  // Fast kinetics (i0 -> infinity): the face value tends to phi_s (ideal electrode), flux to the
  // Dirichlet half-cell flux 2 D c (phi - mu_K).
  const double mp = 0.1, mm = 0.0, D = 1.0, phi = 0.3;
  const auto fast = face(mp, mm, 0.0, D, phi, {1e9, 0.5, 0.5});
  const double c = ph::electroneutral_cell(mp, mm, 0.0).c_plus;
  EXPECT_NEAR(fast.mu_face, phi, 1e-8);
  EXPECT_NEAR(fast.flux_in, 2 * D * c * (phi - mp), 1e-7);
  // Small signal in series: 1/j = 1/(2 D c) + 1/(i0 (aa + ac)) per unit dmu.
  const double i0 = 0.4;
  const auto lin = face(0.0, 0.0, 0.0, D, 1e-7, {i0, 0.5, 0.5});
  EXPECT_NEAR(lin.flux_in / 1e-7, 1.0 / (1.0 / 2.0 + 1.0 / i0), 1e-6);
  // No Li+ transport in the cell: no flux, face at the metal potential.
  const auto none = face(mp, mm, 0.0, 0.0, phi, {1.0, 0.5, 0.5});
  EXPECT_EQ(none.flux_in, 0.0);
  EXPECT_NEAR(none.mu_face, phi, 1e-14);
}
