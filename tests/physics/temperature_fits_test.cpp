// VTF fit and Arrhenius/VTF model choice (spec §5.4): exact recovery, standard errors against a
// finite-difference Jacobian, the conductivity-law mapping of the prefactor power, and the choice
// of the law that generated the data.
#include <gtest/gtest.h>

#include <array>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "physics/conductivity.hpp"
#include "physics/temperature.hpp"
#include "physics/temperature_fits.hpp"

namespace ph = ionpath::physics;

namespace {

std::vector<double> sweep_T() {
  std::vector<double> T;
  for (int i = 0; i <= 13; ++i) T.push_back(273.15 + 5.0 * i);
  return T;
}

double vtf_sigma(double A, double B, double T0, double T) { return A / std::sqrt(T) * std::exp(-B / (T - T0)); }

// Deterministic "measurement noise" of relative size eps (no RNG: the test is reproducible).
double wiggle(std::size_t i, double eps) { return 1.0 + eps * std::sin(2.3 * static_cast<double>(i) + 0.4); }

}  // namespace

TEST(VtfFit, RecoversExactParameters) {
  const double A = 45.0, B = 700.0, T0 = 170.0;
  const auto T = sweep_T();
  std::vector<double> s;
  for (const double t : T) s.push_back(vtf_sigma(A, B, T0, t));
  const auto f = ph::fit_vtf(T, s);
  EXPECT_NEAR(f.A, A, 1e-6 * A);
  EXPECT_NEAR(f.B_K, B, 1e-6 * B);
  EXPECT_NEAR(f.T0_K, T0, 1e-6 * T0);
  EXPECT_FALSE(f.T0_at_bound);
  EXPECT_NEAR(f.r_squared, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(f.T0_max_K, 273.15 - 20.0);
}

TEST(VtfFit, StandardErrorsMatchFiniteDifferenceJacobian) {
  const auto T = sweep_T();
  std::vector<double> s;
  for (std::size_t i = 0; i < T.size(); ++i) s.push_back(vtf_sigma(45.0, 700.0, 170.0, T[i]) * wiggle(i, 2e-3));
  const auto f = ph::fit_vtf(T, s);
  ASSERT_FALSE(f.T0_at_bound);
  // Independent estimate: central differences of ln(sigma_model) in (ln A, B, T0), s^2 (J^T J)^-1.
  const std::array<double, 3> p{std::log(f.A), f.B_K, f.T0_K}, h{1e-5, 1e-3, 1e-4};
  auto model = [&](std::array<double, 3> q, double t) { return q[0] - 0.5 * std::log(t) - q[1] / (t - q[2]); };
  std::array<double, 9> jtj{};
  for (const double t : T) {
    std::array<double, 3> g{};
    for (int k = 0; k < 3; ++k) {
      auto up = p, dn = p;
      up[k] += h[k];
      dn[k] -= h[k];
      g[k] = (model(up, t) - model(dn, t)) / (2 * h[k]);
    }
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) jtj[3 * a + b] += g[a] * g[b];
  }
  // Invert by cofactors (3x3).
  const auto& m = jtj;
  const double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const std::array<double, 3> diag{(m[4] * m[8] - m[5] * m[7]) / det, (m[0] * m[8] - m[2] * m[6]) / det,
                                   (m[0] * m[4] - m[1] * m[3]) / det};
  double sse = 0.0;
  for (std::size_t i = 0; i < T.size(); ++i) sse += std::pow(std::log(s[i]) - model(p, T[i]), 2);
  EXPECT_NEAR(sse, f.sse, 1e-12 + 1e-9 * f.sse);
  const double s2 = sse / static_cast<double>(T.size() - 3);
  EXPECT_NEAR(f.A_stderr, f.A * std::sqrt(s2 * diag[0]), 1e-5 * f.A_stderr);
  EXPECT_NEAR(f.B_stderr_K, std::sqrt(s2 * diag[1]), 1e-5 * f.B_stderr_K);
  EXPECT_NEAR(f.T0_stderr_K, std::sqrt(s2 * diag[2]), 1e-5 * f.T0_stderr_K);
  EXPECT_GT(f.B_stderr_K, 0.0);
  // The least-squares optimum: the gradient of the SSE vanishes (first-order condition).
  for (int k = 0; k < 3; ++k) {
    auto up = p, dn = p;
    up[k] += h[k];
    dn[k] -= h[k];
    double su = 0.0, sd = 0.0;
    for (std::size_t i = 0; i < T.size(); ++i) {
      su += std::pow(std::log(s[i]) - model(up, T[i]), 2);
      sd += std::pow(std::log(s[i]) - model(dn, T[i]), 2);
    }
    EXPECT_NEAR((su - sd) / (2 * h[k]), 0.0, 1e-8) << "parameter " << k;
  }
}

TEST(VtfFit, RejectsTooFewPointsAndEmptyInterval) {
  const std::vector<double> T{280, 290, 300}, s{1, 2, 3};
  EXPECT_THROW(static_cast<void>(ph::fit_vtf(T, s)), std::invalid_argument);
  const std::vector<double> T4{30, 40, 50, 60}, s4{1, 2, 3, 4};
  EXPECT_THROW(static_cast<void>(ph::fit_vtf(T4, s4, 20.0, 15.0)), std::invalid_argument);
}

TEST(TemperatureLaw, ConductivityLawMapsExactlyThroughThePrefactorPower) {
  // A VTF conductivity law sigma = A T^-1/2 exp(-B/(T-T0)) at fixed c is D ~ T^(1/2) exp(...):
  // prefactor power n = 1/2 reproduces it exactly, and the VTF fit of the phase's sigma(T)
  // returns B and T0.
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = 1.81e-11;
  gel.D_minus_m2_s = 2.50e-11;
  gel.temperature.law = ph::TemperatureLaw::vtf;
  gel.temperature.vtf_B_K = 667.0;
  gel.temperature.vtf_T0_K = 113.0;
  gel.temperature.prefactor_T_power = 0.5;
  const auto T = sweep_T();
  std::vector<double> s;
  const double s_ref = ph::phase_conductivity(gel, ph::Electrolyte{390.0, 298.15}).total()[2];
  for (const double t : T) {
    s.push_back(ph::phase_conductivity(gel, ph::Electrolyte{390.0, t}).total()[2]);
    const double closed = s_ref * std::sqrt(298.15 / t) * std::exp(-667.0 * (1 / (t - 113.0) - 1 / (298.15 - 113.0)));
    EXPECT_NEAR(s.back(), closed, 1e-12 * closed);
  }
  const auto f = ph::fit_vtf(T, s);
  EXPECT_NEAR(f.B_K, 667.0, 1e-6 * 667.0);
  EXPECT_NEAR(f.T0_K, 113.0, 1e-6 * 113.0);
  // Derivative with the power: d ln D/dT gains n/T.
  const double e = 1e-3, t = 300.0;
  const double fd = (std::log(ph::temperature_factor(gel.temperature, t + e).value) -
                     std::log(ph::temperature_factor(gel.temperature, t - e).value)) / (2 * e);
  EXPECT_NEAR(ph::temperature_factor(gel.temperature, t).dlnD_dT, fd, 1e-8 * fd);
}

TEST(TemperatureFitComparison, PicksVtfOnVtfDataAndArrheniusOnArrheniusData) {
  const auto T = sweep_T();
  for (const double eps : {0.0, 1e-3}) {
    std::vector<double> v, a, a_plain;
    for (std::size_t i = 0; i < T.size(); ++i) {
      v.push_back(vtf_sigma(45.0, 700.0, 170.0, T[i]) * wiggle(i, eps));
      // Arrhenius D (sigma ~ exp(-E/RT)/T) and an Arrhenius sigma (sigma ~ exp(-E/RT)).
      a.push_back(std::exp(-20e3 / (8.314462618 * T[i])) / T[i] * 1e5 * wiggle(i, eps));
      a_plain.push_back(std::exp(-20e3 / (8.314462618 * T[i])) * 1e3 * wiggle(i, eps));
    }
    const auto cv = ph::compare_temperature_fits(T, v, ph::fit_vtf(T, v));
    EXPECT_EQ(cv.preferred, "vtf") << "eps " << eps;
    EXPECT_GT(cv.delta_aicc, 2.0);
    const auto ca = ph::compare_temperature_fits(T, a, ph::fit_vtf(T, a));
    EXPECT_EQ(ca.preferred, "arrhenius_ln_sigmaT") << "eps " << eps;
    const auto cp = ph::compare_temperature_fits(T, a_plain, ph::fit_vtf(T, a_plain));
    EXPECT_EQ(cp.preferred, "arrhenius_ln_sigma") << "eps " << eps;
    ASSERT_EQ(cv.candidates.size(), 3u);
    EXPECT_EQ(cv.candidates[2].parameters, 3);
    if (eps == 0.0) {
      // Exact VTF data: the Arrhenius residuals form a smooth curve, so few runs and a large
      // curvature t value.
      EXPECT_GT(std::abs(cv.curvature_t), 10.0);
      EXPECT_LE(cv.runs, 4);
      EXPECT_LT(cv.runs_z, -2.0);
    }
  }
}

TEST(TemperatureLaw, ExampleLiquidLawReproducesValoenReimers) {
  // examples/paper_temperature: the gel law is the VTF fit of Valoen & Reimers (J. Electrochem.
  // Soc. 152 (2005) A882) eq. 17 at c = 1 mol/L, 0-65 C: B = 666.9 K, T0 = 112.8 K, n = 1/2.
  auto kappa = [](double T) {  // mS/cm, c in mol/L
    const double c = 1.0;
    const double q = (-10.5 + 0.0740 * T - 6.96e-5 * T * T) + c * (0.668 - 0.0178 * T + 2.80e-5 * T * T) +
                     c * c * (0.494 - 8.86e-4 * T);
    return c * q * q;
  };
  const auto T = sweep_T();
  std::vector<double> k;
  for (const double t : T) k.push_back(kappa(t));
  const auto f = ph::fit_vtf(T, k);
  EXPECT_NEAR(f.B_K, 666.9, 0.5);
  EXPECT_NEAR(f.T0_K, 112.8, 0.5);
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = 1.81e-11;
  gel.D_minus_m2_s = 2.50e-11;
  gel.temperature = {ph::TemperatureLaw::vtf, 0.0, 666.9, 112.8, 298.15, 0.5};
  const double s_ref = ph::phase_conductivity(gel, ph::Electrolyte{390.0, 298.15}).total()[2];
  double worst = 0.0;
  for (const double t : T) {
    const double model = ph::phase_conductivity(gel, ph::Electrolyte{390.0, t}).total()[2] / s_ref;
    worst = std::max(worst, std::abs(model / (kappa(t) / kappa(298.15)) - 1.0));
  }
  EXPECT_LT(worst, 2e-3) << "the configured law departs from eq. 17 by " << worst;
  const auto c = ph::compare_temperature_fits(T, k, f);
  std::printf("Valoen-Reimers 1 M: VTF B %.2f +- %.2f K, T0 %.2f +- %.2f K, max dev %.2e; AICc %.2f %.2f %.2f -> %s\n",
              f.B_K, f.B_stderr_K, f.T0_K, f.T0_stderr_K, worst, c.candidates[0].aicc, c.candidates[1].aicc,
              c.candidates[2].aicc, c.preferred.c_str());
}
