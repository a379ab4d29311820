#pragma once
// The fitting variable z of a bounded parameter v in [lo, hi] (spec §7.2: D's and Sigma+ in log
// space, chi in logit space): linear z = v, log z = ln v, logit z = ln((v - lo) / (hi - v)). The
// optimiser works on z inside z_bounds(); logit bounds stop 1e-11 of the range short of lo, hi.
#include <cmath>
#include <utility>

#include "io/calibration_config.hpp"

namespace ionpath::calibrate {

struct Transform {
  io::ParameterScale scale = io::ParameterScale::log;
  double lo = 0.0, hi = 1.0;

  static constexpr double logit_limit = 25.0;  ///< |z| of the logit bounds (1.4e-11 of the range)

  [[nodiscard]] double to_z(double v) const {
    switch (scale) {
      case io::ParameterScale::linear: return v;
      case io::ParameterScale::log: return std::log(v);
      default: {
        const double z = std::log((v - lo) / (hi - v));
        return std::fmax(-logit_limit, std::fmin(logit_limit, z));
      }
    }
  }
  [[nodiscard]] double from_z(double z) const {
    switch (scale) {
      case io::ParameterScale::linear: return z;
      case io::ParameterScale::log: return std::exp(z);
      default: return lo + (hi - lo) / (1.0 + std::exp(-z));
    }
  }
  /// dv/dz at z.
  [[nodiscard]] double dv_dz(double z) const {
    switch (scale) {
      case io::ParameterScale::linear: return 1.0;
      case io::ParameterScale::log: return std::exp(z);
      default: {
        const double s = 1.0 / (1.0 + std::exp(-z));
        return (hi - lo) * s * (1.0 - s);
      }
    }
  }
  [[nodiscard]] std::pair<double, double> z_bounds() const {
    if (scale == io::ParameterScale::logit) return {-logit_limit, logit_limit};
    return {to_z(lo), to_z(hi)};
  }
  /// A point at fraction u in [0, 1] of the range, uniform in the scale's natural measure (log:
  /// uniform in ln v; linear and logit: uniform in v), for the Latin hypercube.
  [[nodiscard]] double at_fraction(double u) const {
    if (scale == io::ParameterScale::log) return lo * std::pow(hi / lo, u);
    const double v = lo + u * (hi - lo);
    return v;
  }
};

[[nodiscard]] inline Transform transform_of(const io::CalibrationParameter& p) { return {p.scale, p.lower, p.upper}; }

}  // namespace ionpath::calibrate
