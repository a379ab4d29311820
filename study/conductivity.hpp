#pragma once
// experiment.conductivity (spec §5.1, §5.2), the one path of `ionpath run` and `ionpath
// tortuosity`: a steady conduction solve between electrodes on the two faces normal to the axis.
// Definitions (docs/physics.md): sigma_eff = I L / (A dV); eps = volume fraction of the cells
// that conduct along the axis; tau = eps sigma_ref / sigma_eff (< 1 where a phase conducts better
// than the reference); N_M = sigma_ref / sigma_eff. `run` adds a `geometric` solve in which gel
// and interface conduct as the reference phase and all else insulates (tau_geometric >= 1).
// With model electroneutral or pnp the experiment is the bath-to-bath cell (study/bath_cell.hpp).
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "study/experiment.hpp"
#include "solver/conduction/conduction.hpp"
#include "study/coefficients.hpp"

namespace ionpath::study {

/// Grids of at least this many cells use the matrix-free multigrid when conduction_solver is
/// auto: below it the assembled AIJ + GAMG solve is faster (bench/conduction_crossover.sh on the
/// random-MMT example, 2 ranks: 16^3 assembled 0.014 s vs 0.11 s; 20^3 0.071 s vs 0.016 s).
inline constexpr long long matrix_free_min_cells = 8000;

/// The one place experiment.accuracy and experiment.conduction_solver are interpreted.
[[nodiscard]] solver::ConductivityOptions conduction_options(const io::ExperimentConfig& x, const mesh::Grid& grid,
                                                             int axis, bool keep_fields);

/// One conduction solve along an axis, with what it is compared to.
struct ConductionMeasurement {
  solver::ConductivityResult result;
  double sigma_ref_S_m = 0.0;   ///< reference conductivity along the axis
  double eps = 0.0;             ///< volume fraction of the cells that conduct along the axis
  [[nodiscard]] double tortuosity_factor() const;
  [[nodiscard]] double macmullin_number() const;
};

/// Solves along `domain`'s transport axis; eps is counted from `sigma` over the domain's comm.
[[nodiscard]] ConductionMeasurement measure_conductivity(const solver::Domain& domain, const CellConductivity& sigma,
                                                         double sigma_ref_S_m, const solver::ConductivityOptions& opt);

/// JSON of a measurement: the same keys in `run` and `tortuosity` (docs/experiments.md).
[[nodiscard]] nlohmann::json to_json(const ConductionMeasurement& m);

struct AxisResult {
  int axis = 2;
  ConductionMeasurement effective, geometric;
  double eps_ref = 0.0;  ///< volume fraction of the reference phase
};

[[nodiscard]] AxisResult run_conductivity(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields);
[[nodiscard]] nlohmann::json to_json(const AxisResult& r);
/// One line per axis for the terminal.
[[nodiscard]] std::string describe(const AxisResult& r);

/// Registry entry: conduction, or the bath-to-bath Nernst-Planck cell, as the spec's model says.
[[nodiscard]] AxisReport conductivity_experiment(const ExperimentContext& ctx, int axis);

/// A JSON number, or null where it is not finite (tau of a non-percolating axis).
[[nodiscard]] nlohmann::json finite_or_null(double v);

}  // namespace ionpath::study
