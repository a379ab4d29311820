#pragma once
/// Internal to the electroneutral solver: the context shared by the SNES and TS callbacks
/// (solver/nonlinear/callbacks.hpp) and the one face loop that assembles residual, Jacobian and
/// diagnostics (spec §3.7, style guide §2.2, §2.3).
#include <petscmat.h>
#include <petscsnes.h>

#include <array>
#include <cstdint>
#include <vector>

#include "physics/electroneutral_kernels.hpp"
#include "solver/electroneutral/electroneutral.hpp"
#include "solver/nonlinear/assembly_support.hpp"
#include "solver/nonlinear/callbacks.hpp"

namespace ionpath::solver::en_detail {

/// How the storage term enters: none (steady), kappa dC/dt with C = (c+, c-) supplied by TSBDF as
/// a transient variable (conservative), or kappa dc/ds (mu+' + mu-') (other TS types).
using assembly::Storage;
/// Residual (2 per cell: charge, anion), Jacobian, rates (C' or u') and cell currents.
using assembly::Target;

struct Diagnostics {
  std::array<double, 2> li_in{}, current_in{};            // per electrode: 0 = low, 1 = high
  std::array<double, 2> potential_sum{}, potential_count{};
  std::array<double, 2> kinetic_conductance{};
  double inventory = 0.0;
  std::vector<double> cross_section;                      // N_axis + 1 faces
  // Final evaluation only (collect_result): face currents of the requested planes, and the map of
  // each face plane 0..N_axis to its entry (-1: not requested).
  PlaneCurrentMaps* planes = nullptr;
  std::vector<int> plane_slot;
};

/// Anion inventory constraints of the steady problem when no face fixes mu- (spec §1.5, §4.5).
/// No anion crosses between two anion clusters (active cells joined by faces that carry anions:
/// both sides conduct anions along the face normal), so each cluster keeps its own content, as
/// the transient does; one constraint per cluster determines its mu- level. Each replaces the anion
/// row of its anchor (the cluster's cell of smallest linear index) by (content - target) / n_cells.
struct Inventory {
  std::vector<PetscInt> anchor_row;   // per cluster: global anion row of the anchor (all ranks)
  std::vector<long long> anchor_local;  // per cluster: its owned (interlaced) index here, else -1
  std::vector<double> target;         // per cluster: sum kappa c- of the initial state
  std::vector<double> content;        // per cluster: sum kappa c- of the last assembled state
  std::vector<double> pin;            // per cluster: the anchor's pin in P of the last Jacobian
  std::vector<std::int32_t> cluster;  // per owned cell: its cluster, -1 when inactive
  [[nodiscard]] std::size_t n_clusters() const noexcept { return anchor_row.size(); }
};

/// Equipotential galvanostatic low electrode (spec §4.4; ElectroneutralInput::galvanostatic_current).
/// The metal potential phi is the extra global unknown with the row sum_f flux_in_f(phi, u_f) = I.
/// Each evaluation eliminates it: the monotone scalar equation is solved for phi (a few reductions
/// of two numbers), the sweep then runs potentiostatically at that phi. The Schur complement of the
/// bordered Jacobian [[P, b], [r^T, S]] onto the cell unknowns is P + b c^T with c = -r / S:
/// b (the charge rows of the low face cells: -d flux_in_f / d phi), r (d flux_in_f / d u_f),
/// S = sum_f d flux_in_f / d phi > 0. P stays the stencil matrix the preconditioner sees, and the
/// rank-one term is applied by a shell (make_galvanostatic_jacobian), so a Krylov method with an
/// exact P^-1 needs one extra iteration, and no dense row or column reaches AMG.
struct Galvanostatic {
  bool on = false;
  double current = 0.0;  // prescribed sum of flux_in over the low face
  double phi = 0.0;      // metal potential of the last evaluation (the next one's first guess)
  Vec b = nullptr, c = nullptr;  // global vectors held by the shell; filled with every Jacobian
};

struct Context final : assembly::Model {
  ElectroneutralInput input;
  std::array<std::vector<double>, 3> Dp, Dm;  // ghosted, per axis
  std::vector<double> X;                       // ghosted
  std::vector<double> kappa;                   // owned (1 if not given)
  std::vector<std::uint8_t> active;            // ghosted
  std::vector<PetscInt> l2g;                   // ghosted local (interlaced) -> global row
  std::vector<physics::ElectroneutralCell> cells;  // ghosted scratch
  Inventory inventory;                         // steady, no face fixes mu-; else empty
  Galvanostatic galvanostatic;                 // transient with galvanostatic_current; else off
  /// Global vector, 2 per owned cell: d content / d(mu+, mu-) / n_cells, the entries of the cell's
  /// inventory row (0 in inactive cells), filled with every Jacobian. With inventory rows, the
  /// Jacobian assembly fills the sparse matrix P whose anchor anion rows keep the cell's own anion
  /// balance plus a pin on its mu- diagonal (so that P is nonsingular and an ordinary diffusion
  /// operator for AMG); the Newton Jacobian is P with those rows replaced by the constraint rows
  /// (newton_operator). Held by that operator; nullptr without inventory rows.
  Vec inventory_row = nullptr;
  PetscInt gauge_row = -1;                     // mu+ row fixed when no face fixes the potential level
  double gauge_value = 0.0;
  std::size_t n_cells = 0;
  double inactive_fraction = 0.0;              // owned count (reduced later)
  Diagnostics diag;

  /// Residual (and Jacobian) at the ghosted state mu; fills diag (reduced over ranks). False on
  /// every rank if some rank meets an unphysical state (NaN, overflow).
  bool assemble(const double* mu, const Target& target) override;
  /// Transient variable C = (c+, c-) per owned cell (0 in inactive cells).
  void transient_variable(const double* mu_owned, double* C) const override;
  /// With inventory rows, the shell of make_inventory_jacobian over P (it allocates inventory_row).
  MatHandle newton_operator(Mat P, Vec x) override;
};

/// Builds coefficient ghosts, active cells (spec §3.9), the l2g map and, when `steady` and no face
/// fixes mu-, the anion inventory rows (one per anion cluster).
void setup(Context& ctx, const Domain& d, const ElectroneutralInput& in, bool steady);

/// The steady Newton Jacobian when ctx has inventory rows: y = P x with y at each anchor row
/// replaced by that cluster's constraint row applied to x (sum over the cluster of
/// inventory_row . x; one reduction of n_clusters values). A MATSHELL: the dense rows are never
/// stored in an AIJ matrix, whose preconditioner would otherwise see them (BoomerAMG broke down on
/// the one dense row; its fill also cost O(n_cells^2) reallocations). `g` holds inventory_row as a
/// global vector; the matrix holds references to P and g, and ctx must outlive it.
[[nodiscard]] MatHandle make_inventory_jacobian(const Context& ctx, Mat P, Vec g);

/// Solves the galvanostatic row for the metal potential at the ghosted state mu (cell states in
/// ctx.cells), sets ctx.input.low.mu_plus to it and, with `jacobian`, fills galvanostatic.b and .c.
/// Collective; throws SolveError when no low face cell conducts or the iteration fails.
void solve_metal_potential(Context& ctx, const double* mu, bool jacobian);

/// The transient Newton operator P + b c^T (see Galvanostatic) as a MATSHELL over P, with
/// MatMult and MatMultTranspose; holds references to P, b and c.
[[nodiscard]] MatHandle make_galvanostatic_jacobian(Mat P, Vec b, Vec c);

/// Fields and totals of the state x into `out` (a final assemble fills the diagnostics).
void collect_result(Context& ctx, Vec x, ElectroneutralResult& out);

}  // namespace ionpath::solver::en_detail
