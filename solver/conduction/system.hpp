#pragma once
/// The linear conduction system div(sigma grad phi) = -f on a Domain: component analysis, face
/// conductances, symmetric AIJ assembly (Dirichlet faces on the diagonal and right-hand side,
/// removed cells as identity rows) and the KSP solve with prefix `cond_` (spec §3.9, §9.1).
#include <array>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "solver/grid/connected_components.hpp"
#include "solver/grid/face_conductances.hpp"
#include "solver/grid/domain.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver {

using Point = std::array<double, 3>;
using ScalarField = std::function<double(const Point&)>;

struct KspSettings {
  std::string prefix = "cond_";
  double rtol = 1e-10;  ///< code default; -<prefix>ksp_rtol still wins
};

struct LinearSolveStats {
  int iterations = 0;
  std::string converged_reason;
  double residual_norm = 0.0;  ///< final (unpreconditioned for the default recipe) residual norm
  double setup_time_s = 0.0;   ///< KSPSetUp (AMG/MG hierarchy)
  double solve_time_s = 0.0;   ///< KSPSolve
  std::string ksp_type;
  std::string pc_type;
};

class ConductionSystem {
 public:
  /// sigma_xyz: diagonal conductivity tensor, 3 doubles per owned cell (any consistent unit).
  /// `rule` decides which components stay: touch_both = touch a low and a high Dirichlet face.
  ConductionSystem(const Domain& domain, std::span<const double> sigma_xyz, const DirichletFaces& dirichlet,
                   ActiveRule rule);

  [[nodiscard]] const Domain& domain() const noexcept { return domain_; }
  [[nodiscard]] const FaceConductances& faces() const noexcept { return faces_; }
  [[nodiscard]] std::span<const std::uint8_t> active() const noexcept { return active_.active; }
  [[nodiscard]] const ComponentStats& components() const noexcept { return active_.stats; }
  [[nodiscard]] bool has_active_cells() const noexcept { return active_.stats.n_active_cells > 0; }

  /// Assembles the operator into a new AIJ matrix on domain.scalar_dm() (MAT_SPD set).
  [[nodiscard]] MatHandle assemble() const;
  /// Right-hand side: T_b * phi_b(face centre) on Dirichlet faces plus source(cell centre) * h^2;
  /// positions are ((i + 1/2) h, ...). Zero in removed cells.
  [[nodiscard]] VecHandle rhs(const ScalarField& boundary_value, const ScalarField& source, double h) const;
  /// Solves A x = b with the `cond_` recipe; x holds the initial guess on entry (removed cells are
  /// zeroed). Throws SolveError on divergence.
  LinearSolveStats solve(Mat A, Vec b, Vec x, const KspSettings& settings) const;

 private:
  const Domain& domain_;
  ActiveCells active_;
  FaceConductances faces_;
};

/// General Dirichlet problem for verification (manufactured solutions) and custom drivers.
struct DirichletProblem {
  DirichletFaces faces;
  ScalarField boundary_value;  ///< phi on the Dirichlet faces, at the face centre
  ScalarField source;          ///< f in -div(sigma grad phi) = f, per unit volume; empty = 0
  double h = 1.0;              ///< cell edge in the callbacks' length unit
};

struct PotentialSolution {
  std::vector<double> potential;  ///< per owned cell, 0 in removed cells
  LinearSolveStats stats;
  ComponentStats components;
};

/// Every component touching any Dirichlet face is kept.
[[nodiscard]] PotentialSolution solve_dirichlet_problem(const Domain& domain, std::span<const double> sigma_xyz,
                                                        const DirichletProblem& problem,
                                                        const KspSettings& settings = {});

/// Copies of a Vec on domain.scalar_dm(): owned values and a ghosted copy.
[[nodiscard]] std::vector<double> owned_values(Vec v);
[[nodiscard]] std::vector<double> ghosted_values(const Domain& domain, Vec v);

}  // namespace ionpath::solver
