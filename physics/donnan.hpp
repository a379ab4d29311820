#pragma once
/// Ideal Donnan equilibrium of a phase with fixed charge X against gel at salt concentration c0
/// (spec §1.2): c+ c- = c0^2, c+ = c- + X, psi_D = -ln(c+/c0), local t+ = D+c+/(D+c+ + D-c-).
/// Cancellation-free for X >> c0 (c- from c0^2 / (root + X/2), not root - X/2).
#include <cmath>

namespace ionpath::physics {

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

/// Local Li+ transference number of a phase at its Donnan state (0 when nothing moves).
[[nodiscard]] inline double donnan_local_t_plus(double D_plus, double D_minus, double X_mol_m3,
                                                double c0_mol_m3) noexcept {
  const DonnanState d = donnan_state(X_mol_m3, c0_mol_m3);
  const double sp = D_plus * d.c_plus_mol_m3, sm = D_minus * d.c_minus_mol_m3;
  return sp + sm > 0.0 ? sp / (sp + sm) : 0.0;
}

}  // namespace ionpath::physics
