// Steady electroneutral Nernst-Planck (SNES) and the finite-difference Jacobian check. The face
// loop lives in electroneutral_assembly.cpp; callbacks here only move arrays (style guide §2.2)
// and never let an exception cross into PETSc (§3.2).
#include "solver/electroneutral/electroneutral.hpp"

#include <petscsnes.h>

#include <cmath>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "solver/electroneutral/assembly.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using en_detail::Context;
using en_detail::Storage;
using en_detail::Target;

PetscErrorCode residual_callback(SNES, Vec x, Vec f, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  try {
    LocalState s(*ctx.domain, x);
    PetscScalar* F = nullptr;
    PetscCall(VecGetArray(f, &F));
    Target t;
    t.F = F;
    std::vector<double> rate;
    if (ctx.test_shift > 0.0) {  // Jacobian test of the transient form: C' = shift (C(u) - C(u0))
      rate.resize(ctx.test_base.size());
      const PetscScalar* xo = nullptr;
      PetscCall(VecGetArrayRead(x, &xo));
      if (ctx.storage == Storage::transient_variable) {
        en_detail::transient_variable(ctx, xo, rate.data());
        for (std::size_t q = 0; q < rate.size(); ++q) rate[q] = ctx.test_shift * (rate[q] - ctx.test_base[q]);
      } else {
        for (std::size_t q = 0; q < rate.size(); ++q) rate[q] = ctx.test_shift * (xo[q] - ctx.test_base[q]);
      }
      PetscCall(VecRestoreArrayRead(x, &xo));
      t.rate = rate.data();
      t.shift = ctx.test_shift;
    }
    const bool ok = en_detail::assemble(ctx, s.values(), t);
    PetscCall(VecRestoreArray(f, &F));
    if (!ok) PetscCall(SNESSetFunctionDomainError(ctx.snes));
  } catch (...) {
    ctx.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral residual failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

// P is the assembled matrix; J is P itself, or with inventory rows the shell over P and the
// inventory-row vector (en_detail::make_inventory_jacobian), filled here as well.
PetscErrorCode jacobian_callback(SNES, Vec x, Mat J, Mat P, void* raw) {
  PetscFunctionBeginUser;
  auto& ctx = *static_cast<Context*>(raw);
  try {
    LocalState s(*ctx.domain, x);
    PetscCall(MatZeroEntries(P));
    std::vector<double> scratch(2 * ctx.domain->owned().n_cells()), rate(scratch.size(), 0.0);
    Target t;
    t.F = scratch.data();
    t.J = P;
    t.rate = rate.data();
    t.shift = ctx.test_shift;
    PetscScalar* g = nullptr;
    if (ctx.inventory_row) PetscCall(VecGetArray(ctx.inventory_row, &g));
    t.inventory_row = g;
    en_detail::assemble(ctx, s.values(), t);
    if (ctx.inventory_row) PetscCall(VecRestoreArray(ctx.inventory_row, &g));
    PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
    if (J != P) {
      PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
      PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
    }
  } catch (...) {
    ctx.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "electroneutral Jacobian failed (C++ exception)");
  }
  PetscFunctionReturn(0);
}

using SnesHandle = PetscHandle<SNES, SNESDestroy>;

// The Newton matrices: P assembled (DMDA stencil); J = P, or with inventory rows the shell that
// applies them (the inventory-row vector g is allocated here and filled by the Jacobian callback).
struct NewtonMatrices {
  MatHandle P;
  VecHandle g;
  MatHandle shell;
  [[nodiscard]] Mat J() const noexcept { return shell ? shell.get() : P.get(); }
};

NewtonMatrices make_matrices(Context& ctx, Vec x) {
  NewtonMatrices m;
  m.P = make_newton_matrix(*ctx.domain);
  if (ctx.inventory.n_clusters() > 0) {
    IONPATH_PETSC_CALL(VecDuplicate(x, m.g.out()));
    IONPATH_PETSC_CALL(VecSet(m.g, 0.0));
    ctx.inventory_row = m.g;
    m.shell = en_detail::make_inventory_jacobian(ctx, m.P, m.g);
  }
  return m;
}

}  // namespace

ElectroneutralResult solve_electroneutral_steady(const Domain& domain, const ElectroneutralInput& input) {
  Context ctx;
  en_detail::setup(ctx, domain, input, /*steady=*/true);
  ElectroneutralResult out;
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  if (!input.initial_mu.empty()) {
    copy_owned(x, input.initial_mu);
  } else {  // linear mu+ between the electrode values, mu- = 0 (equilibrium elsewhere)
    PetscScalar* v = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(x, &v));
    const mesh::Box& own = domain.owned();
    const int ta = domain.transport_axis();
    const int nt = domain.grid().n_cells[ta];
    auto level = [](const ElectrodeBC& bc, double fallback) {
      return bc.kind == ElectrodeKind::blocking || bc.kind == ElectrodeKind::uniform_flux ? fallback : bc.mu_plus;
    };
    const double lo = level(input.low, level(input.high, 0.0));
    const double hi = level(input.high, lo);
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const mesh::Index3 c{i, j, k};
          v[2 * own.offset(i, j, k)] = lo + (hi - lo) * (c[ta] + 0.5) / nt;
          v[2 * own.offset(i, j, k) + 1] = 0.0;
        }
    IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
  }
  const NewtonMatrices m = make_matrices(ctx, x);
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, domain.dm()));
  IONPATH_PETSC_CALL(SNESSetOptionsPrefix(snes, "en_"));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, residual_callback, &ctx));
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, m.J(), m.P, jacobian_callback, &ctx));
  set_newton_defaults(snes, domain, input.rtol, 1e-12, electroneutral_direct_limit_3d);
  use_boomeramg(snes);
  use_adaptive_forcing(snes);
  IONPATH_PETSC_CALL(SNESSetFromOptions(snes));
  const NewtonStats stats = run_newton(snes, x, ctx.pending);
  out.newton_iterations = stats.iterations;
  out.linear_iterations = stats.linear_iterations;
  out.converged_reason = stats.reason;
  out.residual_norm = stats.residual_norm;
  if (!stats.converged)
    throw SolveError(newton_divergence_message(
        "electroneutral steady SNES", snes, electroneutral_hint,
        std::string(electroneutral_linear_hint) +
            "; a Bruce-Vincent cell can also be integrated to its steady state (experiment.bruce_vincent.route: "
            "transient)"));
  en_detail::collect_result(ctx, x, out);
  return out;
}

ElectroneutralResult solve_electroneutral_galvanostatic_steady(const Domain& domain, const ElectroneutralInput& input,
                                                               double current, double rtol) {
  if (input.low.kind != ElectrodeKind::ideal_li && input.low.kind != ElectrodeKind::butler_volmer)
    throw std::invalid_argument("galvanostatic: the low electrode must be ideal_li or butler_volmer");
  ElectroneutralInput in = input;
  std::vector<double> warm;
  auto solve_at = [&](double phi) {
    in.low.mu_plus = phi;
    ElectroneutralResult r = solve_electroneutral_steady(domain, in);
    warm.clear();  // warm start of the next solve (inventory unchanged: the row held it)
    for (std::size_t c = 0; c < r.mu_plus.size(); ++c) {
      warm.push_back(r.mu_plus[c]);
      warm.push_back(r.mu_minus[c]);
    }
    in.initial_mu = warm;
    return r;
  };
  // I(phi) is increasing; secant from the start value and a small probe.
  double phi0 = input.low.mu_plus;
  ElectroneutralResult r0 = solve_at(phi0);
  double phi1 = phi0 + (current >= r0.current_in_low ? 1e-3 : -1e-3);
  ElectroneutralResult r1 = solve_at(phi1);
  for (int it = 0; it < 60; ++it) {
    if (std::abs(r1.current_in_low - current) <= rtol * std::max(std::abs(current), 1e-300)) {
      r1.electrode_potential_low = phi1;
      return r1;
    }
    const double slope = (r1.current_in_low - r0.current_in_low) / (phi1 - phi0);
    if (!(slope > 0.0)) break;
    const double next = phi1 + (current - r1.current_in_low) / slope;
    phi0 = phi1;
    r0 = std::move(r1);
    phi1 = next;
    r1 = solve_at(phi1);
  }
  throw SolveError("electroneutral galvanostatic: the electrode potential iteration did not reach the current " +
                   std::to_string(current) + " (last " + std::to_string(r1.current_in_low) +
                   "). Hint: the current may exceed the limiting current of the structure");
}

double electroneutral_jacobian_mismatch(const Domain& domain, const ElectroneutralInput& input, std::span<const double> mu,
                                        double shift) {
  Context ctx;
  en_detail::setup(ctx, domain, input, /*steady=*/shift <= 0.0);
  VecHandle x, r;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  copy_owned(x, mu);
  if (shift > 0.0) {
    ctx.storage = Storage::transient_variable;
    ctx.test_shift = shift;
    ctx.test_base.resize(mu.size());
    en_detail::transient_variable(ctx, mu.data(), ctx.test_base.data());
  }
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, domain.dm()));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, residual_callback, &ctx));
  const NewtonMatrices m = make_matrices(ctx, x);
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, m.J(), m.P, jacobian_callback, &ctx));
  return jacobian_fd_mismatch(snes, x, m.J(), ctx.pending);
}

}  // namespace ionpath::solver
