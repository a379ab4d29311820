// Scales (spec §2, style guide §4.3): definitions, SI round trip, a known Debye length.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "physics/scales.hpp"

namespace ph = ionpath::physics;

TEST(Scales, DebyeLengthOfMillimolarAqueousElectrolyte) {
  // 1 mM 1:1 aqueous (eps_r = 78.4) at 298.15 K: lambda_D = sqrt(eps R T / (2 F^2 c)) = 9.6 nm.
  const ph::Scales s = ph::make_scales(1.0, 298.15, 2e-9, 1e-9, 78.4);
  EXPECT_NEAR(s.debye_length_m(), 9.6e-9, 0.05e-9);
  EXPECT_NEAR(s.Lambda2, 2.0 * std::pow(s.debye_length_m() / s.L0, 2), 1e-12 * s.Lambda2);
}

TEST(Scales, DefinitionsAndTypicalMagnitudes) {
  // spec §2: h = 0.5 um, c0 = 390, D0 = 1.8e-11 -> t0 = 14 ms, i0 = 1.4e3 A/m2, sig0 = 0.026 S/m,
  // Lambda2 ~ 5e-7 for eps_r = 20.
  const ph::Scales s = ph::make_scales(390.0, 298.15, 1.8e-11, 0.5e-6, 20.0);
  EXPECT_NEAR(s.VT, 0.025693, 1e-6);
  EXPECT_NEAR(s.t0, 0.0139, 0.0001);
  EXPECT_NEAR(s.i0, 1.35e3, 0.01e3);
  EXPECT_NEAR(s.sig0, 0.0264, 0.0001);
  EXPECT_GT(s.Lambda2, 4e-7);
  EXPECT_LT(s.Lambda2, 6e-7);
  EXPECT_NEAR(s.sig0, s.i0 * s.L0 / s.VT, 1e-14 * s.sig0);  // sigma0 = i0 / (VT / L0)
  EXPECT_NEAR(s.N0 * s.t0, s.c0 * s.L0, 1e-12 * s.c0 * s.L0);
}

TEST(Scales, RoundTripIsIdentity) {
  ph::Electrolyte e{390.0, 318.15};
  ph::PhaseMaterial gel;
  gel.D_plus_m2_s = 1.81e-11;
  const ph::Scales s = ph::make_scales(e, gel, 0.5e-6);
  // D0 is the gel D+ at T (Arrhenius, 20 kJ/mol by default): larger than at 298.15 K.
  EXPECT_NEAR(s.D0, 1.81e-11 * std::exp(-20e3 / 8.314462618 * (1 / 318.15 - 1 / 298.15)), 1e-24);
  for (const double v : {1e-3, 0.7, 42.0}) {
    EXPECT_NEAR(s.length_m(s.length(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.concentration_mol_m3(s.concentration(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.potential_V(s.potential(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.diffusivity_m2_s(s.diffusivity(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.time_s(s.time(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.flux_mol_m2_s(s.flux(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.current_density_A_m2(s.current_density(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.conductivity_S_m(s.conductivity(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.current_A(s.current(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.resistance_ohm(s.resistance(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.conductance_S(s.conductance(v)), v, 1e-15 * v);
    EXPECT_NEAR(s.surface_charge_C_m2(s.surface_charge(v)), v, 1e-15 * v);
  }
  EXPECT_DOUBLE_EQ(s.diffusivity(s.D0), 1.0);
  EXPECT_DOUBLE_EQ(s.concentration(390.0), 1.0);
}

TEST(Scales, RejectsNonPositiveInput) {
  EXPECT_THROW(static_cast<void>(ph::make_scales(0.0, 298.15, 1e-11, 1e-6)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(ph::make_scales(390.0, 298.15, -1e-11, 1e-6)), std::invalid_argument);
}

TEST(Scales, CurrentResistanceConductanceUnits) {
  // spec §2 magnitudes: h = 0.5 um, c0 = 390, D0 = 1.8e-11: one face of current density i0 carries
  // I_unit = F D0 c0 L0 = 96485.33212 * 1.8e-11 * 390 * 0.5e-6 A = 3.3866e-10 A.
  const ph::Scales s = ph::make_scales(390.0, 298.15, 1.8e-11, 0.5e-6, 20.0);
  const double I_unit = 96485.33212 * 1.8e-11 * 390.0 * 0.5e-6;
  EXPECT_NEAR(s.current_A(1.0), I_unit, 1e-15 * I_unit);
  EXPECT_NEAR(s.current_A(1.0), 3.3866e-10, 0.0001e-10);
  EXPECT_NEAR(s.current_A(1.0), s.current_density_A_m2(1.0) * s.L0 * s.L0, 1e-15 * I_unit);
  // R_unit = VT / I_unit = 0.025693 V / 3.3866e-10 A = 7.587e7 ohm; G_unit = sig0 L0 (a voxel cube
  // of conductivity sig0 between two of its faces has conductance sig0 L0^2 / L0).
  EXPECT_NEAR(s.resistance_ohm(1.0), 7.587e7, 0.001e7);
  EXPECT_NEAR(s.resistance_ohm(1.0), s.VT / I_unit, 1e-15 * s.resistance_ohm(1.0));
  EXPECT_NEAR(s.conductance_S(1.0), s.sig0 * s.L0, 1e-15 * s.sig0 * s.L0);
  for (const double G : {1e-3, 0.7, 42.0}) EXPECT_NEAR(s.resistance_ohm(1.0 / G) * s.conductance_S(G), 1.0, 1e-15);
  // Ohm's law survives the conversion: I = G dV in both unit systems.
  const double G = 3.2, dV = 0.389;
  EXPECT_NEAR(s.current_A(G * dV), s.conductance_S(G) * s.potential_V(dV), 1e-15 * s.current_A(G * dV));
  // Surface charge: 0.114 C/m2 (MMT, spec §1.2) in F c0 L0.
  EXPECT_NEAR(s.surface_charge(0.114), 0.114 / (96485.33212 * 390.0 * 0.5e-6), 1e-15 * s.surface_charge(0.114));
  EXPECT_NEAR(s.surface_charge(0.114), 6.059e-3, 0.001e-3);
}
