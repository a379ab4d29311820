#include "study/coefficients.hpp"

#include "physics/conductivity.hpp"

namespace ionpath::study {

SpeciesCoefficients species_coefficients(const Structure& s, const io::RunConfig& config) {
  SpeciesCoefficients k;
  const auto& gel = config.phase("gel");
  k.scales = physics::make_scales(config.electrolyte, gel, config.grid.voxel_size_m);
  const double c0 = config.electrolyte.salt_concentration_mol_m3;
  for (const mesh::Label l : s.labels.labels()) {
    const auto& m = config.phase(s.table.name_of(l));
    const auto D = physics::nernst_planck_diffusivities(m, config.electrolyte);
    for (std::size_t a = 0; a < 3; ++a) {
      k.D_plus.push_back(D.plus[a] / k.scales.D0);
      k.D_minus.push_back(D.minus[a] / k.scales.D0);
    }
    k.X.push_back(m.fixed_charge_mol_m3 / c0);
    k.permittivity.push_back(m.relative_permittivity / gel.relative_permittivity);
  }
  return k;
}

}  // namespace ionpath::study
