#pragma once
// Statistics of a least-squares fit at its optimum (spec §7.2), PETSc-free: with residuals r
// (m, already divided by their uncertainties) and Jacobian J = dr/dz (m x k) in the fitting
// variables z, chi2 = sum r^2, reduced chi2 s2 = chi2 / (m - k), covariance s2 (J^T J)^-1 (the
// unscaled (J^T J)^-1 when m = k, said in `scaled`), standard errors, correlations, the condition
// number of J^T J and the identifiability flag (condition > max_condition or a |correlation| >
// max_correlation). AIC = chi2 + 2k. `fitted` (default: J's columns) is the k of the reduced chi2
// and AIC when J holds only the free parameters (others at a bound).
#include <string>
#include <vector>

namespace ionpath::calibrate {

using Matrix = std::vector<std::vector<double>>;  ///< row-major

struct FitStatistics {
  int m = 0, k = 0;
  double chi2 = 0.0, reduced_chi2 = 0.0, aic = 0.0;
  bool scaled = false;                 ///< covariance scaled by the reduced chi2 (m > k)
  Matrix covariance;                   ///< of z; +inf on the diagonal along null directions
  std::vector<double> standard_error;  ///< of z
  Matrix correlation;
  std::vector<double> eigenvalues;     ///< of J^T J, ascending
  double condition_number = 0.0;       ///< max / min eigenvalue (+inf if singular)
  bool identifiable = true;
  std::vector<std::string> reasons;    ///< why not
};

[[nodiscard]] FitStatistics fit_statistics(const std::vector<double>& residuals, const Matrix& jacobian,
                                           double max_condition, double max_correlation,
                                           const std::vector<std::string>& names, int fitted = -1);

/// Eigenvalues (ascending) and eigenvectors (columns of `vectors`) of a symmetric matrix (Jacobi).
void symmetric_eigen(const Matrix& a, std::vector<double>& values, Matrix& vectors);

}  // namespace ionpath::calibrate
