#pragma once
// The conductivity experiment of `ionpath run` with model electroneutral or pnp: the structure sits
// between two baths of gel electrolyte (c+ = c- = c0, reservoir faces normal to the driving axis)
// held at a potential difference experiment.voltage_V. The steady Nernst-Planck solve gives the
// current I and its Li+ part I+, hence the chord conductivity sigma_eff = I L / (A V) and the
// Li+ current fraction t+ = I+ / I (the Hittorf transference number of the composite). For
// |V| << R T / F this is the linear DC response; with the electroneutral model and small V it is
// G[sigma+] + G[sigma-] (each ion conserved and exchanged with the baths), which equals the
// conduction experiment G[sigma+ + sigma-] only where both ions take the same paths (e.g.
// straight walls along the field) and is lower otherwise (docs/physics.md). pnp resolves double
// layers and needs voxel_size_m <= lambda_D / 5 (checked when the config is read).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "study/experiment.hpp"

namespace ionpath::study {

struct NernstPlanckCellResult {
  int axis = 2;
  io::Model model = io::Model::electroneutral;
  double voltage_V = 0.0;
  double current_A = 0.0, li_current_A = 0.0;
  double sigma_eff_S_m = 0.0, sigma_ref_S_m = 0.0;
  double t_plus = 0.0;
  double flux_balance = 0.0;  ///< max |cross-section current - I| / |I| over all cross-sections
  double inactive_fraction = 0.0;
  double debye_length_m = 0.0;
  int newton_iterations = 0, linear_iterations = 0;
  std::string converged_reason;
  // Fields per owned cell, SI: c+, c- (mol/m3), potential (V), current density (A/m2, 3 per cell).
  std::vector<double> c_plus, c_minus, potential, current_density;
  std::vector<std::uint8_t> active;  ///< per owned cell: 1 where a species is transported
};

[[nodiscard]] NernstPlanckCellResult run_nernst_planck_cell(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const NernstPlanckCellResult& r);
[[nodiscard]] std::string describe(const NernstPlanckCellResult& r);
/// Registry part of experiment.conductivity for model electroneutral / pnp; writes
/// fields_<axis>.{pvd,h5}: c_plus, c_minus, c_salt (mol/m3), potential (V), current density and
/// its magnitude (A/m2), NaN in inactive cells, with the `active` mask.
[[nodiscard]] AxisReport bath_cell_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
