#pragma once
// Fields under current (spec §5.6, the paper's Fig. 5): Li | structure | Li along the measuring
// axis, electroneutral Nernst-Planck with fixed charge, a constant current density switched on at
// t = 0 (equipotential low electrode: the metal potential is a global unknown, spec §4.4; the
// high electrode at 0 V), ideal or Butler-Volmer Li. Fields at equilibrium (I = 0: the Donnan
// state), at snapshot_times_tau x tau_d and at steady state, as one ParaView time series
// fields_under_current_<axis>.pvd (+ one HDF5 file per snapshot); the cell voltage history
// V(t); the limiting current of the structure beside the exact homogeneous-gel value.
// tau_d = L^2 / (pi^2 D_amb,gel): the gel's, the same for every structure of the same thickness,
// so snapshots of different structures are at the same physical times.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/electroneutral/electroneutral.hpp"
#include "study/experiment.hpp"

namespace ionpath::study {

struct FieldsSnapshot {
  std::string tag;  ///< equilibrium, t0.1tau, ..., steady
  double t_s = 0.0, t_tau = 0.0;
  double voltage_V = 0.0;  ///< low minus high metal potential
  std::string file;        ///< VTK file of the snapshot (the .pvd lists them)
};

struct FieldsUnderCurrentResult {
  int axis = 2;
  double current_density_A_m2 = 0.0, current_A = 0.0, area_m2 = 0.0, length_m = 0.0;
  double exchange_current_density_A_m2 = 0.0;  ///< 0: ideal Li
  double interfacial_resistance_ohm = 0.0, electrode_area_m2 = 0.0;  ///< given instead of i0
  double tau_d_s = 0.0;
  std::vector<FieldsSnapshot> snapshots;  ///< in time order, equilibrium first, steady last
  double steady_voltage_V = 0.0;
  bool reached_steady = false;
  int steps = 0, rejected_steps = 0;
  /// Limiting current density over the full face (A/m2): the structure's, the steady cathode face
  /// concentration extrapolated linearly to zero (mean depletion; `local`: the most depleted face
  /// cell), and for a homogeneous gel of the same thickness between ideal Li electrodes, exact
  /// 4 F D+ c0 / L and the conduction-only estimate 2 F D_amb c0 / L = exact x (1 - t+), which
  /// misses it by the factor 1 / (1 - t+). (The plateau of the grid's steady I(V) is no measure:
  /// with the cathode cell's salt exponentially small its half-cell conductance vanishes, and the
  /// discrete I(V) of 40 gel cells is 3.8 % below i_lim at 8 V_T and 11 % of it at 32 V_T.)
  double i_lim_A_m2 = 0.0, i_lim_local_A_m2 = 0.0;
  double i_lim_gel_exact_A_m2 = 0.0, i_lim_gel_ohmic_A_m2 = 0.0, t_plus_gel = 0.0;
  std::vector<double> time_s, voltage_V;  ///< V(t) after every accepted step
  double inactive_fraction = 0.0;
  solver::ElectroneutralResult steady;  ///< the steady state (owned cells, dimensionless)
};

/// Runs the experiment along `axis` and writes its fields, V(t) CSV and series (collective).
[[nodiscard]] FieldsUnderCurrentResult run_fields_under_current(const ExperimentContext& ctx, int axis);
[[nodiscard]] nlohmann::json to_json(const FieldsUnderCurrentResult& r);
/// Registry entry.
[[nodiscard]] AxisReport fields_under_current_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
