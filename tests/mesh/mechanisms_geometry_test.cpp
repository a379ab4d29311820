// Geometry of the optional mechanisms (spec §7.3): the M-a clay_shell (exact distances, only
// around `clay`, precedence over the interface shell, decomposition independence) and M-d porous
// walls (wall fraction 0.152 / (1 - p_w) at fixed clay content).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "mesh/generate.hpp"
#include "mesh_test_support.hpp"

namespace mesh = ionpath::mesh;

namespace {

// One clay voxel at (4, 4, 4) and a wall plane at x = 12 in a 20^3 block of gel.
mesh::LabelBlock clay_and_wall(const mesh::Grid& g) {
  mesh::LabelBlock b(g.whole(), mesh::phase::gel);
  b.at(4, 4, 4) = mesh::phase::clay;
  for (int k = 0; k < g.n_cells[2]; ++k)
    for (int j = 0; j < g.n_cells[1]; ++j) b.at(12, j, k) = mesh::phase::wall;
  return b;
}

double dist2(int i, int j, int k, int a, int b, int c) {
  return double(i - a) * (i - a) + double(j - b) * (j - b) + double(k - c) * (k - c);
}

}  // namespace

TEST(ClayShell, ExactDistanceAroundClayOnlyAndBeforeTheInterface) {
  const mesh::Grid g{{20, 20, 20}, 1e-6};
  const auto block = clay_and_wall(g);
  mesh::GeometryParams p;
  p.shell.thickness_m = 1.0e-6;
  p.clay_shell.thickness_m = 2.5e-6;
  const auto out = mesh::apply_shells(g, block, g.whole(), p);
  for (int k = 0; k < 20; ++k)
    for (int j = 0; j < 20; ++j)
      for (int i = 0; i < 20; ++i) {
        const mesh::Label l = out.at(i, j, k);
        const double dc = dist2(i, j, k, 4, 4, 4), dw = double(i - 12) * (i - 12);
        if (block.at(i, j, k) != mesh::phase::gel) {
          EXPECT_EQ(l, block.at(i, j, k));
        } else if (dc <= 2.5 * 2.5) {
          EXPECT_EQ(l, mesh::phase::clay_shell) << i << " " << j << " " << k;
        } else if (dw <= 1.0) {
          EXPECT_EQ(l, mesh::phase::interface);
        } else {
          EXPECT_EQ(l, mesh::phase::gel);
        }
      }
  // Off: exactly the interface shell of today.
  p.clay_shell.thickness_m = 0.0;
  EXPECT_EQ(mesh::test::copy(mesh::apply_shells(g, block, g.whole(), p)),
            mesh::test::copy(mesh::apply_interface_shell(g, block, g.whole(), p.shell)));
}

TEST(ClayShell, DecompositionIndependentAndHaloCoversTheWidestShell) {
  mesh::RandomPlateletsParams r;
  r.volume_fraction = 0.066;
  r.diameter_m = 6e-6;
  r.thickness_m = 1e-6;
  mesh::GeometryParams p;
  p.structure = r;
  p.side_walls = mesh::SideWalls::periodic;
  p.seed = 4;
  p.shell.thickness_m = 0.5e-6;
  p.clay_shell.thickness_m = 1.5e-6;
  const mesh::Grid g{{40, 36, 32}, 0.5e-6};
  EXPECT_EQ(mesh::shell_halo(g, p), 3);
  const auto whole = mesh::generate_block(g, p, g.whole());
  const auto labels = mesh::test::copy(whole.labels);
  EXPECT_GT(std::count(labels.begin(), labels.end(), mesh::phase::clay_shell), 0);
  for (const auto& split : {std::array<int, 3>{2, 1, 1}, {1, 3, 1}, {2, 2, 2}})
    EXPECT_EQ(mesh::test::stitched(g, p, split), labels);
}

TEST(PorousWalls, WallFractionIsDenseFractionOverOneMinusPorosity) {
  mesh::AlignedWallsParams w;
  w.spacing_m = 20e-6;
  w.spacing_spread = 0.0;
  w.thickness_m = 3e-6;
  mesh::GeometryParams p;
  p.side_walls = mesh::SideWalls::periodic;
  const mesh::Grid g{{200, 2, 8}, 0.1e-6 * 2};  // 40 um: two periods, 0.2 um voxels
  for (const double porosity : {0.0, 0.25, 0.5}) {
    w.porosity = porosity;
    p.structure = w;
    const auto b = mesh::generate_block(g, p, g.whole());
    EXPECT_NEAR(b.info.achieved_clay_fraction, 0.15 / (1.0 - porosity), 0.5 * 2 * 2 / 200.0) << porosity;
  }
}
