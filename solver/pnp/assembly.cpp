// The one face loop of the PNP model: residual, analytic Jacobian and diagnostics (electrode
// currents, cross-section currents, inventories, net charge) from the same flux evaluations. Each
// face's fluxes are evaluated once (assembly::for_each_face) and scattered to both of its cells.
#include "solver/pnp/assembly.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>

#include "physics/electroneutral_kernels.hpp"
#include "physics/face_means.hpp"
#include "physics/scharfetter_gummel.hpp"
#include "solver/nonlinear/block_rows.hpp"

namespace ionpath::solver::pnp_detail {
namespace {

using assembly::BoundaryFace;
using assembly::Cell;
using assembly::Face;
using Rows = assembly::BlockRows<3>;
using Block = Rows::Block;

constexpr int charge_number[2] = {1, -1};

// Everything that crosses one face: the Scharfetter-Gummel flux of each species present on both
// sides and the displacement conductance Lambda^2 eps_f of the Poisson row.
struct FaceFluxes {
  physics::SgFlux N[2];
  bool present[2] = {false, false};
  double displacement = 0.0;
};

template <bool WithJacobian>
class Sweep {
 public:
  Sweep(Context& ctx, const double* u, const Target& t)
      : ctx_(ctx), in_(ctx.input), u_(u), t_(t), rows_(*ctx.domain, ctx.l2g, WithJacobian ? t.J : nullptr),
        ta_(ctx.domain->transport_axis()), n_ta_(ctx.domain->grid().n_cells[ta_]),
        poisson_scale_(1.0 / std::max(1.0, in_.Lambda2)) {}

  void begin_cell(const Cell& c) { rows_.begin_cell(c); }

  void interior(const Face& f) {
    const FaceFluxes ff = assembly::evaluate_face(ctx_.face_calls, f, [&] { return fluxes(f); });
    // Outflow of L: species fluxes, and Lambda^2 eps_f (psi_L - psi_R) in the Poisson row.
    double outflow[3] = {0.0, 0.0, ff.displacement * (u_[3 * f.L + 2] - u_[3 * f.R + 2])};
    double current = 0.0;
    for (int sp = 0; sp < 2; ++sp)
      if (ff.present[sp]) {
        outflow[sp] = ff.N[sp].value;
        current += charge_number[sp] * ff.N[sp].value;
      }
    assembly::scatter_outflow<3>(t_.F, f, outflow);
    if (double* cur = t_.cell_current) {
      if (f.own_L >= 0) cur[3 * f.own_L + f.axis] += 0.5 * current;
      if (f.own_R >= 0) cur[3 * f.own_R + f.axis] += 0.5 * current;
    }
    if (f.axis == ta_ && f.own_L >= 0) ctx_.diag.cross_section[static_cast<std::size_t>(f.upper[ta_])] += current;
    if constexpr (WithJacobian) {
      Block dL{}, dR{};
      dL[8] = ff.displacement * poisson_scale_;
      dR[8] = -ff.displacement * poisson_scale_;
      for (int sp = 0; sp < 2; ++sp) {
        if (!ff.present[sp]) continue;
        dL[4 * sp] = ff.N[sp].d_uL;
        dL[3 * sp + 2] = ff.N[sp].d_psiL;
        dR[4 * sp] = ff.N[sp].d_uR;
        dR[3 * sp + 2] = ff.N[sp].d_psiR;
      }
      rows_.add_face(f, dL, dR);
    }
  }

  void boundary(const BoundaryFace& b) {
    const std::size_t g = b.cell.ghost, o = b.cell.own;
    const PnpFace* face = b.axis == ta_ ? (b.side == 0 ? &in_.low : &in_.high) : nullptr;
    double* f = t_.F + 3 * o;
    if (!face || face->kind == PnpFaceKind::charged_wall) {
      const double q = face ? face->surface_charge : in_.side_surface_charge;
      f[2] -= ctx_.charge_scale * q;  // displacement outflow through a charged wall = -q
      ctx_.diag.net_charge += ctx_.charge_scale * q;
      return;
    }
    const FaceFluxes ff = assembly::evaluate_boundary_face(ctx_.face_calls, b, [&] { return boundary_fluxes(b, *face); });
    Block& J = rows_.diagonal();
    f[2] += ff.displacement * (u_[3 * g + 2] - face->psi);
    if constexpr (WithJacobian) J[8] += ff.displacement * poisson_scale_;
    if (face->kind != PnpFaceKind::reservoir) return;
    // Outflow of K: +N through the high face (K is L), -N through the low face (K is R).
    const bool high = b.side == 1;
    const double sgn = high ? 1.0 : -1.0;
    double out_current = 0.0;
    for (int sp = 0; sp < 2; ++sp) {
      if (!ff.present[sp]) continue;
      const physics::SgFlux& N = ff.N[sp];
      f[sp] += sgn * N.value;
      if constexpr (WithJacobian) {
        J[4 * sp] += sgn * (high ? N.d_uL : N.d_uR);
        J[3 * sp + 2] += sgn * (high ? N.d_psiL : N.d_psiR);
      }
      out_current += charge_number[sp] * sgn * N.value;
      if (sp == 0) ctx_.diag.li_flux_in[static_cast<std::size_t>(b.side)] -= sgn * N.value;
    }
    ctx_.diag.current_in[static_cast<std::size_t>(b.side)] -= out_current;
    const double i_dir = high ? out_current : -out_current;  // current in +axis
    if (t_.cell_current) t_.cell_current[3 * o + static_cast<std::size_t>(b.axis)] += 0.5 * i_dir;
    ctx_.diag.cross_section[static_cast<std::size_t>(high ? n_ta_ : 0)] += i_dir;
  }

  // Every face of c has been visited: species rows (storage - source + outflows; absent species
  // are identity rows, u = 0) and the Poisson row Lambda^2 sum eps_f (psi_K - psi_N) - (c+ - c- - X)
  // - s_psi, scaled (spec §9.3).
  void end_cell(const Cell& c) {
    const std::size_t o = c.own, g = c.ghost;
    double* f = t_.F + 3 * o;
    Block& J = rows_.diagonal();
    const bool on[2] = {ctx_.active[0][g] != 0, ctx_.active[1][g] != 0};
    const double cK[2] = {ctx_.conc[2 * g], ctx_.conc[2 * g + 1]};
    for (int sp = 0; sp < 2; ++sp) {
      const auto s = static_cast<std::size_t>(sp);
      if (!on[sp]) {
        f[sp] = u_[3 * g + s];
        J[4 * sp] += 1.0;
        continue;
      }
      ctx_.diag.inventory[s] += cK[sp];
      if (!in_.source.empty()) f[sp] -= in_.source[3 * o + s];
      if (ctx_.storage == Storage::transient_variable) {
        f[sp] += t_.rate[3 * o + s];
        J[4 * sp] += t_.shift * cK[sp];
      } else if (ctx_.storage == Storage::mass_matrix) {
        f[sp] += cK[sp] * t_.rate[3 * o + s];
        J[4 * sp] += cK[sp] * (t_.rate[3 * o + s] + t_.shift);
      }
    }
    const double charge = cK[0] * on[0] - cK[1] * on[1] - ctx_.charge_scale * ctx_.X[g];
    ctx_.diag.net_charge += charge;
    f[2] += -charge - (in_.source.empty() ? 0.0 : in_.source[3 * o + 2]);
    for (int sp = 0; sp < 2; ++sp)
      if (on[sp]) J[6 + sp] += -charge_number[sp] * cK[sp] * poisson_scale_;
    f[2] *= poisson_scale_;
    rows_.end_cell();
  }

 private:
  FaceFluxes fluxes(const Face& f) const noexcept {
    FaceFluxes ff;
    const auto a = static_cast<std::size_t>(f.axis);
    ff.displacement = in_.Lambda2 * physics::harmonic_mean(ctx_.eps[f.L], ctx_.eps[f.R]).value;
    for (int sp = 0; sp < 2; ++sp) {
      const auto s = static_cast<std::size_t>(sp);
      if (!ctx_.active[s][f.L] || !ctx_.active[s][f.R]) continue;
      const auto& D = sp == 0 ? ctx_.Dp[a] : ctx_.Dm[a];
      const double G = physics::harmonic_mean(D[f.L], D[f.R]).value;
      if (G == 0.0) continue;
      ff.N[sp] = physics::sg_flux(ctx_.conc[2 * f.L + s], ctx_.conc[2 * f.R + s], u_[3 * f.L + 2], u_[3 * f.R + 2],
                                  charge_number[sp], G);
      ff.present[sp] = true;
    }
    return ff;
  }

  // Electrode or reservoir face: displacement over the half cell to the face potential and, at a
  // reservoir, the SG flux over the half cell between the face state and the cell centre.
  FaceFluxes boundary_fluxes(const BoundaryFace& b, const PnpFace& face) const noexcept {
    FaceFluxes ff;
    const std::size_t g = b.cell.ghost;
    ff.displacement = in_.Lambda2 * (ctx_.eps[g] / 0.5);
    if (face.kind != PnpFaceKind::reservoir) return ff;
    const auto a = static_cast<std::size_t>(b.axis);
    const double psiK = u_[3 * g + 2];
    for (int sp = 0; sp < 2; ++sp) {
      if (!ctx_.active[static_cast<std::size_t>(sp)][g]) continue;
      const double G = ((sp == 0 ? ctx_.Dp : ctx_.Dm)[a][g]) / 0.5;
      const double cK = ctx_.conc[2 * g + static_cast<std::size_t>(sp)];
      const double cb = sp == 0 ? face.c_plus : face.c_minus;
      const int z = charge_number[sp];
      ff.N[sp] = b.side == 1 ? physics::sg_flux(cK, cb, psiK, face.psi, z, G)
                             : physics::sg_flux(cb, cK, face.psi, psiK, z, G);
      ff.present[sp] = true;
    }
    return ff;
  }

  Context& ctx_;
  const PnpInput& in_;
  const double* u_;
  const Target& t_;
  Rows rows_;
  int ta_, n_ta_;
  double poisson_scale_;
};

}  // namespace

bool Context::assemble(const double* u, const Target& t) {
  Context& ctx = *this;
  const Domain& d = *ctx.domain;
  const mesh::Box& gb = d.ghosted();
  // Concentrations once per ghosted cell (the faces read them on both sides).
  bool ok = true;
  for (std::size_t c = 0; c < gb.n_cells() && ok; ++c)
    for (int sp = 0; sp < 2; ++sp) {
      if (!ctx.active[static_cast<std::size_t>(sp)][c]) continue;
      const double v = u[3 * c + static_cast<std::size_t>(sp)];
      if (!std::isfinite(v) || !(std::abs(v) < 600.0) || !std::isfinite(u[3 * c + 2])) ok = false;
      ctx.conc[2 * c + static_cast<std::size_t>(sp)] = std::exp(v);
    }
  if (!assembly::on_all_ranks(d.comm(), ok)) return false;
  Diagnostics& dg = ctx.diag;
  dg.current_in = dg.li_flux_in = dg.inventory = {0.0, 0.0};
  dg.net_charge = 0.0;
  std::fill(dg.cross_section.begin(), dg.cross_section.end(), 0.0);
  assembly::run_sweep<Sweep>(ctx, u, t);
  assembly::sum_over_ranks(d.comm(), {dg.current_in, dg.inventory, std::span(&dg.net_charge, 1), dg.li_flux_in,
                                      dg.cross_section});
  return true;
}

void Context::transient_variable(const double* u_owned, double* C) const {
  const Context& ctx = *this;
  assembly::for_each_owned_cell(*ctx.domain, [&](const Cell& c) {
    for (std::size_t sp = 0; sp < 2; ++sp)
      C[3 * c.own + sp] = ctx.active[sp][c.ghost] ? std::exp(u_owned[3 * c.own + sp]) : 0.0;
    C[3 * c.own + 2] = u_owned[3 * c.own + 2];
  });
}

void collect_result(Context& ctx, Vec x, PnpResult& out) {
  const Domain& d = *ctx.domain;
  const assembly::StateEvaluation s(ctx, x, &out.current, "pnp: final state is unphysical (overflow or NaN)");
  out.c_plus.clear();
  out.c_minus.clear();
  out.psi.clear();
  out.active_plus.clear();
  out.active_minus.clear();
  assembly::for_each_owned_cell(d, [&](const Cell& c) {
    const double* v = s.values() + 3 * c.ghost;
    out.active_plus.push_back(ctx.active[0][c.ghost]);
    out.active_minus.push_back(ctx.active[1][c.ghost]);
    out.c_plus.push_back(ctx.active[0][c.ghost] ? std::exp(v[0]) : 0.0);
    out.c_minus.push_back(ctx.active[1][c.ghost] ? std::exp(v[1]) : 0.0);
    out.psi.push_back(v[2]);
  });
  const Diagnostics& dg = ctx.diag;
  out.current_in_low = dg.current_in[0];
  out.current_in_high = dg.current_in[1];
  out.li_flux_in_low = dg.li_flux_in[0];
  out.li_flux_in_high = dg.li_flux_in[1];
  out.cross_section_current = dg.cross_section;
  out.inventory_plus = dg.inventory[0];
  out.inventory_minus = dg.inventory[1];
  out.net_charge = dg.net_charge;
  double inactive = ctx.inactive_fraction;
  MPI_Allreduce(MPI_IN_PLACE, &inactive, 1, MPI_DOUBLE, MPI_SUM, d.comm());
  out.inactive_fraction = inactive / (2.0 * static_cast<double>(d.grid().n_total()));
}

}  // namespace ionpath::solver::pnp_detail
