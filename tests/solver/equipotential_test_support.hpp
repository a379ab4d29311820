#pragma once
// spec §8 item 2 with the equipotential galvanostatic electrode (ElectroneutralInput::
// galvanostatic_current): 1D binary electrolyte, X = 0, D+ = 0.724, D- = 1, i = 0.5 i_lim between
// ideal Li electrodes, integrated from equilibrium; errors against the exact steady profile, the
// cell voltage 2 ln 3 V_T and the exact series for c(0,t) - c(L,t).
#include <cmath>
#include <numbers>
#include <vector>

#include "tests/solver/electroneutral_test_support.hpp"

namespace en_test {

inline constexpr double eq_Dp = 0.724, eq_Dm = 1.0;

struct EquipotentialErrors {
  double voltage = 0.0;           ///< |V / (2 ln 3) - 1| at steady state
  double profile = 0.0;           ///< max |c - c_exact| / c0 over cells at steady state
  std::vector<double> difference; ///< |dc / dc_exact - 1| at each snapshot
  double inventory_drift = 0.0;   ///< |inventory / initial - 1| at the end
  double current_error = 0.0;     ///< max over the history of |I_low / I - 1|
  int steps = 0;
};

/// c(0,t) - c(L,t) of the exact solution for flux j (per unit area) at both ends.
inline double exact_difference(double j, double L, double t) {
  const double D_amb = 2 * eq_Dp * eq_Dm / (eq_Dp + eq_Dm), pi2 = std::numbers::pi * std::numbers::pi;
  double s = 0.0;
  for (int n = 1; n < 2001; n += 2) s += 8.0 / (n * n * pi2) * std::exp(-n * n * pi2 * D_amb * t / (L * L));
  return j * L * (1 - t_plus_gel) / D_amb * (1 - s);
}

/// Face concentrations the discretisation defines: anion blocked, so mu- on a face is the face
/// cell's; mu+ there is the electrode potential.
inline double face_difference(const solver::Domain& d, const solver::ElectroneutralResult& s, int N) {
  const double mm0 = at_cell(d, s.mu_minus, 0, 0, 0), mmN = at_cell(d, s.mu_minus, 0, 0, N - 1);
  return std::exp(0.5 * (s.electrode_potential_low + mm0)) - std::exp(0.5 * (s.electrode_potential_high + mmN));
}

/// Runs N cells to steady state (steady_tol tight enough that the remaining transient is far
/// below the discretisation error), with snapshots at `times_in_tau` (tau_d = L^2 / (pi^2 D_amb)).
inline EquipotentialErrors equipotential_errors(int N, std::vector<double> times_in_tau, double ts_rtol,
                                                MPI_Comm comm = MPI_COMM_NULL) {
  const solver::Domain d(mesh::Grid{{1, 1, N}, 1e-6}, two_dof(comm));
  const Fields c = uniform(d, eq_Dp, eq_Dm);
  const double j = 2.0 * eq_Dp / N;  // i = 0.5 i_lim, i_lim = 4 D+ c0 / L (area 1)
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X};
  in.low = {solver::ElectrodeKind::ideal_li, 0.0, 0.0};
  in.high = {solver::ElectrodeKind::ideal_li, 0.0, 0.0};
  in.galvanostatic_current = j;
  const double D_amb = 2 * eq_Dp * eq_Dm / (eq_Dp + eq_Dm);
  const double tau = N * N / (std::numbers::pi * std::numbers::pi * D_amb);
  solver::TransientOptions opt;
  opt.rtol = ts_rtol;
  opt.atol = 1e-3 * ts_rtol;
  opt.steady_tol = 1e-10;
  EquipotentialErrors e;
  for (const double t : times_in_tau) opt.snapshot_times.push_back(t * tau);
  opt.on_snapshot = [&](double t, const solver::ElectroneutralResult& s) {
    const double ref = exact_difference(j, N, t);
    e.difference.push_back(std::abs(face_difference(d, s, N) / ref - 1.0));
  };
  const auto r = solver::solve_electroneutral_transient(d, in, opt);
  const auto& s = r.final_state;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k) {
    const double exact = 1.0 + j / (2.0 * eq_Dp) * (0.5 * N - (k + 0.5));
    e.profile = std::max(e.profile, std::abs(s.c_plus[b.offset(0, 0, k)] - exact));
  }
  MPI_Allreduce(MPI_IN_PLACE, &e.profile, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  const double V = s.electrode_potential_low - s.electrode_potential_high;
  e.voltage = std::abs(V / (2.0 * std::log(3.0)) - 1.0);
  e.inventory_drift = std::abs(s.anion_inventory / r.initial_inventory - 1.0);
  for (const auto& h : r.history) e.current_error = std::max(e.current_error, std::abs(h.current_in_low / j - 1.0));
  e.steps = r.steps;
  return e;
}

}  // namespace en_test
