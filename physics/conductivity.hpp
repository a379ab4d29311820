#pragma once
/// Local species conductivities of a phase at its Donnan equilibrium state (spec §1.2, §1.3, §1.6,
/// §1.8): sigma_i = F^2 z_i^2 D_i(T) c_i / (R T), a diagonal tensor when the phase is a sheet.
#include <array>
#include <cstddef>

#include "physics/constants.hpp"
#include "physics/donnan.hpp"
#include "physics/material.hpp"
#include "physics/sodium.hpp"
#include "physics/temperature.hpp"

namespace ionpath::physics {

/// sigma_i = F^2 z^2 D c / (R T) in S/m (D in m2/s, c in mol/m3).
[[nodiscard]] constexpr double species_conductivity_S_m(int z, double D_m2_s, double c_mol_m3, double T_K) noexcept {
  return faraday_C_mol * faraday_C_mol * z * z * D_m2_s * c_mol_m3 / (gas_constant_J_mol_K * T_K);
}

struct SpeciesConductivity {
  std::array<double, 3> plus{};   ///< Li+ conductivity tensor diagonal (S/m)
  std::array<double, 3> minus{};  ///< anion conductivity tensor diagonal (S/m)
  std::array<double, 3> sodium{}; ///< Na+ (M-b, spec §7.3; 0 unless Na+ is present)
  [[nodiscard]] std::array<double, 3> total() const noexcept {
    return {plus[0] + minus[0] + sodium[0], plus[1] + minus[1] + sodium[1], plus[2] + minus[2] + sodium[2]};
  }
  /// Local Li+ transference number along `axis` (0 when the phase does not conduct there).
  [[nodiscard]] double t_plus(int axis) const noexcept {
    const double s = plus[axis] + minus[axis] + sodium[axis];
    return s > 0.0 ? plus[axis] / s : 0.0;
  }
};

/// Diagonal of a sheet tensor: in-plane value on the two axes in the sheet, normal value
/// (ratio times in-plane) on the normal axis; isotropic when sheet_normal_axis < 0.
[[nodiscard]] inline std::array<double, 3> sheet_diagonal(const PhaseMaterial& phase, double in_plane) noexcept {
  std::array<double, 3> d{};
  for (int a = 0; a < 3; ++a) d[a] = (a == phase.sheet_normal_axis ? phase.normal_to_inplane_ratio : 1.0) * in_plane;
  return d;
}

/// Conductivities of `phase` at temperature and salt concentration of `electrolyte`.
[[nodiscard]] inline SpeciesConductivity phase_conductivity(const PhaseMaterial& phase, const Electrolyte& electrolyte) noexcept {
  const double T = electrolyte.temperature_K;
  // With Na+ (M-b) the cations of the Donnan state split y : 1 - y (physics/sodium.hpp).
  const double y = electrolyte.sodium_cation_fraction;
  const TernaryDonnanState d = ternary_donnan_state(phase.fixed_charge_mol_m3, electrolyte.salt_concentration_mol_m3, y);
  const double D_li = phase.li_mobility_factor * diffusivity_at(phase.temperature, phase.D_plus_m2_s, T);
  const double sp = species_conductivity_S_m(+1, D_li, d.c_li_mol_m3, T);
  const double sm = species_conductivity_S_m(-1, diffusivity_at(phase.anion_law(), phase.D_minus_m2_s, T), d.c_minus_mol_m3, T);
  SpeciesConductivity s{sheet_diagonal(phase, sp), sheet_diagonal(phase, sm)};
  if (y > 0.0)
    s.sodium = sheet_diagonal(
        phase, species_conductivity_S_m(+1, diffusivity_at(phase.temperature, phase.D_sodium_m2_s, T), d.c_na_mol_m3, T));
  // Internal polymer-MMT interfaces (spec §1.1): Sigma+ a_v adds to the in-plane Li+ conductivity.
  // It follows the phase's temperature law like a Li+ conductivity, sigma ~ D(T)/T.
  const double excess = phase.excess_li_sheet_conductance_S * phase.internal_interface_area_1_m *
                        temperature_factor(phase.temperature, T).value * phase.temperature.reference_temperature_K / T;
  for (int a = 0; a < 3; ++a)
    if (a != phase.sheet_normal_axis) s.plus[a] += excess;
  return s;
}

/// Per-axis apparent diffusivities that the Nernst-Planck models (electroneutral, pnp) give a phase
/// so that it conducts exactly as `phase_conductivity` says (spec §1.1): D_i,a = sigma_i,a R T /
/// (F^2 c_i) at the phase's Donnan concentrations c_i. This is the one material model of all
/// experiments: the interface excess Sigma+ a_v becomes extra in-plane Li+ mobility, never anion
/// mobility and never mobility across the sheets. Without the excess the result is the phase's
/// own D_i(T) on the sheet diagonal (the Donnan concentration cancels). c_i > 0 for every finite X.
/// Binary only: the Nernst-Planck models carry no Na+ (io/ rejects M-b with them).
struct NernstPlanckDiffusivities {
  std::array<double, 3> plus{};   ///< Li+ (m2/s) along x, y, z
  std::array<double, 3> minus{};  ///< anion (m2/s) along x, y, z
  DonnanState donnan{};           ///< the concentrations they refer to
};
[[nodiscard]] inline NernstPlanckDiffusivities nernst_planck_diffusivities(const PhaseMaterial& phase,
                                                                           const Electrolyte& electrolyte) noexcept {
  const SpeciesConductivity s = phase_conductivity(phase, electrolyte);
  NernstPlanckDiffusivities d;
  d.donnan = donnan_state(phase.fixed_charge_mol_m3, electrolyte.salt_concentration_mol_m3);
  const double per_sigma = gas_constant_J_mol_K * electrolyte.temperature_K / (faraday_C_mol * faraday_C_mol);
  for (std::size_t a = 0; a < 3; ++a) {
    d.plus[a] = per_sigma * s.plus[a] / d.donnan.c_plus_mol_m3;
    d.minus[a] = per_sigma * s.minus[a] / d.donnan.c_minus_mol_m3;
  }
  return d;
}

}  // namespace ionpath::physics
