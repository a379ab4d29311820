#pragma once
/// The points of a sweep with their ids, configurations and estimated costs.
#include <optional>
#include <string>
#include <vector>

#include "io/sweep_file.hpp"

namespace ionpath::sweep {

struct PlannedPoint {
  io::SweepPoint spec;
  std::string id;
  std::optional<io::RunConfig> config;  ///< empty: the combination is invalid, config_error says why
  std::string config_error;
  double cost = 0.0;  ///< estimated_cost, 0 for an invalid combination
};

/// Loads every point's configuration (an invalid combination becomes a point that will be recorded
/// as failed, exit status 2, with the configuration error; its id hashes the base and parameters).
[[nodiscard]] std::vector<PlannedPoint> plan_sweep(const io::SweepFile& sweep);

/// Relative cost model of --dry-run: cells x axes x experiment factor (cost_model_text).
[[nodiscard]] double estimated_cost(const io::RunConfig& config);
[[nodiscard]] const char* cost_model_text();

}  // namespace ionpath::sweep
