#pragma once
/// Matrix-free conduction operator and its geometric multigrid hierarchy (spec §3.2, §3.9, §9.1).
/// Each level stores only face conductances (one array per axis, low face of each owned cell) and
/// applies the 7-point (5-point in 2D) stencil in one sweep, x innermost. Coarse levels aggregate
/// 2 cells per coarsened axis; their faces are the Galerkin operator of the piecewise-constant
/// prolongation (sum of the fine faces crossing the coarse face) times `coarse_scale`. The fine
/// matrix is never assembled; only the coarsest level is, for a direct solve.
#include <petscksp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "mesh/grid.hpp"
#include "solver/grid/domain.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver {

template <typename T>
class HaloExchange;

/// Storage of the finest level's faces. Rounding every conductance by a relative 6e-8 changes
/// sigma_eff by at most 6e-8 relative (sigma_eff is monotone and 1-homogeneous in the
/// coefficients), so single precision is exact enough for accuracies >= 1e-6. Coarse levels
/// (preconditioner only) always use single precision.
enum class FacePrecision { automatic, single, double_precision };

struct MatrixFreeSettings {
  FacePrecision face_precision = FacePrecision::automatic;
  /// Coarse faces = coarse_scale * (sum of crossing fine faces). 1 = exact Q0 Galerkin (2x too
  /// stiff even for constant sigma); 0.5 matches a rediscretisation and is the smallest safe
  /// value: below it the coarse correction over-shoots by more than 2x and CG sees an indefinite
  /// preconditioner (measured: 0.3 fails on small grids). docs/performance.md has the sweep.
  double coarse_scale = 0.5;
  int max_levels = 16;
  long long coarsest_cells = 4096;  ///< stop coarsening at or below this many cells
  int smoothing_steps = 3;          ///< Chebyshev/Jacobi iterations per pre- and post-smoothing
  /// Chebyshev interval [cheb_low, cheb_high] on the spectrum of D^{-1}A (upper bound 2 for
  /// these M-matrices), so no eigenvalue estimation (and its work vectors) is needed.
  double cheb_low = 0.3;
  double cheb_high = 2.0;
  /// Smoother: fused Chebyshev-Jacobi sweeps (KSPRICHARDSON + PCSHELL, same polynomial as
  /// KSPCHEBYSHEV + PCJACOBI on [cheb_low, cheb_high]) instead of PETSc's separate vector passes.
  bool fused_smoother = true;
  /// Preconditioner: ionpath's own W-cycle with single-precision level vectors (PCSHELL,
  /// solver/multigrid/single_precision_cycle.hpp) instead of PCMG with double vectors. Same cycle and smoother; less
  /// memory traffic and 2 float arrays per level instead of 5 double vectors. Not combined with
  /// k_cycle, which needs PCMG.
  bool float_cycle = true;
  /// The float cycle smooths the finest level with its faces rounded to bfloat16 (8 significant
  /// bits, 6 B per cell more memory, half the face traffic of its sweeps); CG's operator keeps the
  /// exact faces, so the answer does not change, only the preconditioner.
  bool bf16_fine_faces = true;
  /// Outer solver with the float cycle: ionpath's fused CG (solver/multigrid/fused_cg.hpp) instead of
  /// PETSc's KSPCG: the same iteration (up to the float rounding of the cycle's right-hand side)
  /// with about 104 instead of 230 B/cell of traffic per iteration outside the cycle. PETSc's KSPCG
  /// is still used when this is off or when -<prefix>ksp_type / -<prefix>pc_type are given.
  bool fused_cg = true;
  /// K-cycle (Notay): every coarse level is solved by `k_cycle_inner` flexible-CG iterations
  /// preconditioned by the same cycle one level down (nested two-level PCMGs); the outer solver
  /// is then flexible CG. Off: 20-25 % fewer iterations than the W-cycle, but each cycle costs
  /// 1.4x with the fused smoother, so it is slower (docs/performance.md).
  bool k_cycle = false;
  int k_cycle_inner = 2;
  int k_cycle_outer_mmax = 1;  ///< search directions kept by the outer FCG (memory: 2 vectors each)
};

/// One level: the owned box of a DMDA-like decomposition with one ghost layer on every side (zero
/// ghosts outside non-periodic sides stand for the homogeneous Dirichlet neighbour), its face
/// neighbours and its face conductances.
struct StencilLevel {
  MPI_Comm comm = MPI_COMM_NULL;
  DmHandle dm;  ///< the coarsest level's DMDA (its matrix is assembled); null elsewhere
  int dim = 3;
  mesh::Index3 n{1, 1, 1};
  std::array<bool, 3> periodic{};
  mesh::Box owned;
  mesh::Box ghosted;
  std::array<mesh::Box, 3> face_box{};
  std::array<int, 6> neighbour{-1, -1, -1, -1, -1, -1};  ///< rank across face (axis, side) at 2 axis + side
  bool double_faces = false;
  std::array<std::vector<float>, 3> tf;   ///< single-precision faces (face_box[a] layout)
  std::array<std::vector<double>, 3> td;  ///< double faces (finest level on request)
  std::vector<std::uint8_t> active;       ///< per owned cell; removed cells are identity rows
  std::array<bool, 3> coarsened{};        ///< axes this level halves relative to the finer one
  VecHandle local;                        ///< ghosted double work vector (finest level, PCMG path)
  std::shared_ptr<HaloExchange<double>> halo;  ///< fills `local` (faces only, no index lists)
  MatHandle op;                           ///< MATSHELL: mult, get_diagonal

  [[nodiscard]] double face(int a, std::size_t idx) const noexcept {
    return double_faces ? td[a][idx] : static_cast<double>(tf[a][idx]);
  }
  /// True when face index i along a lies on a non-periodic box side.
  [[nodiscard]] bool is_boundary(int a, int i) const noexcept { return !periodic[a] && (i == 0 || i == n[a]); }
  [[nodiscard]] std::size_t n_owned() const noexcept { return owned.n_cells(); }
};

/// Conductivity of the owned cells (x fastest): a diagonal tensor, 3 values per cell, or, without
/// that 24 B/cell tensor, a label per cell and an isotropic value per label.
struct CellSigma {
  std::span<const double> tensor;                    ///< 3 per cell; empty: use the labels
  std::span<const std::uint8_t> labels;              ///< one per cell
  const std::array<double, 256>* of_label = nullptr;  ///< conductivity of each label value

  [[nodiscard]] std::size_t n_cells() const noexcept { return tensor.empty() ? labels.size() : tensor.size() / 3; }
  [[nodiscard]] double at(std::size_t c, int a) const noexcept {
    return tensor.empty() ? (*of_label)[labels[c]] : tensor[3 * c + a];
  }
};

/// The hierarchy, finest level last (PCMG numbering: level 0 is the coarsest).
class MatrixFreeHierarchy {
 public:
  /// sigma: per owned cell (tensor or labels); `active` per owned cell (removed cells get no faces);
  /// `dirichlet[a][side]` marks electrode faces (T = 2 sigma of the boundary cell).
  MatrixFreeHierarchy(const Domain& domain, const CellSigma& sigma, std::span<const std::uint8_t> active,
                      const std::array<std::array<bool, 2>, 3>& dirichlet, bool double_fine_faces,
                      const MatrixFreeSettings& settings);
  MatrixFreeHierarchy(const Domain& domain, std::span<const double> sigma_xyz, std::span<const std::uint8_t> active,
                      const std::array<std::array<bool, 2>, 3>& dirichlet, bool double_fine_faces,
                      const MatrixFreeSettings& settings)
      : MatrixFreeHierarchy(domain, CellSigma{sigma_xyz, {}, nullptr}, active, dirichlet, double_fine_faces,
                            settings) {}
  ~MatrixFreeHierarchy();
  MatrixFreeHierarchy(const MatrixFreeHierarchy&) = delete;
  MatrixFreeHierarchy& operator=(const MatrixFreeHierarchy&) = delete;

  [[nodiscard]] int n_levels() const noexcept { return static_cast<int>(levels_.size()); }
  [[nodiscard]] const StencilLevel& level(int l) const noexcept { return *levels_[l]; }
  [[nodiscard]] const StencilLevel& finest() const noexcept { return *levels_.back(); }
  [[nodiscard]] Mat fine_operator() const noexcept { return levels_.back()->op.get(); }
  /// Configures `pc` on this hierarchy: the float W-cycle (settings.float_cycle) or PCMG with
  /// Chebyshev/Jacobi smoothers; direct coarsest solve either way.
  void setup_pc(PC pc, const std::string& prefix) const;
  /// The assembled coarsest operator, and a KSP set up to solve it directly.
  [[nodiscard]] Mat coarse_matrix() const noexcept { return coarse_matrix_.get(); }
  void setup_coarsest(KSP coarse) const;
  /// Ghosted copy of a fine-level global vector (zero outside non-periodic sides).
  [[nodiscard]] const double* ghosted_fine(Vec x) const;
  void restore_ghosted_fine() const;
  /// Collective: sum over the fine faces of T (phi_L - phi_R)^2, with phi = 1 beyond the low and
  /// 0 beyond the high electrode face of `axis` (the Dirichlet energy; CG decreases it monotonically
  /// and it exceeds the converged value by ||e||_A^2). Costs about one fine apply.
  [[nodiscard]] double energy(Vec x, int axis) const;
  /// Bytes of face storage on all levels plus the assembled coarsest matrix estimate.
  [[nodiscard]] std::size_t face_bytes() const noexcept;

 private:
  void setup_smoother(KSP s, int l) const;
  void setup_k_level(PC pc, int l) const;

  std::vector<std::unique_ptr<StencilLevel>> levels_;
  std::vector<MatHandle> interpolations_;  ///< interpolations_[l]: level l -> l + 1 (MATSHELL)
  MatHandle coarse_matrix_;                ///< assembled level 0
  mutable PetscScalar* ghosted_fine_array_ = nullptr;  ///< handed out by ghosted_fine()
  MatrixFreeSettings settings_;
};

/// y = A x for one level (also used by tests to compare with the assembled operator).
void apply_stencil(const StencilLevel& level, Vec x, Vec y);

}  // namespace ionpath::solver
