// The bath-to-bath Nernst-Planck cell (study/bath_cell) against the conduction model of the same
// material, with the interface excess Sigma+ on (issue 12, defect 6).
//
// Small-signal theory (docs/physics.md, "One material model, three experiments"): linearised
// about the uniform Donnan state, the steady electroneutral equations decouple into
// div(sigma+ grad mu+) = 0 and div(sigma- grad mu-) = 0 (each species is conserved, both are
// exchanged with the baths), so the bath cell measures
//     sigma_bath = G[sigma+] + G[sigma-],   t+_bath = G[sigma+] / (G[sigma+] + G[sigma-]),
// while the conduction model (the high-frequency plateau, concentrations frozen) measures
//     sigma_cond = G[sigma+ + sigma-],       t+_BV   = G[sigma+] / G[sigma+ + sigma-]
// (spec §1.6). G is concave and 1-homogeneous, so G[a + b] >= G[a] + G[b]: the two conductivities
// agree only when the Li+ and anion potentials coincide (straight walls along the field, or the
// same local t+ everywhere) and otherwise sigma_bath < sigma_cond, t+_bath > t+_BV. What must
// agree is each species' conductance: the bath cell's Li+ and anion currents equal the
// conduction solves of the per-cell sigma+ and sigma- of the same material model. The
// Bruce-Vincent experiment (ideal Li electrodes, anion blocked) gives I_s = G[sigma+] V in
// both models.
//
// Tolerances: the bath cell at V = 1 mV (V/V_T = 0.039) differs from its linear limit by
// O(V/V_T) terms times a geometric factor; measured 6e-5 relative on the aligned example, so
// 1e-3 at 1 mV. Laminates are exact on the grid (harmonic face means), 1e-9 for conduction.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "io/config.hpp"
#include "physics/conductivity.hpp"
#include "study/bath_cell.hpp"
#include "study/bruce_vincent.hpp"
#include "study/conductivity.hpp"
#include "study_test_support.hpp"

namespace study = ionpath::study;
namespace io = ionpath::io;
namespace ph = ionpath::physics;
namespace solver = ionpath::solver;

namespace {

using study_test::world_rank;

using study_test::config_from;

// The wall of the aligned example (examples/paper_electrolytes/aligned_mmt.yaml): D+- = 0.1 x gel
// in-plane, X = 627 mol/m3, kappa = 0.5, Sigma+ = 4e-10 S over a_v = 9e8 1/m (+3.6 mS/cm Li+).
const std::string wall_with_excess =
    "fixed_charge_mol_m3: 627, capacity: 0.5, excess_li_sheet_conductance_S: 4.0e-10, internal_interface_area_1_m: 9.0e8";

struct Comparison {
  double sigma_cond = 0, sigma_plus = 0, sigma_minus = 0;  // conduction G[.] as sigma_eff (S/m)
  double sigma_bath = 0, t_bath = 0;                       // electroneutral bath cell
  [[nodiscard]] double t_bv() const { return sigma_plus / sigma_cond; }
  [[nodiscard]] double sigma_decoupled() const { return sigma_plus + sigma_minus; }
  [[nodiscard]] double t_decoupled() const { return sigma_plus / sigma_decoupled(); }
};

Comparison compare(const io::RunConfig& config, int axis, double voltage_V) {
  const study::Structure s = study::build_structure(config, MPI_COMM_WORLD);
  solver::ConductivityOptions opt;
  opt.axis = axis;
  opt.ksp.rtol = 1e-12;
  const std::size_t n = s.labels.labels().size();
  const auto tensor = [&](study::ConductivityKind kind) {
    const study::CellConductivity cc = study::cell_conductivity(s.labels.labels(), s.table, config, kind);
    std::vector<double> t(3 * n);
    for (std::size_t c = 0; c < n; ++c)
      for (int a = 0; a < 3; ++a) t[3 * c + static_cast<std::size_t>(a)] = cc.along(c, a);
    return t;
  };
  const std::vector<double> total = tensor(study::ConductivityKind::total);
  const std::vector<double> plus = tensor(study::ConductivityKind::li_only);
  std::vector<double> minus(total.size());
  for (std::size_t i = 0; i < total.size(); ++i) minus[i] = total[i] - plus[i];
  Comparison c;
  c.sigma_cond = solver::solve_conductivity(*s.domain, total, opt).sigma_eff;
  c.sigma_plus = solver::solve_conductivity(*s.domain, plus, opt).sigma_eff;
  c.sigma_minus = solver::solve_conductivity(*s.domain, minus, opt).sigma_eff;
  io::RunConfig en = config;
  en.experiment.spec = io::ConductivitySpec{io::Model::electroneutral, voltage_V, 0.0};
  const study::NernstPlanckCellResult b = study::run_nernst_planck_cell(s, en, axis);
  c.sigma_bath = b.sigma_eff_S_m;
  c.t_bath = b.t_plus;
  if (world_rank() == 0)
    std::printf("  conduction sigma %.9g (G[s+] %.9g, G[s-] %.9g, t+_BV %.7f); bath at %.2g mV: sigma %.9g, t+ %.7f; "
                "decoupled %.9g, %.7f\n",
                c.sigma_cond, c.sigma_plus, c.sigma_minus, c.t_bv(), 1e3 * voltage_V, c.sigma_bath, c.t_bath,
                c.sigma_decoupled(), c.t_decoupled());
  return c;
}

double harmonic(double f1, double s1, double f2, double s2) { return 1.0 / (f1 / s1 + f2 / s2); }

}  // namespace

// Series laminate, one cell wide across: gel and charged walls with Sigma+ stacked along x (the
// wall's sheet normal is y, so x is in its plane and carries the excess). Closed forms for both
// experiments; they differ by a factor 1.8 because the walls pass Li+ almost only (local t+
// 0.97) while the gel passes both ions: salt piles up at every wall face under DC.
TEST(BathCell, SeriesLaminateWithInterfaceExcessMatchesClosedForms) {
  const io::RunConfig config = config_from("series", R"(
grid: {n_cells: [16, 1, 1], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: zero_flux
  transport_axis: x
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sigma_S_m: 0.0316, t_plus: 0.8, sheet_normal: y, normal_to_inplane_ratio: 1, )" + wall_with_excess + R"(}
experiment: {type: conductivity, axes: [x]}
)");
  const double f_wall = 0.25;
  const auto g = ph::phase_conductivity(config.phase("gel"), config.electrolyte);
  const auto w = ph::phase_conductivity(config.phase("wall"), config.electrolyte);
  ASSERT_GT(w.plus[0], 0.36);  // the excess is in-plane, i.e. along x here
  const double Hp = harmonic(1 - f_wall, g.plus[0], f_wall, w.plus[0]);
  const double Hm = harmonic(1 - f_wall, g.minus[0], f_wall, w.minus[0]);
  const double H = harmonic(1 - f_wall, g.total()[0], f_wall, w.total()[0]);
  const Comparison c = compare(config, 0, 1e-3);
  EXPECT_NEAR(c.sigma_cond, H, 1e-9 * H);
  EXPECT_NEAR(c.sigma_plus, Hp, 1e-9 * Hp);
  EXPECT_NEAR(c.sigma_minus, Hm, 1e-9 * Hm);
  // The bath cell: sigma = H[sigma+] + H[sigma-], t+ = H[sigma+] / (H[sigma+] + H[sigma-]).
  EXPECT_NEAR(c.sigma_bath, Hp + Hm, 1e-3 * (Hp + Hm));
  EXPECT_NEAR(c.t_bath, Hp / (Hp + Hm), 1e-3);
  // ... which is not the conduction answer: 0.0444 vs 0.0802 S/m, t+ 0.78 vs 0.43.
  EXPECT_LT(c.sigma_bath, 0.6 * c.sigma_cond);
  EXPECT_GT(c.t_bath, c.t_bv() + 0.3);
}

// Straight walls along the field (no waviness): every column is uniform, both potentials are
// linear, so the two experiments coincide: sigma = sum phi sigma, t+ = sum phi sigma+ / sum phi sigma.
TEST(BathCell, ParallelWallsWithInterfaceExcessAgreeWithConduction) {
  const io::RunConfig config = config_from("parallel", R"(
grid: {n_cells: [16, 2, 10], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sheet_normal: x, normal_to_inplane_ratio: 0, )" + wall_with_excess + R"(}
experiment: {type: conductivity}
)");
  const auto g = ph::phase_conductivity(config.phase("gel"), config.electrolyte);
  const auto w = ph::phase_conductivity(config.phase("wall"), config.electrolyte);
  const double s = 0.75 * g.total()[2] + 0.25 * w.total()[2];
  const double sp = 0.75 * g.plus[2] + 0.25 * w.plus[2];
  const Comparison c = compare(config, 2, 1e-3);
  EXPECT_NEAR(c.sigma_cond, s, 1e-9 * s);
  EXPECT_NEAR(c.t_bv(), sp / s, 1e-9);
  EXPECT_NEAR(c.sigma_bath, s, 1e-8 * s);  // uniform columns: exact at any voltage
  EXPECT_NEAR(c.t_bath, sp / s, 1e-8);
}

// Wavy walls (the aligned example's geometry, reduced): current lines bend around the wall
// steps, and with Sigma+ the walls (local t+ 0.995) and the gel (0.42) separate the Li+ and anion
// paths. Each species' current in the bath cell is the conduction solve of its own sigma.
TEST(BathCell, WavyWallsWithInterfaceExcessMatchSpeciesConductances) {
  const io::RunConfig config = config_from("wavy", R"(
grid: {n_cells: [40, 4, 30], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 10.0e-6, spacing_spread: 0.0, thickness_m: 1.5e-6, waviness_amplitude_m: 1.0e-6,
                  waviness_wavelength_m: 15.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sheet_normal: x, normal_to_inplane_ratio: 0, )" + wall_with_excess + R"(}
experiment: {type: conductivity}
)");
  const Comparison c = compare(config, 2, 1e-3);
  EXPECT_NEAR(c.sigma_bath, c.sigma_decoupled(), 1e-3 * c.sigma_decoupled());
  EXPECT_NEAR(c.t_bath, c.t_decoupled(), 1e-3);
  // The structure is not a parallel laminate: the experiments differ, in the direction G is concave.
  EXPECT_LT(c.sigma_bath, 0.99 * c.sigma_cond);
  EXPECT_GT(c.t_bath, c.t_bv() + 0.01);
  // Without Sigma+ the walls carry little current and the gap nearly closes (spec default wall).
  io::RunConfig no_excess = config;
  for (auto& p : no_excess.phases)
    if (p.name == "wall") p.excess_li_sheet_conductance_S = 0.0;
  const Comparison c0 = compare(no_excess, 2, 1e-3);
  EXPECT_NEAR(c0.sigma_bath, c0.sigma_decoupled(), 1e-3 * c0.sigma_decoupled());
  EXPECT_LT(std::abs(c0.sigma_bath / c0.sigma_cond - 1), std::abs(c.sigma_bath / c.sigma_cond - 1));
}

// Bruce-Vincent (ideal Li electrodes, anion blocked at steady state): here the electroneutral model
// must reproduce the conduction model's t+ = G[sigma+]/G[sigma] (spec §1.6) with Sigma+ on. The
// walls get a small D_perp so that the gel channels exchange anions (one inventory constraint).
TEST(BathCell, BruceVincentWithInterfaceExcessMatchesLinearShortcut) {
  const io::RunConfig config = config_from("bv", R"(
grid: {n_cells: [20, 2, 16], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 5.0e-6, spacing_spread: 0.0, thickness_m: 1.5e-6, waviness_amplitude_m: 1.0e-6,
                  waviness_wavelength_m: 8.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sheet_normal: x, normal_to_inplane_ratio: 1.0e-3, )" + wall_with_excess + R"(}
experiment: {type: bruce_vincent, bruce_vincent: {voltage_V: 0.001}}
)");
  const study::Structure s = study::build_structure(config, MPI_COMM_WORLD);
  const study::BruceVincentResult b = study::run_bruce_vincent(s, config, 2);
  if (world_rank() == 0) std::printf("  Bruce-Vincent at 1 mV: t+ = %.7f, linear %.7f\n", b.t_plus, b.t_plus_linear);
  EXPECT_GT(b.t_plus_linear, 0.47);  // the excess matters here (gel 0.42)
  EXPECT_NEAR(b.t_plus, b.t_plus_linear, 1e-3);
}
