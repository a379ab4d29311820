#include "study/bruce_vincent.hpp"

#include <cmath>
#include <cstdio>
#include <utility>

#include "study/coefficients.hpp"
#include "io/summary_writer.hpp"
#include "study/bruce_vincent_transient.hpp"
#include "study/progress.hpp"
#include "physics/bruce_vincent.hpp"
#include "physics/butler_volmer.hpp"

namespace ionpath::study {

namespace {

using Route = io::BruceVincentSpec::Route;

// Storage weight kappa of every owned cell (the phase's accessible volume fraction, spec §1.5).
std::vector<double> cell_capacity(const Structure& s, const io::RunConfig& config) {
  std::vector<double> kappa;
  kappa.reserve(s.labels.labels().size());
  for (const mesh::Label l : s.labels.labels()) kappa.push_back(config.phase(s.table.name_of(l)).capacity);
  return kappa;
}

// Transient route. Dimensionless currents (units F N0 L0^2) and resistances (V_T / (F N0 L0^2))
// from the solver, SI in the result.
void run_transient(const Structure& s, const io::RunConfig& config, const SpeciesCoefficients& k,
                   const solver::Domain& domain2, BruceVincentResult& r, bool quiet,
                   Checkpoints checkpoints) {
  const auto& x = std::get<io::BruceVincentSpec>(config.experiment.spec);
  const physics::Scales& sc = k.scales;
  const double VT = sc.VT;
  r.interfacial_resistance_ohm = x.interfacial_resistance_ohm;
  r.electrode_area_m2 = x.electrode_area_m2;
  r.exchange_current_density_A_m2 = physics::li_exchange_current(VT, x.exchange_current_density_A_m2,
                                                                 x.interfacial_resistance_ohm, x.electrode_area_m2);
  r.requested_end_time_s = x.end_time_s;
  study::PotentiostaticStepOptions opt;
  opt.delta_V = r.voltage_V / VT;
  opt.electrode =
      r.exchange_current_density_A_m2 > 0.0 ? solver::ElectrodeKind::butler_volmer : solver::ElectrodeKind::ideal_li;
  opt.kinetics = {sc.current_density(r.exchange_current_density_A_m2), 0.5, 0.5};
  const std::vector<double> kappa = cell_capacity(s, config);
  opt.transient.t_final = x.end_time_s > 0.0 ? k.scales.time(x.end_time_s) : 0.0;
  Progress progress(domain2.comm(), quiet, std::string("bruce_vincent ") + axis_name(r.axis));
  opt.transient.on_step = transient_progress(progress, k.scales.time_s(1.0));
  use_checkpoints(config, r.axis, checkpoints, domain2.comm(), opt.transient);
  study::PotentiostaticStepResult b = study::run_potentiostatic_step(domain2, k.D_plus, k.D_minus, k.X, kappa, opt);
  r.t_plus_linear = b.t_plus_linear;
  solver::TransientResult tr = std::move(b.transient);
  r.I0_A = sc.current_A(b.I0);
  r.Is_A = sc.current_A(b.Is);
  r.R0_ohm = sc.resistance_ohm(b.R0);
  r.Rs_ohm = sc.resistance_ohm(b.Rs);
  r.t_plus = b.t_plus_ratio;
  r.t_plus_corrected = b.t_plus_corrected;
  r.I0_first_step_A = sc.current_A(tr.history.front().current_in_low);
  r.t_end_s = k.scales.time_s(tr.history.back().t);
  r.tau_d_s = k.scales.time_s(tr.tau_d);
  r.reached_steady = tr.reached_steady;
  r.steps = tr.steps;
  r.rejected_steps = tr.rejected_steps;
  for (const auto& sample : tr.history) {
    r.time_s.push_back(k.scales.time_s(sample.t));
    r.current_A.push_back(sc.current_A(sample.current_in_low));
  }
  r.steady = std::move(tr.final_state);
}

}  // namespace

BruceVincentResult run_bruce_vincent(const Structure& s, const io::RunConfig& config, int axis, bool quiet,
                                     Checkpoints checkpoints) {
  BruceVincentResult r;
  r.axis = axis;
  const auto& spec = std::get<io::BruceVincentSpec>(config.experiment.spec);
  r.voltage_V = spec.voltage_V;
  const SpeciesCoefficients k = species_coefficients(s.labels.labels(), s.table, config);
  const double VT = k.scales.VT, h = config.grid.voxel_size_m;
  // Two unknowns per cell, electrodes on the faces normal to the axis.
  const solver::Domain domain2 = domain_with_dof(domain_along(s, axis), 2);
  if (spec.route == Route::transient) {
    r.route = "transient";
    run_transient(s, config, k, domain2, r, quiet, checkpoints);
    return r;
  }
  const solver::ElectroneutralInput in{k.D_plus,
                                       k.D_minus,
                                       k.X,
                                       {},
                                       {solver::ElectrodeKind::ideal_li, r.voltage_V / VT, 0.0},
                                       {solver::ElectrodeKind::ideal_li, 0.0, 0.0}};
  r.steady = solver::solve_electroneutral_steady(domain2, in);
  r.Is_A = k.scales.current_A(r.steady.li_flux_in_low);
  const TransferenceResult lin = run_transference_linear(s, config, axis);  // also gives I_0
  const double L = config.grid.length_m(axis);
  const double area = config.grid.n_total() / static_cast<double>(config.grid.n_cells[axis]) * h * h;
  r.I0_A = lin.total.sigma_eff * area * r.voltage_V / L;
  r.t_plus = physics::t_plus_ratio(r.Is_A, r.I0_A);
  r.t_plus_linear = lin.t_plus;
  return r;
}

nlohmann::json to_json(const BruceVincentResult& r) {
  nlohmann::json j = {{"axis", axis_name(r.axis)},
                      {"route", r.route},
                      {"voltage_V", r.voltage_V},
                      {"I0_A", r.I0_A},
                      {"Is_A", r.Is_A},
                      {"t_plus", r.t_plus},
                      {"t_plus_linear", r.t_plus_linear},
                      {"converged_reason", r.steady.converged_reason},
                      {"inactive_fraction", r.steady.inactive_fraction}};
  if (r.route == "steady") {
    j["electrodes"] = "ideal reversible Li (no interfacial resistance: R0 = Rs = 0)";
    j["newton_iterations"] = r.steady.newton_iterations;
    j["definition"] =
        "t+ = I_s / I_0; I_0 from the conduction solve of the uniform Donnan state, I_s from the steady "
        "electroneutral Nernst-Planck solve (anion inventory held)";
    return j;
  }
  j["electrodes"] = r.exchange_current_density_A_m2 > 0.0
                        ? "Butler-Volmer Li, alpha_a = alpha_c = 0.5, i0 at c0 = exchange_current_density_A_m2"
                        : "ideal reversible Li (no interfacial resistance: R0 = Rs = 0)";
  j["exchange_current_density_A_m2"] = r.exchange_current_density_A_m2;
  if (r.interfacial_resistance_ohm > 0.0) {
    j["interfacial_resistance_ohm"] = r.interfacial_resistance_ohm;
    j["electrode_area_m2"] = r.electrode_area_m2;
    j["exchange_current_definition"] =
        "i0 = 2 V_T / (R A): the measured cell resistance R split over two identical Li interfaces, R_ct = V_T / (i0 A)";
  }
  j["t_plus_corrected"] = r.t_plus_corrected;
  j["R0_ohm"] = r.R0_ohm;
  j["Rs_ohm"] = r.Rs_ohm;
  j["I0_first_step_A"] = r.I0_first_step_A;
  j["end_time_s"] = r.requested_end_time_s;
  j["t_end_s"] = r.t_end_s;
  j["tau_d_s"] = r.tau_d_s;
  j["reached_steady"] = r.reached_steady;
  j["steps"] = r.steps;
  j["rejected_steps"] = r.rejected_steps;
  j["newton_iterations"] = r.steady.newton_iterations;
  j["current_history"] = std::string("bruce_vincent_") + "xyz"[r.axis] + ".csv";
  j["definition"] = std::string(
                        "potentiostatic step from the equilibrium state integrated in time (electroneutral "
                        "Nernst-Planck, TS BDF2); t+ = I_s / I_0, t_plus_corrected = I_s (dV - I_0 R_0) / "
                        "(I_0 (dV - I_s R_s)); I_0 = dV / (1/G[sigma] + R_0) with the Butler-Volmer laws kept "
                        "nonlinear, I_s = current ") +
                    (r.requested_end_time_s > 0.0 ? "at end_time_s" : "at steady state (|dI/I| / (dt/tau_d) < 1e-5)");
  return j;
}

std::string describe(const BruceVincentResult& r) {
  char buf[800];
  const char axis = *axis_name(r.axis);
  if (r.route == "steady") {
    std::snprintf(buf, sizeof buf,
                  "  axis %c: Bruce-Vincent t+ = %.5f at %.1f mV (I0 %.4g A, Is %.4g A; linear %.5f; %d Newton its)\n",
                  axis, r.t_plus, 1e3 * r.voltage_V, r.I0_A, r.Is_A, r.t_plus_linear, r.steady.newton_iterations);
    return buf;
  }
  char kin[160] = "";
  if (r.interfacial_resistance_ohm > 0.0)
    std::snprintf(kin, sizeof kin, "  axis %c: i0 = %.4g A/m2 per Li electrode from R = %.4g ohm over %.4g m2 (R_ct = R/2)\n",
                  axis, r.exchange_current_density_A_m2, r.interfacial_resistance_ohm, r.electrode_area_m2);
  std::snprintf(buf, sizeof buf,
                "%s  axis %c: Bruce-Vincent (transient, %s) t+ = %.5f, corrected %.5f at %.1f mV (I0 %.4g A, Is %.4g A, "
                "R0 %.4g ohm, Rs %.4g ohm; linear %.5f); %d steps to t = %.4g s = %.2f tau_d, %s\n",
                kin, axis, r.exchange_current_density_A_m2 > 0.0 ? "Butler-Volmer" : "ideal Li", r.t_plus,
                r.t_plus_corrected, 1e3 * r.voltage_V, r.I0_A, r.Is_A, r.R0_ohm, r.Rs_ohm, r.t_plus_linear, r.steps,
                r.t_end_s, r.tau_d_s > 0.0 ? r.t_end_s / r.tau_d_s : 0.0,
                r.reached_steady ? "steady" : r.steady.converged_reason.c_str());
  return buf;
}

void write_current_history(const Outputs& out, const BruceVincentResult& r) {
  std::vector<std::vector<io::CsvCell>> rows;
  for (std::size_t i = 0; i < r.time_s.size(); ++i) rows.push_back({r.time_s[i], r.current_A[i]});
  char note[512];
  std::snprintf(note, sizeof note,
                "Bruce-Vincent transient, axis %s, step %.6g V, %s electrodes (i0 %.6g A/m2); I0 = %.9g A (t = 0+), "
                "Is = %.9g A, t+ = %.7f, corrected %.7f; current into the cell at the low electrode",
                axis_name(r.axis), r.voltage_V, r.exchange_current_density_A_m2 > 0.0 ? "Butler-Volmer" : "ideal Li",
                r.exchange_current_density_A_m2, r.I0_A, r.Is_A, r.t_plus, r.t_plus_corrected);
  io::write_csv(out.directory / (std::string("bruce_vincent_") + axis_name(r.axis) + ".csv"), {{"t", "s"}, {"current", "A"}},
                rows, out.provenance, {note}, out.comm);
}

void write_bruce_vincent_fields(const ExperimentContext& ctx, const BruceVincentResult& r,
                                const std::vector<io::ScalarResult>& scalars) {
  const double c0 = ctx.config.electrolyte.salt_concentration_mol_m3;
  const double VT = physics::thermal_voltage_V(ctx.config.electrolyte.temperature_K);
  const auto& st = r.steady;
  const std::size_t n = st.c_plus.size();
  std::vector<double> cp(n), cm(n), ct(n), phi(n), mp(n), mm(n);
  for (std::size_t c = 0; c < n; ++c) {
    cp[c] = c0 * st.c_plus[c];
    cm[c] = c0 * st.c_minus[c];
    ct[c] = cp[c] + cm[c];
    phi[c] = VT * st.psi[c];
    mp[c] = VT * st.mu_plus[c];
    mm[c] = VT * st.mu_minus[c];
  }
  for (auto* v : {&cp, &cm, &ct, &phi, &mp, &mm}) *v = with_inactive_as_nan(*v, st.active, 1);
  using D = std::span<const double>;
  write_fields(ctx.out, ctx.structure, std::string("bruce_vincent_fields_") + axis_name(r.axis),
               {{"c_plus", "mol/m3", 1, D(cp)}, {"c_minus", "mol/m3", 1, D(cm)}, {"c_salt", "mol/m3", 1, D(cm)},
                {"c_total", "mol/m3", 1, D(ct)}, {"phi", "V", 1, D(phi)}, {"mu_plus_V", "V", 1, D(mp)},
                {"mu_minus_V", "V", 1, D(mm)}},
               st.active, scalars);
}

AxisReport bruce_vincent_experiment(const ExperimentContext& ctx, int axis) {
  const BruceVincentResult b = run_bruce_vincent(ctx.structure, ctx.config, axis, ctx.quiet,
                                                 ctx.resume ? Checkpoints::resume : Checkpoints::write);
  AxisReport out;
  out.json = to_json(b);
  out.text = describe(b);
  const std::string a = axis_name(axis);
  out.scalars = {{a + "/t_plus", "1", b.t_plus}, {a + "/t_plus_linear", "1", b.t_plus_linear},
                 {a + "/I0", "A", b.I0_A}, {a + "/Is", "A", b.Is_A}};
  if (b.route == "transient") {
    out.scalars.push_back({a + "/t_plus_corrected", "1", b.t_plus_corrected});
    write_current_history(ctx.out, b);
  }
  if (ctx.config.output.fields) {
    write_bruce_vincent_fields(ctx, b, out.scalars);
    out.json["fields"] = "bruce_vincent_fields_" + a + ".pvd";
  }
  return out;
}

}  // namespace ionpath::study
