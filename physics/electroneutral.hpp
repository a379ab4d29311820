#pragma once
/// Electroneutral Nernst-Planck kernels (spec §1.5, §3.4), dimensionless (c in c0, mu in R T / F,
/// D in D0, lengths in voxels). The cell state follows from s = mu+ + mu- and the fixed charge X:
///   c- (c- + X) = e^s,  c+ = c- + X,  psi = mu+ - ln c+,
/// and species i crosses a face with N_i = g_i (mu_i,L - mu_i,R), g_i the harmonic mean of the
/// two cells' D_i c_i (zero flux for equal mu: well-balanced across Donnan jumps).
#include <cmath>

namespace ionpath::physics {

struct ElectroneutralState {
  double c_plus, c_minus;
  double dc_ds;  ///< d c+/d s = d c-/d s (s = mu+ + mu-)
};

[[nodiscard]] inline ElectroneutralState electroneutral_state(double s, double X) noexcept {
  const double es = std::exp(s);
  const double c_minus = 2.0 * es / (X + std::sqrt(X * X + 4.0 * es));  // no cancellation for X >> 1
  const double c_plus = c_minus + X;
  return {c_plus, c_minus, c_plus * c_minus / (c_plus + c_minus)};
}

/// Harmonic mean 2ab/(a+b) and its derivatives with respect to a and b (0 if either is 0).
struct HarmonicMean {
  double value, d_a, d_b;
};
[[nodiscard]] inline HarmonicMean harmonic_mean(double a, double b) noexcept {
  if (a <= 0.0 || b <= 0.0) return {0.0, 0.0, 0.0};
  const double s = a + b;
  return {2.0 * a * b / s, 2.0 * b * b / (s * s), 2.0 * a * a / (s * s)};
}

}  // namespace ionpath::physics
