#include "solver/conduction/system.hpp"

#include <petscdmda.h>
#include <petscksp.h>
#include <petsctime.h>

#include <sstream>

#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

ActiveCells find_active(const Domain& domain, std::span<const double> sigma_xyz, const DirichletFaces& dirichlet,
                        ActiveRule rule) {
  if (sigma_xyz.size() != 3 * domain.owned().n_cells())
    throw std::invalid_argument("ConductionSystem: sigma must hold 3 values per owned cell");
  const AxisFlags flags = flags_from_tensor(sigma_xyz);
  std::vector<BoxFace> low, high, any;
  for (int a = 0; a < domain.dimension(); ++a)
    for (int s = 0; s < 2; ++s)
      if (dirichlet.on[a][s] && !domain.periodic(a)) {
        (s == 0 ? low : high).push_back({a, s});
        any.push_back({a, s});
      }
  const ComponentLabels labels = label_components(domain, flags);
  if (rule == ActiveRule::touch_both) return classify_components(domain, flags, labels, low, high, rule);
  return classify_components(domain, flags, labels, any, {}, rule);
}

std::vector<double> masked_sigma(std::span<const double> sigma_xyz, const std::vector<std::uint8_t>& active) {
  std::vector<double> s(sigma_xyz.begin(), sigma_xyz.end());
  for (std::size_t c = 0; c < active.size(); ++c)
    if (!active[c]) s[3 * c] = s[3 * c + 1] = s[3 * c + 2] = 0.0;
  return s;
}

/// PCMG on the DMDA: vertex-style (Q1) coarsening needs N - 1 even on non-periodic axes and N even
/// on periodic ones; otherwise use the cell-centred piecewise-constant (Q0) transfer (N even).
DMDAInterpolationType mg_interpolation(const Domain& domain) {
  for (int a = 0; a < domain.dimension(); ++a)
    if ((domain.grid().n_cells[a] - (domain.periodic(a) ? 0 : 1)) % 2 != 0) return DMDA_Q0;
  return DMDA_Q1;
}

MatStencil stencil(int i, int j, int k) {
  MatStencil st{};
  st.i = i;
  st.j = j;
  st.k = k;
  st.c = 0;
  return st;
}

}  // namespace

ConductionSystem::ConductionSystem(const Domain& domain, std::span<const double> sigma_xyz,
                                   const DirichletFaces& dirichlet, ActiveRule rule)
    : domain_(domain),
      active_(find_active(domain, sigma_xyz, dirichlet, rule)),
      faces_(domain, masked_sigma(sigma_xyz, active_.active), dirichlet) {}

MatHandle ConductionSystem::assemble() const {
  MatHandle A;
  IONPATH_PETSC_CALL(DMCreateMatrix(domain_.scalar_dm(), A.out()));
  const mesh::Box& own = domain_.owned();
  const int dim = domain_.dimension();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        MatStencil row = stencil(i, j, k);
        if (!active_.active[own.offset(i, j, k)]) {
          const PetscScalar one = 1.0;
          IONPATH_PETSC_CALL(MatSetValuesStencil(A, 1, &row, 1, &row, &one, ADD_VALUES));
          continue;
        }
        std::array<MatStencil, 7> cols{};
        std::array<PetscScalar, 7> vals{};
        int n = 1;
        double diag = 0.0;
        for (int a = 0; a < dim; ++a) {
          for (int d : {0, 1}) {  // low face of this cell, then low face of the next cell
            mesh::Index3 f{i, j, k};
            f[a] += d;
            const double t = faces_.at(a, f[0], f[1], f[2]);
            if (t == 0.0) continue;
            diag += t;
            if (faces_.is_boundary(a, f[a])) continue;  // Dirichlet: diagonal and rhs only
            mesh::Index3 nb{i, j, k};
            nb[a] += d == 0 ? -1 : 1;  // periodic wraps: MatSetValuesStencil accepts -1 and N
            cols[n] = stencil(nb[0], nb[1], nb[2]);
            vals[n] = -t;
            ++n;
          }
        }
        cols[0] = row;
        vals[0] = diag;
        // ADD, not INSERT: on a periodic axis of 2 cells both faces lead to the same neighbour, and
        // on one of 1 cell to the cell itself; their entries must sum (each row is set once).
        IONPATH_PETSC_CALL(MatSetValuesStencil(A, 1, &row, n, cols.data(), vals.data(), ADD_VALUES));
      }
  IONPATH_PETSC_CALL(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  IONPATH_PETSC_CALL(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  IONPATH_PETSC_CALL(MatSetOption(A, MAT_SYMMETRIC, PETSC_TRUE));
  IONPATH_PETSC_CALL(MatSetOption(A, MAT_SPD, PETSC_TRUE));
  return A;
}

VecHandle ConductionSystem::rhs(const ScalarField& boundary_value, const ScalarField& source, double h) const {
  VecHandle b;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain_.scalar_dm(), b.out()));
  PetscScalar* v = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(b, &v));
  const mesh::Box& own = domain_.owned();
  const int dim = domain_.dimension();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, k);
        double r = 0.0;
        if (active_.active[c]) {
          const Point centre{(i + 0.5) * h, (j + 0.5) * h, dim == 2 ? 0.0 : (k + 0.5) * h};
          if (source) r += source(centre) * h * h;
          for (int a = 0; a < dim; ++a) {
            const mesh::Index3 cell{i, j, k};
            for (int s : {0, 1}) {
              const int face_index = cell[a] + s;
              if (!faces_.is_boundary(a, face_index)) continue;
              mesh::Index3 f = cell;
              f[a] = face_index;
              const double t = faces_.at(a, f[0], f[1], f[2]);
              if (t == 0.0) continue;
              Point x = centre;
              x[a] = face_index * h;
              r += t * boundary_value(x);
            }
          }
        }
        v[c] = r;
      }
  IONPATH_PETSC_CALL(VecRestoreArray(b, &v));
  return b;
}

LinearSolveStats ConductionSystem::solve(Mat A, Vec b, Vec x, const KspSettings& settings) const {
  // Removed cells: identity rows with zero rhs, so a zero guess there is already the solution.
  PetscScalar* xv = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &xv));
  for (std::size_t c = 0; c < active_.active.size(); ++c)
    if (!active_.active[c]) xv[c] = 0.0;
  IONPATH_PETSC_CALL(VecRestoreArray(x, &xv));

  KspHandle ksp;
  IONPATH_PETSC_CALL(KSPCreate(domain_.comm(), ksp.out()));
  // The DM gives PCMG its geometric hierarchy; the operator is ours, so the DM stays inactive.
  IONPATH_PETSC_CALL(KSPSetDM(ksp, domain_.scalar_dm()));
  IONPATH_PETSC_CALL(KSPSetDMActive(ksp, PETSC_FALSE));
  IONPATH_PETSC_CALL(DMDASetInterpolationType(domain_.scalar_dm(), mg_interpolation(domain_)));
  IONPATH_PETSC_CALL(KSPSetOperators(ksp, A, A));
  // Code defaults of spec §9.1, set on the objects (not in the options database) so that YAML
  // recipes applied with apply_petsc_options and the command line override them.
  IONPATH_PETSC_CALL(KSPSetType(ksp, KSPCG));
  IONPATH_PETSC_CALL(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
  IONPATH_PETSC_CALL(KSPSetTolerances(ksp, settings.rtol, PETSC_DEFAULT, PETSC_DEFAULT, 10000));
  IONPATH_PETSC_CALL(KSPSetInitialGuessNonzero(ksp, PETSC_TRUE));
  PC pc = nullptr;
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  IONPATH_PETSC_CALL(PCSetType(pc, PCGAMG));
  IONPATH_PETSC_CALL(PCGAMGSetNSmooths(pc, 1));
  PetscReal threshold = 0.01;
  IONPATH_PETSC_CALL(PCGAMGSetThreshold(pc, &threshold, 1));
  IONPATH_PETSC_CALL(KSPSetOptionsPrefix(ksp, settings.prefix.c_str()));
  IONPATH_PETSC_CALL(KSPSetFromOptions(ksp));
  watch_deadline(ksp);

  LinearSolveStats stats;
  PetscLogDouble t0 = 0, t1 = 0, t2 = 0;
  IONPATH_PETSC_CALL(PetscTime(&t0));
  IONPATH_PETSC_CALL(KSPSetUp(ksp));
  IONPATH_PETSC_CALL(PetscTime(&t1));
  IONPATH_PETSC_CALL(KSPSolve(ksp, b, x));
  IONPATH_PETSC_CALL(PetscTime(&t2));
  stats.setup_time_s = t1 - t0;
  stats.solve_time_s = t2 - t1;

  PetscInt its = 0;
  KSPConvergedReason reason = KSP_CONVERGED_ITERATING;
  PetscReal rnorm = 0.0;
  const char* reason_str = nullptr;
  KSPType ksp_type = nullptr;
  PCType pc_type = nullptr;
  IONPATH_PETSC_CALL(KSPGetIterationNumber(ksp, &its));
  IONPATH_PETSC_CALL(KSPGetConvergedReason(ksp, &reason));
  IONPATH_PETSC_CALL(KSPGetConvergedReasonString(ksp, &reason_str));
  IONPATH_PETSC_CALL(KSPGetResidualNorm(ksp, &rnorm));
  IONPATH_PETSC_CALL(KSPGetType(ksp, &ksp_type));
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  IONPATH_PETSC_CALL(PCGetType(pc, &pc_type));
  stats.iterations = static_cast<int>(its);
  stats.converged_reason = reason_str != nullptr ? reason_str : "UNKNOWN";
  stats.residual_norm = rnorm;
  stats.ksp_type = ksp_type != nullptr ? ksp_type : "";
  stats.pc_type = pc_type != nullptr ? pc_type : "";
  if (reason < 0) {
    std::ostringstream msg;
    msg << "conduction solve (prefix " << settings.prefix << ", " << stats.ksp_type << "/" << stats.pc_type
        << ") diverged: " << stats.converged_reason << " after " << its << " iterations, residual norm "
        << rnorm << "; try -" << settings.prefix << "pc_type hypre, or check for floating clusters ("
        << active_.stats.n_floating << " floating, " << active_.stats.n_touch_one << " dead-end components removed)";
    throw SolveError(msg.str());
  }
  return stats;
}

PotentialSolution solve_dirichlet_problem(const Domain& domain, std::span<const double> sigma_xyz,
                                          const DirichletProblem& problem, const KspSettings& settings) {
  const ConductionSystem system(domain, sigma_xyz, problem.faces, ActiveRule::touch_any);
  PotentialSolution out;
  out.components = system.components();
  const MatHandle A = system.assemble();
  const VecHandle b = system.rhs(problem.boundary_value, problem.source, problem.h);
  VecHandle x;
  IONPATH_PETSC_CALL(VecDuplicate(b, x.out()));
  IONPATH_PETSC_CALL(VecSet(x, 0.0));
  out.stats = system.solve(A, b, x, settings);
  out.potential = owned_values(x);
  return out;
}

std::vector<double> owned_values(Vec v) {
  PetscInt n = 0;
  const PetscScalar* a = nullptr;
  IONPATH_PETSC_CALL(VecGetLocalSize(v, &n));
  IONPATH_PETSC_CALL(VecGetArrayRead(v, &a));
  std::vector<double> out(a, a + n);
  IONPATH_PETSC_CALL(VecRestoreArrayRead(v, &a));
  return out;
}

std::vector<double> ghosted_values(const Domain& domain, Vec v) {
  VecHandle local;
  IONPATH_PETSC_CALL(DMCreateLocalVector(domain.scalar_dm(), local.out()));
  IONPATH_PETSC_CALL(DMGlobalToLocalBegin(domain.scalar_dm(), v, INSERT_VALUES, local));
  IONPATH_PETSC_CALL(DMGlobalToLocalEnd(domain.scalar_dm(), v, INSERT_VALUES, local));
  return owned_values(local);
}

}  // namespace ionpath::solver
