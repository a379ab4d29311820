#pragma once
/// Bruce-Vincent virtual experiment on the transient electroneutral model (spec §5.3): Li | cell |
/// Li along the transport axis, equilibrium start (mu = 0, Donnan state), potentiostatic step
/// dV at t = 0 (low electrode at +dV, high at 0), integration to steady state. Dimensionless:
/// currents summed over the electrode face (units F N0 L0^2), voltages in V_T, resistances in
/// V_T / (F N0 L0^2).
#include <span>

#include "solver/electroneutral/electroneutral.hpp"

namespace ionpath::study {

struct PotentiostaticStepOptions {
  double delta_V = 0.0;  ///< step / V_T (10 mV at 298.15 K: 0.3892)
  solver::ElectrodeKind electrode = solver::ElectrodeKind::butler_volmer;  ///< butler_volmer or ideal_li
  physics::ButlerVolmerParams kinetics{};                  ///< both electrodes
  /// t_final = 0 (default): integrate to steady state (SolveError if none is reached); > 0: stop
  /// there and evaluate I_s, R_s at t_final (a finite polarisation time, as in a measurement).
  solver::TransientOptions transient{};
};

struct PotentiostaticStepResult {
  /// Instantaneous current of the uniform Donnan state, dV / (1/G[sigma+ + sigma-] + R0), from a
  /// conduction solve (spec §5.3 "for comparison"). Used for the transference numbers: the
  /// first-step current of the grid carries an O(h) error, because an anion-blocking half cell
  /// stands in for the unresolved t = 0+ boundary layer.
  double I0 = 0.0;
  double I0_first_step = 0.0;  ///< current after the first step (1e-6 tau_d by default)
  double G_total = 0.0, G_plus = 0.0;  ///< conductances G[sigma+ + sigma-], G[sigma+] (units F N0 L0^2 / V_T)
  double t_plus_linear = 0.0;          ///< G[sigma+] / G[sigma+ + sigma-] (spec §1.6)
  double Is = 0.0;  ///< steady current (or the current at transient.t_final)
  double R0 = 0.0, Rs = 0.0;  ///< interfacial resistance of the cell at t = 0+ and at steady state (0: ideal)
  double t_plus_ratio = 0.0;      ///< I_s / I_0
  double t_plus_corrected = 0.0;  ///< I_s (dV - I_0 R_0) / (I_0 (dV - I_s R_s))  (paper's formula)
  solver::TransientResult transient;
};

/// Coefficient spans as in ElectroneutralInput (3, 3, 1 and 1-or-0 per owned cell).
[[nodiscard]] PotentiostaticStepResult run_potentiostatic_step(const solver::Domain& domain, std::span<const double> D_plus,
                                                   std::span<const double> D_minus, std::span<const double> X,
                                                   std::span<const double> capacity, const PotentiostaticStepOptions& options);

}  // namespace ionpath::study
