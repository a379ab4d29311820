#include "study/bruce_vincent_transient.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "physics/bruce_vincent.hpp"
#include "physics/effective_properties.hpp"
#include "physics/electroneutral_kernels.hpp"
#include "solver/conduction/conduction.hpp"
#include "solver/conduction/system.hpp"

namespace ionpath::study {

using namespace ionpath::solver;  // this file drives the solver library throughout

PotentiostaticStepResult run_potentiostatic_step(const Domain& domain, std::span<const double> D_plus, std::span<const double> D_minus,
                                     std::span<const double> X, std::span<const double> capacity,
                                     const PotentiostaticStepOptions& options) {
  if (options.electrode != ElectrodeKind::butler_volmer && options.electrode != ElectrodeKind::ideal_li)
    throw std::invalid_argument("bruce-vincent: electrodes must be butler_volmer or ideal_li");
  ElectroneutralInput in{D_plus, D_minus, X, capacity};
  in.low = {options.electrode, options.delta_V, 0.0, 0.0, options.kinetics};
  in.high = {options.electrode, 0.0, 0.0, 0.0, options.kinetics};
  PotentiostaticStepResult r;
  r.transient = solve_electroneutral_transient(domain, in, options.transient);
  const auto& h = r.transient.history;
  if (h.empty()) throw SolveError("bruce-vincent: the transient took no step");
  if (options.transient.t_final <= 0.0 && !r.transient.reached_steady)
    throw SolveError("bruce-vincent: no steady state within the time limit (" + r.transient.converged_reason + ")");
  r.I0_first_step = h.front().current_in_low;
  r.Is = h.back().current_in_low;
  auto resistance = [](double g_low, double g_high) {
    return (g_low > 0.0 ? 1.0 / g_low : 0.0) + (g_high > 0.0 ? 1.0 / g_high : 0.0);
  };
  r.R0 = resistance(h.front().kinetic_conductance_low, h.front().kinetic_conductance_high);
  r.Rs = resistance(h.back().kinetic_conductance_low, h.back().kinetic_conductance_high);
  // Linear conductances of the equilibrium (Donnan) state, sigma_i = D_i c_i, on a dof-1 Domain
  // with the same layout.
  DomainOptions o1 = domain.options();
  o1.dof = 1;
  o1.field_names.clear();
  const Domain d1(domain.grid(), o1);
  const std::size_t n_own = domain.owned().n_cells();
  std::vector<double> s_tot(3 * n_own), s_plus(3 * n_own);
  for (std::size_t c = 0; c < n_own; ++c) {
    const auto st = physics::electroneutral_cell(0.0, 0.0, X[c]);
    for (std::size_t a = 0; a < 3; ++a) {
      s_plus[3 * c + a] = D_plus[3 * c + a] * st.c_plus;
      s_tot[3 * c + a] = s_plus[3 * c + a] + D_minus[3 * c + a] * st.c_minus;
    }
  }
  ConductivityOptions copt;
  copt.axis = domain.transport_axis();
  copt.ksp.rtol = 1e-12;
  const mesh::Index3& n = domain.grid().n_cells;
  const int ta = domain.transport_axis();
  const double area_over_length =
      static_cast<double>(domain.grid().n_total()) / (static_cast<double>(n[ta]) * n[ta]);
  r.G_total = solve_conductivity(d1, s_tot, copt).sigma_eff * area_over_length;
  r.G_plus = solve_conductivity(d1, s_plus, copt).sigma_eff * area_over_length;
  r.t_plus_linear = physics::transference_number_linear(r.G_plus, r.G_total);
  // Instantaneous current: bulk 1/G in series with each electrode's lumped Butler-Volmer law
  // (exchange current = kinetic conductance / (alpha_a + alpha_c)); the kinetics stay nonlinear,
  // as in a measurement (R0 only enters the paper's correction).
  const double a_sum = options.kinetics.alpha_a + options.kinetics.alpha_c;
  const auto electrode = [&](double kinetic_conductance) {
    return physics::LumpedElectrode{kinetic_conductance / a_sum, options.kinetics.alpha_a, options.kinetics.alpha_c};
  };
  r.I0 = physics::series_initial_current(options.delta_V, r.G_total, electrode(h.front().kinetic_conductance_low),
                                         electrode(h.front().kinetic_conductance_high));
  r.t_plus_ratio = physics::t_plus_ratio(r.Is, r.I0);
  r.t_plus_corrected = physics::t_plus_corrected(options.delta_V, r.I0, r.R0, r.Is, r.Rs);
  return r;
}

}  // namespace ionpath::study
