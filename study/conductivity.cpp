#include "study/conductivity.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "physics/conductivity.hpp"

namespace ionpath::study {
namespace {

const char* axis_name(int a) { return a == 0 ? "x" : a == 1 ? "y" : "z"; }

double finite_or_null(double v) { return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN(); }

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json variant_json(const solver::ConductivityResult& r, double sigma_ref, double eps) {
  const double tau = solver::tortuosity_factor(eps, sigma_ref, r.sigma_eff);
  return {{"percolating", r.percolating},
          {"sigma_eff_S_m", r.sigma_eff},
          {"sigma_eff_mS_cm", r.sigma_eff * 10.0},
          {"sigma_rel", r.sigma_eff / sigma_ref},
          {"tortuosity_factor", number(tau)},
          {"macmullin_number", number(solver::macmullin_number(sigma_ref, r.sigma_eff))},
          {"sigma_eff_energy_S_m", r.sigma_eff_energy},
          {"flux_balance", r.flux_balance},
          {"current_A_per_V", r.current},
          {"inactive_fraction", r.inactive_fraction()},
          {"floating_clusters", r.components.n_floating},
          {"dead_end_clusters", r.components.n_touch_one},
          {"ksp_iterations", r.solve.iterations},
          {"converged_reason", r.solve.converged_reason},
          {"ksp", r.solve.ksp_type + "+" + r.solve.pc_type},
          {"setup_time_s", r.solve.setup_time_s},
          {"solve_time_s", r.solve.solve_time_s}};
}

}  // namespace

std::vector<double> cell_conductivity(const Structure& s, const io::RunConfig& config, ConductivityKind kind) {
  std::array<std::array<double, 3>, 256> by_label{};
  std::array<bool, 256> known{};
  const auto ref_sigma = physics::phase_conductivity(config.phase(config.experiment.reference_phase), config.electrolyte).total();
  for (const auto& p : s.table.phases()) {
    known[p.label] = true;
    if (kind == ConductivityKind::geometric) {
      const bool conducts = p.label == mesh::phase::gel || p.label == mesh::phase::interface;
      by_label[p.label] = conducts ? ref_sigma : std::array<double, 3>{0, 0, 0};
      continue;
    }
    try {
      const auto sp = physics::phase_conductivity(config.phase(p.name), config.electrolyte);
      by_label[p.label] = kind == ConductivityKind::total ? sp.total() : sp.plus;
    } catch (const std::out_of_range&) {
      known[p.label] = false;  // reported below if such cells exist
    }
  }
  std::vector<double> sigma(3 * s.labels.labels().size());
  std::size_t c = 0;
  for (const mesh::Label l : s.labels.labels()) {
    if (!known[l])
      throw std::runtime_error("phase '" + s.table.name_of(l) + "' has no material parameters (phases." +
                               s.table.name_of(l) + " in the config)");
    for (int a = 0; a < 3; ++a) sigma[3 * c + a] = by_label[l][a];
    ++c;
  }
  return sigma;
}

namespace {

solver::ConductivityOptions options_for(const io::RunConfig& config, int axis, bool keep_fields) {
  solver::ConductivityOptions opt;
  opt.axis = axis;
  opt.ksp.rtol = std::min(1e-10, 1e-2 * config.experiment.accuracy);
  opt.keep_fields = keep_fields;
  return opt;
}

}  // namespace

TransferenceResult run_transference_linear(const Structure& s, const io::RunConfig& config, int axis) {
  TransferenceResult r;
  r.axis = axis;
  const auto opt = options_for(config, axis, false);
  r.total = solver::solve_conductivity(*s.domain, cell_conductivity(s, config, ConductivityKind::total), opt);
  const auto plus = cell_conductivity(s, config, ConductivityKind::li_only);
  r.li_only = solver::solve_conductivity(*s.domain, plus, opt);
  r.t_plus = r.total.sigma_eff > 0.0 ? r.li_only.sigma_eff / r.total.sigma_eff : 0.0;
  double sum = 0.0;
  for (std::size_t c = 0; c < plus.size() / 3; ++c) sum += plus[3 * c + static_cast<std::size_t>(axis)];
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, s.domain->comm());
  r.mean_sigma_plus_S_m = sum / static_cast<double>(config.grid.n_total());
  r.bound = r.total.sigma_eff > 0.0 ? r.mean_sigma_plus_S_m / r.total.sigma_eff : 0.0;
  return r;
}

nlohmann::json to_json(const TransferenceResult& r) {
  return {{"axis", axis_name(r.axis)},
          {"t_plus_linear", r.t_plus},
          {"sigma_eff_S_m", r.total.sigma_eff},
          {"sigma_plus_eff_S_m", r.li_only.sigma_eff},
          {"mean_sigma_plus_S_m", r.mean_sigma_plus_S_m},
          {"wiener_bound_t_plus", r.bound},
          {"ksp_iterations", {r.total.solve.iterations, r.li_only.solve.iterations}},
          {"definition", "t+ = G[sigma+]/G[sigma+ + sigma-], linear Bruce-Vincent limit with ideal reversible Li "
                         "electrodes (spec 1.6); bound <sigma+>/sigma_eff (spec 7.3)"}};
}

ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis) {
  ArrheniusResult r;
  r.axis = axis;
  for (const double T : config.experiment.temperatures_K) {
    io::RunConfig at_T = config;
    at_T.electrolyte.temperature_K = T;
    const auto res = solver::solve_conductivity(*s.domain, cell_conductivity(s, at_T, ConductivityKind::total),
                                                options_for(config, axis, false));
    r.T_K.push_back(T);
    r.sigma_S_m.push_back(res.sigma_eff);
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
          {"r_squared_ln_sigmaT", r.fit.r_squared_sigmaT}};
}

std::string arrhenius_csv(const ArrheniusResult& r, const std::string& header) {
  std::string out = header;
  out += "T_K,T_C,invT_1000_K,sigma_S_m,sigma_mS_cm,log10_sigma\n";
  char buf[256];
  for (std::size_t i = 0; i < r.T_K.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.2f,%.2f,%.6f,%.9g,%.9g,%.6f\n", r.T_K[i], r.T_K[i] - 273.15, 1000.0 / r.T_K[i],
                  r.sigma_S_m[i], 10.0 * r.sigma_S_m[i], std::log10(r.sigma_S_m[i]));
    out += buf;
  }
  return out;
}

AxisResult run_conductivity(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields) {
  AxisResult r;
  r.axis = axis;
  const auto& ref = config.phase(config.experiment.reference_phase);
  r.sigma_ref_S_m = physics::phase_conductivity(ref, config.electrolyte).total()[axis];
  const auto ref_label = s.table.find(config.experiment.reference_phase);
  for (const auto& p : s.report.phases) {
    if (ref_label && p.label == *ref_label) r.eps_ref = p.volume_fraction;
    if (p.label == mesh::phase::gel || p.label == mesh::phase::interface) r.eps_conducting += p.volume_fraction;
  }
  r.effective = solver::solve_conductivity(*s.domain, cell_conductivity(s, config, ConductivityKind::total),
                                           options_for(config, axis, keep_fields));
  r.geometric = solver::solve_conductivity(*s.domain, cell_conductivity(s, config, ConductivityKind::geometric),
                                           options_for(config, axis, false));
  return r;
}

nlohmann::json to_json(const AxisResult& r) {
  return {{"axis", axis_name(r.axis)},
          {"reference_sigma_S_m", r.sigma_ref_S_m},
          {"reference_volume_fraction", r.eps_ref},
          {"effective", variant_json(r.effective, r.sigma_ref_S_m, r.eps_ref)},
          {"geometric", variant_json(r.geometric, r.sigma_ref_S_m, r.eps_conducting)},
          {"definitions", "tau = eps_ref sigma_ref / sigma_eff (tortuosity factor); N_M = sigma_ref / sigma_eff; "
                          "geometric: gel+interface conduct as the reference phase, all else insulating"}};
}

std::string describe(const AxisResult& r) {
  char buf[320];
  if (!r.effective.percolating) {
    std::snprintf(buf, sizeof buf, "  axis %s: no conducting path between the electrodes: sigma_eff = 0, tau = infinite\n",
                  axis_name(r.axis));
    return buf;
  }
  const double tau_e = solver::tortuosity_factor(r.eps_ref, r.sigma_ref_S_m, r.effective.sigma_eff);
  const double tau_g = solver::tortuosity_factor(r.eps_conducting, r.sigma_ref_S_m, r.geometric.sigma_eff);
  std::snprintf(buf, sizeof buf,
                "  axis %s: sigma_eff = %.5g mS/cm (sigma_rel %.4f, tau %.4f, N_M %.4f, %d its); geometric tau %.4f; "
                "inactive %.3f %%, flux balance %.1e\n",
                axis_name(r.axis), r.effective.sigma_eff * 10.0, r.effective.sigma_eff / r.sigma_ref_S_m,
                finite_or_null(tau_e), finite_or_null(solver::macmullin_number(r.sigma_ref_S_m, r.effective.sigma_eff)),
                r.effective.solve.iterations, finite_or_null(tau_g), 100.0 * r.effective.inactive_fraction(),
                r.effective.flux_balance);
  return buf;
}

}  // namespace ionpath::study
