#include "study/coefficients.hpp"

#include "physics/conductivity.hpp"
#include "physics/donnan.hpp"

namespace ionpath::study {

SpeciesCoefficients species_coefficients(const Structure& s, const io::RunConfig& config) {
  SpeciesCoefficients k;
  const auto& gel = config.phase("gel");
  k.scales = physics::make_scales(config.electrolyte, gel, config.grid.voxel_size_m);
  const double c0 = config.electrolyte.salt_concentration_mol_m3;
  const double per_sigma =
      physics::gas_constant_J_mol_K * k.scales.T / (physics::faraday_C_mol * physics::faraday_C_mol);
  for (const mesh::Label l : s.labels.labels()) {
    const auto& m = config.phase(s.table.name_of(l));
    const auto sig = physics::phase_conductivity(m, config.electrolyte);
    const auto don = physics::donnan_state(m.fixed_charge_mol_m3, c0);
    for (std::size_t a = 0; a < 3; ++a) {
      k.D_plus.push_back(per_sigma * sig.plus[a] / don.c_plus_mol_m3 / k.scales.D0);
      k.D_minus.push_back(per_sigma * sig.minus[a] / don.c_minus_mol_m3 / k.scales.D0);
    }
    k.X.push_back(m.fixed_charge_mol_m3 / c0);
    k.permittivity.push_back(m.relative_permittivity / gel.relative_permittivity);
  }
  return k;
}

}  // namespace ionpath::study
