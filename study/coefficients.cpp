#include "study/coefficients.hpp"

#include <stdexcept>

#include "physics/conductivity.hpp"
#include "physics/porous_wall.hpp"

namespace ionpath::study {

double wall_porosity(const io::RunConfig& config) {
  const auto* w = std::get_if<mesh::AlignedWallsParams>(&config.geometry.structure);
  return w ? w->porosity : 0.0;
}

SpeciesCoefficients species_coefficients(std::span<const mesh::Label> labels, const mesh::PhaseTable& table,
                                         const io::RunConfig& config) {
  // io/ rejects these configs first (check_binary_solvers); this guards library callers.
  if (config.electrolyte.sodium_cation_fraction > 0.0 || wall_porosity(config) > 0.0)
    throw std::invalid_argument("the Nernst-Planck models are binary with one material per cell: Na+ (M-b) and porous "
                                "walls (M-d) are conduction-only");
  SpeciesCoefficients k;
  const auto& gel = config.phase("gel");
  k.scales = physics::make_scales(config.electrolyte, gel, config.grid.voxel_size_m);
  const double c0 = config.electrolyte.salt_concentration_mol_m3;
  for (const mesh::Label l : labels) {
    const auto& m = config.phase(table.name_of(l));
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

LabelConductivities label_conductivities(const mesh::PhaseTable& table, const io::RunConfig& config,
                                         ConductivityKind kind) {
  LabelConductivities out;
  auto& by_label = out.of_label;
  auto& known = out.known;
  const auto ref_sigma = physics::phase_conductivity(config.phase(config.experiment.reference_phase), config.electrolyte).total();
  const double porosity = wall_porosity(config);
  for (const auto& p : table.phases()) {
    known[p.label] = true;
    if (kind == ConductivityKind::geometric) {
      const bool conducts = mesh::is_gel_like(p.label);
      by_label[p.label] = conducts ? ref_sigma : std::array<double, 3>{0, 0, 0};
    } else {
      try {
        const auto& m = config.phase(p.name);
        const auto of = [&](const physics::PhaseMaterial& x) {
          const auto sp = physics::phase_conductivity(x, config.electrolyte);
          return kind == ConductivityKind::total ? sp.total() : sp.plus;
        };
        by_label[p.label] = of(m);
        if (p.label == mesh::phase::wall && porosity > 0.0)  // M-d: dense wall + gel-filled slits
          by_label[p.label] = physics::porous_wall_mixture(by_label[p.label], of(config.phase("gel")), porosity,
                                                           m.sheet_normal_axis >= 0 ? m.sheet_normal_axis : 0);
      } catch (const std::out_of_range&) {
        known[p.label] = false;  // reported by cell_conductivity if such cells exist
      }
    }
  }
  return out;
}

CellConductivity cell_conductivity(std::span<const mesh::Label> labels, const mesh::PhaseTable& table,
                                   const io::RunConfig& config, ConductivityKind kind) {
  const LabelConductivities lc = label_conductivities(table, config, kind);
  const auto& by_label = lc.of_label;
  const auto& known = lc.known;
  bool isotropic = true;
  for (const auto& p : table.phases()) {
    const auto& v = by_label[p.label];
    isotropic = isotropic && v[0] == v[1] && v[1] == v[2];
  }
  CellConductivity out;
  out.labels = labels;
  for (const mesh::Label l : labels)
    if (!known[l])
      throw std::runtime_error("phase '" + table.name_of(l) + "' has no material parameters (phases." +
                               table.name_of(l) + " in the config)");
  if (isotropic) {
    for (std::size_t l = 0; l < 256; ++l) out.of_label[l] = by_label[l][0];
    return out;
  }
  out.tensor.resize(3 * labels.size());
  for (std::size_t c = 0; c < labels.size(); ++c)
    for (std::size_t a = 0; a < 3; ++a) out.tensor[3 * c + a] = by_label[labels[c]][a];
  return out;
}

}  // namespace ionpath::study
