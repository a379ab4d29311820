// Arrhenius fits (spec §8 item 12): ln(sigma T) returns E_a exactly; ln(sigma) returns E_a - R T_mean.
#include <gtest/gtest.h>

#include "physics/arrhenius_fit.hpp"
#include "physics/conductivity.hpp"

namespace ph = ionpath::physics;

TEST(ArrheniusFit, HomogeneousGelRecoversActivationEnergy) {
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = 1.81e-11;
  gel.D_minus_m2_s = 2.50e-11;
  gel.temperature.activation_energy_J_mol = 20e3;
  std::vector<double> T, sigma;
  double mean_T = 0.0;
  for (double t = 273.15; t <= 338.15 + 1e-9; t += 5.0) {
    const auto s = ph::phase_conductivity(gel, ph::Electrolyte{390.0, t});
    T.push_back(t);
    sigma.push_back(s.total()[2]);
    mean_T += t;
  }
  mean_T /= static_cast<double>(T.size());
  const auto fit = ph::fit_arrhenius(T, sigma);
  EXPECT_NEAR(fit.activation_energy_sigmaT_J_mol, 20e3, 20e3 * 1e-8);
  EXPECT_NEAR(fit.r_squared_sigmaT, 1.0, 1e-12);
  // sigma ~ exp(-E_a/RT)/T: the plain fit sees E_a - R T (within 0.1 kJ/mol over 0..65 C).
  EXPECT_NEAR(fit.activation_energy_J_mol, 20e3 - ph::gas_constant_J_mol_K * mean_T, 100.0);
}

TEST(ArrheniusFit, LineFitStatistics) {
  const std::vector<double> x{0, 1, 2, 3}, y{1, 3.1, 4.9, 7.0};
  const auto f = ph::fit_line(x, y);
  EXPECT_NEAR(f.slope, 1.98, 1e-12);
  EXPECT_NEAR(f.intercept, 1.03, 1e-12);
  EXPECT_GT(f.r_squared, 0.99);
  EXPECT_GT(f.slope_stderr, 0.0);
  EXPECT_THROW(static_cast<void>(ph::fit_line(std::vector<double>{1, 1}, std::vector<double>{1, 2})), std::invalid_argument);
}
