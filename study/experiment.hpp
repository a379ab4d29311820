#pragma once
// The experiment interface of `ionpath run`: each virtual experiment measures along one axis of
// a structure built once, writes its own per-axis files (CSV, fields) and returns its summary.
// The registry (study/registry.cpp) maps experiment.type to the experiment.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/hdf5_writer.hpp"
#include "study/outputs.hpp"
#include "study/problem.hpp"

namespace ionpath::study {

/// What one experiment gives along one axis.
struct AxisReport {
  nlohmann::json json;                    ///< axes[i] of summary.json
  std::vector<io::ScalarResult> scalars;  ///< summary.h5 /results/<axis>/<name>, with units
  std::string text;                       ///< console lines (rank 0 of the group prints them)
};

/// Everything an experiment reads: the configuration, the structure and where to write.
struct ExperimentContext {
  const io::RunConfig& config;
  const Structure& structure;
  const Outputs& out;
  bool quiet = false;  ///< StudyOptions::quiet: no console output, no progress lines
  bool resume = false; ///< transients resume from their checkpoints (study/checkpoints.hpp)
};

using AxisExperiment = AxisReport (*)(const ExperimentContext&, int axis);

struct ExperimentEntry {
  std::string name;         ///< experiment.type
  std::string description;  ///< one line for `ionpath run --help` and docs
  AxisExperiment run_axis = nullptr;
};

/// Every experiment `ionpath run` knows, in io::experiment_names() order.
[[nodiscard]] const std::vector<ExperimentEntry>& experiment_registry();
/// Throws std::invalid_argument naming the known experiments.
[[nodiscard]] const ExperimentEntry& find_experiment(const std::string& name);

}  // namespace ionpath::study
