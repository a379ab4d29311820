// Optional mechanisms of spec §7.3 end to end through the config and the per-cell coefficients
// (PETSc-free, serial): off = today's arithmetic bit for bit on the three paper configs at small
// size, closed forms with each mechanism on, and the configs the binary solvers cannot honour.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mesh/generate.hpp"
#include "physics/conductivity.hpp"
#include "study/coefficients.hpp"

namespace {

using namespace ionpath;

const std::string examples = std::string(IONPATH_SOURCE_DIR) + "/examples/paper_electrolytes/";

io::RunConfig paper(const std::string& name, std::vector<std::string> set = {}) {
  set.insert(set.begin(), name == "aligned_mmt" ? "grid.n_cells=[40, 8, 12]" : "grid.n_cells=[24, 24, 24]");
  return io::load_config(examples + name + ".yaml", set);
}

std::vector<mesh::Label> labels_of(const io::RunConfig& c) {
  const auto b = mesh::generate_block(c.grid, c.geometry, c.grid.whole());
  return {b.labels.labels().begin(), b.labels.labels().end()};
}

// Species conductivity diagonal as the code computed it before the mechanisms existed.
std::array<double, 3> today(const physics::PhaseMaterial& m, const physics::Electrolyte& e, bool li_only) {
  const double T = e.temperature_K;
  const auto d = physics::donnan_state(m.fixed_charge_mol_m3, e.salt_concentration_mol_m3);
  const double sp = physics::species_conductivity_S_m(+1, physics::diffusivity_at(m.temperature, m.D_plus_m2_s, T), d.c_plus_mol_m3, T);
  const double sm = physics::species_conductivity_S_m(-1, physics::diffusivity_at(m.temperature, m.D_minus_m2_s, T), d.c_minus_mol_m3, T);
  auto plus = physics::sheet_diagonal(m, sp);
  const auto minus = physics::sheet_diagonal(m, sm);
  const double excess = m.excess_li_sheet_conductance_S * m.internal_interface_area_1_m *
                        physics::temperature_factor(m.temperature, T).value * m.temperature.reference_temperature_K / T;
  for (int a = 0; a < 3; ++a)
    if (a != m.sheet_normal_axis) plus[a] += excess;
  if (li_only) return plus;
  return {plus[0] + minus[0], plus[1] + minus[1], plus[2] + minus[2]};
}

double mean_along(const study::CellConductivity& s, std::size_t n, int axis) {
  double sum = 0.0;
  for (std::size_t c = 0; c < n; ++c) sum += s.along(c, axis);
  return sum / static_cast<double>(n);
}

TEST(MechanismsOff, PaperConfigsGiveTodaysLabelsAndCoefficientsBitForBit) {
  const mesh::PhaseTable table;
  for (const std::string name : {"pure_gel", "random_mmt", "aligned_mmt"}) {
    std::vector<std::string> off{"geometry.clay_shell.thickness_m=0", "electrolyte.sodium.exchanged_fraction=0",
                                 "phases.interface.li_mobility_factor=1", "phases.clay_shell.li_mobility_factor=1"};
    if (name == "aligned_mmt") off.push_back("geometry.aligned_walls.porosity=0");
    const io::RunConfig absent = paper(name), explicit_off = paper(name, off);
    const auto labels = labels_of(absent);
    EXPECT_EQ(labels_of(explicit_off), labels) << name;
    EXPECT_EQ(std::count(labels.begin(), labels.end(), mesh::phase::clay_shell), 0) << name;
    EXPECT_EQ(absent.electrolyte.sodium_cation_fraction, 0.0);
    for (const auto kind : {study::ConductivityKind::total, study::ConductivityKind::li_only}) {
      const auto s = study::cell_conductivity(labels, table, explicit_off, kind);
      for (std::size_t c = 0; c < labels.size(); ++c) {
        const auto want = today(absent.phase(table.name_of(labels[c])), absent.electrolyte,
                                kind == study::ConductivityKind::li_only);
        for (int a = 0; a < 3; ++a) ASSERT_EQ(s.along(c, a), want[a]) << name << " cell " << c << " axis " << a;
      }
    }
  }
}

// M-d: along straight walls the structure is a parallel laminate, sigma_eff,z = <sigma_zz>
// exactly (spec §7.2). At fixed clay content the porous wall is 1/(1-p) thicker and its in-plane
// conductivity is (1-p) sigma_wall + p sigma_gel, so sigma_z and G[sigma+]_z do not change: porous
// walls cannot raise the aligned composite's sigma or t+ along the walls.
TEST(PorousWalls, ParallelLaminateAlongTheWallsIsInvariantAtFixedClayContent) {
  const std::vector<std::string> straight{"geometry.aligned_walls.waviness_amplitude_m=0",
                                          "geometry.aligned_walls.spacing_spread=0", "geometry.interface_shell.thickness_m=0"};
  const mesh::PhaseTable table;
  auto with = [&](double p) {
    auto set = straight;
    set.push_back("geometry.aligned_walls.porosity=" + std::to_string(p));
    return paper("aligned_mmt", set);
  };
  const auto dense = with(0.0), porous = with(0.4);  // 6 dense voxels -> 10 porous voxels of 40
  const auto ld = labels_of(dense), lp = labels_of(porous);
  EXPECT_EQ(std::count(ld.begin(), ld.end(), mesh::phase::wall) * 10, std::count(lp.begin(), lp.end(), mesh::phase::wall) * 6);
  for (const auto kind : {study::ConductivityKind::total, study::ConductivityKind::li_only}) {
    const double zd = mean_along(study::cell_conductivity(ld, table, dense, kind), ld.size(), 2);
    const double zp = mean_along(study::cell_conductivity(lp, table, porous, kind), lp.size(), 2);
    EXPECT_NEAR(zp, zd, 1e-13 * zd);
  }
  // Across the walls the series rule keeps the default wall (D_perp = 0) blocking.
  const auto across = study::cell_conductivity(lp, table, porous, study::ConductivityKind::total);
  for (std::size_t c = 0; c < lp.size(); ++c)
    if (lp[c] == mesh::phase::wall) {
      EXPECT_EQ(across.along(c, 0), 0.0);
    }
}

// M-c: f_int multiplies the interface's Li+ conductivity, nothing else.
TEST(ThickInterphase, EnhancesLiPlusOfTheShellOnly) {
  const std::vector<std::string> set{"geometry.aligned_walls.waviness_amplitude_m=0", "geometry.interface_shell.thickness_m=1.0e-6"};
  auto on_set = set;
  on_set.push_back("phases.interface.li_mobility_factor=4");
  const auto base = paper("aligned_mmt", set), on = paper("aligned_mmt", on_set);
  const auto labels = labels_of(on);
  EXPECT_EQ(labels_of(base), labels);
  const mesh::PhaseTable table;
  const auto p0 = study::cell_conductivity(labels, table, base, study::ConductivityKind::li_only);
  const auto p1 = study::cell_conductivity(labels, table, on, study::ConductivityKind::li_only);
  const auto t0 = study::cell_conductivity(labels, table, base, study::ConductivityKind::total);
  const auto t1 = study::cell_conductivity(labels, table, on, study::ConductivityKind::total);
  std::size_t shell = 0;
  for (std::size_t c = 0; c < labels.size(); ++c) {
    const bool is_shell = labels[c] == mesh::phase::interface;
    shell += is_shell ? 1 : 0;
    for (int a = 0; a < 3; ++a) {
      EXPECT_DOUBLE_EQ(p1.along(c, a), (is_shell ? 4.0 : 1.0) * p0.along(c, a));
      EXPECT_DOUBLE_EQ(t1.along(c, a) - p1.along(c, a), t0.along(c, a) - p0.along(c, a));  // anion unchanged
    }
  }
  EXPECT_EQ(shell, 2u * 2u * 8u * 12u);  // two voxels on each face of the one wall, whole y-z planes
}

// M-a: clay_shell around the aggregates with beta+ lowers the local t+ there.
TEST(GelNearClay, ClayShellHoldsLiPlusAndLowersLocalTransference) {
  const auto c = paper("random_mmt", {"geometry.clay_shell.thickness_m=0.5e-6", "phases.clay_shell.li_mobility_factor=0.25"});
  const auto labels = labels_of(c);
  ASSERT_GT(std::count(labels.begin(), labels.end(), mesh::phase::clay_shell), 0);
  EXPECT_EQ(std::count(labels.begin(), labels.end(), mesh::phase::interface), 0);  // same width: clay_shell wins
  const mesh::PhaseTable table;
  const auto plus = study::cell_conductivity(labels, table, c, study::ConductivityKind::li_only);
  const auto total = study::cell_conductivity(labels, table, c, study::ConductivityKind::total);
  const double sp = 0.42 * 0.0632, sm = 0.58 * 0.0632;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == mesh::phase::clay_shell) {
      ASSERT_NEAR(plus.along(i, 2), 0.25 * sp, 1e-15);
      ASSERT_NEAR(plus.along(i, 2) / total.along(i, 2), 0.25 * sp / (0.25 * sp + sm), 1e-13);
    }
  auto geometry_only = c;
  geometry_only.geometry.clay_shell.thickness_m = 0.0;
  EXPECT_NE(labels_of(geometry_only), labels);
}

// M-b: the Na+ fraction follows the clay of each structure (none in the pure gel).
TEST(SodiumFromExchange, FractionFromTheNominalClayContent) {
  EXPECT_EQ(paper("pure_gel", {"electrolyte.sodium.exchanged_fraction=1"}).electrolyte.sodium_cation_fraction, 0.0);
  const double phi = mesh::volume_fraction_from_weight(0.132, 2700.0, 1250.0);
  EXPECT_NEAR(paper("random_mmt", {"electrolyte.sodium.exchanged_fraction=0.5"}).electrolyte.sodium_cation_fraction,
              0.5 * 0.9 * 2700.0 * phi / (390.0 * (1.0 - phi)), 1e-14);
  const double wall = 3.0 / 20.0;
  const auto a = paper("aligned_mmt", {"electrolyte.sodium.exchanged_fraction=0.5"});
  EXPECT_NEAR(a.electrolyte.sodium_cation_fraction, 0.5 * 0.9 * 2700.0 * 0.43 * wall / (390.0 * (1.0 - wall)), 1e-14);
  // Gel cells: sigma+ / sigma = (1 - y) D+ / ((1 - y) D+ + D- + y D_Na), D_Na = D+ by default.
  const std::vector<mesh::Label> gel{mesh::phase::gel};
  const double y = a.electrolyte.sodium_cation_fraction;
  const auto p = study::cell_conductivity(gel, mesh::PhaseTable{}, a, study::ConductivityKind::li_only);
  const auto t = study::cell_conductivity(gel, mesh::PhaseTable{}, a, study::ConductivityKind::total);
  EXPECT_NEAR(p.along(0, 2) / t.along(0, 2), (1 - y) * 0.42, 1e-13);
  EXPECT_NEAR(t.along(0, 2), 0.0632, 1e-15);
  EXPECT_THROW(static_cast<void>(study::species_coefficients(gel, mesh::PhaseTable{}, a)), std::invalid_argument);
}

void expect_config_error(const std::string& name, const std::vector<std::string>& set, const std::string& key) {
  try {
    static_cast<void>(paper(name, set));
    ADD_FAILURE() << "no error for " << key;
  } catch (const io::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

TEST(MechanismConfig, BinarySolversRejectNaAndPorousWallsNamingTheKey) {
  expect_config_error("random_mmt", {"electrolyte.sodium.exchanged_fraction=0.2", "experiment.type=bruce_vincent"},
                      "electrolyte.sodium.exchanged_fraction");
  expect_config_error("aligned_mmt",
                      {"geometry.aligned_walls.porosity=0.3", "experiment.type=conductivity",
                       "experiment.conductivity.model=electroneutral"},
                      "geometry.aligned_walls.porosity");
  expect_config_error("random_mmt", {"geometry.clay_shell.thickness_m=0.2e-6"}, "geometry.clay_shell.thickness_m");
  expect_config_error("aligned_mmt", {"geometry.aligned_walls.porosity=0.9"}, "geometry.aligned_walls.thickness_m");
}

}  // namespace
