// Exact EDT shell against brute force, and orientation sampling against the requested statistics.
#include <gtest/gtest.h>

#include <cmath>

#include "mesh/generate.hpp"
#include "mesh/random.hpp"
#include "mesh/rasterisers.hpp"

namespace mesh = ionpath::mesh;

TEST(InterfaceShell, ExactDistanceMatchesBruteForce) {
  const mesh::Grid grid{{23, 19, 17}, 1e-6};
  mesh::LabelBlock block(grid.whole(), mesh::phase::gel);
  mesh::CounterRng rng(4, 0, 0);
  for (auto& l : block.labels()) l = rng.uniform() < 0.01 ? mesh::phase::clay : mesh::phase::gel;
  for (const double w_um : {1.0, 1.5, 2.3, 3.0}) {
    const mesh::InterfaceShellParams shell{w_um * 1e-6};
    const auto out = mesh::apply_interface_shell(grid, block, grid.whole(), shell);
    const mesh::Box& b = grid.whole();
    for (int k = 0; k < b.hi[2]; ++k)
      for (int j = 0; j < b.hi[1]; ++j)
        for (int i = 0; i < b.hi[0]; ++i) {
          if (block.at(i, j, k) != mesh::phase::gel) {
            EXPECT_EQ(out.at(i, j, k), block.at(i, j, k));
            continue;
          }
          double best = 1e30;
          for (int kk = 0; kk < b.hi[2]; ++kk)
            for (int jj = 0; jj < b.hi[1]; ++jj)
              for (int ii = 0; ii < b.hi[0]; ++ii)
                if (block.at(ii, jj, kk) == mesh::phase::clay)
                  best = std::min(best, double((i - ii) * (i - ii) + (j - jj) * (j - jj) + (k - kk) * (k - kk)));
          const bool expect = best <= w_um * w_um * (1 + 1e-12);
          ASSERT_EQ(out.at(i, j, k) == mesh::phase::interface, expect) << i << " " << j << " " << k << " w=" << w_um;
        }
  }
}

TEST(InterfaceShell, FlatWallShellThickness) {
  // A wall plane at i = 10: a 2.0-voxel shell covers exactly i = 8, 9 and 11, 12.
  const mesh::Grid grid{{24, 6, 5}, 1e-6};
  mesh::LabelBlock block(grid.whole(), mesh::phase::gel);
  for (int k = 0; k < 5; ++k)
    for (int j = 0; j < 6; ++j) block.at(10, j, k) = mesh::phase::wall;
  const auto out = mesh::apply_interface_shell(grid, block, grid.whole(), {2.0e-6});
  for (int i = 0; i < 24; ++i) {
    const mesh::Label expect = i == 10 ? mesh::phase::wall : std::abs(i - 10) <= 2 ? mesh::phase::interface : mesh::phase::gel;
    EXPECT_EQ(out.at(i, 3, 2), expect) << i;
  }
}

namespace {
mesh::OrientationStats sampled(mesh::OrientationKind kind, double S, int n, const mesh::Grid& grid) {
  mesh::RandomPlateletsParams r;
  r.orientation = kind;
  r.order_parameter = S;
  r.alignment_axis = 2;
  r.placement = mesh::PlacementKind::poisson;
  r.diameter_m = 1e-6;
  mesh::GeometryParams p;
  p.structure = r;
  p.seed = 17;
  const auto objects = mesh::detail::platelet_sequence(grid, p, static_cast<std::size_t>(n));
  return mesh::detail::orientation_stats(grid, p, objects);
}
const mesh::Grid big{{400, 400, 400}, 1e-6};
}  // namespace

TEST(PlateletOrientation, IsotropicAlignedAndWatson) {
  constexpr int n = 20000;
  // Standard error of <P2> for isotropic normals: sqrt(1/5 / n) = 0.0032; allow 4 sigma.
  const auto iso = sampled(mesh::OrientationKind::isotropic, 0.0, n, big);
  EXPECT_NEAR(iso.mean_P2, 0.0, 4 * std::sqrt(0.2 / n));
  EXPECT_NEAR(iso.order_eigenvalues[0], 0.0, 0.03);
  const auto aligned = sampled(mesh::OrientationKind::aligned, 0.0, 2000, big);
  EXPECT_NEAR(aligned.mean_P2, 1.0, 1e-12);
  EXPECT_NEAR(aligned.order_eigenvalues[0], 1.0, 1e-12);
  for (const double S : {0.5, -0.4, 0.8}) {
    const auto w = sampled(mesh::OrientationKind::order_parameter, S, n, big);
    EXPECT_NEAR(w.mean_P2, S, 0.015) << "S = " << S;
  }
}

TEST(PlateletOrientation, WatsonConcentrationSolvesForTheOrderParameter) {
  EXPECT_DOUBLE_EQ(mesh::detail::watson_concentration(0.0, 3), 0.0);
  EXPECT_GT(mesh::detail::watson_concentration(0.5, 3), 0.0);
  EXPECT_LT(mesh::detail::watson_concentration(-0.3, 3), 0.0);
  EXPECT_THROW(static_cast<void>(mesh::detail::watson_concentration(1.0, 3)), std::invalid_argument);
}

TEST(PlateletOrientation, ClusteredPlacementAggregates) {
  mesh::RandomPlateletsParams r;
  r.diameter_m = 1e-6;
  r.placement = mesh::PlacementKind::clustered;
  r.cluster_radius_m = 3e-6;
  mesh::GeometryParams p;
  p.structure = r;
  p.side_walls = mesh::SideWalls::periodic;
  const auto clustered = mesh::detail::orientation_stats(big, p, mesh::detail::platelet_sequence(big, p, 4000));
  std::get<mesh::RandomPlateletsParams>(p.structure).placement = mesh::PlacementKind::poisson;
  const auto poisson = mesh::detail::orientation_stats(big, p, mesh::detail::platelet_sequence(big, p, 4000));
  EXPECT_NEAR(poisson.aggregation_index, 1.0, 0.05);
  EXPECT_LT(clustered.aggregation_index, 0.5);
}
