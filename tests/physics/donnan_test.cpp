// Donnan equilibrium (spec §1.2, §8.3) and local transference numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/conductivity.hpp"
#include "physics/donnan.hpp"
#include "physics/electroneutral_kernels.hpp"

namespace ph = ionpath::physics;

TEST(DonnanState, FixedChargeTwiceSaltIsExact) {
  const auto d = ph::donnan_state(2.0, 1.0);
  EXPECT_NEAR(d.c_plus_mol_m3, 2.414213562, 1e-9);
  EXPECT_NEAR(d.c_minus_mol_m3, 0.414213562, 1e-9);
  EXPECT_NEAR(d.potential, -0.881373587, 1e-9);
  EXPECT_NEAR(d.c_plus_mol_m3, 1.0 + std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(d.c_minus_mol_m3, std::sqrt(2.0) - 1.0, 1e-12);
  EXPECT_NEAR(d.potential, -std::asinh(1.0), 1e-12);
  // In SI: scale invariance c -> c0 c.
  const auto si = ph::donnan_state(780.0, 390.0);
  EXPECT_NEAR(si.c_plus_mol_m3 / 390.0, d.c_plus_mol_m3, 1e-12);
  EXPECT_NEAR(si.potential, d.potential, 1e-12);
}

TEST(DonnanState, IdentitiesAndLimits) {
  for (const double X : {0.0, 1e-8, 0.3, 2.0, 50.0, 1e8}) {
    const auto d = ph::donnan_state(X, 1.0);
    EXPECT_NEAR(d.c_plus_mol_m3 * d.c_minus_mol_m3, 1.0, 1e-12) << X;        // c+ c- = c0^2
    EXPECT_NEAR(d.c_plus_mol_m3 - d.c_minus_mol_m3, X, 1e-12 * std::max(1.0, X));  // neutrality
    EXPECT_NEAR(d.potential, -std::asinh(X / 2), 1e-12 * std::max(1.0, std::abs(d.potential)));
    // The electroneutral cell state at mu = 0 is the Donnan state.
    const auto c = ph::electroneutral_cell(0.0, 0.0, X);
    EXPECT_NEAR(c.c_plus, d.c_plus_mol_m3, 1e-12 * d.c_plus_mol_m3);
    EXPECT_NEAR(c.psi, d.potential, 1e-12 * std::max(1.0, std::abs(d.potential)));
  }
  EXPECT_NEAR(ph::donnan_state(1e8, 1.0).c_minus_mol_m3, 1e-8, 1e-20);  // large X: c- -> c0^2/X
}

TEST(DonnanState, LocalTransferenceNumber) {
  // spec §1.2: gel D+/D- = 0.724 gives t+ = 0.42; X = 2 c0 raises it to 0.81.
  EXPECT_NEAR(ph::donnan_local_t_plus(0.724, 1.0, 0.0, 1.0), 0.724 / 1.724, 1e-15);
  const double t = ph::donnan_local_t_plus(0.724, 1.0, 2.0, 1.0);
  EXPECT_NEAR(t, 0.724 * (1 + std::sqrt(2.0)) / (0.724 * (1 + std::sqrt(2.0)) + std::sqrt(2.0) - 1), 1e-14);
  EXPECT_NEAR(t, 0.81, 0.005);
  EXPECT_NEAR(ph::donnan_local_t_plus(1.0, 1.0, 1e9, 1.0), 1.0, 1e-15);
  EXPECT_EQ(ph::donnan_local_t_plus(0.0, 0.0, 1.0, 1.0), 0.0);
}

TEST(SpeciesConductivity, NernstEinsteinAndSheetTensor) {
  const double T = 298.15, F = 96485.33212, R = 8.314462618;
  EXPECT_NEAR(ph::species_conductivity_S_m(+1, 1.81e-11, 390.0, T), F * F * 1.81e-11 * 390.0 / (R * T), 1e-18);
  EXPECT_NEAR(ph::species_conductivity_S_m(2, 1e-11, 1.0, T), 4 * ph::species_conductivity_S_m(1, 1e-11, 1.0, T), 1e-20);
  ph::PhaseMaterial wall;
  wall.D_plus_m2_s = 2e-11;
  wall.D_minus_m2_s = 1e-11;
  wall.sheet_normal_axis = 2;
  wall.normal_to_inplane_ratio = 0.0;
  wall.fixed_charge_mol_m3 = 780.0;
  const ph::Electrolyte e{390.0, T};
  const auto s = ph::phase_conductivity(wall, e);
  EXPECT_EQ(s.plus[2], 0.0);
  EXPECT_EQ(s.t_plus(2), 0.0);
  EXPECT_NEAR(s.plus[0], ph::species_conductivity_S_m(1, 2e-11, 390.0 * (1 + std::sqrt(2.0)), T), 1e-15);
  EXPECT_NEAR(s.t_plus(1), ph::donnan_local_t_plus(2e-11, 1e-11, 780.0, 390.0), 1e-14);
  // sigma ~ D(T)/T: the Arrhenius law enters through the phase's temperature dependence.
  const auto hot = ph::phase_conductivity(wall, ph::Electrolyte{390.0, 338.15});
  EXPECT_NEAR(hot.plus[0] / s.plus[0], ph::diffusivity_at(wall.temperature, 1.0, 338.15) * T / 338.15, 1e-13);
}
