// Sweep files: expansion (product, zip, ranges, seeds) exact; point ids stable under edits that do
// not change a point's configuration and different when it changes; errors name file:line:key;
// ensemble statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/sweep_file.hpp"
#include "sweep/plan.hpp"
#include "sweep/table.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ionpath;

const char* base_yaml = R"(grid: {n_cells: [8, 6, 10], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  aligned_walls: {spacing_m: 2.0e-6, spacing_spread: 0.0, thickness_m: 0.5e-6}
experiment: {type: conductivity}
output: {directory: somewhere}
)";

fs::path write(const std::string& name, const std::string& text) {
  // One directory per test: ctest runs the tests of this file in parallel processes, and a
  // shared base.yaml being rewritten reads as empty in another test.
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() / ("ionpath_sweep_file_test_" + std::string(info->name()));
  fs::create_directories(dir);
  std::ofstream(dir / "base.yaml") << base_yaml;
  std::ofstream(dir / name) << text;
  return dir / name;
}

std::string value(const io::SweepPoint& p, const std::string& key) {
  for (const auto& [k, v] : p.parameters)
    if (k == key) return v;
  return "<absent>";
}

std::string error_of(const std::string& text) {
  try {
    static_cast<void>(io::load_sweep_file(write("bad.yaml", text)));
  } catch (const io::ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(SweepFile, ProductFirstAxisSlowestSeedsFastest) {
  const auto s = io::load_sweep_file(write("product.yaml", R"(base: base.yaml
axes:
  - {key: geometry.aligned_walls.spacing_m, values: [2.0e-6, 3.0e-6]}
  - {key: experiment.axes, values: [[z], [z, x], [x]]}
seeds: 2
)"));
  ASSERT_EQ(s.points.size(), 12u);
  EXPECT_EQ(s.axis_keys, (std::vector<std::string>{"geometry.aligned_walls.spacing_m", "experiment.axes", "seed"}));
  EXPECT_EQ(value(s.points[0], "geometry.aligned_walls.spacing_m"), "2.0e-6");
  EXPECT_EQ(value(s.points[0], "experiment.axes"), "[z]");
  EXPECT_EQ(value(s.points[0], "seed"), "1");
  EXPECT_EQ(value(s.points[1], "seed"), "2");
  EXPECT_EQ(value(s.points[2], "experiment.axes"), "[z, x]");
  EXPECT_EQ(value(s.points[6], "geometry.aligned_walls.spacing_m"), "3.0e-6");
  EXPECT_EQ(value(s.points[11], "experiment.axes"), "[x]");
  for (std::size_t i = 0; i < s.points.size(); ++i) EXPECT_EQ(s.points[i].index, i);
  EXPECT_TRUE(s.has_seeds);
}

TEST(SweepFile, ZipLinspaceLogspaceExact) {
  const auto s = io::load_sweep_file(write("zip.yaml", R"(base: base.yaml
axes:
  - zip:
      - {key: phases.gel.sigma_S_m, linspace: {start: 0.01, stop: 0.05, num: 5}}
      - {key: phases.wall.sigma_S_m, logspace: {start: 1.0e-4, stop: 1.0e-2, num: 5}}
seeds: [7, 3]
)"));
  ASSERT_EQ(s.points.size(), 10u);
  for (int i = 0; i < 5; ++i) {
    const auto& p = s.points[2 * i];
    EXPECT_EQ(std::stod(value(p, "phases.gel.sigma_S_m")), 0.01 + i / 4.0 * (0.05 - 0.01)) << i;
    EXPECT_NEAR(std::stod(value(p, "phases.wall.sigma_S_m")), 1e-4 * std::pow(10.0, i / 2.0), 1e-15 * std::pow(10.0, i / 2.0));
    EXPECT_EQ(value(s.points[2 * i + 1], "seed"), "3");
    EXPECT_EQ(value(p, "seed"), "7");
  }
  EXPECT_EQ(value(s.points[8], "phases.gel.sigma_S_m"), "0.05");  // ends exact
  EXPECT_EQ(value(s.points[8], "phases.wall.sigma_S_m"), "0.01");
}

TEST(SweepFile, InlineBaseAndNoAxesIsOnePoint) {
  const auto s = io::load_sweep_file(write("inline.yaml", R"(base:
  grid: {n_cells: [4, 4, 4], voxel_size_m: 1.0e-6}
  experiment: {type: conductivity}
)"));
  ASSERT_EQ(s.points.size(), 1u);
  EXPECT_TRUE(s.base_file.empty());
  EXPECT_EQ(io::load_sweep_point(s, s.points[0]).grid.n_cells[0], 4);
}

TEST(SweepFile, ErrorsNameFileLineAndKey) {
  EXPECT_NE(error_of("base: base.yaml\naxes:\n  - {key: geometry.aligned_walls.spacng_m, values: [1]}\n")
                .find("bad.yaml:3:11: key 'axes[0].key': 'geometry.aligned_walls.spacng_m' is not a configuration key "
                      "(did you mean 'geometry.aligned_walls.spacing_m'?)"),
            std::string::npos)
      << error_of("base: base.yaml\naxes:\n  - {key: geometry.aligned_walls.spacng_m, values: [1]}\n");
  EXPECT_NE(error_of("base: base.yaml\naxis: []\n").find("bad.yaml:2:1: key 'axis': unknown key (did you mean 'axes'?)"),
            std::string::npos);
  EXPECT_NE(error_of("base: base.yaml\naxes:\n  - zip:\n    - {key: seed, values: [1, 2]}\n    - {key: phases.gel.sigma_S_m, values: [1]}\n")
                .find("bad.yaml:5:7: key 'axes[0].zip[1]': zipped axes need equal lengths"),
            std::string::npos);
  EXPECT_NE(error_of("base: nothere.yaml\n").find("bad.yaml:1:7: key 'base': no such file"), std::string::npos);
  EXPECT_NE(error_of("base: base.yaml\naxes:\n  - {key: seed, linspace: {start: 1, stop: 2}}\n").find("key 'axes[0].linspace.num': missing required key"),
            std::string::npos);
  EXPECT_NE(error_of("base: base.yaml\nseeds: -1\n").find("bad.yaml:2:8: key 'seeds'"), std::string::npos);
  EXPECT_NE(error_of("base: base.yaml\naxes:\n  - {key: output.directory, values: [a]}\n").find("key 'axes[0].key': output keys"),
            std::string::npos);
  EXPECT_NE(error_of("base: [\n").find("bad.yaml:"), std::string::npos);
  // A broken base is the sweep file's error, once (not one failed point per combination).
  EXPECT_NE(error_of("base:\n  grid: {n_cells: [4, 4, 4]}\n").find("bad.yaml:2:9: key 'grid.voxel_size_m': missing required key"),
            std::string::npos);
}

// Sweep-file fuzz findings (tests/fuzz/fuzz_configs.py --mode sweep, docs/verification.md).
// A value of the wrong type is the sweep file's error at the value itself, before any point runs
// (it used to become a failed point whose error pointed at base.yaml:1:1).
TEST(SweepFile, AxisValueOfTheWrongTypeIsAnErrorAtTheValue) {
  const std::string number = error_of("base: base.yaml\naxes:\n  - key: geometry.aligned_walls.spacing_m\n    values: [2e-6, abc]\n");
  EXPECT_NE(number.find("bad.yaml:4:20: key 'geometry.aligned_walls.spacing_m': expected a number, got 'abc'"),
            std::string::npos) << number;
  const std::string choice = error_of("base: base.yaml\naxes:\n  - {key: geometry.structure, values: [aligned_wall]}\n");
  EXPECT_NE(choice.find("bad.yaml:3:40: key 'geometry.structure': 'aligned_wall' is not one of: "), std::string::npos) << choice;
  EXPECT_NE(choice.find("(did you mean 'aligned_walls'?)"), std::string::npos) << choice;
  const std::string cells = error_of("base: base.yaml\naxes:\n  - {key: grid.n_cells, values: [[8, 6, 10], [8, 6]]}\n");
  EXPECT_NE(cells.find("bad.yaml:3:46: key 'grid.n_cells': expected a list of 3 integers, got '[8, 6]'"), std::string::npos)
      << cells;
  const std::string flag = error_of("base: base.yaml\naxes:\n  - {key: output.hdf5, values: [yes]}\n");
  EXPECT_NE(flag.find("output keys are set by the sweep"), std::string::npos) << flag;
  const std::string phase = error_of("base: base.yaml\naxes:\n  - {key: phases.wall.sigma_S_m, values: [0.1, high]}\n");
  EXPECT_NE(phase.find("bad.yaml:3:48: key 'phases.wall.sigma_S_m': expected a number, got 'high'"), std::string::npos)
      << phase;
  // Right types still expand: ranges and combinations are each point's business.
  EXPECT_EQ(error_of("base: base.yaml\naxes:\n  - {key: geometry.aligned_walls.thickness_m, values: [-1.0, 5.0e-6]}\n"),
            "<no error>");
}

// A combination that fails names where the sweep file gave its value, not a position in the base.
TEST(SweepFile, InvalidCombinationErrorNamesTheSweepFileValue) {
  const auto plan = sweep::plan_sweep(io::load_sweep_file(write("combo.yaml", R"(base: base.yaml
axes:
  - key: geometry.aligned_walls.thickness_m
    values: [0.5e-6, 5.0e-6]
)")));
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_TRUE(plan[0].config.has_value());
  ASSERT_FALSE(plan[1].config.has_value());
  EXPECT_NE(plan[1].config_error.find("(value given in "), std::string::npos) << plan[1].config_error;
  EXPECT_NE(plan[1].config_error.find("combo.yaml:4:22)"), std::string::npos) << plan[1].config_error;
  EXPECT_EQ(plan[1].config_error.find("base.yaml:1:1"), std::string::npos) << plan[1].config_error;
}

TEST(SweepFile, FuzzFindingsAreConfigErrors) {
  // Empty, comment-only, scalar and list roots: the file named, "the sweep file" said (was "a sweep file is").
  for (const char* text : {"", "# nothing\n", "just text\n", "- base\n- axes\n"})
    EXPECT_NE(error_of(text).find("bad.yaml: the sweep file must be a YAML map"), std::string::npos) << error_of(text);
  // A nested map in an inline base: a config error, not yaml-cpp's "invalid node" (exit 1).
  const std::string nested = "base:\n  grid: {n_cells: [4, 4, 4], voxel_size_m: 1e-6}\n  experiment:\n    nested: {type: conductivity}\n";
  EXPECT_NE(error_of(nested).find("bad.yaml:4:5: key 'experiment.nested': unknown key"), std::string::npos) << error_of(nested);
}

TEST(SweepIds, StableUnderUnrelatedEditsDifferentWhenTheConfigChanges) {
  const auto a = sweep::plan_sweep(io::load_sweep_file(write("ids_a.yaml", R"(base: base.yaml
axes:
  - {key: geometry.aligned_walls.spacing_m, values: [2.0e-6, 3.0e-6]}
)")));
  // Reordered, one value more, the same numbers spelt differently, a default made explicit.
  const auto b = sweep::plan_sweep(io::load_sweep_file(write("ids_b.yaml", R"(base: base.yaml
axes:
  - {key: geometry.aligned_walls.spacing_m, values: [4.0e-6, 0.000003, 2e-6]}
  - {key: experiment.accuracy, values: [1.0e-6]}
)")));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(a[0].id, b[2].id);
  EXPECT_EQ(a[1].id, b[1].id);
  EXPECT_NE(b[0].id, a[0].id);
  EXPECT_NE(a[0].id, a[1].id);
  EXPECT_EQ(a[0].id.size(), 16u);
  // output.directory does not enter the id; a PETSc option does.
  io::RunConfig c = *a[0].config;
  const std::string id = a[0].id;
  c.output.directory = "elsewhere";
  EXPECT_EQ(io::point_identity_text(c), io::point_identity_text(*a[0].config));
  c.petsc_options.emplace_back("cond_ksp_type", "cg");
  EXPECT_NE(io::point_identity_text(c), io::point_identity_text(*a[0].config));
  // An invalid combination becomes a point with an error and a stable id.
  const auto bad = sweep::plan_sweep(io::load_sweep_file(write("ids_bad.yaml", R"(base: base.yaml
axes:
  - {key: geometry.aligned_walls.thickness_m, values: [5.0e-6]}
)")));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_FALSE(bad[0].config.has_value());
  EXPECT_NE(bad[0].config_error.find("must be smaller than spacing_m"), std::string::npos);
  EXPECT_EQ(bad[0].id, sweep::plan_sweep(io::load_sweep_file(write("ids_bad.yaml", R"(base: base.yaml
axes:
  - {key: geometry.aligned_walls.thickness_m, values: [5.0e-6]}
)")))[0].id);
}

TEST(SweepTable, StudentTAndCsvText) {
  EXPECT_DOUBLE_EQ(sweep::student_t95(1), 12.706);
  EXPECT_DOUBLE_EQ(sweep::student_t95(30), 2.042);
  EXPECT_NEAR(sweep::student_t95(40), 2.0211, 2e-4);
  EXPECT_NEAR(sweep::student_t95(120), 1.9799, 2e-4);
  const std::vector<io::TableColumn> cols{{"a_m", true, {0.1, std::nan("")}, {}}, {"t", false, {}, {"x,y", "q\""}}};
  EXPECT_EQ(sweep::table_csv(cols), "a_m,t\n0.1,\"x,y\"\n,\"q\"\"\"\n");
}

}  // namespace
