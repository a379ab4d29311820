// run_study on the communicator of a group of ranks: the world is split into groups that run
// studies side by side (as the sweep runner will), each writing its own folder and printing on
// its own rank 0. Every group must get the exact laminate answer, and the same answer as a study
// on all ranks, whatever the group size.
#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/config.hpp"
#include "study/run.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ionpath;

// Straight walls normal to x, continuous along z: gel and walls conduct in parallel along z, so
// sigma_z = 0.75 * 0.0632 + 0.25 * 0.0316 = 0.0553 S/m exactly; the walls block x.
const char* walls_yaml = R"(grid: {n_cells: [16, 6, 10], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sigma_S_m: 0.0316, t_plus: 0.8, sheet_normal: x, normal_to_inplane_ratio: 0}
experiment: {type: conductivity, axes: [z, x]}
)";

int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

io::RunConfig config_for(const fs::path& out, const std::string& axes = "[z, x]") {
  const fs::path dir = fs::temp_directory_path() / "ionpath_group_comm_test";
  if (world_rank() == 0) {
    fs::create_directories(dir);
    std::ofstream(dir / "walls.yaml") << walls_yaml;
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return io::load_config(dir / "walls.yaml", {"output.directory=" + out.string(), "output.vtk=false", "experiment.axes=" + axes});
}

TEST(StudyOnAGroup, EachGroupRunsItsOwnStudy) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int groups = size >= 2 ? 2 : 1;
  const int color = world_rank() % groups;
  MPI_Comm group = MPI_COMM_NULL;
  MPI_Comm_split(MPI_COMM_WORLD, color, world_rank(), &group);
  const fs::path root = fs::temp_directory_path() / "ionpath_group_comm_test";
  const auto config = config_for(root / ("group_" + std::to_string(color)));
  const auto summary = study::run_study(config, {"group_comm_test", group, true});
  const double sz = summary["axes"][0]["effective"]["sigma_eff_S_m"].get<double>();
  EXPECT_NEAR(sz, 0.0553, 1e-9 * 0.0553);
  EXPECT_FALSE(summary["axes"][1]["effective"]["percolating"].get<bool>());
  int group_size = 0;
  MPI_Comm_size(group, &group_size);
  EXPECT_EQ(summary["provenance"]["n_ranks"].get<int>(), group_size);
  // The whole world on one study gives the same numbers.
  const auto all = study::run_study(config_for(root / "world"), {"group_comm_test", MPI_COMM_WORLD, true});
  EXPECT_NEAR(all["axes"][0]["effective"]["sigma_eff_S_m"].get<double>(), sz, 1e-12 * sz);
  // x is blocked: the anisotropy ratio sigma_max / sigma_min is infinite (null in JSON); y and z
  // conduct alike (gel and walls in parallel along both): ratio 1.
  EXPECT_TRUE(all["anisotropy_ratio"].is_null());
  const auto yz = study::run_study(config_for(root / "world_yz", "[z, y]"), {"group_comm_test", MPI_COMM_WORLD, true});
  EXPECT_NEAR(yz["anisotropy_ratio"].get<double>(), 1.0, 1e-9);
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) {
    for (int g = 0; g < groups; ++g) EXPECT_TRUE(fs::exists(root / ("group_" + std::to_string(g)) / "summary.json")) << g;
  }
  MPI_Comm_free(&group);
}

}  // namespace
