// PETSc-free pieces of the calibration: fit statistics against the closed form of a straight-line
// fit, eigenvalues, the Latin hypercube and the scale transforms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "calibrate/latin_hypercube.hpp"
#include "calibrate/statistics.hpp"
#include "calibrate/transform.hpp"

namespace {

using namespace ionpath::calibrate;

TEST(FitStatistics, StraightLineMatchesTheClosedForm) {
  // y = a + b x with unit uncertainties: J = [1, x_i]; at the least-squares optimum the standard
  // errors are SE_b = s / sqrt(Sxx), SE_a = s sqrt(1/n + xbar^2 / Sxx), corr(a, b) = -xbar /
  // sqrt(Sxx/n + xbar^2), s^2 = chi2 / (n - 2).
  const std::vector<double> x{0.0, 1.0, 2.0, 3.5, 5.0}, y{1.1, 2.9, 5.2, 7.8, 11.1};
  const double n = 5.0;
  double xbar = 0, ybar = 0;
  for (std::size_t i = 0; i < 5; ++i) { xbar += x[i] / n; ybar += y[i] / n; }
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < 5; ++i) { sxx += (x[i] - xbar) * (x[i] - xbar); sxy += (x[i] - xbar) * (y[i] - ybar); }
  const double b = sxy / sxx, a = ybar - b * xbar;
  std::vector<double> r;
  Matrix J;
  double chi2 = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    r.push_back(a + b * x[i] - y[i]);
    J.push_back({1.0, x[i]});
    chi2 += r.back() * r.back();
  }
  const FitStatistics s = fit_statistics(r, J, 1e8, 0.99, {"a", "b"});
  const double s2 = chi2 / 3.0;
  EXPECT_NEAR(s.chi2, chi2, 1e-14);
  EXPECT_NEAR(s.reduced_chi2, s2, 1e-14);
  EXPECT_NEAR(s.aic, chi2 + 4.0, 1e-14);
  EXPECT_NEAR(s.standard_error[1], std::sqrt(s2 / sxx), 1e-12);
  EXPECT_NEAR(s.standard_error[0], std::sqrt(s2 * (1.0 / n + xbar * xbar / sxx)), 1e-12);
  EXPECT_NEAR(s.correlation[0][1], -xbar / std::sqrt(sxx / n + xbar * xbar), 1e-12);
  EXPECT_TRUE(s.identifiable);
}

TEST(FitStatistics, EqualColumnsAreFlagged) {
  const Matrix J{{1.0, 1.0}, {2.0, 2.0}, {0.5, 0.5}};
  const FitStatistics s = fit_statistics({0.1, -0.2, 0.05}, J, 1e8, 0.99, {"p", "q"});
  EXPECT_FALSE(s.identifiable);
  EXPECT_FALSE(std::isfinite(s.condition_number));
  EXPECT_FALSE(std::isfinite(s.standard_error[0]));
}

TEST(FitStatistics, EigenvaluesOfASymmetricMatrix) {
  std::vector<double> values;
  Matrix vectors;
  symmetric_eigen({{2.0, 1.0, 0.0}, {1.0, 2.0, 0.0}, {0.0, 0.0, 5.0}}, values, vectors);
  EXPECT_NEAR(values[0], 1.0, 1e-14);
  EXPECT_NEAR(values[1], 3.0, 1e-14);
  EXPECT_NEAR(values[2], 5.0, 1e-14);
}

TEST(LatinHypercube, EveryStratumOnceAndDeterministic) {
  const auto p = latin_hypercube(8, 3, 42);
  for (int d = 0; d < 3; ++d) {
    std::vector<int> strata;
    for (const auto& x : p) strata.push_back(static_cast<int>(x[static_cast<std::size_t>(d)] * 8));
    std::sort(strata.begin(), strata.end());
    for (int i = 0; i < 8; ++i) EXPECT_EQ(strata[static_cast<std::size_t>(i)], i);
  }
  EXPECT_EQ(p, latin_hypercube(8, 3, 42));
  EXPECT_NE(p, latin_hypercube(8, 3, 43));
}

TEST(Transform, RoundTripsAndDerivatives) {
  using ionpath::io::ParameterScale;
  for (const Transform t : {Transform{ParameterScale::log, 1e-12, 1e-8}, Transform{ParameterScale::logit, 0.001, 0.999},
                            Transform{ParameterScale::linear, -2.0, 3.0}}) {
    const double v = t.at_fraction(0.37);
    EXPECT_NEAR(t.from_z(t.to_z(v)), v, 1e-12 * std::abs(v));
    const double z = t.to_z(v), h = 1e-6;
    EXPECT_NEAR(t.dv_dz(z), (t.from_z(z + h) - t.from_z(z - h)) / (2 * h), 1e-7 * std::abs(t.dv_dz(z)));
    EXPECT_GE(t.from_z(t.z_bounds().first), t.lo);
    EXPECT_LE(t.from_z(t.z_bounds().second), t.hi);
  }
}

}  // namespace
