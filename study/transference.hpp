#pragma once
// experiment.transference: the linear Bruce-Vincent limit (spec §1.6) t+ = G[sigma+] / G[sigma+ +
// sigma-] from two conduction solves, with the Wiener feasibility bound <sigma+> / sigma_eff
// (spec §7.3): no arrangement of the same phases reaches a t+ above it.
#include <nlohmann/json.hpp>

#include "study/conductivity.hpp"

namespace ionpath::study {

struct TransferenceResult {
  int axis = 2;
  solver::ConductivityResult total, li_only;
  double t_plus = 0.0;
  double mean_sigma_plus_S_m = 0.0;  ///< volume average of the Li+ conductivity along the axis
  double bound = 0.0;                ///< <sigma+> / sigma_eff
};

/// keep_fields: both solves keep their potentials (for conductance_sensitivities).
[[nodiscard]] TransferenceResult run_transference_linear(const Structure& s, const io::RunConfig& config, int axis,
                                                         bool keep_fields = false);
[[nodiscard]] nlohmann::json to_json(const TransferenceResult& r);
[[nodiscard]] AxisReport transference_experiment(const ExperimentContext& ctx, int axis);

}  // namespace ionpath::study
