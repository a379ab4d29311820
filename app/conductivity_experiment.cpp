#include "app/conductivity_experiment.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "physics/conductivity.hpp"

namespace ionpath::app {
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

std::vector<double> cell_conductivity(const Structure& s, const io::RunConfig& config, bool geometric) {
  std::array<std::array<double, 3>, 256> by_label{};
  const auto& ref = config.phase(config.experiment.reference_phase);
  const auto ref_sigma = physics::phase_conductivity(ref, config.electrolyte).total();
  for (const auto& p : s.table.phases()) {
    if (geometric) {
      const bool conducts = p.label == mesh::phase::gel || p.label == mesh::phase::interface;
      by_label[p.label] = conducts ? ref_sigma : std::array<double, 3>{0, 0, 0};
      continue;
    }
    try {
      by_label[p.label] = physics::phase_conductivity(config.phase(p.name), config.electrolyte).total();
    } catch (const std::out_of_range&) {
      by_label[p.label] = {-1, -1, -1};  // flagged below if present
    }
  }
  std::vector<double> sigma(3 * s.labels.labels().size());
  std::size_t c = 0;
  for (const mesh::Label l : s.labels.labels()) {
    if (by_label[l][0] < 0)
      throw std::runtime_error("phase '" + s.table.name_of(l) + "' has no material parameters (phases." +
                               s.table.name_of(l) + " in the config)");
    for (int a = 0; a < 3; ++a) sigma[3 * c + a] = by_label[l][a];
    ++c;
  }
  return sigma;
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
  solver::ConductivityOptions opt;
  opt.axis = axis;
  opt.ksp.rtol = std::min(1e-10, 1e-2 * config.experiment.accuracy);
  opt.keep_fields = keep_fields;
  r.effective = solver::solve_conductivity(*s.domain, cell_conductivity(s, config, false), opt);
  opt.keep_fields = false;
  r.geometric = solver::solve_conductivity(*s.domain, cell_conductivity(s, config, true), opt);
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

}  // namespace ionpath::app
