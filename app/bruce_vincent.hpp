#pragma once
// Bruce-Vincent transference number from the steady electroneutral model (spec §5.3) with ideal
// reversible Li electrodes: I_0 is the instantaneous current of the uniform Donnan state (the
// conduction solve), I_s the steady current of the nonlinear Nernst-Planck solve at the same
// voltage step, t+ = I_s / I_0. The linear shortcut G[sigma+]/G[sigma] is reported beside it.
#include <nlohmann/json.hpp>

#include "app/conductivity_experiment.hpp"
#include "solver/electroneutral.hpp"

namespace ionpath::app {

struct BruceVincentResult {
  int axis = 2;
  double voltage_V = 0.0;
  double I0_A = 0.0, Is_A = 0.0;
  double t_plus = 0.0;
  double t_plus_linear = 0.0;
  solver::ElectroneutralResult steady;
};

[[nodiscard]] BruceVincentResult run_bruce_vincent(const Structure& s, const io::RunConfig& config, int axis);
[[nodiscard]] nlohmann::json to_json(const BruceVincentResult& r);

/// Steady-state fields in SI for ParaView/HDF5: c_plus, c_minus, c_salt (= c-), c_total (mol/m3),
/// phi (V, right electrode at 0), mu_plus_V, mu_minus_V (V_T mu), plus the phase labels.
void write_bruce_vincent_fields(const std::filesystem::path& dir, const Structure& s, const io::RunConfig& config,
                                const BruceVincentResult& r, const io::Provenance& provenance);

}  // namespace ionpath::app
