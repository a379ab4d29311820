#pragma once
/// Face coefficient of the cell-centred finite-volume operators (spec §3.2, §3.4): cells L and R,
/// each half a cell (h/2) from their shared face, conduct in series, so the face coefficient is
///   g_f = 1 / ((1/g_L + 1/g_R) / 2) = 2 g_L g_R / (g_L + g_R),
/// and the flux from L to R is g_f (u_L - u_R) / h. A side with g <= 0 closes the face (g_f = 0).
/// Same unit as g_L, g_R (conductivity, diffusivity, D c, permittivity: whatever is averaged).
/// The one harmonic mean of the code: conduction face conductances, multigrid levels,
/// electroneutral and Poisson-Nernst-Planck face fluxes all call it.

namespace ionpath::physics {

/// Harmonic mean 2ab/(a+b) and its derivatives with respect to a and b.
struct HarmonicMean {
  double value, d_a, d_b;
};

/// 2ab/(a+b), d/da = 2b^2/(a+b)^2, d/db = 2a^2/(a+b)^2; all 0 if a <= 0 or b <= 0 (NaN inputs
/// propagate). Callers that need only the value read `.value`; the derivatives then compile away.
[[nodiscard]] inline HarmonicMean harmonic_mean(double a, double b) noexcept {
  if (a <= 0.0 || b <= 0.0) return {0.0, 0.0, 0.0};
  const double s = a + b;
  return {2.0 * a * b / s, 2.0 * b * b / (s * s), 2.0 * a * a / (s * s)};
}

}  // namespace ionpath::physics
