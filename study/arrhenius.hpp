#pragma once
// experiment.arrhenius (spec §5.4): sigma_eff along an axis at every temperature, with Arrhenius
// fits of ln(sigma) and ln(sigma T) against 1/T (physics/arrhenius_fit.hpp).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "physics/arrhenius_fit.hpp"
#include "study/conductivity.hpp"

namespace ionpath::study {

struct ArrheniusResult {
  int axis = 2;
  std::vector<double> T_K, sigma_S_m;
  physics::ArrheniusFit fit;
};

[[nodiscard]] ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const ArrheniusResult& r);
/// Writes arrhenius_<axis>.csv (T_K, T_C, 1000/T, sigma, log10 sigma) with provenance lines.
void write_arrhenius_csv(const Outputs& out, const ArrheniusResult& r);
[[nodiscard]] AxisReport arrhenius_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
