// Matrix-free path of the `conductivity` experiment (spec §5.1, §9.5): same outputs as the
// assembled path, computed from the hierarchy's finest face conductances.
#include <petscksp.h>
#include <petsctime.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "solver/conduction/conduction.hpp"
#include "solver/conduction/postprocess.hpp"
#include "solver/multigrid/energy_stop.hpp"
#include "solver/multigrid/single_precision_cycle.hpp"
#include "solver/multigrid/fused_cg.hpp"
#include "solver/multigrid/face_halo.hpp"
#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

/// The energy stopping test (solver/multigrid/energy_stop.hpp) as a KSP convergence test, after PETSc's
/// residual test (rtol, divergence, max_it). Each call evaluates S_k directly (one pass).
struct EnergyStop {
  const MatrixFreeHierarchy* H = nullptr;
  int axis = 2;
  double tol = 0.0;
  void* default_ctx = nullptr;
  std::vector<double> S;  ///< energy at iterations 0, 1, ...
};

PetscErrorCode energy_converged(KSP ksp, PetscInt it, PetscReal rnorm, KSPConvergedReason* reason, void* ctx) {
  PetscFunctionBeginUser;
  auto* st = static_cast<EnergyStop*>(ctx);
  PetscCall(KSPConvergedDefault(ksp, it, rnorm, reason, st->default_ctx));
  if (*reason != KSP_CONVERGED_ITERATING) PetscFunctionReturn(0);
  Vec x = nullptr;
  PetscCall(KSPBuildSolution(ksp, nullptr, &x));
  double e = 0.0;
  try {
    e = st->H->energy(x, st->axis);
  } catch (const std::exception&) {
    SETERRQ(PetscObjectComm(reinterpret_cast<PetscObject>(ksp)), PETSC_ERR_LIB, "energy evaluation failed");
  }
  if (it == 0) st->S.clear();
  st->S.push_back(e);
  switch (energy_verdict(st->S, st->tol)) {
    case EnergyVerdict::converged: *reason = KSP_CONVERGED_RTOL; break;
    case EnergyVerdict::converged_roundoff: *reason = KSP_CONVERGED_ATOL; break;
    case EnergyVerdict::iterating: break;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode energy_stop_destroy(void* ctx) {
  PetscFunctionBeginUser;
  auto* st = static_cast<EnergyStop*>(ctx);
  PetscCall(KSPConvergedDefaultDestroy(st->default_ctx));
  delete st;
  PetscFunctionReturn(0);
}



struct Diagnostics {
  double I_hat = 0.0;
  double energy = 0.0;
  double flux_balance = 0.0;
};

/// phi_L - phi_R across face f along b, with electrode values 1 (low) and 0 (high) on the
/// Dirichlet faces of the driving axis (the only boundary faces with T != 0).
double face_drop(const StencilLevel& F, const GhostedView<const double>& phi, int b, const mesh::Index3& f) {
  mesh::Index3 lo = f;
  lo[b] -= 1;
  if (F.is_boundary(b, f[b])) return f[b] == 0 ? 1.0 - phi(f[0], f[1], f[2]) : phi(lo[0], lo[1], lo[2]);
  return phi(lo[0], lo[1], lo[2]) - phi(f[0], f[1], f[2]);
}

/// Plane currents along the driving axis a (row loops over the ghosted potential; the ghosts
/// beyond the electrodes are 0, so the inlet faces get T (1 - phi) by adding T) and the energy.
Diagnostics diagnose(const Domain& domain, const MatrixFreeHierarchy& H, Vec x, int a) {
  const StencilLevel& F = H.finest();
  const mesh::Index3& n = F.n;
  const mesh::Box& o = F.owned;
  const mesh::Box& g = F.ghosted;
  const double* phi = H.ghosted_fine(x);
  const std::ptrdiff_t stride[3] = {1, g.extent(0), static_cast<std::ptrdiff_t>(g.extent(0)) * g.extent(1)};
  const mesh::Box& fb = F.face_box[a];
  std::vector<double> plane(static_cast<std::size_t>(n[a]) + 1, 0.0);
  const std::ptrdiff_t ex = o.extent(0);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const double* p = phi + g.offset(o.lo[0], j, k);
      const std::size_t f0 = fb.offset(o.lo[0], j, k);
      const std::ptrdiff_t s = stride[a];
      double row = 0.0;
      for (std::ptrdiff_t i = 0; i < ex; ++i) {
        const double flux = F.face(a, f0 + static_cast<std::size_t>(i)) * (p[i - s] - p[i]);
        if (a == 0)
          plane[static_cast<std::size_t>(o.lo[0] + i)] += flux;
        else
          row += flux;
      }
      if (a != 0) plane[static_cast<std::size_t>(a == 1 ? j : k)] += row;
    }
  // Inlet faces: phi = 1 beyond them; outlet faces (the high face of the last cells): T phi.
  const auto boundary_plane = [&](int cell_plane, int face_plane, bool inlet) {
    double sum = 0.0;
    for_plane(o, a, cell_plane, [&](int i, int j, int k) {
      mesh::Index3 f{i, j, k};
      f[a] = face_plane;
      const double t = F.face(a, fb.offset(f[0], f[1], f[2]));
      sum += inlet ? t : t * phi[g.offset(i, j, k)];
    });
    plane[static_cast<std::size_t>(face_plane)] += sum;
  };
  if (o.lo[a] == 0) boundary_plane(0, 0, true);
  if (o.hi[a] == n[a]) boundary_plane(n[a] - 1, n[a], false);
  H.restore_ghosted_fine();
  MPI_Allreduce(MPI_IN_PLACE, plane.data(), static_cast<int>(plane.size()), MPI_DOUBLE, MPI_SUM, domain.comm());
  Diagnostics d;
  d.I_hat = plane.front();
  d.energy = H.energy(x, a);
  for (const double q : plane) d.flux_balance = std::max(d.flux_balance, std::abs(q - d.I_hat) / std::abs(d.I_hat));
  return d;
}

bool has_option(const std::string& prefix, const char* name) {
  PetscBool set = PETSC_FALSE;
  IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, prefix.c_str(), name, &set));
  return set == PETSC_TRUE;
}

/// The fused CG needs the float cycle; explicit PETSc solver options select KSPCG instead.
bool use_fused_cg(const MatrixFreeSettings& s, const std::string& prefix) {
  return s.fused_cg && s.float_cycle && !s.k_cycle && !has_option(prefix, "-ksp_type") &&
         !has_option(prefix, "-pc_type");
}

bool use_double_faces(const ConductivityOptions& o) {
  switch (o.matrix_free.face_precision) {
    case FacePrecision::single: return false;
    case FacePrecision::double_precision: return true;
    case FacePrecision::automatic: break;
  }
  return !(o.accuracy >= 1e-6);
}

/// The outcome of one linear solve.
struct SolveAttempt {
  int iterations = 0;
  std::string reason;
  bool converged = false;
  double residual_norm = 0.0;
};

/// PETSc's KSP on the matrix-free operator: CG (flexible CG for the K-cycle) preconditioned by the
/// hierarchy (float cycle or PCMG), with the energy stopping test if asked; prefix `prefix`.
KspHandle make_petsc_ksp(const Domain& domain, const MatrixFreeHierarchy& H, const ConductivityOptions& options,
                         const std::string& prefix, bool energy_stop, double rtol) {
  KspHandle ksp;
  IONPATH_PETSC_CALL(KSPCreate(domain.comm(), ksp.out()));
  IONPATH_PETSC_CALL(KSPSetOperators(ksp, H.fine_operator(), H.fine_operator()));
  if (options.matrix_free.k_cycle) {
    // The K-cycle is a (slightly) nonlinear preconditioner: flexible CG keeps the exact line
    // search, so the energy still decreases monotonically.
    IONPATH_PETSC_CALL(KSPSetType(ksp, KSPFCG));
    IONPATH_PETSC_CALL(KSPFCGSetMmax(ksp, options.matrix_free.k_cycle_outer_mmax));
    IONPATH_PETSC_CALL(KSPFCGSetNprealloc(ksp, options.matrix_free.k_cycle_outer_mmax + 1));
  } else {
    IONPATH_PETSC_CALL(KSPSetType(ksp, KSPCG));
  }
  IONPATH_PETSC_CALL(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
  IONPATH_PETSC_CALL(KSPSetTolerances(ksp, rtol, PETSC_DEFAULT, PETSC_DEFAULT, 10000));
  IONPATH_PETSC_CALL(KSPSetInitialGuessNonzero(ksp, PETSC_TRUE));
  PC pc = nullptr;
  IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
  H.setup_pc(pc, prefix);
  IONPATH_PETSC_CALL(KSPSetOptionsPrefix(ksp, prefix.c_str()));
  if (energy_stop) {
    auto* stop = new EnergyStop;
    stop->H = &H;
    stop->axis = options.axis;
    stop->tol = 0.1 * options.accuracy;
    IONPATH_PETSC_CALL(KSPConvergedDefaultCreate(&stop->default_ctx));
    IONPATH_PETSC_CALL(
        KSPSetConvergenceTest(ksp, energy_converged, stop, energy_stop_destroy));
  }
  IONPATH_PETSC_CALL(KSPSetFromOptions(ksp));
  watch_deadline(ksp);
  // No explicit KSPSetUp: inside KSPSolve the Krylov work vectors are duplicated from x, while a
  // KSPSetUp now would create (and free) a template vector first, 8 B/cell that stay resident.
  return ksp;
}

/// retry: a tightened rtol replaces the first one (which options may have set).
SolveAttempt solve_with_ksp(KSP ksp, Vec b, Vec x, double rtol, bool retry) {
  if (retry) IONPATH_PETSC_CALL(KSPSetTolerances(ksp, rtol, PETSC_DEFAULT, PETSC_DEFAULT, 10000));
  IONPATH_PETSC_CALL(KSPSolve(ksp, b, x));
  PetscInt its = 0;
  KSPConvergedReason reason = KSP_CONVERGED_ITERATING;
  const char* reason_str = nullptr;
  PetscReal rnorm = 0.0;
  IONPATH_PETSC_CALL(KSPGetIterationNumber(ksp, &its));
  IONPATH_PETSC_CALL(KSPGetConvergedReason(ksp, &reason));
  IONPATH_PETSC_CALL(KSPGetConvergedReasonString(ksp, &reason_str));
  IONPATH_PETSC_CALL(KSPGetResidualNorm(ksp, &rnorm));
  return SolveAttempt{static_cast<int>(its), reason_str != nullptr ? reason_str : "UNKNOWN", reason > 0, rnorm};
}

}  // namespace

namespace {

/// Which axes each cell conducts along (the labelling's input).
AxisFlags axis_flags(const CellSigma& sigma) {
  if (!sigma.tensor.empty()) return flags_from_tensor(sigma.tensor);
  AxisFlags flags(sigma.labels.size(), 0);
  for (std::size_t c = 0; c < flags.size(); ++c) flags[c] = (*sigma.of_label)[sigma.labels[c]] > 0.0 ? 0b111 : 0;
  return flags;
}

/// `release`, if not null, owns the tensor's storage and is freed once the hierarchy is built.
ConductivityResult solve_mf(const Domain& domain, CellSigma sigma, std::vector<double>* release,
                            const ConductivityOptions& options) {
  const int a = options.axis;
  const int dim = domain.dimension();
  if (a < 0 || a >= dim) throw std::invalid_argument("solve_conductivity: axis " + std::to_string(a) + " out of range");
  if (domain.periodic(a))
    throw std::invalid_argument("solve_conductivity: the driving axis " + std::to_string(a) +
                                " is periodic in this Domain; build it with transport_axis = " + std::to_string(a));
  if (sigma.n_cells() != domain.owned().n_cells() || (sigma.tensor.empty() && sigma.of_label == nullptr))
    throw std::invalid_argument("solve_conductivity: sigma must hold 3 values (or a label) per owned cell");
  const mesh::Box& own = domain.owned();
  const mesh::Index3& n = domain.grid().n_cells;

  ConductivityResult out;
  out.axis = a;
  const ActiveCells active = electrode_active_cells(domain, axis_flags(sigma), a);
  out.components = active.stats;
  out.percolating = out.components.n_touch_both > 0;
  if (options.keep_fields) {
    out.potential.assign(own.n_cells(), 0.0);
    out.current_density.assign(3 * own.n_cells(), 0.0);
    out.active.assign(active.active.begin(), active.active.end());
  }
  if (!out.percolating) return out;

  PetscLogDouble t_setup0 = 0, t_setup1 = 0;
  IONPATH_PETSC_CALL(PetscTime(&t_setup0));
  const MatrixFreeHierarchy H(domain, sigma, active.active, DirichletFaces::electrodes(a).on,
                              use_double_faces(options), options.matrix_free);
  const StencilLevel& F = H.finest();
  if (release != nullptr) {  // sigma is not needed any more: the faces hold the operator
    sigma.tensor = {};
    std::vector<double>().swap(*release);
  }

  VecHandle b, x;
  IONPATH_PETSC_CALL(MatCreateVecs(H.fine_operator(), x.out(), b.out()));
  // rhs: T_b * 1 on the inlet faces; guess (first call only): linear in the driving coordinate.
  const auto fill = [&](bool guess) {
    PetscScalar* bv = nullptr;
    PetscScalar* xv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayWrite(b, &bv));
    if (guess) IONPATH_PETSC_CALL(VecGetArrayWrite(x, &xv));
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const mesh::Index3 c{i, j, k};
          const std::size_t o = own.offset(i, j, k);
          const bool on = F.active[o] != 0;
          bv[o] = on && c[a] == 0 ? F.face(a, F.face_box[a].offset(i, j, k)) : 0.0;
          if (guess) xv[o] = on ? 1.0 - (c[a] + 0.5) / n[a] : 0.0;
        }
    IONPATH_PETSC_CALL(VecRestoreArrayWrite(b, &bv));
    if (guess) IONPATH_PETSC_CALL(VecRestoreArrayWrite(x, &xv));
  };
  fill(true);

  const std::string prefix = options.ksp.prefix + "mf_";
  const bool energy_stop = options.accuracy > 0.0 && options.stopping == StoppingTest::energy;
  LinearSolveStats& stats = out.solve;
  double rtol = options.accuracy > 0.0 ? 1e-2 * options.accuracy : options.ksp.rtol;
  // One solve at a relative residual tolerance from the current x; `retry`: the second attempt.
  std::function<SolveAttempt(double rtol, bool retry)> solve;
  std::unique_ptr<FloatCycle> cycle;
  KspHandle ksp;
  if (use_fused_cg(options.matrix_free, prefix)) {
    cycle = std::make_unique<FloatCycle>(H, options.matrix_free, false);
    FusedCgSettings cg;
    cg.axis = a;
    cg.energy_tol = energy_stop ? 0.1 * options.accuracy : 0.0;
    cg.monitor = has_option(prefix, "-ksp_monitor");
    stats.ksp_type = "ionpath_fused_cg";
    stats.pc_type = "shell";  // the float W-cycle, as in the KSPCG + PCSHELL path
    solve = [&, cg](double tol, bool retry) mutable {
      if (retry) fill(false);  // the last solve left its residual in b
      cg.rtol = tol;
      const FusedCgResult r = fused_cg(H, *cycle, x, b, cg);
      return SolveAttempt{r.iterations, r.reason, r.converged, r.residual_norm};
    };
  } else {
    ksp = make_petsc_ksp(domain, H, options, prefix, energy_stop, rtol);
    solve = [&](double tol, bool retry) { return solve_with_ksp(ksp, b, x, tol, retry); };
  }
  IONPATH_PETSC_CALL(PetscTime(&t_setup1));
  stats.setup_time_s = t_setup1 - t_setup0;

  // Energy test: the energy estimate is the answer, accurate to `accuracy` (monotone, quadratic).
  // Otherwise (spec §9.5 (ii)) accept when the current balance is below a tenth of the accuracy,
  // or tighten rtol 100x once.
  Diagnostics d;
  for (int attempt = 0; attempt < 2; ++attempt) {
    PetscLogDouble t0 = 0, t1 = 0;
    IONPATH_PETSC_CALL(PetscTime(&t0));
    const SolveAttempt r = solve(rtol, attempt > 0);
    IONPATH_PETSC_CALL(PetscTime(&t1));
    stats.solve_time_s += t1 - t0;
    stats.iterations += r.iterations;
    stats.converged_reason = r.reason;
    stats.residual_norm = r.residual_norm;
    if (!r.converged)
      throw SolveError("matrix-free conduction solve (prefix " + prefix + ") diverged: " + r.reason + " after " +
                       std::to_string(r.iterations) + " iterations");
    d = diagnose(domain, H, x, a);
    if (energy_stop || options.accuracy <= 0.0 || d.flux_balance < 0.1 * options.accuracy) break;
    rtol *= 1e-2;
  }
  if (ksp) {
    KSPType ksp_type = nullptr;
    PCType pc_type = nullptr;
    PC pc = nullptr;
    IONPATH_PETSC_CALL(KSPGetType(ksp, &ksp_type));
    IONPATH_PETSC_CALL(KSPGetPC(ksp, &pc));
    IONPATH_PETSC_CALL(PCGetType(pc, &pc_type));
    stats.ksp_type = ksp_type != nullptr ? ksp_type : "";
    stats.pc_type = pc_type != nullptr ? pc_type : "";
  }

  const double h = domain.grid().voxel_size_m;
  double cross_section = 1.0;
  for (int b_axis = 0; b_axis < 3; ++b_axis)
    if (b_axis != a) cross_section *= n[b_axis];
  out.sigma_eff_energy = d.energy * n[a] / cross_section;
  out.sigma_eff = energy_stop ? out.sigma_eff_energy : d.I_hat * n[a] / cross_section;
  out.current = energy_stop ? d.energy * h : d.I_hat * h;
  out.flux_balance = d.flux_balance;

  if (!options.current_planes.empty()) {
    out.plane_currents = empty_plane_maps(domain.grid(), a, options.current_planes);
    const GhostedView<const double> phi(H.ghosted_fine(x), F.ghosted, 1);
    const auto t_of = [&](const mesh::Index3& f) { return F.face(a, F.face_box[a].offset(f[0], f[1], f[2])); };
    collect_plane_currents(
        domain.comm(), domain.grid(), own, a, out.plane_currents,
        [&](const mesh::Index3& f) { return t_of(f) != 0.0 ? t_of(f) * face_drop(F, phi, a, f) * h : 0.0; },
        [&](const mesh::Index3& f) { return t_of(f) != 0.0; });
    H.restore_ghosted_fine();
  }
  if (options.keep_fields) {
    out.potential = owned_values(x);
    const GhostedView<const double> phi(H.ghosted_fine(x), F.ghosted, 1);
    cell_current_density(own, dim, h, [&](int b_axis, const mesh::Index3& f) {
      const double t = F.face(b_axis, F.face_box[b_axis].offset(f[0], f[1], f[2]));
      return t != 0.0 ? t * face_drop(F, phi, b_axis, f) : 0.0;
    }, out.current_density);
    H.restore_ghosted_fine();
  }
  return out;
}

}  // namespace

ConductivityResult solve_conductivity_matrix_free(const Domain& domain, std::span<const double> sigma_xyz,
                                                  const ConductivityOptions& options) {
  return solve_mf(domain, CellSigma{sigma_xyz, {}, nullptr}, nullptr, options);
}

ConductivityResult solve_conductivity(const Domain& domain, const LabelledSigma& sigma,
                                      const ConductivityOptions& options) {
  if (options.op == ConductionOperator::matrix_free)
    return solve_mf(domain, CellSigma{{}, sigma.labels, &sigma.of_label}, nullptr, options);
  std::vector<double> tensor(3 * sigma.labels.size());
  for (std::size_t c = 0; c < sigma.labels.size(); ++c)
    tensor[3 * c] = tensor[3 * c + 1] = tensor[3 * c + 2] = sigma.of_label[sigma.labels[c]];
  return solve_conductivity(domain, std::span<const double>(tensor), options);
}

ConductivityResult solve_conductivity(const Domain& domain, std::vector<double>&& sigma_xyz,
                                      const ConductivityOptions& options) {
  std::vector<double> owned = std::move(sigma_xyz);
  if (options.op != ConductionOperator::matrix_free)
    return solve_conductivity(domain, std::span<const double>(owned), options);
  return solve_mf(domain, CellSigma{owned, {}, nullptr}, &owned, options);
}

}  // namespace ionpath::solver
