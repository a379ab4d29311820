#include "sweep/plan.hpp"

#include <variant>

#include "sweep/point_id.hpp"

namespace ionpath::sweep {
namespace {

// Measured orders of magnitude per cell and axis relative to a conduction solve (docs/sweeps.md).
double experiment_factor(const io::ExperimentConfig& e) {
  if (const auto* c = std::get_if<io::ConductivitySpec>(&e.spec)) {
    if (c->model == io::Model::electroneutral) return 20.0;
    if (c->model == io::Model::pnp) return 60.0;
    return 1.0;
  }
  if (std::holds_alternative<io::TransferenceSpec>(e.spec)) return 2.0;
  if (const auto* a = std::get_if<io::ArrheniusSpec>(&e.spec))
    return a->temperatures_K.empty() ? 14.0 : static_cast<double>(a->temperatures_K.size());
  if (const auto* b = std::get_if<io::BruceVincentSpec>(&e.spec))
    return b->route == io::BruceVincentSpec::Route::transient ? 300.0 : 25.0;
  if (const auto* u = std::get_if<io::CurrentUniformitySpec>(&e.spec))
    return u->source == io::CurrentUniformitySpec::Source::electroneutral ? 25.0 : 1.0;
  return 300.0;  // fields_under_current: a transient to steady state, as the transient Bruce-Vincent
}

}  // namespace

const char* cost_model_text() {
  return "cost = cells x axes x factor; factor: conduction 1, transference 2, arrhenius 1 per temperature (14 by "
         "default), electroneutral 20, pnp 60, bruce_vincent steady 25, transient 300, current_uniformity 1 (electroneutral 25), "
         "fields_under_current 300";
}

double estimated_cost(const io::RunConfig& config) {
  const auto& n = config.grid.n_cells;
  return static_cast<double>(n[0]) * n[1] * n[2] * static_cast<double>(config.experiment.axes.size()) *
         experiment_factor(config.experiment);
}

std::vector<PlannedPoint> plan_sweep(const io::SweepFile& sweep) {
  std::vector<PlannedPoint> out;
  out.reserve(sweep.points.size());
  for (const auto& spec : sweep.points) {
    PlannedPoint p;
    p.spec = spec;
    try {
      p.config = io::load_sweep_point(sweep, spec);
      p.id = point_id(io::point_identity_text(*p.config));
      p.cost = estimated_cost(*p.config);
    } catch (const io::ConfigError& e) {
      p.config_error = e.what();
      std::string identity = "invalid combination\n" + sweep.base_text;
      for (const auto& [k, v] : spec.parameters) identity += "\n" + k + "=" + v;
      p.id = point_id(identity);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace ionpath::sweep
