#pragma once
/// Per-phase transport parameters in SI (spec/physics.md §1, §7.1). Filled by io/ from YAML,
/// consumed by the solvers. D values are conductivity-consistent ("apparent") diffusivities.
#include <optional>
#include <string>
#include <vector>

#include "physics/constants.hpp"

namespace ionpath::physics {

enum class TemperatureLaw { constant, arrhenius, vtf };

/// D(T) = D_ref (T/T_ref)^n exp[-E_a/R (1/T - 1/T_ref)]  (Arrhenius)
/// D(T) = D_ref (T/T_ref)^n exp[-B (1/(T-T0) - 1/(T_ref-T0))]  (VTF)
/// The power n (default 0, spec §1.8) maps a conductivity law exactly: at fixed c, sigma ~ D/T,
/// so sigma = A T^m exp(...) is D ~ T^(m+1) exp(...), n = m + 1 (VTF sigma ~ T^-1/2: n = 1/2).
struct TemperatureDependence {
  TemperatureLaw law = TemperatureLaw::arrhenius;
  double activation_energy_J_mol = 20e3;
  double vtf_B_K = 700.0;
  double vtf_T0_K = 170.0;
  double reference_temperature_K = ::ionpath::physics::reference_temperature_K;
  double prefactor_T_power = 0.0;  ///< n of the (T/T_ref)^n prefactor
};

struct PhaseMaterial {
  std::string name;                 ///< phase name (matches mesh::PhaseTable)
  double D_plus_m2_s = 0.0;         ///< Li+ diffusivity (in-plane for sheet phases); 0 = blocks Li+
  double D_minus_m2_s = 0.0;        ///< anion diffusivity (in-plane for sheet phases)
  double normal_to_inplane_ratio = 1.0;  ///< D_perp / D_parallel for sheet phases (1 = isotropic)
  int sheet_normal_axis = -1;       ///< -1 isotropic; 0/1/2 = sheets normal to x/y/z
  double fixed_charge_mol_m3 = 0.0; ///< immobile negative sites X >= 0 per accessible volume
  double relative_permittivity = 20.0;
  double capacity = 1.0;            ///< accessible volume fraction kappa in (0, 1]
  /// Internal polymer-MMT interfaces (spec §1.1): excess Li+ sheet conductance Sigma+ (S) times
  /// the interface area per volume a_v (1/m) adds Sigma+ a_v to the in-plane Li+ conductivity.
  double excess_li_sheet_conductance_S = 0.0;
  double internal_interface_area_1_m = 0.0;
  /// Multiplies D_plus (spec §7.3, optional mechanisms; 1 = off): beta+ < 1 on `clay_shell`
  /// (M-a, Li+ held at exposed exchange sites of aggregates), f_int > 1 on `interface` (M-c,
  /// thick interphase: an isotropic Li+ enhancement over the shell width).
  double li_mobility_factor = 1.0;
  /// Apparent Na+ diffusivity (M-b, spec §1.2/§7.3): used only when Electrolyte::
  /// sodium_cation_fraction > 0; io/ defaults it to the phase's D_plus (same mobility as Li+).
  double D_sodium_m2_s = 0.0;
  TemperatureDependence temperature{};  ///< D(T) of both species, unless anion_temperature is set
  std::optional<TemperatureDependence> anion_temperature;  ///< the anion's own law (spec §1.8: per species)
  [[nodiscard]] const TemperatureDependence& anion_law() const noexcept {
    return anion_temperature ? *anion_temperature : temperature;
  }
};

/// Electrolyte state shared by all phases.
struct Electrolyte {
  double salt_concentration_mol_m3 = 390.0;  ///< c0 of the gel
  double temperature_K = reference_temperature_K;
  /// M-b (spec §7.3): fraction y of the mobile cations that are Na+ released by cation exchange
  /// (physics/sodium.hpp). 0 = binary Li+/anion electrolyte.
  double sodium_cation_fraction = 0.0;
};

/// Apparent diffusivities from a measured conductivity and transference number of a binary
/// 1:1 salt at concentration c: D_i = t_i sigma R T / (F^2 c)  (spec §1.3).
struct DiffusivityPair {
  double D_plus_m2_s;
  double D_minus_m2_s;
};
[[nodiscard]] constexpr DiffusivityPair diffusivities_from_conductivity(double sigma_S_m, double t_plus,
                                                                        double c_mol_m3, double T_K) noexcept {
  const double k = sigma_S_m * gas_constant_J_mol_K * T_K / (faraday_C_mol * faraday_C_mol * c_mol_m3);
  return {t_plus * k, (1.0 - t_plus) * k};
}

}  // namespace ionpath::physics
