#pragma once
/// Internal to the PNP solver: the context shared by the SNES and TS callbacks
/// (solver/nonlinear/callbacks.hpp) and the one face loop that assembles residual, Jacobian and
/// diagnostics (spec §3.7, style guide §2.3).
#include <petscmat.h>
#include <petscsnes.h>

#include <array>
#include <cstdint>
#include <vector>

#include "solver/nonlinear/assembly_support.hpp"
#include "solver/nonlinear/callbacks.hpp"
#include "solver/pnp/pnp.hpp"

namespace ionpath::solver::pnp_detail {

/// Storage term of the species rows: none (steady), dC/dt with C = c supplied by TSBDF as a
/// transient variable (conservative), or c du/dt with u = ln c (other TS types).
using assembly::Storage;
/// Residual (3 per cell: c+, c-, Poisson), Jacobian, rates (C' or u') and cell currents.
using assembly::Target;

struct Diagnostics {
  std::array<double, 2> current_in{};  // 0 = low face, 1 = high face
  std::array<double, 2> li_flux_in{};  // Li+ flux into the domain through the low / high face
  std::array<double, 2> inventory{};   // c+, c-
  double net_charge = 0.0;
  std::vector<double> cross_section;   // N_axis + 1 faces
};

struct Context final : assembly::Model {
  PnpInput input;
  std::array<std::vector<double>, 3> Dp, Dm;      // ghosted, per axis
  std::vector<double> eps, X;                      // ghosted
  std::array<std::vector<std::uint8_t>, 2> active; // ghosted, per species
  std::vector<PetscInt> l2g;                       // ghosted local (interlaced) -> global row
  std::vector<double> conc;                        // ghosted scratch: c+, c- (0 where inactive)
  double charge_scale = 1.0;                       // continuation: X and surface charges times this
  double inactive_fraction = 0.0;                  // owned inactive species rows (reduced later)
  Diagnostics diag;

  /// Residual (and Jacobian) at the ghosted state u; fills diag (reduced over ranks). False on
  /// every rank if some rank meets an unphysical state (NaN, overflow).
  bool assemble(const double* u, const Target& target) override;
  /// Transient variable C = (c+, c-, psi) per owned cell (c = 0 where the species is inactive).
  void transient_variable(const double* u_owned, double* C) const override;
};

/// Validates the input, builds coefficient ghosts, the active species cells and the l2g map.
/// `steady`: species rows are active only in cells connected to a reservoir face.
void setup(Context& ctx, const Domain& d, const PnpInput& in, bool steady);

/// Fields and totals of the state x into `out`.
void collect_result(Context& ctx, Vec x, PnpResult& out);

}  // namespace ionpath::solver::pnp_detail
