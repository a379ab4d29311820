#include "study/conductivity.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "physics/conductivity.hpp"
#include "physics/effective_properties.hpp"
#include "study/bath_cell.hpp"

namespace ionpath::study {

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

solver::ConductivityOptions conduction_options(const io::ExperimentConfig& x, const mesh::Grid& grid, int axis,
                                               bool keep_fields) {
  using Choice = io::ExperimentConfig::ConductionSolver;
  solver::ConductivityOptions opt;
  opt.axis = axis;
  opt.keep_fields = keep_fields;
  const bool matrix_free = x.conduction_solver == Choice::matrix_free ||
                           (x.conduction_solver == Choice::automatic &&
                            static_cast<long long>(grid.n_total()) >= matrix_free_min_cells);
  if (matrix_free) {
    // The matrix-free solve stops when its energy estimate of sigma_eff has converged to `accuracy`.
    opt.op = solver::ConductionOperator::matrix_free;
    opt.accuracy = x.accuracy;
    opt.ksp.rtol = std::min(1e-10, 1e-2 * x.accuracy);
  } else {
    // Residual test: rtol = 1e-4 accuracy (1e-10 at the default 1e-6) keeps the inlet current, and
    // so sigma_eff, well inside `accuracy` on the ill-conditioned composites (spec §9.5).
    opt.ksp.rtol = std::max(1e-13, 1e-4 * x.accuracy);
  }
  return opt;
}

double ConductionMeasurement::tortuosity_factor() const {
  return physics::tortuosity_factor(eps, sigma_ref_S_m, result.sigma_eff);
}

double ConductionMeasurement::macmullin_number() const { return physics::macmullin_number(sigma_ref_S_m, result.sigma_eff); }

ConductionMeasurement measure_conductivity(const solver::Domain& domain, const CellConductivity& sigma,
                                           double sigma_ref_S_m, const solver::ConductivityOptions& opt) {
  ConductionMeasurement m;
  m.sigma_ref_S_m = sigma_ref_S_m;
  const std::size_t n = domain.owned().n_cells();
  double conducting = 0.0;
  for (std::size_t c = 0; c < n; ++c) conducting += sigma.along(c, opt.axis) > 0.0 ? 1.0 : 0.0;
  MPI_Allreduce(MPI_IN_PLACE, &conducting, 1, MPI_DOUBLE, MPI_SUM, domain.comm());
  m.eps = conducting / static_cast<double>(domain.grid().n_total());
  if (sigma.tensor.empty()) {
    m.result = solver::solve_conductivity(domain, solver::LabelledSigma{sigma.labels, sigma.of_label}, opt);
  } else {
    m.result = solver::solve_conductivity(domain, sigma.tensor, opt);
  }
  return m;
}

nlohmann::json to_json(const ConductionMeasurement& m) {
  const auto& r = m.result;
  nlohmann::json j = {{"percolating", r.percolating},
                      {"sigma_eff_S_m", r.sigma_eff},
                      {"sigma_eff_mS_cm", r.sigma_eff * 10.0},
                      {"reference_sigma_S_m", m.sigma_ref_S_m},
                      {"sigma_rel", m.sigma_ref_S_m > 0.0 ? r.sigma_eff / m.sigma_ref_S_m : 0.0},
                      {"conducting_volume_fraction", m.eps},
                      {"tortuosity_factor", finite_or_null(m.tortuosity_factor())},
                      {"macmullin_number", finite_or_null(m.macmullin_number())},
                      {"sigma_eff_energy_S_m", r.sigma_eff_energy},
                      {"flux_balance", r.flux_balance},
                      {"current_A_per_V", r.current},
                      {"inactive_fraction", r.inactive_fraction()},
                      {"non_percolating_conducting_fraction", r.components.removed_conducting_fraction()},
                      {"floating_clusters", r.components.n_floating},
                      {"dead_end_clusters", r.components.n_touch_one},
                      {"setup_time_s", r.solve.setup_time_s},
                      {"solve_time_s", r.solve.solve_time_s}};
  if (r.percolating) {
    j["solver"] = r.solve.ksp_type + "+" + r.solve.pc_type;
    j["ksp_iterations"] = r.solve.iterations;
    j["converged_reason"] = r.solve.converged_reason;
  } else {
    j["solver"] = "none";
    j["reason"] = "no conducting path between the electrodes: sigma_eff = 0 and tau is infinite; no solve was made";
  }
  return j;
}

AxisResult run_conductivity(const Structure& s, const io::RunConfig& config, int axis, bool keep_fields) {
  AxisResult r;
  r.axis = axis;
  const auto& ref = config.phase(config.experiment.reference_phase);
  const double sigma_ref = physics::phase_conductivity(ref, config.electrolyte).total()[axis];
  if (const auto ref_label = s.table.find(config.experiment.reference_phase))
    for (const auto& p : s.report.phases)
      if (p.label == *ref_label) r.eps_ref = p.volume_fraction;
  const solver::Domain& d = domain_along(s, axis);
  r.effective = measure_conductivity(d, cell_conductivity(s.labels.labels(), s.table, config, ConductivityKind::total), sigma_ref,
                                     conduction_options(config.experiment, config.grid, axis, keep_fields));
  r.geometric = measure_conductivity(d, cell_conductivity(s.labels.labels(), s.table, config, ConductivityKind::geometric), sigma_ref,
                                     conduction_options(config.experiment, config.grid, axis, false));
  return r;
}

nlohmann::json to_json(const AxisResult& r) {
  return {{"axis", axis_name(r.axis)},
          {"reference_volume_fraction", r.eps_ref},
          {"effective", to_json(r.effective)},
          {"geometric", to_json(r.geometric)},
          {"definitions",
           "sigma_eff = I L / (A dV); eps = volume fraction of the cells that conduct along the axis; "
           "tau = eps sigma_ref / sigma_eff (below 1 where phases conduct better than the reference); "
           "N_M = sigma_ref / sigma_eff; geometric: gel and interface conduct as the reference phase, all else "
           "insulates (tau >= 1)"}};
}

std::string describe(const AxisResult& r) {
  char buf[360];
  const auto& e = r.effective.result;
  if (!e.percolating) {
    std::snprintf(buf, sizeof buf, "  axis %s: no conducting path between the electrodes: sigma_eff = 0, tau = infinite\n",
                  axis_name(r.axis));
    return buf;
  }
  std::snprintf(buf, sizeof buf,
                "  axis %s: sigma_eff = %.5g mS/cm (sigma_rel %.4f, tau %.4f, N_M %.4f, %d its); geometric tau %.4f; "
                "inactive %.3f %%, flux balance %.1e\n",
                axis_name(r.axis), e.sigma_eff * 10.0, e.sigma_eff / r.effective.sigma_ref_S_m,
                r.effective.tortuosity_factor(), r.effective.macmullin_number(), e.solve.iterations,
                r.geometric.tortuosity_factor(), 100.0 * e.inactive_fraction(), e.flux_balance);
  return buf;
}

namespace {

AxisReport conduction_report(const ExperimentContext& ctx, int axis, double voltage_V) {
  const auto& config = ctx.config;
  const bool fields = config.output.fields;
  const AxisResult r = run_conductivity(ctx.structure, config, axis, fields);
  AxisReport out;
  out.json = to_json(r);
  out.json["voltage_V"] = voltage_V;
  out.text = describe(r);
  const auto& e = r.effective;
  const std::string a = axis_name(axis);
  out.scalars = {{a + "/sigma_eff", "S/m", e.result.sigma_eff},
                 {a + "/tortuosity_factor", "1", e.tortuosity_factor()},
                 {a + "/macmullin_number", "1", e.macmullin_number()},
                 {a + "/conducting_volume_fraction", "1", e.eps},
                 {a + "/geometric_tortuosity_factor", "1", r.geometric.tortuosity_factor()}};
  if (fields && e.result.percolating) {
    // The solver's fields are for a unit drop; scale to the configured voltage (V, A/m2).
    std::vector<double> phi = e.result.potential, j = e.result.current_density;
    for (double& v : phi) v *= voltage_V;
    for (double& v : j) v *= voltage_V;
    const auto& active = e.result.active;
    const std::vector<double> phi_nan = with_inactive_as_nan(phi, active, 1);
    const std::vector<double> j_nan = with_inactive_as_nan(j, active, 3);
    const std::vector<double> magnitude = io::vector_magnitude(j_nan);
    using D = std::span<const double>;
    const std::string stem = "fields_" + a;
    write_fields(ctx.out, ctx.structure, stem,
                 {{"potential", "V", 1, D(phi_nan)},
                  {"current_density", "A/m2", 3, D(j_nan)},
                  {"current_density_magnitude", "A/m2", 1, D(magnitude)}},
                 active, out.scalars);
    out.json["fields"] = stem + ".pvd";
  }
  return out;
}

}  // namespace

AxisReport conductivity_experiment(const ExperimentContext& ctx, int axis) {
  const auto& spec = std::get<io::ConductivitySpec>(ctx.config.experiment.spec);
  if (spec.model == io::Model::conduction) return conduction_report(ctx, axis, spec.voltage_V);
  return bath_cell_experiment(ctx, axis);
}

}  // namespace ionpath::study
