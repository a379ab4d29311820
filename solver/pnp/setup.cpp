// Set-up of the PNP model: input checks, coefficient ghosts and the cells where each species'
// row is solved (spec §3.9).
#include <stdexcept>
#include <string>

#include "solver/grid/connected_components.hpp"
#include "solver/grid/dmda_ghosts.hpp"
#include "solver/pnp/assembly.hpp"

namespace ionpath::solver::pnp_detail {
namespace {

bool fixes_psi(const PnpFace& f) { return f.kind != PnpFaceKind::charged_wall; }

void check_sizes(const Domain& d, const PnpInput& in) {
  const std::size_t n = d.owned().n_cells();
  auto need = [&](std::span<const double> v, std::size_t per_cell, const char* name, bool optional) {
    if ((optional && v.empty()) || v.size() == per_cell * n) return;
    throw std::invalid_argument(std::string("pnp: ") + name + " must have " + std::to_string(per_cell) +
                                " values per owned cell" + (optional ? " or be empty" : ""));
  };
  need(in.D_plus, 3, "D_plus", false);
  need(in.D_minus, 3, "D_minus", false);
  need(in.permittivity, 1, "permittivity", false);
  need(in.X, 1, "X", false);
  need(in.source, 3, "source", true);
  need(in.initial, 3, "initial", true);
  for (const double e : in.permittivity)
    if (!(e > 0.0)) throw std::invalid_argument("pnp: permittivity must be > 0 in every cell, got " + std::to_string(e));
  if (!(in.Lambda2 > 0.0)) throw std::invalid_argument("pnp: Lambda2 must be > 0");
  if (!fixes_psi(in.low) && !fixes_psi(in.high))
    throw std::invalid_argument("pnp: one transport face must fix the potential (electrode or reservoir)");
  for (const PnpFace* f : {&in.low, &in.high})
    if (f->kind == PnpFaceKind::reservoir && !(f->c_plus > 0.0 && f->c_minus > 0.0))
      throw std::invalid_argument("pnp: reservoir concentrations must be > 0");
}

}  // namespace

void setup(Context& ctx, const Domain& d, const PnpInput& in, bool steady) {
  if (d.options().dof != 3) throw std::invalid_argument("pnp: the Domain must have dof = 3");
  check_sizes(d, in);
  const int ta = d.transport_axis();
  std::vector<BoxFace> reservoirs;
  if (in.low.kind == PnpFaceKind::reservoir) reservoirs.push_back({ta, 0});
  if (in.high.kind == PnpFaceKind::reservoir) reservoirs.push_back({ta, 1});
  if (steady && reservoirs.empty())
    throw std::invalid_argument("pnp: a steady problem needs a reservoir face (closed cells: use the transient solver)");
  ctx.domain = &d;
  ctx.dof = 3;
  ctx.input = in;
  GhostExchange ex(d);
  ctx.Dp = assembly::ghosted_axes(d, ex, in.D_plus);
  ctx.Dm = assembly::ghosted_axes(d, ex, in.D_minus);
  ctx.eps = assembly::ghosted_component(d, ex, in.permittivity, 1, 0);
  ctx.X = assembly::ghosted_component(d, ex, in.X, 1, 0);
  // A species row is solved where the species can move; steady problems also need a path to a
  // reservoir (an isolated pore's content is not determined by a steady balance, spec §3.9).
  const std::size_t n_own = d.owned().n_cells();
  ctx.inactive_fraction = 0.0;
  for (int sp = 0; sp < 2; ++sp) {
    const std::span<const double> D = sp == 0 ? in.D_plus : in.D_minus;
    std::vector<double> on(n_own, 0.0);
    if (steady) {
      const AxisFlags flags = flags_from_tensor(D);
      const ComponentLabels labels = label_components(d, flags);
      const ActiveCells kept = classify_components(d, flags, labels, reservoirs, {}, ActiveRule::touch_any);
      for (std::size_t c = 0; c < n_own; ++c) on[c] = kept.active[c];
    } else {
      for (std::size_t c = 0; c < n_own; ++c) on[c] = D[3 * c] + D[3 * c + 1] + D[3 * c + 2] > 0.0;
    }
    for (const double v : on) ctx.inactive_fraction += v > 0.0 ? 0.0 : 1.0;
    const auto& g = ex.exchange(on);
    ctx.active[static_cast<std::size_t>(sp)].assign(g.begin(), g.end());
  }
  ctx.l2g = assembly::local_to_global_rows(d);
  ctx.conc.assign(2 * d.ghosted().n_cells(), 0.0);
  ctx.diag.cross_section.assign(static_cast<std::size_t>(d.grid().n_cells[ta]) + 1, 0.0);
}

}  // namespace ionpath::solver::pnp_detail
