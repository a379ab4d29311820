#pragma once
/// Local species conductivities of a phase at its Donnan equilibrium state (spec §1.2, §1.6,
/// §1.8): sigma_i = F^2 z_i^2 D_i(T) c_i / (R T), a diagonal tensor when the phase is a sheet.
#include <array>
#include <cmath>

#include "physics/constants.hpp"
#include "physics/material.hpp"

namespace ionpath::physics {

/// Ideal Donnan equilibrium against gel at salt concentration c0 (c+ c- = c0^2, c+ = c- + X),
/// cancellation-free for X >> c0.
struct DonnanState {
  double c_plus_mol_m3;
  double c_minus_mol_m3;
  double potential;  ///< psi_D = -ln(c+/c0), dimensionless (in units of R T / F)
};
[[nodiscard]] inline DonnanState donnan_state(double X_mol_m3, double c0_mol_m3) noexcept {
  const double root = std::sqrt(0.25 * X_mol_m3 * X_mol_m3 + c0_mol_m3 * c0_mol_m3);
  const double c_minus = c0_mol_m3 * c0_mol_m3 / (root + 0.5 * X_mol_m3);
  const double c_plus = c_minus + X_mol_m3;
  return {c_plus, c_minus, -std::log(c_plus / c0_mol_m3)};
}

/// D(T) of a diffusivity D_ref given at the law's reference temperature.
[[nodiscard]] inline double diffusivity_at(const TemperatureDependence& law, double D_ref, double T_K) noexcept {
  switch (law.law) {
    case TemperatureLaw::constant:
      return D_ref;
    case TemperatureLaw::arrhenius:
      return D_ref * std::exp(-law.activation_energy_J_mol / gas_constant_J_mol_K * (1.0 / T_K - 1.0 / law.reference_temperature_K));
    case TemperatureLaw::vtf:
      return D_ref * std::exp(-law.vtf_B_K * (1.0 / (T_K - law.vtf_T0_K) - 1.0 / (law.reference_temperature_K - law.vtf_T0_K)));
  }
  return D_ref;
}

struct SpeciesConductivity {
  std::array<double, 3> plus{};   ///< Li+ conductivity tensor diagonal (S/m)
  std::array<double, 3> minus{};  ///< anion conductivity tensor diagonal (S/m)
  [[nodiscard]] std::array<double, 3> total() const noexcept {
    return {plus[0] + minus[0], plus[1] + minus[1], plus[2] + minus[2]};
  }
};

/// Conductivities of `phase` at temperature and salt concentration of `electrolyte`.
[[nodiscard]] inline SpeciesConductivity phase_conductivity(const PhaseMaterial& phase, const Electrolyte& electrolyte) noexcept {
  const double T = electrolyte.temperature_K;
  const DonnanState d = donnan_state(phase.fixed_charge_mol_m3, electrolyte.salt_concentration_mol_m3);
  const double k = faraday_C_mol * faraday_C_mol / (gas_constant_J_mol_K * T);
  const double sp = k * diffusivity_at(phase.temperature, phase.D_plus_m2_s, T) * d.c_plus_mol_m3;
  const double sm = k * diffusivity_at(phase.temperature, phase.D_minus_m2_s, T) * d.c_minus_mol_m3;
  SpeciesConductivity s;
  for (int a = 0; a < 3; ++a) {
    const double f = a == phase.sheet_normal_axis ? phase.normal_to_inplane_ratio : 1.0;
    s.plus[a] = f * sp;
    s.minus[a] = f * sm;
  }
  return s;
}

}  // namespace ionpath::physics
