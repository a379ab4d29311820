// Donnan state, temperature laws and phase conductivities against closed forms (spec §1.2, §1.8).
#include <gtest/gtest.h>

#include <cmath>

#include "physics/conductivity.hpp"

namespace ph = ionpath::physics;

TEST(Donnan, FixedChargeTwiceSaltConcentration) {
  // spec §1.2 / §8.3: X = 2 c0 -> c+ = (1 + sqrt 2) c0, c- = (sqrt 2 - 1) c0, psi_D = -asinh(1).
  const auto d = ph::donnan_state(2.0, 1.0);
  EXPECT_NEAR(d.c_plus_mol_m3, 2.414213562373095, 1e-12);
  EXPECT_NEAR(d.c_minus_mol_m3, 0.414213562373095, 1e-12);
  EXPECT_NEAR(d.potential, -0.881373587019543, 1e-12);
  const auto big = ph::donnan_state(1e8, 1.0);  // no cancellation: c+ c- = c0^2 still holds
  EXPECT_NEAR(big.c_plus_mol_m3 * big.c_minus_mol_m3, 1.0, 1e-12);
  const auto none = ph::donnan_state(0.0, 390.0);
  EXPECT_DOUBLE_EQ(none.c_plus_mol_m3, 390.0);
  EXPECT_DOUBLE_EQ(none.c_minus_mol_m3, 390.0);
}

TEST(TemperatureLaw, ArrheniusAndVtf) {
  ph::TemperatureDependence a;
  a.activation_energy_J_mol = 20e3;
  EXPECT_DOUBLE_EQ(ph::diffusivity_at(a, 2.0, 298.15), 2.0);
  const double T = 338.15;
  EXPECT_NEAR(ph::diffusivity_at(a, 1.0, T), std::exp(-20e3 / 8.314462618 * (1 / T - 1 / 298.15)), 1e-14);
  ph::TemperatureDependence v;
  v.law = ph::TemperatureLaw::vtf;
  v.vtf_B_K = 700;
  v.vtf_T0_K = 170;
  EXPECT_NEAR(ph::diffusivity_at(v, 1.0, T), std::exp(-700 * (1 / (T - 170) - 1 / (298.15 - 170))), 1e-14);
}

TEST(PhaseConductivity, GelRecoversMeasuredConductivityAndTransferenceNumber) {
  ph::Electrolyte e;
  const auto D = ph::diffusivities_from_conductivity(0.0632, 0.42, e.salt_concentration_mol_m3, e.temperature_K);
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = D.D_plus_m2_s;
  gel.D_minus_m2_s = D.D_minus_m2_s;
  const auto s = ph::phase_conductivity(gel, e);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(s.total()[a], 0.0632, 1e-15);
    EXPECT_NEAR(s.plus[a] / s.total()[a], 0.42, 1e-14);
  }
  // spec §7.1: gel apparent D+ = 1.81e-11, D- = 2.50e-11 m2/s at c0 = 390 mol/m3.
  EXPECT_NEAR(D.D_plus_m2_s, 1.81e-11, 0.01e-11);
  EXPECT_NEAR(D.D_minus_m2_s, 2.50e-11, 0.01e-11);
}

TEST(PhaseConductivity, SheetsAndFixedCharge) {
  ph::Electrolyte e{1.0, 298.15};
  ph::PhaseMaterial wall;
  wall.D_plus_m2_s = 1.0;
  wall.D_minus_m2_s = 1.0;
  wall.sheet_normal_axis = 0;
  wall.normal_to_inplane_ratio = 0.01;
  wall.fixed_charge_mol_m3 = 2.0;
  const auto s = ph::phase_conductivity(wall, e);
  EXPECT_NEAR(s.plus[0] / s.plus[1], 0.01, 1e-15);
  // Local t+ with X = 2 c0 and equal D: c+/(c+ + c-) = 2.414/2.828 = 0.8536 (spec §1.2).
  EXPECT_NEAR(s.plus[2] / s.total()[2], 2.414213562373095 / 2.82842712474619, 1e-12);
}

TEST(PhaseConductivity, InternalInterfaceExcessAddsSheetConductance) {
  // spec §1.1 / §7.3: Sigma+ = 4e-10 S with a_v = 9e8 1/m adds 0.36 S/m (3.6 mS/cm) in-plane.
  ph::Electrolyte e;
  ph::PhaseMaterial wall;
  wall.sheet_normal_axis = 0;
  wall.normal_to_inplane_ratio = 0.0;
  wall.excess_li_sheet_conductance_S = 4e-10;
  wall.internal_interface_area_1_m = 9e8;
  wall.fixed_charge_mol_m3 = 500.0;
  const auto s = ph::phase_conductivity(wall, e);
  EXPECT_NEAR(s.plus[1], 0.36, 1e-12);
  EXPECT_NEAR(s.plus[2], 0.36, 1e-12);
  EXPECT_EQ(s.plus[0], 0.0);
  EXPECT_EQ(s.minus[1], 0.0);
}

TEST(NernstPlanckDiffusivities, ReproduceSpeciesConductivitiesWithInterfaceExcess) {
  // The electroneutral/PNP diffusivities of a charged sheet phase with Sigma+ must conduct exactly
  // as the conduction model's sigma+- on every axis (one material model): D c F^2/(R T) = sigma.
  // The aligned example's wall: D+- = 0.1 x gel in-plane, D_perp = 0, X = 627 mol/m3, 298.15 K.
  const ph::Electrolyte e;  // 390 mol/m3, 298.15 K
  const auto gel = ph::diffusivities_from_conductivity(0.0632, 0.42, e.salt_concentration_mol_m3, e.temperature_K);
  ph::PhaseMaterial wall;
  wall.D_plus_m2_s = 0.1 * gel.D_plus_m2_s;
  wall.D_minus_m2_s = 0.1 * gel.D_minus_m2_s;
  wall.sheet_normal_axis = 0;
  wall.normal_to_inplane_ratio = 0.0;
  wall.fixed_charge_mol_m3 = 627.0;
  wall.excess_li_sheet_conductance_S = 4e-10;
  wall.internal_interface_area_1_m = 9e8;
  const auto s = ph::phase_conductivity(wall, e);
  const auto D = ph::nernst_planck_diffusivities(wall, e);
  // Donnan state by hand: root = sqrt(313.5^2 + 390^2) = 500.3821, c+ = 813.8821, c- = 186.8821.
  EXPECT_NEAR(D.donnan.c_plus_mol_m3, 813.88210, 1e-4);
  EXPECT_NEAR(D.donnan.c_minus_mol_m3, 186.88210, 1e-4);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(ph::species_conductivity_S_m(+1, D.plus[a], D.donnan.c_plus_mol_m3, e.temperature_K), s.plus[a], 1e-15);
    EXPECT_NEAR(ph::species_conductivity_S_m(-1, D.minus[a], D.donnan.c_minus_mol_m3, e.temperature_K), s.minus[a], 1e-15);
  }
  // Hand values: sigma+ in-plane = 0.1 x 0.026544 x 813.88/390 + 0.36 = 0.365539 S/m; across 0;
  // sigma- = 0.1 x 0.036656 x 186.88/390 = 0.0017565 S/m in-plane (the excess is Li+ only).
  EXPECT_NEAR(s.plus[1], 0.365539, 1e-6);
  EXPECT_EQ(s.plus[2], s.plus[1]);
  EXPECT_EQ(s.plus[0], 0.0);
  EXPECT_NEAR(s.minus[1], 0.0017565, 1e-7);
  EXPECT_EQ(D.plus[0], 0.0);
  // The anion keeps the phase's own D (the Donnan concentration cancels); Li+ in-plane gains
  // Sigma+ a_v R T / (F^2 c+) on top of its own D.
  const double per_sigma = ph::gas_constant_J_mol_K * e.temperature_K / (ph::faraday_C_mol * ph::faraday_C_mol);
  EXPECT_NEAR(D.minus[1], wall.D_minus_m2_s, 1e-12 * wall.D_minus_m2_s);
  EXPECT_NEAR(D.plus[1], wall.D_plus_m2_s + per_sigma * 0.36 / D.donnan.c_plus_mol_m3, 1e-12 * D.plus[1]);
  // Without the excess the conversion is the identity on the sheet diagonal.
  wall.excess_li_sheet_conductance_S = 0.0;
  const auto D0 = ph::nernst_planck_diffusivities(wall, e);
  EXPECT_NEAR(D0.plus[2], wall.D_plus_m2_s, 1e-12 * wall.D_plus_m2_s);
  EXPECT_EQ(D0.plus[0], 0.0);
}
