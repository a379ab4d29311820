// Steady electroneutral Nernst-Planck (SNES) and the finite-difference Jacobian check. The face
// loop lives in assembly.cpp; the callbacks (solver/nonlinear/callbacks.hpp) only move arrays
// (style guide §2.2) and never let an exception cross into PETSc (§3.2).
#include "solver/electroneutral/electroneutral.hpp"

#include <petscsnes.h>

#include <cmath>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "solver/electroneutral/assembly.hpp"
#include "solver/nonlinear/callbacks.hpp"
#include "solver/nonlinear/jacobian_check.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

using en_detail::Context;

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
  // P assembled on the DMDA stencil; the operator is P, or with inventory rows the shell that
  // applies them (Context::newton_operator).
  const assembly::NewtonMatrices m = assembly::make_newton_matrices(ctx, x);
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, domain.dm()));
  IONPATH_PETSC_CALL(SNESSetOptionsPrefix(snes, "en_"));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, assembly::snes_residual, assembly::callback_context(ctx)));
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, m.J(), m.P, assembly::snes_jacobian, assembly::callback_context(ctx)));
  set_newton_defaults(snes, domain, input.rtol, 1e-12, electroneutral_direct_limit_3d);
  use_boomeramg(snes);
  use_adaptive_forcing(snes);
  IONPATH_PETSC_CALL(SNESSetFromOptions(snes));
  watch_deadline(snes);
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
  return assembly::model_jacobian_mismatch(ctx, mu, shift);
}

}  // namespace ionpath::solver
