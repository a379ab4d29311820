#pragma once
// The conductivity / tortuosity experiment of `ionpath run` (spec §5.1, §5.2) on a structure
// built from a config: an `effective` solve (all phase parameters) and a `geometric` solve (gel
// and interface conduct as gel, everything else insulates) per driving axis.
#include <nlohmann/json.hpp>

#include "study/problem.hpp"
#include "physics/arrhenius_fit.hpp"
#include "solver/conduction/conduction.hpp"

namespace ionpath::study {

struct AxisResult {
  int axis = 2;
  solver::ConductivityResult effective;
  solver::ConductivityResult geometric;
  double sigma_ref_S_m = 0.0;      ///< bulk conductivity of the reference phase along the axis
  double eps_ref = 0.0;            ///< volume fraction of the reference phase
  double eps_conducting = 0.0;     ///< gel + interface volume fraction (geometric variant)
};

/// What a per-cell conductivity field holds: the total or the Li+ conductivity of every phase,
/// or the `geometric` variant (gel and interface conduct as the reference phase, others 0).
enum class ConductivityKind { total, li_only, geometric };

/// Per-cell diagonal conductivity tensor (S/m), 3 per owned cell, from the phase materials.
[[nodiscard]] std::vector<double> cell_conductivity(const Structure& s, const io::RunConfig& config, ConductivityKind kind);

/// Linear Bruce-Vincent shortcut (spec §1.6): t+ = G[sigma+] / G[sigma+ + sigma-], with the
/// Wiener feasibility bound <sigma+> / sigma_eff (spec §7.3).
struct TransferenceResult {
  int axis = 2;
  solver::ConductivityResult total, li_only;
  double t_plus = 0.0;
  double mean_sigma_plus_S_m = 0.0;  ///< volume average of the Li+ conductivity along the axis
  double bound = 0.0;                ///< <sigma+> / sigma_eff
};
[[nodiscard]] TransferenceResult run_transference_linear(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const TransferenceResult& r);

/// Arrhenius sweep (spec §5.4): sigma_eff along `axis` at every experiment temperature.
struct ArrheniusResult {
  int axis = 2;
  std::vector<double> T_K, sigma_S_m;
  physics::ArrheniusFit fit;
};
[[nodiscard]] ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const ArrheniusResult& r);
/// CSV table T_K,T_C,invT_1000_K,sigma_S_m,sigma_mS_cm,log10_sigma with `#` provenance lines.
[[nodiscard]] std::string arrhenius_csv(const ArrheniusResult& r, const std::string& header);

[[nodiscard]] AxisResult run_conductivity(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields);
[[nodiscard]] nlohmann::json to_json(const AxisResult& r);
/// One line per axis for the terminal.
[[nodiscard]] std::string describe(const AxisResult& r);

}  // namespace ionpath::study
