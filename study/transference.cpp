#include "study/transference.hpp"

#include <cstdio>

#include "physics/effective_properties.hpp"

namespace ionpath::study {

TransferenceResult run_transference_linear(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields) {
  TransferenceResult r;
  r.axis = axis;
  const solver::Domain& d = domain_along(s, axis);
  const auto opt = conduction_options(config.experiment, config.grid, axis, keep_fields);
  const CellConductivity total = cell_conductivity(s.labels.labels(), s.table, config, ConductivityKind::total);
  const CellConductivity plus = cell_conductivity(s.labels.labels(), s.table, config, ConductivityKind::li_only);
  r.total = measure_conductivity(d, total, 0.0, opt).result;
  r.li_only = measure_conductivity(d, plus, 0.0, opt).result;
  r.t_plus = physics::transference_number_linear(r.li_only.sigma_eff, r.total.sigma_eff);
  physics::WienerSums w;
  for (std::size_t c = 0; c < d.owned().n_cells(); ++c) w.add(plus.along(c, axis));
  MPI_Allreduce(MPI_IN_PLACE, &w, 3, MPI_DOUBLE, MPI_SUM, d.comm());
  r.mean_sigma_plus_S_m = physics::wiener_upper_bound(w);
  r.bound = physics::transference_wiener_bound(r.mean_sigma_plus_S_m, r.total.sigma_eff);
  return r;
}

nlohmann::json to_json(const TransferenceResult& r) {
  return {{"axis", axis_name(r.axis)},
          {"t_plus_linear", r.t_plus},
          {"sigma_eff_S_m", r.total.sigma_eff},
          {"sigma_plus_eff_S_m", r.li_only.sigma_eff},
          {"mean_sigma_plus_S_m", r.mean_sigma_plus_S_m},
          {"wiener_bound_t_plus", r.bound},
          {"percolating", r.total.percolating},
          {"ksp_iterations", {r.total.solve.iterations, r.li_only.solve.iterations}},
          {"definition", "t+ = G[sigma+]/G[sigma+ + sigma-], linear Bruce-Vincent limit with ideal reversible Li "
                         "electrodes (spec 1.6); bound <sigma+>/sigma_eff (spec 7.3)"}};
}

AxisReport transference_experiment(const ExperimentContext& ctx, int axis) {
  const TransferenceResult t = run_transference_linear(ctx.structure, ctx.config, axis);
  AxisReport out;
  out.json = to_json(t);
  const std::string a = axis_name(axis);
  out.scalars = {{a + "/t_plus_linear", "1", t.t_plus},
                 {a + "/sigma_eff", "S/m", t.total.sigma_eff},
                 {a + "/sigma_plus_eff", "S/m", t.li_only.sigma_eff},
                 {a + "/wiener_bound_t_plus", "1", t.bound}};
  char buf[200];
  std::snprintf(buf, sizeof buf, "  axis %s: linear Bruce-Vincent t+ = %.4f (sigma_eff %.5g mS/cm; Wiener bound %.4f)\n",
                a.c_str(), t.t_plus, 10.0 * t.total.sigma_eff, t.bound);
  out.text = buf;
  return out;
}

}  // namespace ionpath::study
