#pragma once
/// Virtual experiment (a) `conductivity` and (b) `tortuosity` (spec §1.6, §5.1, §5.2): one steady
/// conduction solve between electrodes on the two faces normal to `axis`, phi = 1 at the low face
/// and 0 at the high face, zero-flux or periodic sides (as the Domain says).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "solver/grid/connected_components.hpp"
#include "solver/grid/plane_currents.hpp"
#include "solver/conduction/system.hpp"
#include "solver/grid/domain.hpp"
#include "solver/multigrid/hierarchy.hpp"

namespace ionpath::solver {

/// assembled: AIJ + GAMG/MG (the verified reference). matrix_free: stencil MatShell + geometric
/// multigrid on face conductances (solver/multigrid/hierarchy.hpp), KSP prefix `<ksp.prefix>mf_`.
enum class ConductionOperator { assembled, matrix_free };

/// When the matrix-free solve (accuracy > 0) accepts its answer.
enum class StoppingTest {
  /// Stop when the energy estimate sigma_eff_energy has converged: its last decrease, extrapolated
  /// geometrically, is below accuracy / 10. CG decreases it monotonically and its error is
  /// quadratic in the solution error, so sigma_eff is then the energy estimate (an upper bound).
  energy,
  /// rtol = 1e-2 * accuracy on the residual; sigma_eff is the inlet current; the solve is
  /// tightened 100x once if the plane-flux balance exceeds accuracy / 10.
  residual,
};

struct ConductivityOptions {
  int axis = 2;             ///< driving axis (x, y or z); must not be periodic in the Domain
  KspSettings ksp{};        ///< prefix `cond_`, rtol 1e-10 by default
  bool keep_fields = false; ///< fill potential and current_density
  ConductionOperator op = ConductionOperator::assembled;
  /// Requested relative accuracy of sigma_eff (spec §9.5), matrix_free only; 0 = use ksp.rtol
  /// (and the inlet-current sigma_eff). Otherwise `stopping` decides when the answer is accepted.
  double accuracy = 0.0;
  StoppingTest stopping = StoppingTest::energy;
  MatrixFreeSettings matrix_free{};
  /// Cross-sections (face planes 0..N_a along axis) whose face currents are returned in
  /// ConductivityResult::plane_currents (current uniformity, spec §5.5); empty = none.
  std::vector<int> current_planes{};
};

struct ConductivityResult {
  int axis = 2;
  bool percolating = false;    ///< false: sigma_eff = 0, no solve was made
  /// Current through the inlet face for Delta V = 1, in [sigma] * m (A per V with sigma in S/m).
  double current = 0.0;
  /// I L / (A Delta V), A the full face area, in the unit of sigma (matrix-free with the energy
  /// stopping test: sigma_eff_energy, and `current` matches it)
  double sigma_eff = 0.0;
  double sigma_eff_energy = 0.0;  ///< (L / (A Delta V^2)) sum_f g_f A_f (Delta phi_f)^2 / h
  /// max over cross-sections of |I_plane - I| / |I|. A residual measure: with the energy stopping
  /// test it ends well above accuracy / 10 (measured 1e-4 to 7e-4 at accuracy 1e-4), while
  /// sigma_eff is accurate to `accuracy`.
  double flux_balance = 0.0;
  LinearSolveStats solve;
  ComponentStats components;      ///< dead ends and floating clusters are removed (steady problem)
  std::vector<double> potential;  ///< per owned cell (keep_fields), 0 in removed cells
  /// Per owned cell (keep_fields): 1 where the cell carries current between the electrodes, 0 in
  /// removed cells (insulating, dead ends, floating clusters).
  std::vector<std::uint8_t> active;
  /// Cell-averaged current density, 3 per owned cell (keep_fields), in [sigma] * V / m.
  std::vector<double> current_density;
  /// Face currents T_f h (phi_L - phi_R) on options.current_planes, in the unit of `current`; on
  /// the electrodes T_f = 2 sigma_cell with the electrode value on the face (the fluxes the solve
  /// balanced). Their sum over plane 0 is the inlet current (with the energy stopping test
  /// `current` is the energy estimate instead, equal to it within `accuracy`).
  PlaneCurrentMaps plane_currents;
  [[nodiscard]] double inactive_fraction() const noexcept { return components.inactive_fraction(); }
};

/// sigma_xyz: diagonal conductivity tensor (sigma_x, sigma_y, sigma_z) per owned cell, x fastest.
[[nodiscard]] ConductivityResult solve_conductivity(const Domain& domain, std::span<const double> sigma_xyz,
                                                    const ConductivityOptions& options = {});

/// The matrix-free path of solve_conductivity (same result definitions).
[[nodiscard]] ConductivityResult solve_conductivity_matrix_free(const Domain& domain,
                                                                std::span<const double> sigma_xyz,
                                                                const ConductivityOptions& options);

/// Same, taking ownership of sigma_xyz: the matrix-free path frees it as soon as the face
/// conductances are built, so it is not held during the solve (24 bytes per voxel less at the
/// memory peak). The assembled path keeps it until it returns.
[[nodiscard]] ConductivityResult solve_conductivity(const Domain& domain, std::vector<double>&& sigma_xyz,
                                                    const ConductivityOptions& options = {});

/// An isotropic conductivity given by a label per owned cell (x fastest) and a value per label.
struct LabelledSigma {
  std::span<const std::uint8_t> labels;
  std::array<double, 256> of_label{};  ///< conductivity of each label value (0: insulating)
};

/// Same as the tensor overload with sigma_xyz = (s, s, s), s = of_label[label], and the same
/// results; the matrix-free path reads the labels where they lie and never builds the 24 B/cell
/// tensor (the assembled path expands it).
[[nodiscard]] ConductivityResult solve_conductivity(const Domain& domain, const LabelledSigma& sigma,
                                                    const ConductivityOptions& options = {});

}  // namespace ionpath::solver
