#include "calibrate/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace ionpath::calibrate {

void symmetric_eigen(const Matrix& a_in, std::vector<double>& values, Matrix& vectors) {
  const std::size_t n = a_in.size();
  Matrix a = a_in;
  vectors.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) vectors[i][i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0, scale = 0.0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = 0; q < n; ++q) (p == q ? scale : off) += a[p][q] * a[p][q];
    if (off <= 1e-30 * scale) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        if (a[p][q] == 0.0) continue;
        const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::size_t r = 0; r < n; ++r) {  // A <- A G (columns p, q)
          const double arp = a[r][p], arq = a[r][q];
          a[r][p] = c * arp - s * arq;
          a[r][q] = s * arp + c * arq;
        }
        for (std::size_t r = 0; r < n; ++r) {  // A <- G^T A (rows p, q)
          const double apr = a[p][r], aqr = a[q][r];
          a[p][r] = c * apr - s * aqr;
          a[q][r] = s * apr + c * aqr;
        }
        for (std::size_t r = 0; r < n; ++r) {
          const double vrp = vectors[r][p], vrq = vectors[r][q];
          vectors[r][p] = c * vrp - s * vrq;
          vectors[r][q] = s * vrp + c * vrq;
        }
      }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return a[x][x] < a[y][y]; });
  values.resize(n);
  Matrix sorted(n, std::vector<double>(n));
  for (std::size_t j = 0; j < n; ++j) {
    values[j] = a[order[j]][order[j]];
    for (std::size_t r = 0; r < n; ++r) sorted[r][j] = vectors[r][order[j]];
  }
  vectors = sorted;
}

FitStatistics fit_statistics(const std::vector<double>& residuals, const Matrix& jacobian, double max_condition,
                             double max_correlation, const std::vector<std::string>& names, int fitted) {
  FitStatistics s;
  s.m = static_cast<int>(residuals.size());
  const std::size_t k = jacobian.empty() ? 0 : jacobian.front().size();
  s.k = fitted >= 0 ? fitted : static_cast<int>(k);
  for (const double r : residuals) s.chi2 += r * r;
  s.aic = s.chi2 + 2.0 * s.k;
  s.scaled = s.m > s.k;
  s.reduced_chi2 = s.scaled ? s.chi2 / (s.m - s.k) : std::numeric_limits<double>::quiet_NaN();
  Matrix jtj(k, std::vector<double>(k, 0.0));
  for (const auto& row : jacobian)
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b) jtj[a][b] += row[a] * row[b];
  Matrix v;
  symmetric_eigen(jtj, s.eigenvalues, v);
  const double top = s.eigenvalues.empty() ? 0.0 : s.eigenvalues.back();
  const double low = s.eigenvalues.empty() ? 0.0 : s.eigenvalues.front();
  const double inf = std::numeric_limits<double>::infinity();
  s.condition_number = low > 0.0 ? top / low : inf;
  // (J^T J)^-1 = V diag(1/lambda) V^T; directions below 1e-15 of the largest are null (+inf).
  const double factor = s.scaled ? s.reduced_chi2 : 1.0;
  s.covariance.assign(k, std::vector<double>(k, 0.0));
  std::vector<bool> null_direction(k, false);
  for (std::size_t j = 0; j < k; ++j) null_direction[j] = !(s.eigenvalues[j] > 1e-15 * top);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      for (std::size_t j = 0; j < k; ++j)
        if (!null_direction[j]) s.covariance[a][b] += factor * v[a][j] * v[b][j] / s.eigenvalues[j];
  for (std::size_t j = 0; j < k; ++j)
    if (null_direction[j])
      for (std::size_t a = 0; a < k; ++a)
        if (std::abs(v[a][j]) > 1e-8) s.covariance[a][a] = inf;
  s.standard_error.resize(k);
  for (std::size_t a = 0; a < k; ++a) s.standard_error[a] = std::sqrt(s.covariance[a][a]);
  s.correlation.assign(k, std::vector<double>(k, 0.0));
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) {
      const double d = std::sqrt(s.covariance[a][a] * s.covariance[b][b]);
      s.correlation[a][b] = a == b ? 1.0 : (std::isfinite(d) && d > 0.0 ? s.covariance[a][b] / d : std::numeric_limits<double>::quiet_NaN());
    }
  char buf[240];
  if (!(s.condition_number <= max_condition)) {
    std::snprintf(buf, sizeof buf, "condition number of J^T J %.3g > %.3g", s.condition_number, max_condition);
    s.reasons.emplace_back(buf);
  }
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = a + 1; b < k; ++b) {
      const double c = s.correlation[a][b];
      if (std::isnan(c) || std::abs(c) > max_correlation) {
        std::snprintf(buf, sizeof buf, "|correlation(%s, %s)| = %s > %.3g", names[a].c_str(), names[b].c_str(),
                      std::isnan(c) ? "undefined (null direction)" : std::to_string(std::abs(c)).c_str(), max_correlation);
        s.reasons.emplace_back(buf);
      }
    }
  s.identifiable = s.reasons.empty();
  return s;
}

}  // namespace ionpath::calibrate
