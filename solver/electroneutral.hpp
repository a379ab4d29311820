#pragma once
/// Steady electroneutral Nernst-Planck with fixed charge (spec §1.5, §3.4, §4): unknowns
/// (mu+, mu-) per cell on a dof-2 DMDA, dimensionless (c in c0, mu in R T / F, D in D0, voxel
/// lengths). Residual and analytic Jacobian come from one face loop; SNES with prefix `en_`.
/// Electrode faces are the two faces normal to the Domain's transport axis.
#include <span>
#include <string>
#include <vector>

#include "solver/domain.hpp"

namespace ionpath::solver {

enum class ElectrodeKind {
  blocking,   ///< no species crosses
  ideal_li,   ///< Li metal without kinetic resistance: mu+ = Phi_s / V_T on the face, anion blocked
  reservoir,  ///< mu+ and mu- fixed on the face (bath of known composition)
};

struct ElectrodeBC {
  ElectrodeKind kind = ElectrodeKind::blocking;
  double mu_plus = 0.0;   ///< ideal_li, reservoir
  double mu_minus = 0.0;  ///< reservoir
};

struct ElectroneutralInput {
  std::span<const double> D_plus;   ///< 3 per owned cell: diagonal of the Li+ diffusivity (in D0)
  std::span<const double> D_minus;  ///< 3 per owned cell: anion diffusivity (in D0)
  std::span<const double> X;        ///< 1 per owned cell: fixed charge (in c0)
  std::span<const double> capacity; ///< 1 per owned cell: kappa (inventory weight); empty = 1
  ElectrodeBC low, high;            ///< faces at the start and end of the transport axis
  double rtol = 1e-12;              ///< SNES relative tolerance (code default; -en_snes_rtol wins)
};

struct ElectroneutralResult {
  std::vector<double> mu_plus, mu_minus, c_plus, c_minus, psi;  ///< per owned cell (0 in inactive cells)
  /// Li+ flux into the domain through the low / high electrode face (summed over face cells,
  /// dimensionless: D0 c0 L0 per unit of ... multiply by F D0 c0 / L0 times the face area in L0^2).
  double li_flux_in_low = 0.0, li_flux_in_high = 0.0;
  double inactive_fraction = 0.0;     ///< cells left out: no transport, or not connected to the electrodes
  bool inventory_constraint = false;  ///< true when no face fixes mu-: total anion content is held
  int newton_iterations = 0;
  int linear_iterations = 0;
  std::string converged_reason;
  double residual_norm = 0.0;
};

/// Domain must have dof = 2. Throws SolveError (solver/conduction_system.hpp) on divergence.
[[nodiscard]] ElectroneutralResult solve_electroneutral_steady(const Domain& domain, const ElectroneutralInput& input);

/// ||J - J_fd||_F / ||J||_F at the state mu (2 per owned cell) for the given problem (testing).
[[nodiscard]] double electroneutral_jacobian_mismatch(const Domain& domain, const ElectroneutralInput& input,
                                                      std::span<const double> mu);

}  // namespace ionpath::solver
