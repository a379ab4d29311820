#include "study/arrhenius.hpp"

#include <cmath>
#include <cstdio>

#include "io/summary_writer.hpp"

namespace ionpath::study {

ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis) {
  ArrheniusResult r;
  r.axis = axis;
  const solver::Domain& d = domain_along(s, axis);
  const auto opt = conduction_options(config.experiment, config.grid, axis, false);
  for (const double T : std::get<io::ArrheniusSpec>(config.experiment.spec).temperatures_K) {
    io::RunConfig at_T = config;
    at_T.electrolyte.temperature_K = T;
    r.T_K.push_back(T);
    r.sigma_S_m.push_back(measure_conductivity(d, cell_conductivity(s.labels.labels(), s.table, at_T, ConductivityKind::total), 0.0, opt).result.sigma_eff);
  }
  r.fit = physics::fit_arrhenius(r.T_K, r.sigma_S_m);
  return r;
}

nlohmann::json to_json(const ArrheniusResult& r) {
  return {{"axis", axis_name(r.axis)},
          {"T_K", r.T_K},
          {"sigma_S_m", r.sigma_S_m},
          {"E_a_ln_sigma_kJ_mol", r.fit.activation_energy_J_mol * 1e-3},
          {"E_a_ln_sigma_stderr_kJ_mol", r.fit.activation_energy_stderr_J_mol * 1e-3},
          {"r_squared_ln_sigma", r.fit.r_squared},
          {"E_a_ln_sigmaT_kJ_mol", r.fit.activation_energy_sigmaT_J_mol * 1e-3},
          {"E_a_ln_sigmaT_stderr_kJ_mol", r.fit.activation_energy_sigmaT_stderr_J_mol * 1e-3},
          {"r_squared_ln_sigmaT", r.fit.r_squared_sigmaT},
          {"table", std::string("arrhenius_") + axis_name(r.axis) + ".csv"}};
}

void write_arrhenius_csv(const Outputs& out, const ArrheniusResult& r) {
  std::vector<std::vector<io::CsvCell>> rows;
  for (std::size_t i = 0; i < r.T_K.size(); ++i)
    rows.push_back({r.T_K[i], r.T_K[i] - 273.15, 1000.0 / r.T_K[i], r.sigma_S_m[i], 10.0 * r.sigma_S_m[i],
                    std::log10(r.sigma_S_m[i])});
  io::write_csv(out.directory / (std::string("arrhenius_") + axis_name(r.axis) + ".csv"),
                {{"T", "K"}, {"T", "degC"}, {"invT_1000", "1/K"}, {"sigma", "S/m"}, {"sigma", "mS/cm"}, {"log10_sigma", "1"}},
                rows, out.provenance, {}, out.comm);
}

AxisReport arrhenius_experiment(const ExperimentContext& ctx, int axis) {
  const ArrheniusResult a = run_arrhenius(ctx.structure, ctx.config, axis);
  write_arrhenius_csv(ctx.out, a);
  AxisReport out;
  out.json = to_json(a);
  const std::string n = axis_name(axis);
  out.scalars = {{n + "/E_a_ln_sigma", "kJ/mol", a.fit.activation_energy_J_mol * 1e-3},
                 {n + "/E_a_ln_sigmaT", "kJ/mol", a.fit.activation_energy_sigmaT_J_mol * 1e-3}};
  char buf[240];
  std::snprintf(buf, sizeof buf, "  axis %s: E_a = %.3f +- %.3f kJ/mol from ln(sigma) (R2 %.6f), %.3f kJ/mol from ln(sigma T)\n",
                n.c_str(), 1e-3 * a.fit.activation_energy_J_mol, 1e-3 * a.fit.activation_energy_stderr_J_mol,
                a.fit.r_squared, 1e-3 * a.fit.activation_energy_sigmaT_J_mol);
  out.text = buf;
  return out;
}

}  // namespace ionpath::study
