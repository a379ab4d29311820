#pragma once
// experiment.arrhenius (spec §5.4): at every temperature sigma_eff and the linear-shortcut
// t+ = G[sigma+]/G[sigma] (the two conduction solves of study/transference), then the Arrhenius
// fits of ln(sigma) and ln(sigma T), the VTF fit and which law the curve supports
// (physics/arrhenius_fit.hpp, physics/temperature_fits.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "physics/arrhenius_fit.hpp"
#include "physics/temperature_fits.hpp"
#include "study/conductivity.hpp"

namespace ionpath::study {

struct ArrheniusResult {
  int axis = 2;
  std::vector<double> T_K, sigma_S_m, t_plus;
  physics::ArrheniusFit fit;
  std::optional<physics::VtfFit> vtf;                           ///< with >= 5 temperatures
  std::optional<physics::TemperatureFitComparison> comparison;  ///< with >= 5 temperatures
};

[[nodiscard]] ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const ArrheniusResult& r);
/// Writes arrhenius_<axis>.csv (T_K, T_C, invT_1000_K, sigma_S_m, sigma_mS_cm, log10_sigma_S_m,
/// t_plus_linear_1) with provenance lines.
void write_arrhenius_csv(const Outputs& out, const ArrheniusResult& r);
[[nodiscard]] AxisReport arrhenius_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
