#pragma once
/// Scharfetter-Gummel flux of the Poisson-Nernst-Planck model (spec §3.3), dimensionless: c in c0,
/// psi in R T / F, D in D0, lengths in L0. With dpsi = psi_R - psi_L, the flux from L to R is
///   N = (D_f / h) [B(z dpsi) c_L - B(-z dpsi) c_R],   B(x) = x / (e^x - 1),
/// exact for constant flux and linear potential on the segment, and exactly zero at Boltzmann
/// equilibrium c_R / c_L = e^{-z dpsi} because B(-x) = e^x B(x).
#include <cmath>

namespace ionpath::physics {

/// Bernoulli function B(x) = x / (e^x - 1) without cancellation or overflow.
[[nodiscard]] inline double bernoulli(double x) noexcept {
  if (std::abs(x) < 1e-2) {
    const double x2 = x * x;
    return 1.0 - 0.5 * x + x2 / 12.0 - x2 * x2 / 720.0;
  }
  if (x > 30.0) return x * std::exp(-x);
  return x / std::expm1(x);
}

/// B'(x) = B(x) (1 - B(x) - x) / x, by its series near 0.
[[nodiscard]] inline double bernoulli_derivative(double x) noexcept {
  if (std::abs(x) < 1e-2) return -0.5 + x / 6.0 - x * x * x / 180.0;
  const double b = bernoulli(x);
  return b * (1.0 - b - x) / x;
}

/// Flux of one species through a face and its derivatives with respect to the unknowns of the
/// two cells: u = ln c (log-concentration variables, spec §3.6) and psi.
struct SgFlux {
  double value = 0.0;
  double d_uL = 0.0, d_uR = 0.0;
  double d_psiL = 0.0, d_psiR = 0.0;
};

/// `conductance` = D_f / h (harmonic-mean face diffusivity over the centre distance); z the
/// charge number. c_L = e^{u_L}, c_R = e^{u_R} are passed to avoid recomputing the exponentials.
[[nodiscard]] inline SgFlux sg_flux(double c_L, double c_R, double psi_L, double psi_R, int z,
                                    double conductance) noexcept {
  const double x = z * (psi_R - psi_L);
  const double b_fwd = bernoulli(x), b_bwd = bernoulli(-x);
  SgFlux f;
  f.value = conductance * (b_fwd * c_L - b_bwd * c_R);
  f.d_uL = conductance * b_fwd * c_L;
  f.d_uR = -conductance * b_bwd * c_R;
  // d/dx [B(x) c_L - B(-x) c_R] = B'(x) c_L + B'(-x) c_R, and dx/dpsi_R = z.
  const double d_x = conductance * (bernoulli_derivative(x) * c_L + bernoulli_derivative(-x) * c_R);
  f.d_psiR = z * d_x;
  f.d_psiL = -z * d_x;
  return f;
}

}  // namespace ionpath::physics
