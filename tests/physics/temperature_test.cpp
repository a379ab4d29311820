// Temperature laws (spec §1.8, §8 item 12): values, derivative, fit identities.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "physics/arrhenius_fit.hpp"
#include "physics/conductivity.hpp"
#include "physics/temperature.hpp"

namespace ph = ionpath::physics;

namespace {
ph::TemperatureDependence vtf(double B, double T0) {
  ph::TemperatureDependence v;
  v.law = ph::TemperatureLaw::vtf;
  v.vtf_B_K = B;
  v.vtf_T0_K = T0;
  return v;
}
}  // namespace

TEST(TemperatureLaw, ValuesAtAndAwayFromReference) {
  const ph::TemperatureDependence a;  // Arrhenius, 20 kJ/mol
  EXPECT_DOUBLE_EQ(ph::temperature_factor(a, 298.15).value, 1.0);
  EXPECT_DOUBLE_EQ(ph::temperature_factor(vtf(700, 170), 298.15).value, 1.0);
  const double T = 273.15;
  EXPECT_NEAR(ph::diffusivity_at(a, 3.0, T), 3.0 * std::exp(-20e3 / 8.314462618 * (1 / T - 1 / 298.15)), 1e-14);
  EXPECT_NEAR(ph::diffusivity_at(vtf(700, 170), 1.0, T), std::exp(-700 * (1 / (T - 170) - 1 / (298.15 - 170))), 1e-14);
  ph::TemperatureDependence c;
  c.law = ph::TemperatureLaw::constant;
  EXPECT_DOUBLE_EQ(ph::diffusivity_at(c, 2.5, 338.15), 2.5);
}

TEST(TemperatureLaw, DerivativeMatchesCentralDifference) {
  for (const auto& law : {ph::TemperatureDependence{}, vtf(700, 170), vtf(1000, 200)})
    for (const double T : {273.15, 298.15, 338.15}) {
      const double e = 1e-3;
      const double fd = (std::log(ph::temperature_factor(law, T + e).value) -
                         std::log(ph::temperature_factor(law, T - e).value)) / (2 * e);
      EXPECT_NEAR(ph::temperature_factor(law, T).dlnD_dT, fd, 1e-8 * std::abs(fd));
    }
}

TEST(TemperatureLaw, ApparentActivationEnergyIdentities) {
  // Arrhenius: E_app = E_a at every T. VTF: E_app = B R (T / (T - T0))^2.
  const ph::TemperatureDependence a;
  for (const double T : {273.15, 338.15}) {
    EXPECT_NEAR(ph::apparent_activation_energy_J_mol(a, T), 20e3, 1e-9);
    EXPECT_NEAR(ph::apparent_activation_energy_J_mol(vtf(700, 170), T),
                700 * 8.314462618 * std::pow(T / (T - 170), 2), 1e-9);
  }
}

TEST(TemperatureLaw, ArrheniusFitsRecoverActivationEnergy) {
  // spec §8 item 12: ln(sigma T) fit returns E_a to 1e-8; ln(sigma) fit returns E_a - R T_mean
  // within 0.1 kJ/mol.
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = 1.81e-11;
  gel.D_minus_m2_s = 2.50e-11;
  std::vector<double> T, sigma;
  for (double t = 273.15; t <= 338.16; t += 5.0) {
    T.push_back(t);
    sigma.push_back(ph::phase_conductivity(gel, ph::Electrolyte{390.0, t}).total()[0]);
  }
  const auto fit = ph::fit_arrhenius(T, sigma);
  EXPECT_NEAR(fit.activation_energy_sigmaT_J_mol, 20e3, 1e-8 * 20e3);
  double T_mean = 0.0;
  for (const double t : T) T_mean += t / static_cast<double>(T.size());
  EXPECT_NEAR(fit.activation_energy_J_mol, 20e3 - 8.314462618 * T_mean, 100.0);
}
