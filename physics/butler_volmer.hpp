#pragma once
/// Butler-Volmer Li-metal electrode face (spec §4.3), dimensionless (flux in N0 = D0 c0 / L0,
/// potentials in R T / F). Li+ flux from the metal into the electrolyte (anodic positive):
///   j = i0_ref c_f^alpha_a [exp(alpha_a eta) - exp(-alpha_c eta)],  eta = phi_s - mu+_f,
/// with c_f the face concentration of Li+. The anion is blocked, so mu- is uniform over the half
/// cell and c_f = c+(mu+_f + mu-_K, X_K). The face value mu+_f is eliminated locally:
///   G (mu+_f - mu+_K) = j(mu+_f),  G = 2 D+ c+_K / h  (half-cell transport),
/// a monotone scalar equation (f' = G - dj/dmu_f > 0) bracketed by [min, max](mu+_K, phi_s);
/// safeguarded Newton, derivatives with respect to the cell's (mu+, mu-) by implicit
/// differentiation.
#include <algorithm>
#include <cmath>

#include "physics/electroneutral_kernels.hpp"

namespace ionpath::physics {

struct ButlerVolmerParams {
  double i0_ref = 1.0;   ///< exchange flux at c+ = c0 (dimensionless, units N0; i.e. i0_A_m2 / (F N0))
  double alpha_a = 0.5;
  double alpha_c = 0.5;
};

/// Kinetic flux j(eta, c_f) and its partial derivatives.
struct ButlerVolmerRate {
  double value, d_eta, d_c;
  double i0;  ///< i0_ref c_f^alpha_a
};
[[nodiscard]] inline ButlerVolmerRate butler_volmer_rate(double eta, double c_face, const ButlerVolmerParams& p) noexcept {
  const double i0 = p.i0_ref * std::pow(c_face, p.alpha_a);
  const double ea = std::exp(p.alpha_a * eta), ec = std::exp(-p.alpha_c * eta);
  const double bracket = ea - ec;
  return {i0 * bracket, i0 * (p.alpha_a * ea + p.alpha_c * ec), p.alpha_a * i0 / c_face * bracket, i0};
}

/// Overpotential at which an electrode of exchange flux i0 passes flux j (closed form for
/// alpha_a = alpha_c, Newton otherwise; monotone in eta).
[[nodiscard]] inline double butler_volmer_overpotential(double j, double i0, double alpha_a, double alpha_c) noexcept {
  if (!(i0 > 0.0)) return 0.0;
  if (alpha_a == alpha_c) return std::asinh(0.5 * j / i0) / alpha_a;
  double eta = j / (i0 * (alpha_a + alpha_c));
  for (int it = 0; it < 100; ++it) {
    const double ea = std::exp(alpha_a * eta), ec = std::exp(-alpha_c * eta);
    const double step = (i0 * (ea - ec) - j) / (i0 * (alpha_a * ea + alpha_c * ec));
    eta -= step;
    if (std::abs(step) <= 1e-15 * (1.0 + std::abs(eta))) break;
  }
  return eta;
}

/// Exchange current density (A/m2) of each of the two identical Li interfaces of a symmetric cell
/// whose measured interfacial resistance (both interfaces in series) is R_cell (ohm) over the
/// electrode area A (m2): R_ct = R_cell / 2 per interface and R_ct = V_T / ((alpha_a + alpha_c) i0 A)
/// (spec §4.3; = V_T / (i0 A) for alpha_a + alpha_c = 1). The paper's 326 / 669 ohm over 2 cm2 at
/// 298.15 K give 0.788 / 0.384 A/m2 (spec §7.1).
[[nodiscard]] inline double exchange_current_from_resistance(double VT, double R_cell, double area,
                                                             double alpha_sum = 1.0) noexcept {
  return R_cell > 0.0 && area > 0.0 ? 2.0 * VT / (alpha_sum * R_cell * area) : 0.0;
}

/// The experiments' i0 (A/m2): from the cell resistance when one is given, else i0_given (0 = ideal Li).
[[nodiscard]] inline double li_exchange_current(double VT, double i0_given, double R_cell, double area) noexcept {
  return R_cell > 0.0 ? exchange_current_from_resistance(VT, R_cell, area) : i0_given;
}

struct ButlerVolmerFace {
  double flux_in = 0.0;          ///< Li+ flux from the metal into the cell (per unit face area)
  double d_mu_plus = 0.0;        ///< d flux_in / d mu+_K
  double d_mu_minus = 0.0;       ///< d flux_in / d mu-_K
  double d_phi_s = 0.0;          ///< d flux_in / d phi_s (> 0: the galvanostatic metal-potential row)
  double mu_face = 0.0;          ///< eliminated mu+ on the face
  double eta = 0.0;              ///< phi_s - mu_face
  double c_face = 0.0;           ///< c+ on the face
  double i0 = 0.0;               ///< local exchange flux i0_ref c_f^alpha_a
  int iterations = 0;
  bool converged = false;
};

/// K: state of the face cell at (mu_plus_K, mu_minus_K) with fixed charge X_K; D_plus: its
/// Li+ diffusivity along the face normal; phi_s: metal potential in R T / F.
[[nodiscard]] inline ButlerVolmerFace butler_volmer_face(const ElectroneutralCell& K, double mu_plus_K,
                                                         double mu_minus_K, double X_K, double D_plus, double h,
                                                         double phi_s, const ButlerVolmerParams& p) noexcept {
  ButlerVolmerFace r;
  const double G = 2.0 * D_plus * K.c_plus / h, dG = 2.0 * D_plus * K.dc_ds / h;
  double lo = std::min(mu_plus_K, phi_s), hi = std::max(mu_plus_K, phi_s);
  // Linearised kinetics give a first guess inside the bracket (a convex combination).
  const double k_lin = p.i0_ref * std::pow(K.c_plus, p.alpha_a) * (p.alpha_a + p.alpha_c);
  double y = G + k_lin > 0.0 ? (G * mu_plus_K + k_lin * phi_s) / (G + k_lin) : phi_s;
  ElectroneutralCell f_state;
  ButlerVolmerRate rate{};
  double f = 0.0, f_y = 1.0;
  auto evaluate = [&](double yy) {
    f_state = electroneutral_cell(yy, mu_minus_K, X_K);
    rate = butler_volmer_rate(phi_s - yy, f_state.c_plus, p);
    const double dj_dy = -rate.d_eta + rate.d_c * f_state.dc_ds;
    f = G * (yy - mu_plus_K) - rate.value;
    f_y = G - dj_dy;
  };
  evaluate(y);
  for (r.iterations = 1; r.iterations <= 200; ++r.iterations) {
    if (f > 0.0) hi = std::min(hi, y);
    if (f < 0.0) lo = std::max(lo, y);
    if (f == 0.0 || hi - lo <= 1e-15 * (1.0 + std::abs(y))) {
      r.converged = true;
      break;
    }
    double next = f_y > 0.0 ? y - f / f_y : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);  // Newton left the bracket: bisect
    const double step = next - y;
    y = next;
    evaluate(y);
    if (std::abs(step) <= 1e-15 * (1.0 + std::abs(y))) {
      r.converged = true;
      break;
    }
  }
  // Implicit differentiation of F(y; p, m) = G (y - p) - j(y, m) = 0.
  const double dj_dm = rate.d_c * f_state.dc_ds;
  const double f_p = dG * (y - mu_plus_K) - G;
  const double f_m = dG * (y - mu_plus_K) - dj_dm;
  const double dy_dp = -f_p / f_y, dy_dm = -f_m / f_y;
  const double dy_dphi = rate.d_eta / f_y;  // F_phi = -dj/deta
  r.flux_in = G * (y - mu_plus_K);
  r.d_mu_plus = dG * (y - mu_plus_K) + G * (dy_dp - 1.0);
  r.d_mu_minus = dG * (y - mu_plus_K) + G * dy_dm;
  r.d_phi_s = G * dy_dphi;
  r.mu_face = y;
  r.eta = phi_s - y;
  r.c_face = f_state.c_plus;
  r.i0 = rate.i0;
  return r;
}

}  // namespace ionpath::physics
