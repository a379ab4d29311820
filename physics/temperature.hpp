#pragma once
/// Temperature dependence of diffusivities (spec §1.8): Arrhenius or VTF about T_ref, times
/// (T/T_ref)^n, with the derivative d ln D / dT and the apparent activation energy
/// E_app = R T^2 d ln D / dT that an Arrhenius plot of D at T would show (E_a + n R T for
/// Arrhenius; B R (T/(T-T0))^2 + n R T for VTF).
#include <cmath>

#include "physics/constants.hpp"
#include "physics/material.hpp"

namespace ionpath::physics {

struct TemperatureFactor {
  double value;     ///< D(T) / D_ref
  double dlnD_dT;   ///< d ln D / dT (1/K)
};

[[nodiscard]] inline TemperatureFactor temperature_factor(const TemperatureDependence& law, double T_K) noexcept {
  TemperatureFactor f{1.0, 0.0};
  switch (law.law) {
    case TemperatureLaw::constant:
      return f;  // no prefactor either: constant means constant
    case TemperatureLaw::arrhenius: {
      const double k = law.activation_energy_J_mol / gas_constant_J_mol_K;
      f = {std::exp(-k * (1.0 / T_K - 1.0 / law.reference_temperature_K)), k / (T_K * T_K)};
      break;
    }
    case TemperatureLaw::vtf: {
      const double u = T_K - law.vtf_T0_K, u_ref = law.reference_temperature_K - law.vtf_T0_K;
      f = {std::exp(-law.vtf_B_K * (1.0 / u - 1.0 / u_ref)), law.vtf_B_K / (u * u)};
      break;
    }
  }
  if (law.prefactor_T_power != 0.0) {  // n = 0 keeps the previous arithmetic bit for bit
    f.value *= std::pow(T_K / law.reference_temperature_K, law.prefactor_T_power);
    f.dlnD_dT += law.prefactor_T_power / T_K;
  }
  return f;
}

/// D(T) of a diffusivity D_ref given at the law's reference temperature.
[[nodiscard]] inline double diffusivity_at(const TemperatureDependence& law, double D_ref, double T_K) noexcept {
  return D_ref * temperature_factor(law, T_K).value;
}

/// Apparent activation energy of D at T: -R d ln D / d(1/T) = R T^2 d ln D / dT (J/mol). The
/// conductivity sigma ~ D/T shows E_app - R T; sigma T shows E_app (spec §1.8).
[[nodiscard]] inline double apparent_activation_energy_J_mol(const TemperatureDependence& law, double T_K) noexcept {
  return gas_constant_J_mol_K * T_K * T_K * temperature_factor(law, T_K).dlnD_dT;
}

}  // namespace ionpath::physics
