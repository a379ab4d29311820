#pragma once
/// Internal to the electroneutral solver: the context shared by the SNES and TS callbacks and the
/// one face loop that assembles residual, Jacobian and diagnostics (spec §3.7, style guide §2.2).
#include <petscmat.h>
#include <petscsnes.h>

#include <array>
#include <cstdint>
#include <exception>
#include <vector>

#include "physics/electroneutral_kernels.hpp"
#include "solver/electroneutral/electroneutral.hpp"
#include "solver/grid/ghosted_read.hpp"

namespace ionpath::solver::en_detail {

/// How the storage term enters: none (steady), kappa dC/dt with C = (c+, c-) supplied by TSBDF as
/// a transient variable (conservative), or kappa dc/ds (mu+' + mu-') (other TS types).
enum class Storage { steady, transient_variable, mass_matrix };

struct Diagnostics {
  std::array<double, 2> li_in{}, current_in{};            // per electrode: 0 = low, 1 = high
  std::array<double, 2> potential_sum{}, potential_count{};
  std::array<double, 2> kinetic_conductance{};
  double inventory = 0.0;
  std::vector<double> cross_section;                      // N_axis + 1 faces
};

struct Context {
  const Domain* domain = nullptr;
  ElectroneutralInput input;
  std::array<std::vector<double>, 3> Dp, Dm;  // ghosted, per axis
  std::vector<double> X;                       // ghosted
  std::vector<double> kappa;                   // owned (1 if not given)
  std::vector<std::uint8_t> active;            // ghosted
  std::vector<PetscInt> l2g;                   // ghosted local (interlaced) -> global row
  std::vector<physics::ElectroneutralCell> cells;  // ghosted scratch
  PetscInt anchor_row = -1;                    // inventory row (steady, no face fixes mu-)
  double inventory_target = 0.0;
  PetscInt gauge_row = -1;                     // mu+ row fixed when no face fixes the potential level
  double gauge_value = 0.0;
  std::size_t n_cells = 0;
  double inactive_fraction = 0.0;              // owned count (reduced later)
  Storage storage = Storage::steady;
  SNES snes = nullptr;
  std::exception_ptr pending;
  Diagnostics diag;
  // Jacobian test of the transient form: C' = test_shift (C(u) - test_C0) (or u' likewise).
  double test_shift = 0.0;
  std::vector<double> test_base;  // owned, 2 per cell: C(u0) (transient_variable) or u0 (mass_matrix)
};

/// Builds coefficient ghosts, active cells (spec §3.9), the l2g map and, when `steady` and no face
/// fixes mu-, the anion inventory row.
void setup(Context& ctx, const Domain& d, const ElectroneutralInput& in, bool steady);

struct Target {
  double* F = nullptr;              // owned residual, 2 per cell (required)
  Mat J = nullptr;                  // optional Jacobian
  const double* rate = nullptr;     // owned, 2 per cell: C' or u' (transient only)
  double shift = 0.0;               // dC'/dC or du'/du (transient Jacobian)
  double* cell_current = nullptr;   // optional, 3 per owned cell
};

/// Residual (and Jacobian) at the ghosted state mu; fills ctx.diag (reduced over ranks). Returns
/// false on every rank if some rank meets an unphysical state (NaN, overflowing concentrations).
bool assemble(Context& ctx, const double* mu, const Target& target);

/// Transient variable C = (c+, c-) per owned cell (0 in inactive cells).
void transient_variable(const Context& ctx, const double* mu_owned, double* C);

/// Fields and totals of the state x into `out` (a final assemble fills the diagnostics).
void collect_result(Context& ctx, Vec x, ElectroneutralResult& out);

}  // namespace ionpath::solver::en_detail
