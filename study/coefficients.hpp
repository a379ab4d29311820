#pragma once
// Per-cell coefficients of the Nernst-Planck models (electroneutral and PNP) from the phase table,
// in the run's dimensionless units (physics::Scales: D in D0 = gel D+ at T, X in c0, permittivity
// relative to the gel's). One source of truth for temperature laws, sheet anisotropy and the
// interface excess: D_i = sigma_i R T / (F^2 c_i) with sigma_i the phase's species conductivity
// and c_i its Donnan concentration (physics::nernst_planck_diffusivities), so a phase conducts as
// its conductivity says in both models.
// PETSc-free: labels and phase table in, plain vectors out (tests/study/coefficients_test.cpp
// runs without MPI).
#include <array>
#include <span>
#include <vector>

#include "io/config.hpp"
#include "mesh/phase.hpp"
#include "physics/scales.hpp"

namespace ionpath::study {

struct SpeciesCoefficients {
  physics::Scales scales;
  std::vector<double> D_plus, D_minus;  ///< 3 per owned cell (diagonal)
  std::vector<double> X;                ///< 1 per owned cell: fixed negative sites (in c0)
  std::vector<double> permittivity;     ///< 1 per owned cell: eps_r / eps_r,gel
};

/// Gel-filled porosity of the walls (M-d, geometry.aligned_walls.porosity); 0 for other structures.
[[nodiscard]] double wall_porosity(const io::RunConfig& config);

/// Coefficients of every cell of `labels` (this rank's owned box, x fastest). Throws
/// std::invalid_argument for Na+ (M-b) or porous walls (M-d): the Nernst-Planck models are binary.
[[nodiscard]] SpeciesCoefficients species_coefficients(std::span<const mesh::Label> labels, const mesh::PhaseTable& table,
                                                       const io::RunConfig& config);

/// A per-cell conductivity for the conduction solves: a value per label when every phase is
/// isotropic (the matrix-free solver then reads the labels, 1 byte per cell), else a diagonal
/// tensor, 3 per cell (S/m).
struct CellConductivity {
  std::span<const mesh::Label> labels;
  std::array<double, 256> of_label{};  ///< used when `tensor` is empty
  std::vector<double> tensor;
  /// Conductivity of cell c along axis a.
  [[nodiscard]] double along(std::size_t c, int a) const {
    return tensor.empty() ? of_label[labels[c]] : tensor[3 * c + static_cast<std::size_t>(a)];
  }
};

/// What a phase contributes: its total (Li+ + anion + Na+) or Li+ conductivity, or the `geometric`
/// variant (gel, interface and clay_shell conduct as the reference phase, everything else
/// insulates). Porous walls (M-d) mix dense wall and gel per kind (physics/porous_wall.hpp).
enum class ConductivityKind { total, li_only, geometric };

/// Conductivity diagonal (S/m) of each label of `table` for `kind`; `known[l]` is false for a
/// label without material parameters. The per-phase values the cells of cell_conductivity take.
struct LabelConductivities {
  std::array<std::array<double, 3>, 256> of_label{};
  std::array<bool, 256> known{};
};
[[nodiscard]] LabelConductivities label_conductivities(const mesh::PhaseTable& table, const io::RunConfig& config,
                                                       ConductivityKind kind);

/// Throws std::runtime_error naming a phase that has cells but no material parameters.
[[nodiscard]] CellConductivity cell_conductivity(std::span<const mesh::Label> labels, const mesh::PhaseTable& table,
                                                 const io::RunConfig& config, ConductivityKind kind);

}  // namespace ionpath::study
