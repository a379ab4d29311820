#pragma once
/// Bruce-Vincent transference number (spec §5.3): a potentiostatic step dV across Li | cell | Li
/// (low electrode at +dV, high at 0), initial current I_0, steady current I_s, interfacial
/// resistance of the cell R_0 at t = 0+ and R_s at steady state (sum over both electrodes).
///
///   ratio       t+ = I_s / I_0
///   corrected   t+ = I_s (dV - I_0 R_0) / (I_0 (dV - I_s R_s))
///               (Bruce & Vincent, J. Electroanal. Chem. 225 (1987) 1; Evans, Vincent & Bruce,
///               Polymer 28 (1987) 2324; the formula of Li et al. 2022); equal to the ratio when
///               R_0 = R_s = 0.
///   I_0         current of the uniform initial state: a bulk conductance G in series with two
///               lumped Butler-Volmer electrodes (current I leaves the low metal, enters the high),
///                 dV = I_0 / G + eta_low(I_0) - eta_high(-I_0),
///                 eta_k(j): i0_k [exp(alpha_a,k eta) - exp(-alpha_c,k eta)] = j,
///               so each electrode adds its overpotential magnitude; kinetic (charge-transfer)
///               conductance of an electrode (alpha_a + alpha_c) i0_k, i.e. R_0 = sum 1/((alpha_a + alpha_c) i0_k).
/// Units: any consistent set. The solvers' is I in F N0 L0^2 (currents summed over the electrode
/// face), dV and eta in V_T, R in V_T / (F N0 L0^2), G = 1/R (physics::Scales converts to SI).
#include <cmath>
#include <utility>

#include "physics/butler_volmer.hpp"

namespace ionpath::physics {

/// Uncorrected Bruce-Vincent ratio I_s / I_0 (0 if I_0 = 0).
[[nodiscard]] inline double t_plus_ratio(double I_s, double I_0) noexcept { return I_0 != 0.0 ? I_s / I_0 : 0.0; }

/// Corrected t+ = I_s (dV - I_0 R_0) / (I_0 (dV - I_s R_s)) (0 if the denominator is 0).
[[nodiscard]] inline double t_plus_corrected(double delta_V, double I_0, double R_0, double I_s, double R_s) noexcept {
  const double den = I_0 * (delta_V - I_s * R_s);
  return den != 0.0 ? I_s * (delta_V - I_0 * R_0) / den : 0.0;
}

/// One electrode lumped over its face: exchange current i0 (same unit as the currents; i0 <= 0
/// means an ideal, reversible electrode without overpotential) and its transfer coefficients.
struct LumpedElectrode {
  double i0 = 0.0;
  double alpha_a = 0.5;
  double alpha_c = 0.5;
};

/// Initial current I_0 through G in series with the two electrodes at the step delta_V (see the
/// header). Bisection on [0, delta_V G] (the current is below the ohmic one), to 1e-15 relative
/// or 200 halvings; butler_volmer_overpotential inverts each electrode (closed form asinh for
/// alpha_a = alpha_c). Returns 0 when G <= 0 (nothing conducts) or delta_V = 0.
[[nodiscard]] inline double series_initial_current(double delta_V, double G, const LumpedElectrode& low,
                                                   const LumpedElectrode& high) noexcept {
  if (!(G > 0.0)) return 0.0;
  // The high electrode passes -I (Li+ goes into its metal): eta_high(-I) < 0 for I > 0.
  auto overpotentials = [&](double I) {
    return butler_volmer_overpotential(I, low.i0, low.alpha_a, low.alpha_c) -
           butler_volmer_overpotential(-I, high.i0, high.alpha_a, high.alpha_c);
  };
  double lo = 0.0, hi = delta_V * G;
  if (hi < lo) std::swap(lo, hi);
  for (int it = 0; it < 200 && hi - lo > 1e-15 * std::abs(hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    const double f = mid / G + overpotentials(mid) - delta_V;  // increasing in mid for either sign of delta_V
    (f > 0.0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace ionpath::physics
