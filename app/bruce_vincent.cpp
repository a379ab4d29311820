#include "app/bruce_vincent.hpp"

#include "io/hdf5_writer.hpp"
#include "io/vtk_writer.hpp"
#include "app/species_coefficients.hpp"

namespace ionpath::app {

BruceVincentResult run_bruce_vincent(const Structure& s, const io::RunConfig& config, int axis) {
  BruceVincentResult r;
  r.axis = axis;
  r.voltage_V = config.experiment.voltage_V;
  const SpeciesCoefficients k = species_coefficients(s, config);
  const double VT = k.scales.VT, h = config.grid.voxel_size_m;
  // A second domain with two unknowns per cell, same layout and transport axis.
  solver::DomainOptions opt = s.domain->options();
  opt.dof = 2;
  const solver::Domain domain2(config.grid, opt);
  const solver::ElectroneutralInput in{k.D_plus, k.D_minus, k.X, {}, {solver::ElectrodeKind::ideal_li, r.voltage_V / VT, 0.0},
                                       {solver::ElectrodeKind::ideal_li, 0.0, 0.0}};
  r.steady = solver::solve_electroneutral_steady(domain2, in);
  r.Is_A = physics::faraday_C_mol * k.scales.N0 * h * h * r.steady.li_flux_in_low;
  const TransferenceResult lin = run_transference_linear(s, config, axis);
  const double L = config.grid.length_m(axis);
  const double area = config.grid.n_total() / static_cast<double>(config.grid.n_cells[axis]) * h * h;
  r.I0_A = lin.total.sigma_eff * area * r.voltage_V / L;
  r.t_plus = r.I0_A != 0.0 ? r.Is_A / r.I0_A : 0.0;
  r.t_plus_linear = lin.t_plus;
  return r;
}

nlohmann::json to_json(const BruceVincentResult& r) {
  return {{"axis", "xyz"[r.axis] == 'x' ? "x" : r.axis == 1 ? "y" : "z"},
          {"voltage_V", r.voltage_V},
          {"I0_A", r.I0_A},
          {"Is_A", r.Is_A},
          {"t_plus", r.t_plus},
          {"t_plus_linear", r.t_plus_linear},
          {"electrodes", "ideal reversible Li (no interfacial resistance: R0 = Rs = 0)"},
          {"newton_iterations", r.steady.newton_iterations},
          {"converged_reason", r.steady.converged_reason},
          {"inactive_fraction", r.steady.inactive_fraction},
          {"definition", "t+ = I_s / I_0; I_0 from the conduction solve of the uniform Donnan state, I_s from the steady "
                         "electroneutral Nernst-Planck solve (anion inventory held)"}};
}

void write_bruce_vincent_fields(const std::filesystem::path& dir, const Structure& s, const io::RunConfig& config,
                                const BruceVincentResult& r, const io::Provenance& provenance) {
  const double c0 = config.electrolyte.salt_concentration_mol_m3;
  const double VT = physics::thermal_voltage_V(config.electrolyte.temperature_K);
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
  const io::FieldLayout layout{config.grid, s.domain->owned(), s.domain->comm()};
  using D = std::span<const double>;
  const std::vector<io::CellField> f{{"phase", "1", 1, s.labels.labels()}, {"c_plus", "mol/m3", 1, D(cp)},
                                     {"c_minus", "mol/m3", 1, D(cm)},       {"c_salt", "mol/m3", 1, D(cm)},
                                     {"c_total", "mol/m3", 1, D(ct)},       {"phi", "V", 1, D(phi)},
                                     {"mu_plus_V", "V", 1, D(mp)},          {"mu_minus_V", "V", 1, D(mm)}};
  if (config.output.vtk) {
    const std::string file = io::write_vtk(dir, "bruce_vincent_steady", layout, f);
    if (s.domain->rank() == 0) io::write_pvd(dir, "bruce_vincent_steady", {{0.0, file}});
  }
  if (config.output.hdf5) io::write_hdf5(dir / "bruce_vincent_steady.h5", layout, f, provenance);
}

}  // namespace ionpath::app
