// Configuration: a full config parses into the structs; every class of bad input is rejected
// with file, line, column and key named; docs/config.md matches the parser.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "io/config.hpp"

namespace io = ionpath::io;
namespace fs = std::filesystem;

namespace {

fs::path write_temp(const std::string& name, const std::string& text) {
  // One directory per test: ctest runs the tests of this file in parallel processes.
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() / ("ionpath_config_test_" + std::string(info->name()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

const char* good = R"(grid:
  n_cells: [40, 20, 30]
  voxel_size_m: 0.5e-6
seed: 42
geometry:
  structure: random_platelets
  side_walls: periodic
  transport_axis: z
  random_platelets:
    weight_fraction: 0.132
    orientation: order_parameter
    order_parameter: 0.3
    placement: poisson
  interface_shell: {thickness_m: 0.5e-6}
electrolyte: {salt_concentration_mol_m3: 390, temperature_K: 300}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {D_plus_m2_s: 1e-12, D_minus_m2_s: 1e-13, sheet_normal: y, fixed_charge_mol_m3: 500}
experiment: {type: conductivity, axes: [x, z], accuracy: 1e-5}
output: {directory: results, vtk: false}
petsc_options: {cond_ksp_type: cg, -cond_pc_type: gamg}
)";

// Expects load_config to throw a ConfigError whose message contains every fragment.
void expect_error(const std::string& yaml, std::vector<std::string> fragments, std::vector<std::string> overrides = {}) {
  const auto file = write_temp("bad.yaml", yaml);
  try {
    static_cast<void>(io::load_config(file, overrides));
    ADD_FAILURE() << "no error for:\n" << yaml;
  } catch (const io::ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "missing '" << f << "' in: " << msg;
  }
}

}  // namespace

TEST(Config, FullConfigParses) {
  const auto c = io::load_config(write_temp("good.yaml", good));
  EXPECT_EQ(c.grid.n_cells, (ionpath::mesh::Index3{40, 20, 30}));
  EXPECT_DOUBLE_EQ(c.grid.voxel_size_m, 0.5e-6);
  EXPECT_EQ(c.geometry.seed, 42u);
  EXPECT_EQ(c.geometry.side_walls, ionpath::mesh::SideWalls::periodic);
  const auto& p = std::get<ionpath::mesh::RandomPlateletsParams>(c.geometry.structure);
  EXPECT_DOUBLE_EQ(*p.weight_fraction, 0.132);
  EXPECT_EQ(p.orientation, ionpath::mesh::OrientationKind::order_parameter);
  EXPECT_DOUBLE_EQ(p.order_parameter, 0.3);
  EXPECT_EQ(p.placement, ionpath::mesh::PlacementKind::poisson);
  EXPECT_DOUBLE_EQ(c.geometry.shell.thickness_m, 0.5e-6);
  // sigma, t+ -> apparent D (spec §1.3): D+ = t+ sigma R T / (F^2 c).
  const double k = 0.0632 * 8.314462618 * 300 / (96485.33212 * 96485.33212 * 390);
  EXPECT_NEAR(c.phase("gel").D_plus_m2_s, 0.42 * k, 1e-12 * k);
  EXPECT_NEAR(c.phase("gel").D_minus_m2_s, 0.58 * k, 1e-12 * k);
  EXPECT_EQ(c.phase("wall").sheet_normal_axis, 1);
  EXPECT_DOUBLE_EQ(c.phase("wall").fixed_charge_mol_m3, 500);
  EXPECT_DOUBLE_EQ(c.phase("clay").D_plus_m2_s, 0.0);  // insulating default
  EXPECT_EQ(io::experiment_name(c.experiment.spec), "conductivity");
  EXPECT_EQ(io::experiment_model(c.experiment.spec), io::Model::conduction);
  EXPECT_EQ(c.experiment.axes, (std::vector<int>{0, 2}));
  EXPECT_EQ(c.output.directory, "results");
  EXPECT_FALSE(c.output.vtk);
  ASSERT_EQ(c.petsc_options.size(), 2u);
  EXPECT_EQ(c.petsc_options[1].first, "cond_pc_type");
  // The resolved config has the defaults too and parses again to the same structs.
  EXPECT_NE(c.resolved_yaml.find("cluster_radius_m"), std::string::npos);
  const auto again = io::load_config(write_temp("resolved.yaml", c.resolved_yaml));
  EXPECT_EQ(again.resolved_yaml, c.resolved_yaml);
}

TEST(Config, OverridesFromTheCommandLine) {
  const auto c = io::load_config(write_temp("good.yaml", good), {"grid.n_cells=[8, 8, 8]", "seed=7",
                                                                 "geometry.random_platelets.placement=clustered"});
  EXPECT_EQ(c.grid.n_cells, (ionpath::mesh::Index3{8, 8, 8}));
  EXPECT_EQ(c.geometry.seed, 7u);
  expect_error(good, {"geometry.random_platelets.diamter_m", "unknown key", "did you mean 'diameter_m'", "--set"},
               {"geometry.random_platelets.diamter_m=1e-6"});
  expect_error(good, {"grid.voxel_size_m", "expected a number", "--set"}, {"grid.voxel_size_m=[1]"});
  expect_error(good, {"--set", "expected key.path=value"}, {"seed"});
}

TEST(Config, UnknownKeyNamesLineColumnAndSuggestion) {
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\ngeometry:\n  structure: pure_gel\n  sid_walls: periodic\n",
               {":6:3:", "key 'geometry.sid_walls'", "unknown key", "did you mean 'side_walls'"});
}

TEST(Config, WrongTypeMissingKeyAndRange) {
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: small\n", {":3:17:", "grid.voxel_size_m", "expected a number"});
  expect_error("grid:\n  n_cells: [4, 4]\n  voxel_size_m: 1e-6\n", {":2:12:", "grid.n_cells", "list of 3 integers"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n", {":2:3:", "grid.voxel_size_m", "missing required key"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: -1e-6\n", {":3:17:", "grid.voxel_size_m", "out of range"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\noutput: {vtk: maybe}\n", {":4:15:", "output.vtk", "true or false"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\ngeometry: {structure: lamellae}\n",
               {":4:23:", "geometry.structure", "not one of"});
}

TEST(Config, BadUnits) {
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 0.5 um\n", {":3:17:", "grid.voxel_size_m", "bad unit", "'_m'"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_um: 0.5\n", {":3:3:", "grid.voxel_size_um", "bad unit", "'voxel_size_m'"});
}

TEST(Config, InconsistentCombinations) {
  const std::string head = "grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\n";
  expect_error(head + "geometry:\n  structure: pure_gel\n  aligned_walls: {spacing_m: 1e-5}\n",
               {":6:3:", "geometry.aligned_walls", "inconsistent", "pure_gel"});
  expect_error(head + "geometry:\n  structure: random_platelets\n  random_platelets: {volume_fraction: 0.1, weight_fraction: 0.1}\n",
               {":6:21:", "geometry.random_platelets", "exactly one of"});
  expect_error(head + "phases:\n  gel: {sigma_S_m: 0.06, t_plus: 0.4, D_plus_m2_s: 1e-11}\n",
               {":5:9:", "phases.gel.sigma_S_m", "inconsistent"});
  expect_error(head + "geometry:\n  structure: aligned_walls\n  aligned_walls: {spacing_m: 1e-5, thickness_m: 2e-5}\n",
               {"geometry.aligned_walls.thickness_m", "smaller than spacing_m"});
}

TEST(Config, MalformedAndDuplicate) {
  expect_error("grid:\n  n_cells: [4, 4, 4\n  voxel_size_m: 1e-6\n", {"malformed YAML"});
  expect_error("grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\n  voxel_size_m: 2e-6\n",
               {":4:3:", "grid.voxel_size_m", "duplicate key"});
}

// Config-fuzz findings (tests/fuzz, docs/verification.md): each was an uncaught yaml-cpp
// exception (exit 1, "invalid node") before its fix.
TEST(Config, FuzzFindingsAreConfigErrors) {
  const std::string head = "grid:\n  n_cells: [4, 4, 4]\n  voxel_size_m: 1e-6\n";
  expect_error(head + "experiment:\n  nested: {type: conductivity}\n", {":5:3:", "experiment.nested", "unknown key"});
}

TEST(Config, ReferenceDocsAreInSync) {
  const std::string generated = io::config_reference_markdown();
  EXPECT_NE(generated.find("`geometry.aligned_walls.spacing_m`"), std::string::npos);
  EXPECT_NE(generated.find("`phases.gel.temperature.activation_energy_J_mol`"), std::string::npos);
  std::ifstream in(IONPATH_SOURCE_DIR "/docs/config.md");
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), generated) << "docs/config.md is stale: regenerate with `ionpath config-reference > docs/config.md`";
}
