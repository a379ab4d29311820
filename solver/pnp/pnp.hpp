#pragma once
/// Poisson-Nernst-Planck with resolved double layers (spec §1.4, §3.3, §3.5, §3.6): unknowns
/// (ln c+, ln c-, psi) per cell on a dof-3 DMDA, dimensionless (c in c0, psi in R T / F, D in D0,
/// permittivity in epsRef, voxel lengths, time in t0 = L0^2 / D0, surface charge in F c0 L0).
/// Scharfetter-Gummel species fluxes, harmonic-mean face coefficients, one face loop for residual
/// and analytic Jacobian; SNES (steady, with continuation in the fixed and surface charge) or TS
/// (transient), options prefix `pnp_`. The two faces normal to the Domain's transport axis carry
/// the boundary conditions below; the other faces are periodic or insulating walls with an
/// optional uniform surface charge.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "solver/grid/domain.hpp"

namespace ionpath::solver {

enum class PnpFaceKind {
  charged_wall,  ///< no species crosses; Neumann -Lambda^2 eps dpsi/dn_in = surface_charge
  electrode,     ///< no species crosses; psi = psi on the face (blocking electrode, no Stern layer)
  reservoir,     ///< c+, c- and psi fixed on the face (bath, open nanoscale cell)
};

struct PnpFace {
  PnpFaceKind kind = PnpFaceKind::charged_wall;
  double surface_charge = 0.0;  ///< charged_wall: sigma_s / (F c0 L0), negative = negative wall
  double psi = 0.0;             ///< electrode, reservoir
  double c_plus = 1.0, c_minus = 1.0;  ///< reservoir
};

struct PnpInput {
  std::span<const double> D_plus = {};        ///< 3 per owned cell: diagonal of D+ (in D0); 0 = Li+ absent
  std::span<const double> D_minus = {};       ///< 3 per owned cell: anion diffusivity (in D0)
  std::span<const double> permittivity = {};  ///< 1 per owned cell, relative to epsRef, > 0
  std::span<const double> X = {};             ///< 1 per owned cell: fixed charge (in c0), any sign
  double Lambda2 = 1.0;                       ///< epsRef R T / (F^2 c0 L0^2) = 2 (lambda_D / L0)^2
  PnpFace low{}, high{};                      ///< faces at the start and end of the transport axis
  double side_surface_charge = 0.0;           ///< on non-periodic side walls (in F c0 L0)
  /// 3 per owned cell: (s+, s-, s_psi) added to the species production and the charge density
  /// (manufactured solutions); empty = none.
  std::span<const double> source = {};
  std::span<const double> initial = {};  ///< 3 per owned cell (ln c+, ln c-, psi); empty = default guess
  double rtol = 1e-10;                    ///< SNES relative tolerance (-pnp_snes_rtol wins)
};

struct PnpResult {
  std::vector<double> c_plus, c_minus, psi;  ///< per owned cell (c = 0 where the species is absent)
  std::vector<double> current;               ///< 3 per owned cell: cell average of face currents N+ - N-
  std::vector<std::uint8_t> active_plus, active_minus;  ///< per owned cell: the species' row is solved
  /// Current (N+ - N-) into the domain through the low / high face, summed over face cells.
  double current_in_low = 0.0, current_in_high = 0.0;
  double li_flux_in_low = 0.0, li_flux_in_high = 0.0;  ///< Li+ flux (N+) into the domain, same faces
  /// Current in +axis direction through every cross-section normal to the transport axis (entry k
  /// = the face below cell layer k).
  std::vector<double> cross_section_current;
  double inventory_plus = 0.0, inventory_minus = 0.0;  ///< sum of c over cells (cell volume 1)
  /// Net charge sum(c+ - c- - X) + boundary surface charges (0 at equilibrium with no external field).
  double net_charge = 0.0;
  double inactive_fraction = 0.0;  ///< species rows left out per total species rows (absent or unconnected)
  int newton_iterations = 0, linear_iterations = 0, continuation_steps = 0;
  std::string converged_reason;
  double residual_norm = 0.0;
};

/// Steady state. Needs a face that fixes psi (electrode or reservoir) and, for every species, a
/// reservoir face (cells a species cannot reach from a reservoir are left out of its rows). When
/// Newton fails from the default guess, the fixed and surface charges are ramped from 0
/// (continuation). Throws SolveError on divergence, std::invalid_argument on bad input.
[[nodiscard]] PnpResult solve_pnp_steady(const Domain& domain, const PnpInput& input);

struct PnpTransientOptions {
  double t_final = 1.0;      ///< dimensionless end time (t0)
  double dt_initial = 1e-3;  ///< first step
  double rtol = 1e-5, atol = 1e-8;  ///< local error control (-pnp_ts_rtol / -pnp_ts_atol win)
  int max_steps = 100000;
};

struct PnpSample {
  double t;
  double current_in_low, current_in_high;
  double inventory_plus, inventory_minus;
};

struct PnpTransientResult {
  PnpResult final_state;
  std::vector<PnpSample> history;  ///< after every accepted step
  int steps = 0, rejected_steps = 0;
  std::string converged_reason, ts_type;
};

/// Integrates from input.initial (required) to t_final with adaptive BDF2 (default; the stored
/// concentrations are transient variables, so species inventories are conserved to solver
/// tolerance); any species with D > 0 in a cell is active there. Poisson is the algebraic part.
[[nodiscard]] PnpTransientResult solve_pnp_transient(const Domain& domain, const PnpInput& input,
                                                     const PnpTransientOptions& options);

/// ||J - J_fd||_F / ||J||_F at the state u (3 per owned cell: ln c+, ln c-, psi) for the steady
/// residual (shift = 0) or the transient IJacobian with rate shift `shift` (testing).
[[nodiscard]] double pnp_jacobian_mismatch(const Domain& domain, const PnpInput& input, std::span<const double> u,
                                           double shift = 0.0);

}  // namespace ionpath::solver
