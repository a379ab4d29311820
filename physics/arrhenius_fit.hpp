#pragma once
/// Arrhenius analysis of a conductivity-temperature series (spec §5.4): least-squares lines of
/// ln(sigma) and ln(sigma T) against 1/T. For D = D_ref exp(-E_a/(R T)) the ln(sigma T) fit
/// returns E_a exactly; the ln(sigma) fit returns the apparent E_a - R T_mean (sigma ~ D/T).
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include "physics/constants.hpp"

namespace ionpath::physics {

struct LineFit {
  double slope = 0.0, intercept = 0.0;
  double slope_stderr = 0.0;  ///< standard error of the slope (0 for two points)
  double r_squared = 1.0;
  double sse = 0.0;           ///< sum of squared residuals
};

/// Ordinary least squares y = intercept + slope x (needs >= 2 distinct x).
[[nodiscard]] inline LineFit fit_line(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n < 2 || y.size() != n) throw std::invalid_argument("fit_line: need at least two (x, y) pairs");
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0.0, sxy = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0.0) throw std::invalid_argument("fit_line: all x are equal");
  LineFit f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  double sse = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - (f.intercept + f.slope * x[i]);
    sse += r * r;
  }
  f.sse = sse;
  f.r_squared = syy > 0.0 ? 1.0 - sse / syy : 1.0;
  f.slope_stderr = n > 2 ? std::sqrt(sse / static_cast<double>(n - 2) / sxx) : 0.0;
  return f;
}

struct ArrheniusFit {
  double activation_energy_J_mol = 0.0;         ///< from ln(sigma) vs 1/T (apparent)
  double activation_energy_stderr_J_mol = 0.0;
  double r_squared = 1.0;
  double activation_energy_sigmaT_J_mol = 0.0;  ///< from ln(sigma T) vs 1/T
  double activation_energy_sigmaT_stderr_J_mol = 0.0;
  double r_squared_sigmaT = 1.0;
};

[[nodiscard]] inline ArrheniusFit fit_arrhenius(std::span<const double> T_K, std::span<const double> sigma) {
  std::vector<double> inv_T, ln_s, ln_sT;
  for (std::size_t i = 0; i < T_K.size(); ++i) {
    if (!(sigma[i] > 0.0)) throw std::invalid_argument("fit_arrhenius: conductivities must be positive");
    inv_T.push_back(1.0 / T_K[i]);
    ln_s.push_back(std::log(sigma[i]));
    ln_sT.push_back(std::log(sigma[i] * T_K[i]));
  }
  const LineFit a = fit_line(inv_T, ln_s), b = fit_line(inv_T, ln_sT);
  const double R = gas_constant_J_mol_K;
  return {-R * a.slope, R * a.slope_stderr, a.r_squared, -R * b.slope, R * b.slope_stderr, b.r_squared};
}

}  // namespace ionpath::physics
