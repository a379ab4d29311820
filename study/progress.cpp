#include "study/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <utility>

namespace ionpath::study {

Progress::Progress(MPI_Comm comm, bool quiet, std::string label, double interval_s)
    : label_(std::move(label)), interval_s_(interval_s), start_(std::chrono::steady_clock::now()), last_(start_) {
  int rank = 0;
  if (comm != MPI_COMM_NULL) MPI_Comm_rank(comm, &rank);
  enabled_ = !quiet && rank == 0;
}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::report(double fraction, const std::string& text) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_s_) return;
  last_ = now;
  print(fraction, text);
}

void Progress::finish(const std::string& text) {
  if (enabled_) print(-1.0, text);
}

void Progress::print(double fraction, const std::string& text) {
  const double wall = elapsed_s();
  char buf[96];
  if (fraction > 0.0 && fraction <= 1.0) {
    std::snprintf(buf, sizeof buf, ", wall %.0f s, ~%.0f s left", wall, wall * (1.0 - fraction) / fraction);
  } else {
    std::snprintf(buf, sizeof buf, ", wall %.0f s", wall);
  }
  std::cout << "  " << label_ << ": " << text << buf << '\n' << std::flush;
}

double log_time_fraction(double t, double dt0, double t_end, double tau_d, double steady_guess_tau) {
  const bool until_steady = !(t_end > 0.0);
  const double end = until_steady ? steady_guess_tau * tau_d : t_end;
  if (!(t > dt0) || !(end > dt0)) return 0.0;
  const double f = std::log(t / dt0) / std::log(end / dt0);
  return std::clamp(f, 0.0, until_steady ? 0.99 : 1.0);
}

std::function<void(const solver::StepReport&)> transient_progress(Progress& progress, double seconds_per_t0,
                                                                 double volts_per_VT) {
  return [&progress, seconds_per_t0, volts_per_VT](const solver::StepReport& r) {
    char buf[192];
    const double in_tau = r.tau_d > 0.0 ? r.t / r.tau_d : 0.0;
    int n = std::snprintf(buf, sizeof buf, "step %d, t = %.4g s = %.3g tau_d%s", r.step, r.t * seconds_per_t0, in_tau,
                          r.t_end > 0.0 ? "" : " (until steady)");
    if (volts_per_VT > 0.0 && r.sample && n > 0 && n < static_cast<int>(sizeof buf))
      std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ", V = %.5g V",
                    volts_per_VT * (r.sample->electrode_potential_low - r.sample->electrode_potential_high));
    // The first step is 1e-6 tau_d (TransientOptions::dt_initial default).
    progress.report(log_time_fraction(r.t, 1e-6 * r.tau_d, r.t_end, r.tau_d), buf);
  };
}

}  // namespace ionpath::study
