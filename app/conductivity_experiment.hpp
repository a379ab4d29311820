#pragma once
// The conductivity / tortuosity experiment of `ionpath run` (spec §5.1, §5.2) on a structure
// built from a config: an `effective` solve (all phase parameters) and a `geometric` solve (gel
// and interface conduct as gel, everything else insulates) per driving axis.
#include <nlohmann/json.hpp>

#include "app/structure.hpp"
#include "solver/conduction.hpp"

namespace ionpath::app {

struct AxisResult {
  int axis = 2;
  solver::ConductivityResult effective;
  solver::ConductivityResult geometric;
  double sigma_ref_S_m = 0.0;      ///< bulk conductivity of the reference phase along the axis
  double eps_ref = 0.0;            ///< volume fraction of the reference phase
  double eps_conducting = 0.0;     ///< gel + interface volume fraction (geometric variant)
};

/// Per-cell diagonal conductivity tensor (S/m), 3 per owned cell, from the phase materials.
/// `geometric`: gel and interface conduct with the reference phase's conductivity, others 0.
[[nodiscard]] std::vector<double> cell_conductivity(const Structure& s, const io::RunConfig& config, bool geometric);

[[nodiscard]] AxisResult run_conductivity(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields);
[[nodiscard]] nlohmann::json to_json(const AxisResult& r);
/// One line per axis for the terminal.
[[nodiscard]] std::string describe(const AxisResult& r);

}  // namespace ionpath::app
