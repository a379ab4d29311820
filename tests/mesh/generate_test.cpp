// Microstructure generators: fractions, orientation statistics, percolation, determinism and
// independence of the block decomposition (what makes 1/2/4 MPI ranks give identical labels).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "mesh/generate.hpp"
#include "mesh/rasterisers.hpp"
#include "mesh_test_support.hpp"

namespace mesh = ionpath::mesh;
using mesh::test::clay_fraction;
using mesh::test::stitched;

namespace {

mesh::GeometryParams walls(double spacing_m, double thickness_m, mesh::SideWalls sides = mesh::SideWalls::periodic) {
  mesh::AlignedWallsParams w;
  w.spacing_m = spacing_m;
  w.thickness_m = thickness_m;
  mesh::GeometryParams p;
  p.structure = w;
  p.side_walls = sides;
  p.seed = 5;
  return p;
}

mesh::GeometryParams platelets(double fraction, mesh::PlacementKind placement, std::uint64_t seed = 3) {
  mesh::RandomPlateletsParams r;
  r.volume_fraction = fraction;
  r.diameter_m = 6e-6;
  r.thickness_m = 1e-6;
  r.placement = placement;
  mesh::GeometryParams p;
  p.structure = r;
  p.side_walls = mesh::SideWalls::periodic;
  p.seed = seed;
  return p;
}

const mesh::Grid grid3{{48, 40, 36}, 0.5e-6};

}  // namespace

TEST(AlignedWalls, FractionEqualsThicknessOverSpacing) {
  // 24 um box, 4 walls of 1.5 um (3 voxels) per 6 um: 25 % without jitter.
  auto p = walls(6e-6, 1.5e-6);
  std::get<mesh::AlignedWallsParams>(p.structure).spacing_spread = 0.0;
  const auto g = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_NEAR(g.info.achieved_clay_fraction, 0.25, 1e-12);
  EXPECT_EQ(g.info.n_objects, 4u);
  // With jitter the fraction is still 3/12 voxels per period up to rasterisation (one voxel per wall).
  const auto j = mesh::generate_block(grid3, walls(6e-6, 1.5e-6), grid3.whole());
  EXPECT_NEAR(j.info.achieved_clay_fraction, 0.25, 1.0 / 48 + 1e-12);
}

TEST(AlignedWalls, PercolateAlongTransportBlockAcross) {
  const auto g = mesh::generate_block(grid3, walls(8e-6, 2e-6, mesh::SideWalls::zero_flux), grid3.whole());
  auto gel = [](mesh::Label l) { return l == mesh::phase::gel; };
  auto wall = [](mesh::Label l) { return l == mesh::phase::wall; };
  EXPECT_TRUE(mesh::test::percolates(g.labels, gel, 2));
  EXPECT_TRUE(mesh::test::percolates(g.labels, gel, 1));
  EXPECT_FALSE(mesh::test::percolates(g.labels, gel, 0));
  EXPECT_TRUE(mesh::test::percolates(g.labels, wall, 2));
}

TEST(AlignedWalls, WavinessTiltDomainsBridgesStayDecompositionIndependent) {
  auto p = walls(6e-6, 1.5e-6);
  auto& w = std::get<mesh::AlignedWallsParams>(p.structure);
  w.waviness_amplitude_m = 1e-6;
  w.waviness_wavelength_m = 10e-6;
  w.tilt_deg = 5.0;
  w.bridges_per_m2 = 2e9;
  p.shell.thickness_m = 0.8e-6;
  const auto whole = mesh::generate_block(grid3, p, grid3.whole());
  for (const auto& split : {std::array<int, 3>{2, 1, 1}, {1, 2, 2}, {3, 2, 1}})
    EXPECT_EQ(stitched(grid3, p, split), whole.labels.labels().size() ? mesh::test::copy(whole.labels) : std::vector<mesh::Label>{});
  w.bridges_per_m2 = 0.0;
  w.domain_size_m = 10e-6;
  const auto domains = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_EQ(stitched(grid3, p, {2, 2, 1}), mesh::test::copy(domains.labels));
  EXPECT_GT(clay_fraction(domains.labels), 0.1);
}

TEST(RandomPlatelets, FractionWithinToleranceOfTarget) {
  for (const auto placement : {mesh::PlacementKind::poisson, mesh::PlacementKind::clustered})
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const auto p = platelets(0.066, placement, seed);
      const auto g = mesh::generate_block(grid3, p, grid3.whole());
      // One platelet covers ~100 voxels of 69120: the count reaches the target within one object.
      EXPECT_NEAR(g.info.achieved_clay_fraction, 0.066, 0.066 * 0.03) << "seed " << seed;
      EXPECT_NEAR(clay_fraction(g.labels), g.info.achieved_clay_fraction, 1e-12);
    }
}

TEST(RandomPlatelets, WeightFractionIsConverted) {
  auto p = platelets(0.0, mesh::PlacementKind::poisson);
  auto& r = std::get<mesh::RandomPlateletsParams>(p.structure);
  r.volume_fraction.reset();
  r.weight_fraction = 0.132;
  const auto g = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_NEAR(g.info.converted_volume_fraction, 0.0658, 5e-5);
  EXPECT_NEAR(g.info.achieved_clay_fraction, 0.0658, 0.0658 * 0.03);
}

TEST(RandomPlatelets, NoOverlapKeepsObjectsDisjoint) {
  auto p = platelets(0.05, mesh::PlacementKind::poisson);
  std::get<mesh::RandomPlateletsParams>(p.structure).allow_overlap = false;
  const auto g = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_NEAR(g.info.achieved_clay_fraction, 0.05, 0.05 * 0.03);
  // Disjoint objects: the voxel count equals the sum of each object's own voxel count.
  const auto objects = mesh::detail::platelet_sequence(grid3, p, g.info.n_objects);
  std::vector<std::uint32_t> first;
  std::size_t sum_individual = 0;
  for (const auto& o : objects) {
    mesh::detail::rasterise_platelets(grid3, p, {o}, grid3.whole(), first);
    sum_individual += std::count(first.begin(), first.end(), 0u);
  }
  EXPECT_EQ(sum_individual, static_cast<std::size_t>(std::llround(g.info.achieved_clay_fraction * grid3.n_total())));
}

TEST(RandomPlatelets, DeterministicAndDecompositionIndependent) {
  auto p = platelets(0.08, mesh::PlacementKind::clustered);
  p.shell.thickness_m = 0.9e-6;
  const auto a = mesh::generate_block(grid3, p, grid3.whole());
  const auto b = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_EQ(mesh::test::copy(a.labels), mesh::test::copy(b.labels));
  p.seed = 99;
  const auto c = mesh::generate_block(grid3, p, grid3.whole());
  EXPECT_NE(mesh::test::copy(a.labels), mesh::test::copy(c.labels));
  p.seed = 3;
  for (const auto& split : {std::array<int, 3>{2, 1, 1}, {1, 2, 1}, {1, 1, 2}, {2, 2, 2}, {3, 1, 2}})
    EXPECT_EQ(stitched(grid3, p, split), mesh::test::copy(a.labels));
}

TEST(RandomPlatelets, LowFractionGelPercolatesEverywhere) {
  const auto g = mesh::generate_block(grid3, platelets(0.05, mesh::PlacementKind::poisson), grid3.whole());
  auto gel = [](mesh::Label l) { return l == mesh::phase::gel; };
  for (int axis = 0; axis < 3; ++axis) EXPECT_TRUE(mesh::test::percolates(g.labels, gel, axis));
}

TEST(RandomPlatelets, TwoDimensionalStructures) {
  const mesh::Grid g2{{80, 64, 1}, 0.5e-6};
  auto p = platelets(0.1, mesh::PlacementKind::poisson);
  p.transport_axis = 1;
  const auto a = mesh::generate_block(g2, p, g2.whole());
  EXPECT_NEAR(a.info.achieved_clay_fraction, 0.1, 0.1 * 0.03);
  EXPECT_EQ(stitched(g2, p, {2, 2, 1}), mesh::test::copy(a.labels));
}
