#pragma once
// experiment.current_uniformity (spec §5.5): the normal current density i_n on every face cell of
// the low electrode, from the discrete face fluxes of the solve (conduction at voltage_V, or the
// steady electroneutral state of the steady Bruce-Vincent route), its statistics
// (physics/current_uniformity.hpp) over the full face and over the conducting faces, repeated
// after box-averaging over windows of w and on interior cross-sections at distance d from the low
// electrode, with the Wagner number Wa = sigma_eff (V_T / i0) / l beside every figure.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physics/current_uniformity.hpp"
#include "study/experiment.hpp"

namespace ionpath::study {

/// One row of the scales table: the electrode face (window 0 = no averaging, else w) or a plane.
struct UniformityScale {
  std::string name;       ///< "face", "window_<w>um" or "plane_<d>um"
  double window_m = 0.0;  ///< averaging window actually used (whole voxels); 0 = none
  int window_voxels = 0;
  double distance_m = 0.0;  ///< from the low electrode (0 = the electrode face)
  int plane = 0;            ///< face-plane index along the axis
  double plane_current_A = 0.0;  ///< sum of the plane's face currents
  physics::PlaneStats stats;
};

struct UniformityResult {
  int axis = 2;
  std::string source;  ///< "conduction" or "electroneutral"
  double voltage_V = 0.0;
  double current_A = 0.0;         ///< sum of the low-electrode face currents
  double current_solver_A = 0.0;  ///< the solver's own inlet current
  double sigma_eff_S_m = 0.0;     ///< conduction sigma_eff of the axis (Wa)
  double exchange_current_density_A_m2 = 0.0;
  double charge_transfer_resistance_ohm_m2 = 0.0;  ///< V_T / i0
  double wagner_length_m = 0.0;
  std::string wagner_length_source;
  double wagner_number = 0.0;
  double solve_time_s = 0.0;
  physics::FaceMap face;                ///< i_n on the low electrode, A/m2
  std::vector<physics::FaceMap> plane_maps;  ///< i_n on the interior planes (scales order), A/m2
  std::vector<UniformityScale> scales;  ///< face, windows, planes
  std::vector<std::string> notes;       ///< skipped windows or planes
};

/// Length l of the Wagner number when experiment.current_uniformity.wagner_length_m is 0, with
/// where it came from: aligned walls: spacing_m; clustered platelets: 2 cluster_radius_m; Poisson
/// platelets: diameter_m; pure gel or image: the larger side of the face normal to `axis`.
[[nodiscard]] std::pair<double, std::string> default_wagner_length(const io::RunConfig& config, int axis);

/// Collective over the structure's communicator; every rank returns the same result.
[[nodiscard]] UniformityResult run_current_uniformity(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const UniformityResult& r);
/// Registry entry: also writes uniformity_<axis>_histogram.csv, uniformity_<axis>_scales.csv and
/// the i_n maps (uniformity_map_<axis>.{pvd,vti,h5}).
[[nodiscard]] AxisReport current_uniformity_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
