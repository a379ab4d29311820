#include "physics/temperature_fits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "physics/arrhenius_fit.hpp"

namespace ionpath::physics {

namespace {

using Mat3 = std::array<double, 9>;
using Vec3 = std::array<double, 3>;

/// Inverse of a symmetric positive definite 3x3 matrix, equilibrated by its diagonal first
/// (the VTF parameters differ by orders of magnitude). Throws if singular.
Mat3 inverse_spd3(const Mat3& m) {
  Vec3 d{};
  for (int i = 0; i < 3; ++i) {
    if (!(m[4 * i] > 0.0)) throw std::invalid_argument("temperature fit: singular normal equations");
    d[i] = 1.0 / std::sqrt(m[4 * i]);
  }
  Mat3 a{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) a[3 * i + j] = m[3 * i + j] * d[i] * d[j];
  const double c00 = a[4] * a[8] - a[5] * a[7], c01 = a[5] * a[6] - a[3] * a[8], c02 = a[3] * a[7] - a[4] * a[6];
  const double det = a[0] * c00 + a[1] * c01 + a[2] * c02;
  if (!(std::abs(det) > 1e-300)) throw std::invalid_argument("temperature fit: singular normal equations");
  const Mat3 inv{c00, a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
                 c01, a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
                 c02, a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3]};
  Mat3 out{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) out[3 * i + j] = inv[3 * i + j] / det * d[i] * d[j];
  return out;
}

/// J^T J and J^T r of a 3-column model whose row i is row(i) (residual r_i = y_i - model_i).
template <class Row>
std::pair<Mat3, Vec3> normal_equations(std::size_t n, Row row, std::span<const double> r) {
  Mat3 jtj{};
  Vec3 jtr{};
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 g = row(i);
    for (int a = 0; a < 3; ++a) {
      jtr[a] += g[a] * r[i];
      for (int b = 0; b < 3; ++b) jtj[3 * a + b] += g[a] * g[b];
    }
  }
  return {jtj, jtr};
}

struct VtfPoint {
  double lnA, B, T0, sse;
};

/// y = ln sigma + ln(T)/2 = ln A - B/(T - T0): the best line at fixed T0.
VtfPoint profile(std::span<const double> T, std::span<const double> y, double T0) {
  std::vector<double> x(T.size());
  for (std::size_t i = 0; i < T.size(); ++i) x[i] = 1.0 / (T[i] - T0);
  const LineFit f = fit_line(x, y);
  return {f.intercept, -f.slope, T0, f.sse};
}

std::vector<double> vtf_residuals(std::span<const double> T, std::span<const double> y, const VtfPoint& p) {
  std::vector<double> r(T.size());
  for (std::size_t i = 0; i < T.size(); ++i) r[i] = y[i] - (p.lnA - p.B / (T[i] - p.T0));
  return r;
}

double sum_squares(const std::vector<double>& r) {
  double s = 0.0;
  for (const double v : r) s += v * v;
  return s;
}

}  // namespace

VtfFit fit_vtf(std::span<const double> T_K, std::span<const double> sigma, double T0_margin_K, double T0_min_K) {
  const std::size_t n = T_K.size();
  if (n < 4 || sigma.size() != n) throw std::invalid_argument("fit_vtf: need at least four (T, sigma) pairs");
  std::vector<double> y(n), ln_s(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(sigma[i] > 0.0) || !(T_K[i] > 0.0)) throw std::invalid_argument("fit_vtf: T and sigma must be positive");
    ln_s[i] = std::log(sigma[i]);
    y[i] = ln_s[i] + 0.5 * std::log(T_K[i]);
  }
  VtfFit out;
  out.T0_min_K = T0_min_K;
  out.T0_max_K = *std::min_element(T_K.begin(), T_K.end()) - T0_margin_K;
  if (!(out.T0_max_K > T0_min_K)) throw std::invalid_argument("fit_vtf: empty T0 interval (min T - margin <= T0_min)");

  // Grid scan of the profile, then golden section between the best point's neighbours.
  constexpr int grid = 240;
  const double lo = out.T0_min_K, hi = out.T0_max_K, step = (hi - lo) / grid;
  int best = 0;
  double best_sse = std::numeric_limits<double>::infinity();
  for (int k = 0; k <= grid; ++k) {
    const double s = profile(T_K, y, lo + step * k).sse;
    if (s < best_sse) best_sse = s, best = k;
  }
  double a = lo + step * std::max(best - 1, 0), b = lo + step * std::min(best + 1, grid);
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = profile(T_K, y, c).sse, fd = profile(T_K, y, d).sse;
  while (b - a > 1e-9 * (1.0 + std::abs(b))) {
    if (fc < fd) {
      b = d, d = c, fd = fc, c = b - g * (b - a), fc = profile(T_K, y, c).sse;
    } else {
      a = c, c = d, fc = fd, d = a + g * (b - a), fd = profile(T_K, y, d).sse;
    }
  }
  VtfPoint p = profile(T_K, y, 0.5 * (a + b));
  for (const double edge : {lo, hi}) {  // the optimum may sit on the interval's edge
    const VtfPoint e = profile(T_K, y, edge);
    if (e.sse < p.sse) p = e;
  }

  // Gauss-Newton on (ln A, B, T0): the profile's minimum to round-off.
  auto jacobian_row = [&](const VtfPoint& q) {
    return [&T_K, q](std::size_t i) {
      const double u = 1.0 / (T_K[i] - q.T0);
      return Vec3{1.0, -u, -q.B * u * u};
    };
  };
  for (int it = 0; it < 30; ++it) {
    const auto r = vtf_residuals(T_K, y, p);
    const auto [jtj, jtr] = normal_equations(n, jacobian_row(p), r);
    Mat3 inv{};
    try {
      inv = inverse_spd3(jtj);
    } catch (const std::invalid_argument&) {
      break;
    }
    Vec3 delta{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) delta[i] += inv[3 * i + j] * jtr[j];
    VtfPoint q{p.lnA + delta[0], p.B + delta[1], p.T0 + delta[2], 0.0};
    if (q.T0 < lo || q.T0 > hi) break;
    q.sse = sum_squares(vtf_residuals(T_K, y, q));
    if (!(q.sse <= p.sse)) break;
    const bool converged = std::abs(delta[2]) <= 1e-13 * (1.0 + std::abs(p.T0));
    p = q;
    if (converged) break;
  }

  out.A = std::exp(p.lnA);
  out.B_K = p.B;
  out.T0_K = p.T0;
  out.sse = p.sse;
  const double tol = 1e-6 * (hi - lo);
  out.T0_at_bound = p.T0 - lo <= tol || hi - p.T0 <= tol;
  double mean = 0.0, syy = 0.0;
  for (const double v : ln_s) mean += v / static_cast<double>(n);
  for (const double v : ln_s) syy += (v - mean) * (v - mean);
  out.r_squared = syy > 0.0 ? 1.0 - p.sse / syy : 1.0;
  const auto r = vtf_residuals(T_K, y, p);
  const Mat3 inv = inverse_spd3(normal_equations(n, jacobian_row(p), r).first);
  const double s2 = p.sse / static_cast<double>(n - 3);
  for (int i = 0; i < 9; ++i) out.covariance[i] = s2 * inv[i];
  out.A_stderr = out.A * std::sqrt(out.covariance[0]);
  out.B_stderr_K = std::sqrt(out.covariance[4]);
  out.T0_stderr_K = std::sqrt(out.covariance[8]);
  return out;
}

double vtf_ln_sigma(const VtfFit& f, double T_K) {
  return std::log(f.A) - 0.5 * std::log(T_K) - f.B_K / (T_K - f.T0_K);
}

TemperatureFitComparison compare_temperature_fits(std::span<const double> T_K, std::span<const double> sigma,
                                                  const VtfFit& vtf) {
  const std::size_t n = T_K.size();
  if (n < 5 || sigma.size() != n) throw std::invalid_argument("compare_temperature_fits: need at least five temperatures");
  std::vector<double> inv_T(n), ln_s(n), ln_sT(n);
  for (std::size_t i = 0; i < n; ++i) {
    inv_T[i] = 1.0 / T_K[i];
    ln_s[i] = std::log(sigma[i]);
    ln_sT[i] = ln_s[i] + std::log(T_K[i]);
  }
  const LineFit a = fit_line(inv_T, ln_s), b = fit_line(inv_T, ln_sT);
  const double nd = static_cast<double>(n), floor = nd * 1e-28;
  auto candidate = [&](std::string name, int k, double sse) {
    FitCandidate c{std::move(name), k, sse, 0.0, 0.0};
    c.aic = nd * std::log(std::max(sse, floor) / nd) + 2.0 * k;
    c.aicc = c.aic + 2.0 * k * (k + 1) / (nd - k - 1);
    return c;
  };
  TemperatureFitComparison out;
  out.candidates = {candidate("arrhenius_ln_sigma", 2, a.sse), candidate("arrhenius_ln_sigmaT", 2, b.sse),
                    candidate("vtf", 3, vtf.sse)};
  std::vector<FitCandidate> sorted = out.candidates;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.aicc < y.aicc; });
  out.preferred = sorted[0].name;
  out.delta_aicc = sorted[1].aicc - sorted[0].aicc;

  // Residual pattern of the better Arrhenius line.
  const bool plain = a.sse <= b.sse;
  out.arrhenius_line = plain ? "arrhenius_ln_sigma" : "arrhenius_ln_sigmaT";
  const std::vector<double>& yv = plain ? ln_s : ln_sT;
  const LineFit& line = plain ? a : b;
  std::vector<double> r(n), x(n);
  double xm = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    r[i] = yv[i] - (line.intercept + line.slope * inv_T[i]);
    x[i] = 1000.0 * inv_T[i];
    xm += x[i] / nd;
  }
  // Quadratic y = c0 + c1 (x - xm) + c2 (x - xm)^2 by normal equations; c2 with its standard error.
  auto row = [&](std::size_t i) {
    const double u = x[i] - xm;
    return Vec3{1.0, u, u * u};
  };
  const auto [xtx, xty] = normal_equations(n, row, yv);
  const Mat3 inv = inverse_spd3(xtx);
  Vec3 c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c[i] += inv[3 * i + j] * xty[j];
  double sse_q = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 g = row(i);
    const double e = yv[i] - (c[0] * g[0] + c[1] * g[1] + c[2] * g[2]);
    sse_q += e * e;
  }
  out.curvature = c[2];
  out.curvature_stderr = std::sqrt(std::max(sse_q, floor) / (nd - 3.0) * inv[8]);
  out.curvature_t = out.curvature / out.curvature_stderr;

  // Wald-Wolfowitz runs test on the residual signs.
  int n_plus = 0, runs = 1;
  for (std::size_t i = 0; i < n; ++i) {
    n_plus += r[i] >= 0.0;
    if (i > 0 && (r[i] >= 0.0) != (r[i - 1] >= 0.0)) ++runs;
  }
  const double np = n_plus, nm = nd - np;
  out.runs = runs;
  out.runs_expected = 1.0 + 2.0 * np * nm / nd;
  const double var = 2.0 * np * nm * (2.0 * np * nm - nd) / (nd * nd * (nd - 1.0));
  out.runs_z = var > 0.0 ? (runs - out.runs_expected) / std::sqrt(var) : 0.0;
  return out;
}

}  // namespace ionpath::physics
