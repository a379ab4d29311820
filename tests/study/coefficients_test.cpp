// study/coefficients: per-cell conductivities and Nernst-Planck coefficients from labels, the phase
// table and the config. PETSc-free and serial (no MPI, no PETSc initialisation).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "physics/conductivity.hpp"
#include "physics/constants.hpp"
#include "study/coefficients.hpp"

namespace {

using namespace ionpath;

// ctest runs each discovered test as its own process, in parallel: one file per process (pid),
// or one test reads the file while another is rewriting it ("must be a YAML map").
io::RunConfig config_from(const std::string& yaml) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("ionpath_coefficients_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << yaml;
  io::RunConfig c = io::load_config(file);
  std::filesystem::remove(file);
  return c;
}

const std::string base = R"(grid: {n_cells: [4, 4, 4], voxel_size_m: 1e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  clay: {sigma_S_m: 0.0, t_plus: 0.5}
)";

// The choice is made over every phase with material parameters, not over the cells of one rank, so
// all ranks take the same solver path; the default wall is a sheet phase, so it is made isotropic.
TEST(CellConductivity, IsotropicPhasesGiveOneValuePerLabel) {
  const auto config = config_from(base + "  wall: {sheet_normal: none}\n");
  const std::vector<mesh::Label> labels{mesh::phase::gel, mesh::phase::clay, mesh::phase::gel};
  const mesh::PhaseTable table;
  const auto total = study::cell_conductivity(labels, table, config, study::ConductivityKind::total);
  EXPECT_TRUE(total.tensor.empty());
  EXPECT_NEAR(total.along(0, 2), 0.0632, 1e-15);
  EXPECT_EQ(total.along(1, 0), 0.0);
  const auto plus = study::cell_conductivity(labels, table, config, study::ConductivityKind::li_only);
  EXPECT_NEAR(plus.along(2, 1), 0.42 * 0.0632, 1e-15);
  const auto with_sheets = study::cell_conductivity(labels, table, config_from(base), study::ConductivityKind::total);
  EXPECT_EQ(with_sheets.tensor.size(), 9u);
  for (std::size_t c = 0; c < labels.size(); ++c)
    for (int a = 0; a < 3; ++a) EXPECT_EQ(with_sheets.along(c, a), total.along(c, a));
}

TEST(CellConductivity, SheetPhasesGiveADiagonalTensor) {
  const auto config = config_from(base + R"(  wall: {sigma_S_m: 0.0316, t_plus: 0.8, sheet_normal: x, normal_to_inplane_ratio: 0.25}
)");
  const std::vector<mesh::Label> labels{mesh::phase::gel, mesh::phase::wall};
  const auto s = study::cell_conductivity(labels, mesh::PhaseTable{}, config, study::ConductivityKind::total);
  ASSERT_EQ(s.tensor.size(), 6u);
  EXPECT_NEAR(s.along(1, 0), 0.25 * 0.0316, 1e-15);  // across the sheets
  EXPECT_NEAR(s.along(1, 1), 0.0316, 1e-15);
  EXPECT_NEAR(s.along(0, 0), 0.0632, 1e-15);
  // geometric variant: gel and interface conduct as the reference phase, walls insulate
  const auto g = study::cell_conductivity(labels, mesh::PhaseTable{}, config, study::ConductivityKind::geometric);
  EXPECT_NEAR(g.along(0, 2), 0.0632, 1e-15);
  EXPECT_EQ(g.along(1, 2), 0.0);
}

TEST(CellConductivity, APhaseWithoutMaterialIsNamed) {
  const auto config = config_from(base);
  mesh::PhaseTable table;
  table.add("binder", 20);
  const std::vector<mesh::Label> labels{20};
  try {
    static_cast<void>(study::cell_conductivity(labels, table, config, study::ConductivityKind::total));
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("phases.binder"), std::string::npos) << e.what();
  }
}

// D_i = sigma_i R T / (F^2 c_i): the Nernst-Planck coefficients conduct as the phase's sigma+-,
// with X in c0 and the permittivity relative to the gel's.
TEST(SpeciesCoefficients, ConductAsThePhaseConductivitySays) {
  const auto config = config_from(base + R"(  wall: {sigma_S_m: 0.0316, t_plus: 0.8, fixed_charge_mol_m3: 627, relative_permittivity: 10}
)");
  const std::vector<mesh::Label> labels{mesh::phase::gel, mesh::phase::wall};
  const auto k = study::species_coefficients(labels, mesh::PhaseTable{}, config);
  ASSERT_EQ(k.D_plus.size(), 6u);
  const double c0 = 390.0, T = config.electrolyte.temperature_K;
  const auto wall = physics::phase_conductivity(config.phase("wall"), config.electrolyte);
  const auto donnan = physics::donnan_state(627.0, c0);
  const double F = physics::faraday_C_mol, R = physics::gas_constant_J_mol_K;
  EXPECT_NEAR(k.D_plus[3] * k.scales.D0 * F * F * donnan.c_plus_mol_m3 / (R * T), wall.plus[0], 1e-12 * wall.plus[0]);
  EXPECT_NEAR(k.D_minus[5] * k.scales.D0 * F * F * donnan.c_minus_mol_m3 / (R * T), wall.minus[2], 1e-12 * wall.minus[2]);
  EXPECT_NEAR(k.X[1], 627.0 / c0, 1e-15);
  EXPECT_EQ(k.X[0], 0.0);
  EXPECT_NEAR(k.permittivity[1], 10.0 / config.phase("gel").relative_permittivity, 1e-15);
  EXPECT_NEAR(k.D_plus[0], 1.0, 1e-12);  // D0 is the gel's D+
}

}  // namespace
