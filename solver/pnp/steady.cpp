// Steady PNP (SNES with charge continuation) and the finite-difference Jacobian check. The face
// loop lives in assembly.cpp; the callbacks (solver/nonlinear/callbacks.hpp) only move arrays and
// never let an exception cross into PETSc.
#include "solver/pnp/pnp.hpp"

#include <petscsnes.h>

#include <cmath>
#include <exception>
#include <stdexcept>

#include "physics/donnan.hpp"
#include "solver/grid/ghosted_read.hpp"
#include "solver/nonlinear/callbacks.hpp"
#include "solver/nonlinear/jacobian_check.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/deadline_monitor.hpp"
#include "solver/petsc/error.hpp"
#include "solver/pnp/assembly.hpp"

namespace ionpath::solver {
namespace {

using pnp_detail::Context;

// Default start: local Donnan equilibrium with the reservoir salt on a potential linear between
// the faces that fix it -- exact in the electroneutral limit away from interfaces.
void default_guess(const Context& ctx, Vec x, double charge_scale) {
  const Domain& d = *ctx.domain;
  const PnpInput& in = ctx.input;
  const PnpFace& res = in.low.kind == PnpFaceKind::reservoir ? in.low : in.high;
  const double salt = res.kind == PnpFaceKind::reservoir ? std::sqrt(res.c_plus * res.c_minus) : 1.0;
  const bool lo_fix = in.low.kind != PnpFaceKind::charged_wall, hi_fix = in.high.kind != PnpFaceKind::charged_wall;
  const double psi_lo = lo_fix ? in.low.psi : in.high.psi, psi_hi = hi_fix ? in.high.psi : psi_lo;
  const int ta = d.transport_axis();
  const int nt = d.grid().n_cells[ta];
  const mesh::Box& own = d.owned();
  PetscScalar* v = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &v));
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t o = own.offset(i, j, k);
        const mesh::Index3 c{i, j, k};
        const double psi_line = psi_lo + (psi_hi - psi_lo) * (c[ta] + 0.5) / nt;
        const physics::DonnanState don = physics::donnan_state(charge_scale * in.X[o], salt);
        v[3 * o] = std::log(don.c_plus_mol_m3);
        v[3 * o + 1] = std::log(don.c_minus_mol_m3);
        v[3 * o + 2] = psi_line + don.potential;
      }
  IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
}

void configure_snes(SNES snes, Context& ctx, Vec r, Mat J, double rtol) {
  ctx.snes = snes;
  IONPATH_PETSC_CALL(SNESSetDM(snes, ctx.domain->dm()));
  IONPATH_PETSC_CALL(SNESSetOptionsPrefix(snes, "pnp_"));
  IONPATH_PETSC_CALL(SNESSetFunction(snes, r, assembly::snes_residual, assembly::callback_context(ctx)));
  IONPATH_PETSC_CALL(SNESSetJacobian(snes, J, J, assembly::snes_jacobian, assembly::callback_context(ctx)));
  set_newton_defaults(snes, *ctx.domain, rtol);
}

}  // namespace

PnpResult solve_pnp_steady(const Domain& domain, const PnpInput& input) {
  Context ctx;
  pnp_detail::setup(ctx, domain, input, /*steady=*/true);
  VecHandle x, r, saved;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(domain.dm(), x.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, r.out()));
  IONPATH_PETSC_CALL(VecDuplicate(x, saved.out()));
  if (!input.initial.empty()) {
    copy_owned(x, input.initial);
  } else {
    default_guess(ctx, x, 1.0);
  }
  MatHandle J = make_newton_matrix(domain);
  SnesHandle snes;
  IONPATH_PETSC_CALL(SNESCreate(domain.comm(), snes.out()));
  configure_snes(snes, ctx, r, J, input.rtol);
  IONPATH_PETSC_CALL(SNESSetFromOptions(snes));
  watch_deadline(snes);
  PnpResult out;
  NewtonStats stats = run_newton(snes, x, ctx.pending);
  out.newton_iterations = stats.iterations;
  out.linear_iterations = stats.linear_iterations;
  if (!stats.converged) {
    // Continuation in the fixed and surface charge from 0 (spec §9.3), adaptive step.
    default_guess(ctx, x, 0.0);
    double scale = 0.0, step = 0.25;
    bool first = true;
    while (first || scale < 1.0) {
      const double next = first ? 0.0 : std::min(1.0, scale + step);
      IONPATH_PETSC_CALL(VecCopy(x, saved));
      ctx.charge_scale = next;
      stats = run_newton(snes, x, ctx.pending);
      out.newton_iterations += stats.iterations;
      out.linear_iterations += stats.linear_iterations;
      ++out.continuation_steps;
      if (stats.converged) {
        scale = next;
        first = false;
        step = std::min(2.0 * step, 0.5);
        continue;
      }
      if (first || step < 1.0 / 1024.0)
        throw SolveError(newton_divergence_message("pnp steady SNES (charge continuation at " + std::to_string(next) + ")",
                                                   snes, pnp_hint, pnp_linear_hint));
      IONPATH_PETSC_CALL(VecCopy(saved, x));
      step *= 0.5;
    }
  }
  out.converged_reason = stats.reason;
  out.residual_norm = stats.residual_norm;
  ctx.charge_scale = 1.0;
  pnp_detail::collect_result(ctx, x, out);
  return out;
}

double pnp_jacobian_mismatch(const Domain& domain, const PnpInput& input, std::span<const double> u, double shift) {
  Context ctx;
  pnp_detail::setup(ctx, domain, input, /*steady=*/shift <= 0.0);
  return assembly::model_jacobian_mismatch(ctx, u, shift, "pnp_");
}

}  // namespace ionpath::solver
