#pragma once
/// M-b (spec §1.2, §7.3): Na+ released by cation exchange of Na-MMT, a third mobile species.
///
/// Exchange Na-clay + Li+ -> Li-clay + Na+ conserves charge: every released Na+ replaces one Li+
/// in the electrolyte and the anions are unchanged, so in the gel (X = 0) c_Li + c_Na = c_- = c0.
/// Donnan state with Na+ present: ideal and without selectivity between the two monovalent
/// cations, both have the same Donnan ratio r = c_i,phase / c_i,gel = exp(-psi_D) in every phase,
/// so the Na+ fraction y = c_Na / (c_Li + c_Na) is the same everywhere. Electroneutrality
/// c_Li + c_Na = c_- + X (Na+ counts toward the cation balance with X) with c_Li + c_Na = r c0 and
/// c_- = c0 / r is r c0 = c0 / r + X: the binary Donnan state (physics/donnan.hpp) for the total
/// cation concentration, split y : 1 - y. The Na+ inventory comes from the clay: a fraction xi
/// of the exchange capacity CEC x clay mass, spread over the electrolyte (gel) volume.
#include "physics/donnan.hpp"

namespace ionpath::physics {

/// y = xi CEC rho_MMT phi_MMT / (c0 phi_electrolyte): Na+ per composite volume over the cations
/// of the electrolyte volume. phi_MMT and phi_electrolyte are volume fractions of the composite;
/// the few cations inside wall galleries are not counted (xi absorbs them). CEC in mol/kg.
[[nodiscard]] constexpr double sodium_cation_fraction(double exchanged_fraction, double cec_mol_kg,
                                                      double clay_density_kg_m3, double mmt_volume_fraction,
                                                      double c0_mol_m3, double electrolyte_volume_fraction) noexcept {
  return exchanged_fraction * cec_mol_kg * clay_density_kg_m3 * mmt_volume_fraction /
         (c0_mol_m3 * electrolyte_volume_fraction);
}

struct TernaryDonnanState {
  double c_li_mol_m3;
  double c_na_mol_m3;
  double c_minus_mol_m3;
  double potential;  ///< psi_D, as for the binary state
};

/// Li+, Na+ and anion concentrations of a phase with fixed charge X against gel at anion
/// concentration c0 when a fraction y of the cations is Na+ (y = 0: the binary state).
[[nodiscard]] inline TernaryDonnanState ternary_donnan_state(double X_mol_m3, double c0_mol_m3, double y) noexcept {
  const DonnanState d = donnan_state(X_mol_m3, c0_mol_m3);
  return {(1.0 - y) * d.c_plus_mol_m3, y * d.c_plus_mol_m3, d.c_minus_mol_m3, d.potential};
}

}  // namespace ionpath::physics
