#pragma once
/// Electroneutral Nernst-Planck kernels (spec §1.5, §3.4, §3.7), dimensionless: c in c0, mu and psi
/// in R T / F, D in D0, lengths in L0. Pure, noexcept, value + derivatives; the solver's residual
/// and Jacobian both come from these functions.
///
/// Cell state from (mu+, mu-, X): with s = mu+ + mu-, c+ c- = e^s and c+ = c- + X, so
///   c- = 2 e^s / (X + sqrt(X^2 + 4 e^s))  (no cancellation for X >> 1),  psi = mu+ - ln c+.
/// Face flux of species i from L to R: N_i = (g_i / h)(mu_i,L - mu_i,R), g_i the harmonic mean
/// of D_i c_i of the two cells (physics/face_means.hpp): exactly zero for equal mu even across a
/// Donnan jump.
#include <array>
#include <cmath>

#include "physics/face_means.hpp"  // harmonic_mean

namespace ionpath::physics {

/// Concentrations, potential and their derivatives in one cell. c+ and c- depend on mu+ and mu-
/// only through s = mu+ + mu-, with the same derivative dc/ds = c+ c- / (c+ + c-).
struct ElectroneutralCell {
  double c_plus = 0.0, c_minus = 0.0;
  double dc_ds = 0.0;    ///< d c+/ds = d c-/ds
  double d2c_ds2 = 0.0;  ///< d^2 c+/ds^2 = d^2 c-/ds^2 (for the M(u) u' mass term)
  double psi = 0.0;      ///< mu+ - ln c+
  double dpsi_dmu_plus = 0.0, dpsi_dmu_minus = 0.0;
};

[[nodiscard]] inline ElectroneutralCell electroneutral_cell(double mu_plus, double mu_minus, double X) noexcept {
  const double es = std::exp(mu_plus + mu_minus);
  ElectroneutralCell c;
  c.c_minus = 2.0 * es / (X + std::sqrt(X * X + 4.0 * es));
  c.c_plus = c.c_minus + X;
  const double sum = c.c_plus + c.c_minus;
  c.dc_ds = c.c_plus * c.c_minus / sum;
  c.d2c_ds2 = c.dc_ds * (c.c_plus * c.c_plus + c.c_minus * c.c_minus) / (sum * sum);
  c.psi = mu_plus - std::log(c.c_plus);
  c.dpsi_dmu_minus = -c.c_minus / sum;  // -(dc+/ds)/c+
  c.dpsi_dmu_plus = 1.0 + c.dpsi_dmu_minus;
  return c;
}

/// Per-species flux through a face, with derivatives with respect to (mu+, mu-) of L and R.
struct SpeciesFlux {
  double value = 0.0;
  std::array<double, 2> d_L{}, d_R{};
};
struct ElectroneutralFaceFlux {
  SpeciesFlux plus, minus;
  /// Dimensionless current density through the face, i = N+ - N- (units F N0).
  [[nodiscard]] double current() const noexcept { return plus.value - minus.value; }
};

/// One side of a face: the cell's state, potentials and axis components of D+ and D-.
struct FaceSide {
  const ElectroneutralCell& cell;
  double mu_plus, mu_minus;
  double D_plus, D_minus;
};

namespace detail {
inline SpeciesFlux species_face_flux(double aL, double aR, double daL, double daR, double dmu, int species,
                                     double h) noexcept {
  SpeciesFlux f;
  const HarmonicMean g = harmonic_mean(aL, aR);
  if (g.value == 0.0) return f;
  f.value = g.value * dmu / h;
  for (int q = 0; q < 2; ++q) {
    const double direct = q == species ? g.value / h : 0.0;
    f.d_L[q] = g.d_a * daL * dmu / h + direct;
    f.d_R[q] = g.d_b * daR * dmu / h - direct;
  }
  return f;
}
}  // namespace detail

/// Fluxes of both species from L to R across a face of spacing h (area factor left to the caller).
[[nodiscard]] inline ElectroneutralFaceFlux electroneutral_face_flux(const FaceSide& L, const FaceSide& R,
                                                                     double h) noexcept {
  ElectroneutralFaceFlux f;
  f.plus = detail::species_face_flux(L.D_plus * L.cell.c_plus, R.D_plus * R.cell.c_plus, L.D_plus * L.cell.dc_ds,
                                     R.D_plus * R.cell.dc_ds, L.mu_plus - R.mu_plus, 0, h);
  f.minus = detail::species_face_flux(L.D_minus * L.cell.c_minus, R.D_minus * R.cell.c_minus,
                                      L.D_minus * L.cell.dc_ds, R.D_minus * R.cell.dc_ds, L.mu_minus - R.mu_minus, 1, h);
  return f;
}

/// Half-cell flux of one species (0 = Li+, 1 = anion) from cell K to a face where mu is given
/// (Dirichlet), half a cell away: N = (2 D c_K / h)(mu_K - mu_face). d = d/d(mu+_K, mu-_K).
struct BoundaryFlux {
  double value = 0.0;
  std::array<double, 2> d{};
};
[[nodiscard]] inline BoundaryFlux electroneutral_dirichlet_flux(const ElectroneutralCell& K, double mu_K,
                                                                double mu_face, double D, int species,
                                                                double h) noexcept {
  const double c = species == 0 ? K.c_plus : K.c_minus;
  const double g = 2.0 * D * c / h, dg = 2.0 * D * K.dc_ds / h;
  const double dmu = mu_K - mu_face;
  BoundaryFlux f;
  f.value = g * dmu;
  f.d[0] = dg * dmu + (species == 0 ? g : 0.0);
  f.d[1] = dg * dmu + (species == 1 ? g : 0.0);
  return f;
}

/// Local Li+ transference number of a cell, D+c+/(D+c+ + D-c-) (0 when nothing moves).
[[nodiscard]] inline double local_t_plus(const ElectroneutralCell& c, double D_plus, double D_minus) noexcept {
  const double sp = D_plus * c.c_plus, sm = D_minus * c.c_minus;
  return sp + sm > 0.0 ? sp / (sp + sm) : 0.0;
}

}  // namespace ionpath::physics
