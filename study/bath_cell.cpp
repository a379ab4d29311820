#include "study/bath_cell.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "study/coefficients.hpp"
#include "physics/conductivity.hpp"
#include "solver/electroneutral/electroneutral.hpp"
#include "solver/pnp/pnp.hpp"

namespace ionpath::study {
namespace {

// The solver-independent part of a steady result, dimensionless.
struct Steady {
  double current_in = 0.0, li_flux_in = 0.0;
  std::vector<double> cross_section;
  double inactive_fraction = 0.0;
  int newton = 0, linear = 0;
  std::string reason;
  const std::vector<double>*c_plus = nullptr, *c_minus = nullptr, *psi = nullptr, *current = nullptr;
  std::vector<std::uint8_t> active;
};

template <class Result>
Steady steady_view(const Result& r) {
  return {r.current_in_low,
          r.li_flux_in_low,
          r.cross_section_current,
          r.inactive_fraction,
          r.newton_iterations,
          r.linear_iterations,
          r.converged_reason,
          &r.c_plus,
          &r.c_minus,
          &r.psi,
          &r.current,
          {}};
}

}  // namespace

NernstPlanckCellResult run_nernst_planck_cell(const Structure& s, const io::RunConfig& config, int axis) {
  NernstPlanckCellResult r;
  r.axis = axis;
  const auto& spec = std::get<io::ConductivitySpec>(config.experiment.spec);
  r.model = spec.model;
  r.voltage_V = spec.voltage_V;
  const solver::Domain& along = domain_along(s, axis);
  const SpeciesCoefficients k = species_coefficients(s.labels.labels(), s.table, config);
  const physics::Scales& sc = k.scales;
  r.debye_length_m = sc.debye_length_m();
  const double psi_low = sc.potential(r.voltage_V);  // the high bath is the potential reference

  solver::ElectroneutralResult en;
  solver::PnpResult pnp;
  Steady st;
  if (spec.model == io::Model::electroneutral) {
    const solver::Domain d = domain_with_dof(along, 2);
    solver::ElectroneutralInput in{k.D_plus, k.D_minus, k.X};
    // A bath of uncharged electrolyte at c0: mu+ = ln c + psi = psi, mu- = ln c - psi = -psi.
    in.low = {solver::ElectrodeKind::reservoir, psi_low, -psi_low};
    in.high = {solver::ElectrodeKind::reservoir, 0.0, 0.0};
    en = solver::solve_electroneutral_steady(d, in);
    st = steady_view(en);
    st.active = en.active;
  } else {
    const solver::Domain d = domain_with_dof(along, 3);
    solver::PnpInput in;
    in.D_plus = k.D_plus;
    in.D_minus = k.D_minus;
    in.permittivity = k.permittivity;
    in.X = k.X;
    in.Lambda2 = sc.Lambda2;
    in.low = {solver::PnpFaceKind::reservoir, 0.0, psi_low, 1.0, 1.0};
    in.high = {solver::PnpFaceKind::reservoir, 0.0, 0.0, 1.0, 1.0};
    in.side_surface_charge = sc.surface_charge(spec.wall_surface_charge_C_m2);
    pnp = solver::solve_pnp_steady(d, in);
    st = steady_view(pnp);
    st.active = pnp.active_plus;
    for (std::size_t c = 0; c < st.active.size(); ++c) st.active[c] |= pnp.active_minus[c];
  }

  const double h = config.grid.voxel_size_m;
  r.current_A = sc.current_A(st.current_in);
  r.li_current_A = sc.current_A(st.li_flux_in);
  const double area = config.grid.n_total() / static_cast<double>(config.grid.n_cells[axis]) * h * h;
  r.sigma_eff_S_m = r.voltage_V != 0.0 ? r.current_A * config.grid.length_m(axis) / (area * r.voltage_V) : 0.0;
  r.sigma_ref_S_m =
      physics::phase_conductivity(config.phase(config.experiment.reference_phase), config.electrolyte).total()[axis];
  r.t_plus = st.current_in != 0.0 ? st.li_flux_in / st.current_in : 0.0;
  for (const double i : st.cross_section)
    r.flux_balance = std::max(r.flux_balance, std::abs(i - st.current_in) / std::max(std::abs(st.current_in), 1e-300));
  r.inactive_fraction = st.inactive_fraction;
  r.newton_iterations = st.newton;
  r.linear_iterations = st.linear;
  r.converged_reason = st.reason;
  for (std::size_t c = 0; c < st.psi->size(); ++c) {
    r.c_plus.push_back(sc.concentration_mol_m3((*st.c_plus)[c]));
    r.c_minus.push_back(sc.concentration_mol_m3((*st.c_minus)[c]));
    r.potential.push_back(sc.potential_V((*st.psi)[c]));
  }
  for (const double i : *st.current) r.current_density.push_back(sc.current_density_A_m2(i));
  r.active = std::move(st.active);
  return r;
}

nlohmann::json to_json(const NernstPlanckCellResult& r) {
  nlohmann::json j = {
      {"axis", axis_name(r.axis)},
      {"model", r.model == io::Model::pnp ? "pnp" : "electroneutral"},
      {"voltage_V", r.voltage_V},
      {"current_A", r.current_A},
      {"li_current_A", r.li_current_A},
      {"sigma_eff_S_m", r.sigma_eff_S_m},
      {"reference_sigma_S_m", r.sigma_ref_S_m},
      {"sigma_rel", r.sigma_ref_S_m > 0.0 ? r.sigma_eff_S_m / r.sigma_ref_S_m : 0.0},
      {"t_plus", r.t_plus},
      {"flux_balance", r.flux_balance},
      {"inactive_fraction", r.inactive_fraction},
      {"newton_iterations", r.newton_iterations},
      {"linear_iterations", r.linear_iterations},
      {"converged_reason", r.converged_reason},
      {"active_fraction", 1.0 - r.inactive_fraction},
      {"electrodes", "baths of gel electrolyte (c+ = c- = c0) on the two faces normal to the axis"},
      {"definitions", "sigma_eff = I L / (A V) (chord conductivity); t+ = I+ / I (Li+ current fraction)"}};
  if (r.model == io::Model::pnp) j["debye_length_m"] = r.debye_length_m;
  return j;
}

std::string describe(const NernstPlanckCellResult& r) {
  char buf[320];
  std::snprintf(
      buf, sizeof buf,
      "  axis %c (%s, bath to bath at %.3g mV): sigma_eff = %.5g mS/cm (sigma_rel %.4f), t+ = %.4f; %d Newton its, "
      "inactive %.3f %%, flux balance %.1e\n",
      "xyz"[r.axis], r.model == io::Model::pnp ? "pnp" : "electroneutral", 1e3 * r.voltage_V, 10.0 * r.sigma_eff_S_m,
      r.sigma_ref_S_m > 0.0 ? r.sigma_eff_S_m / r.sigma_ref_S_m : 0.0, r.t_plus, r.newton_iterations,
      100.0 * r.inactive_fraction, r.flux_balance);
  return buf;
}

AxisReport bath_cell_experiment(const ExperimentContext& ctx, int axis) {
  const NernstPlanckCellResult r = run_nernst_planck_cell(ctx.structure, ctx.config, axis);
  AxisReport out;
  out.json = to_json(r);
  out.text = describe(r);
  const std::string a = axis_name(axis);
  out.scalars = {{a + "/sigma_eff", "S/m", r.sigma_eff_S_m}, {a + "/t_plus", "1", r.t_plus}};
  if (!ctx.config.output.fields) return out;
  using D = std::span<const double>;
  const std::vector<double> c_plus = with_inactive_as_nan(r.c_plus, r.active, 1);
  const std::vector<double> c_minus = with_inactive_as_nan(r.c_minus, r.active, 1);
  const std::vector<double> phi = with_inactive_as_nan(r.potential, r.active, 1);
  const std::vector<double> j = with_inactive_as_nan(r.current_density, r.active, 3);
  const std::vector<double> magnitude = io::vector_magnitude(j);
  // c_salt: the anion concentration, which equals the salt concentration in every phase (X binds cations).
  const std::string stem = "fields_" + a;
  write_fields(ctx.out, ctx.structure, stem,
               {{"c_plus", "mol/m3", 1, D(c_plus)},
                {"c_minus", "mol/m3", 1, D(c_minus)},
                {"c_salt", "mol/m3", 1, D(c_minus)},
                {"potential", "V", 1, D(phi)},
                {"current_density", "A/m2", 3, D(j)},
                {"current_density_magnitude", "A/m2", 1, D(magnitude)}},
               r.active, out.scalars);
  out.json["fields"] = stem + ".pvd";
  return out;
}

}  // namespace ionpath::study
