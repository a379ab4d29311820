#pragma once
// Bruce-Vincent transference number (spec §5.3), two routes (experiment.bruce_vincent.route):
//  * steady: ideal reversible Li electrodes; I_0 is the instantaneous current of the uniform
//    Donnan state (the conduction solve), I_s the steady current of the nonlinear Nernst-Planck
//    solve at the same voltage step, t+ = I_s / I_0.
//  * transient: the potentiostatic step integrated in time (solver::run_bruce_vincent) with ideal
//    Li or Butler-Volmer electrodes, the current history I(t), the interfacial resistances R0, Rs
//    and the paper's corrected t+; with experiment.bruce_vincent.end_time_s > 0 the run stops at that time and
//    I_s is the current then.
// The linear shortcut G[sigma+]/G[sigma] is reported beside both.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "study/checkpoints.hpp"
#include "study/transference.hpp"
#include "solver/electroneutral/electroneutral.hpp"

namespace ionpath::study {

struct BruceVincentResult {
  int axis = 2;
  std::string route = "steady";  ///< "steady" or "transient"
  double voltage_V = 0.0;
  double I0_A = 0.0, Is_A = 0.0;
  double t_plus = 0.0;         ///< I_s / I_0
  double t_plus_linear = 0.0;  ///< G[sigma+] / G[sigma+ + sigma-]
  // Transient route only.
  double exchange_current_density_A_m2 = 0.0;  ///< 0: ideal reversible Li electrodes
  /// > 0: i0 was derived from this cell interfacial resistance over electrode_area_m2.
  double interfacial_resistance_ohm = 0.0, electrode_area_m2 = 0.0;
  double t_plus_corrected = 0.0;               ///< I_s (dV - I_0 R_0) / (I_0 (dV - I_s R_s)) (paper's formula)
  double R0_ohm = 0.0, Rs_ohm = 0.0;           ///< interfacial resistance of the cell at t = 0+ and at the end
  double I0_first_step_A = 0.0;                ///< current after the first (1e-6 tau_d) step
  double requested_end_time_s = 0.0;           ///< experiment.bruce_vincent.end_time_s (0 = until steady)
  double t_end_s = 0.0, tau_d_s = 0.0;
  bool reached_steady = false;
  int steps = 0, rejected_steps = 0;
  std::vector<double> time_s, current_A;  ///< I(t) after every accepted step (low electrode, into the cell)
  /// Steady route: the steady solve; transient route: the state at the end of the run.
  solver::ElectroneutralResult steady;
};

/// quiet: no progress lines from the transient route (rank 0 prints them otherwise); the transient
/// route writes checkpoints into config.output.directory (and resumes) as `checkpoints` says.
[[nodiscard]] BruceVincentResult run_bruce_vincent(const Structure& s, const io::RunConfig& config, int axis,
                                                   bool quiet = true, Checkpoints checkpoints = Checkpoints::off);
[[nodiscard]] nlohmann::json to_json(const BruceVincentResult& r);
/// One line for the console.
[[nodiscard]] std::string describe(const BruceVincentResult& r);
/// Registry entry; the transient route also writes bruce_vincent_<axis>.csv (t_s, current_A).
[[nodiscard]] AxisReport bruce_vincent_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
