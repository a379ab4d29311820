#pragma once
/// Energy stopping test of the matrix-free conduction solve (docs/performance.md, "The stopping
/// test"). S_k, the Dirichlet energy after iteration k, decreases monotonically under CG to S*.
/// With D_k = S_{k-1} - S_k and the observed ratio r = max(D_k / D_{k-1}, D_{k-1} / D_{k-2}, 0.5)
/// the remaining error S_k - S* is estimated as max(D_k, r D_{k-1}) r / (1 - r); converged when
/// that is below tol * S_k (tol = accuracy / 10).
#include <algorithm>
#include <cmath>
#include <vector>

namespace ionpath::solver {

enum class EnergyVerdict {
  iterating,
  converged,           ///< the extrapolated remaining error is below tol * S_k
  converged_roundoff,  ///< S stopped decreasing at round-off level after an already small step
};

/// S holds S_0, S_1, ..., S_k.
[[nodiscard]] inline EnergyVerdict energy_verdict(const std::vector<double>& S, double tol) {
  const std::size_t k = S.size() - 1;
  if (S.size() < 3) return EnergyVerdict::iterating;
  const double e = S[k];
  const double d1 = S[k - 1] - S[k];
  const double d0 = S[k - 2] - S[k - 1];
  if (d1 <= 0.0) {
    // Not decreasing: converged to round-off (if the previous step was already small), or an
    // indefinite preconditioner (the caller goes on and detects it).
    return -d1 <= 1e-13 * std::abs(e) && d0 <= tol * e ? EnergyVerdict::converged_roundoff : EnergyVerdict::iterating;
  }
  if (d0 <= 0.0) return EnergyVerdict::iterating;  // the step before rose: no extrapolation yet
  double r = std::max(0.5, d1 / d0);
  if (k >= 3) {
    const double dm = S[k - 3] - S[k - 2];
    if (dm > 0.0) r = std::max(r, d0 / dm);
  }
  // Remaining error, extrapolated from the last decrement and, so that a sudden stall is not
  // mistaken for convergence, from the one before it.
  const double est = std::max(d1 * r / (1.0 - r), d0 * r * r / (1.0 - r));
  return r < 0.95 && est <= tol * e ? EnergyVerdict::converged : EnergyVerdict::iterating;
}

}  // namespace ionpath::solver
