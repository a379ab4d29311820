#pragma once
/// VTF fit of a conductivity-temperature series and the choice between Arrhenius and VTF
/// (spec §5.4). Standard library only.
///
/// VTF: sigma = A T^(-1/2) exp(-B/(T - T0)). For fixed T0 the model is a line in
/// x = 1/(T - T0) for y = ln(sigma) + ln(T)/2, so the 3-parameter least squares of ln(sigma) is a
/// 1-D profile over T0 with fit_line inside (robust, no starting guess): a grid scan, golden
/// section, then Gauss-Newton on (ln A, B, T0) to round-off. Standard errors from
/// s^2 (J^T J)^-1, s^2 = SSE/(n-3), J = d ln(sigma_model) / d(ln A, B, T0).
///
/// Model choice: the three candidates (ln sigma and ln(sigma T) lines against 1/T, k = 2; VTF,
/// k = 3) all model ln(sigma), so their residual sums compare directly; AICc = n ln(SSE/n) + 2k +
/// 2k(k+1)/(n-k-1) (small-sample AIC). Residual pattern of the better Arrhenius line: the
/// quadratic coefficient of its residual curve in 1000/T (with its t value) and a Wald-Wolfowitz
/// runs test on the residual signs (few long runs = systematic curvature).
#include <array>
#include <span>
#include <string>
#include <vector>

namespace ionpath::physics {

struct VtfFit {
  double A = 0.0;          ///< prefactor (S/m K^1/2 when sigma is in S/m)
  double B_K = 0.0;        ///< pseudo-activation temperature B (K); E_VTF = R B
  double T0_K = 0.0;       ///< ideal glass-transition temperature T0 (K)
  double A_stderr = 0.0, B_stderr_K = 0.0, T0_stderr_K = 0.0;
  double r_squared = 1.0;  ///< of ln(sigma)
  double sse = 0.0;        ///< sum of squared residuals of ln(sigma)
  double T0_min_K = 0.0, T0_max_K = 0.0;  ///< the search interval; T0_max = min T - margin
  bool T0_at_bound = false;  ///< optimum on the interval's edge: the standard errors are not meaningful
  std::array<double, 9> covariance{};  ///< of (ln A, B, T0), row-major
};

/// Least squares of ln(sigma) with T0 in [T0_min_K, min T - T0_margin_K]. Needs >= 4 points;
/// throws std::invalid_argument for non-positive sigma or an empty T0 interval.
[[nodiscard]] VtfFit fit_vtf(std::span<const double> T_K, std::span<const double> sigma, double T0_margin_K = 20.0,
                             double T0_min_K = 0.0);

/// ln(sigma) of the VTF model at T.
[[nodiscard]] double vtf_ln_sigma(const VtfFit& f, double T_K);

struct FitCandidate {
  std::string name;  ///< "arrhenius_ln_sigma", "arrhenius_ln_sigmaT" or "vtf"
  int parameters = 0;
  double sse = 0.0;  ///< residual sum of squares of ln(sigma)
  double aic = 0.0, aicc = 0.0;
};

struct TemperatureFitComparison {
  std::vector<FitCandidate> candidates;
  std::string preferred;        ///< lowest AICc
  double delta_aicc = 0.0;      ///< AICc(second best) - AICc(preferred) > 0
  std::string arrhenius_line;   ///< the Arrhenius candidate with the smaller SSE (residual checks use it)
  double curvature = 0.0;       ///< quadratic coefficient of its residuals in x = 1000/T (K^2/1e6)
  double curvature_stderr = 0.0;
  double curvature_t = 0.0;     ///< curvature / stderr: |t| > 2 = significant curvature
  int runs = 0;                 ///< runs of equal residual sign
  double runs_expected = 0.0;   ///< under independent signs
  double runs_z = 0.0;          ///< (runs - expected)/sd: strongly negative = systematic pattern
};

/// SSE below n * 1e-28 (residuals under 1e-14 in ln sigma: round-off) is clipped there, so exact
/// data give a finite AIC.
[[nodiscard]] TemperatureFitComparison compare_temperature_fits(std::span<const double> T_K, std::span<const double> sigma,
                                                                const VtfFit& vtf);

}  // namespace ionpath::physics
