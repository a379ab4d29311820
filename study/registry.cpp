#include <stdexcept>

#include "study/arrhenius.hpp"
#include "study/bruce_vincent.hpp"
#include "study/conductivity.hpp"
#include "study/current_uniformity.hpp"
#include "study/experiment.hpp"
#include "study/fields_under_current.hpp"
#include "study/transference.hpp"

namespace ionpath::study {

const std::vector<ExperimentEntry>& experiment_registry() {
  static const std::vector<ExperimentEntry> registry{
      {"conductivity", "sigma_eff, tortuosity factor and MacMullin number (conduction, electroneutral or pnp model)",
       conductivity_experiment},
      {"transference", "linear Bruce-Vincent t+ = G[sigma+]/G[sigma] with its Wiener bound", transference_experiment},
      {"arrhenius", "sigma_eff and linear t+ at each temperature; Arrhenius and VTF fits, AICc law choice",
       arrhenius_experiment},
      {"bruce_vincent", "Li | cell | Li potentiostatic polarisation: I_0, I_s, t+ (steady or transient route)",
       bruce_vincent_experiment},
      {"current_uniformity", "normal current density on the electrode: CV, max/mean, A50 at every averaging scale, Wa",
       current_uniformity_experiment},
      {"fields_under_current",
       "Li | cell | Li at constant current: Fig. 5 fields at equilibrium, snapshot times and steady state, V(t), i_lim",
       fields_under_current_experiment}};
  return registry;
}

const ExperimentEntry& find_experiment(const std::string& name) {
  std::string known;
  for (const auto& e : experiment_registry()) {
    if (e.name == name) return e;
    known += (known.empty() ? "" : ", ") + e.name;
  }
  throw std::invalid_argument("unknown experiment '" + name + "' (known: " + known + ")");
}

}  // namespace ionpath::study
