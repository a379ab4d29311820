#pragma once
// Progress of long loops for the user (house rule: progress on rank 0, `--quiet` silences it): one
// line at most every few seconds on rank 0 of the study's group, with the wall time so far and an
// estimate of the time left. Generic (report a fraction and a text) plus the time-stepping form.
#include <mpi.h>

#include <chrono>
#include <functional>
#include <string>

#include "solver/electroneutral/electroneutral.hpp"

namespace ionpath::study {

class Progress {
 public:
  /// `label` starts every line ("bruce_vincent z"); `quiet` or a rank other than 0 print nothing.
  Progress(MPI_Comm comm, bool quiet, std::string label, double interval_s = 5.0);

  /// Prints "<label>: <text>, wall <s>[, ~<s> left]" if interval_s passed since the last line.
  /// fraction in (0, 1]: done so far (time left = wall (1 - f) / f); <= 0: unknown.
  void report(double fraction, const std::string& text);
  /// Prints unconditionally (the last line of a loop).
  void finish(const std::string& text);
  [[nodiscard]] double elapsed_s() const;

 private:
  void print(double fraction, const std::string& text);
  bool enabled_ = false;
  std::string label_;
  double interval_s_;
  std::chrono::steady_clock::time_point start_, last_;
};

/// The fraction of a time-stepping run done at time t, counted in log time between the first step
/// dt0 and the end (the adaptive steps are roughly log-spaced, so wall time follows log t). t_end
/// = 0 (until steady): the end is taken as `steady_guess_tau` tau_d and the fraction capped at 0.99.
[[nodiscard]] double log_time_fraction(double t, double dt0, double t_end, double tau_d, double steady_guess_tau = 15.0);

/// Per-step hook for solver::TransientOptions::on_step: "step n, t = <s> s = <x> tau_d[, V = ..]"
/// through `progress`; `seconds_per_t0` converts the dimensionless time; `volts_per_VT` > 0 adds
/// the cell voltage of the sample.
[[nodiscard]] std::function<void(const solver::StepReport&)> transient_progress(Progress& progress, double seconds_per_t0,
                                                                              double volts_per_VT = 0.0);

}  // namespace ionpath::study
