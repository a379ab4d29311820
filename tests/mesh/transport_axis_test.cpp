// Defect 9: a structure must not depend on the axis it is measured along. With periodic sides
// the generators wrap along every axis, so labels are a function of (grid, parameters, seed):
// identical for transport_axis x, y and z, on the whole grid and on any block decomposition.
#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <vector>

#include "mesh/generate.hpp"
#include "mesh/rasterisers.hpp"
#include "mesh_test_support.hpp"

namespace mesh = ionpath::mesh;
using mesh::test::copy;
using mesh::test::stitched;

namespace {

const mesh::Grid grid3{{40, 32, 36}, 0.5e-6};

mesh::GeometryParams walls() {
  mesh::AlignedWallsParams w;
  w.spacing_m = 5e-6;  // 20 um box: 4 periods across x
  w.thickness_m = 1.5e-6;
  w.waviness_amplitude_m = 1e-6;
  w.waviness_wavelength_m = 9e-6;  // not a divisor of the box: waviness is not periodic in y, z
  w.tilt_deg = 4.0;
  w.bridges_per_m2 = 3e9;
  mesh::GeometryParams p;
  p.structure = w;
  p.shell.thickness_m = 0.8e-6;
  p.seed = 5;
  return p;
}

mesh::GeometryParams wall_domains() {
  mesh::GeometryParams p = walls();
  auto& w = std::get<mesh::AlignedWallsParams>(p.structure);
  w.bridges_per_m2 = 0.0;
  w.domain_size_m = 8e-6;
  return p;
}

mesh::GeometryParams platelets(bool overlap) {
  mesh::RandomPlateletsParams r;
  r.volume_fraction = 0.08;
  r.diameter_m = 5e-6;
  r.thickness_m = 1e-6;
  r.placement = mesh::PlacementKind::clustered;  // Thomas clusters straddle every face
  r.cluster_radius_m = 3e-6;
  r.children_per_cluster = 8;
  r.allow_overlap = overlap;
  mesh::GeometryParams p;
  p.structure = r;
  p.shell.thickness_m = 0.9e-6;
  p.seed = 3;
  return p;
}

/// The same structure generated with each transport axis of the grid, whole and in blocks.
void expect_axis_independent(const mesh::Grid& grid, mesh::GeometryParams p, const char* what) {
  p.side_walls = mesh::SideWalls::periodic;
  p.transport_axis = 2 % grid.dimension();
  const auto reference = mesh::generate_block(grid, p, grid.whole());
  const std::vector<mesh::Label> labels = copy(reference.labels);
  for (int axis = 0; axis < grid.dimension(); ++axis) {
    p.transport_axis = axis;
    const auto g = mesh::generate_block(grid, p, grid.whole());
    EXPECT_EQ(copy(g.labels), labels) << what << ": transport axis " << axis;
    EXPECT_EQ(g.info.n_objects, reference.info.n_objects) << what << ": transport axis " << axis;
    EXPECT_EQ(g.info.achieved_clay_fraction, reference.info.achieved_clay_fraction) << what;
    const std::array<std::array<int, 3>, 4> splits3{{{2, 1, 1}, {1, 2, 2}, {3, 1, 2}, {2, 2, 2}}};
    const std::array<std::array<int, 3>, 4> splits2{{{2, 1, 1}, {1, 2, 1}, {3, 2, 1}, {2, 2, 1}}};
    for (const auto& split : grid.dimension() == 3 ? splits3 : splits2)
      EXPECT_EQ(stitched(grid, p, split), labels)
          << what << ": transport axis " << axis << ", blocks " << split[0] << "x" << split[1] << "x" << split[2];
  }
  // The test would pass trivially on a structure without clay or shell.
  EXPECT_GT(mesh::test::clay_fraction(reference.labels), 0.02) << what;
  std::size_t shell = 0;
  for (const mesh::Label l : labels) shell += l == mesh::phase::interface ? 1 : 0;
  EXPECT_GT(shell, 0u) << what;
}

}  // namespace

TEST(TransportAxis, AlignedWallsWithWavinessTiltBridgesIdenticalForEveryAxis) {
  expect_axis_independent(grid3, walls(), "aligned walls");
}

TEST(TransportAxis, AlignedWallDomainsIdenticalForEveryAxis) {
  expect_axis_independent(grid3, wall_domains(), "wall domains");
}

TEST(TransportAxis, ClusteredPlateletsWithShellIdenticalForEveryAxis) {
  expect_axis_independent(grid3, platelets(true), "clustered platelets");
}

TEST(TransportAxis, NonOverlappingPlateletsIdenticalForEveryAxis) {
  expect_axis_independent(grid3, platelets(false), "non-overlapping platelets");
}

TEST(TransportAxis, TwoDimensionalPlateletsIdenticalForEveryAxis) {
  auto p = platelets(true);
  std::get<mesh::RandomPlateletsParams>(p.structure).volume_fraction = 0.2;  // objects on every face
  expect_axis_independent(mesh::Grid{{48, 40, 1}, 0.5e-6}, p, "2D platelets");
}

TEST(TransportAxis, PlateletsWrapAcrossTheTransportFaces) {
  // A disc normal to z, 2 voxels thick, centred 0.1 um below the top face z = L: it covers the
  // top layer k = N-1 only, and its periodic image the bottom layer k = 0, whatever the transport
  // axis (before defect 9 was fixed, the image was missing when the transport axis was z).
  mesh::RandomPlateletsParams r;
  r.diameter_m = 4e-6;
  r.thickness_m = 1e-6;
  r.orientation = mesh::OrientationKind::aligned;
  mesh::GeometryParams p;
  p.structure = r;
  p.side_walls = mesh::SideWalls::periodic;
  const double h = grid3.voxel_size_m;
  mesh::detail::Platelet disc{{10e-6, 8e-6, grid3.length_m(2) - 0.2 * h}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}};
  for (int axis = 0; axis < 3; ++axis) {
    p.transport_axis = axis;
    std::vector<std::uint32_t> first;
    mesh::detail::rasterise_platelets(grid3, p, {disc}, grid3.whole(), first);
    const mesh::Box& b = grid3.whole();
    const auto covered = [&](int k) { return first[b.offset(20, 16, k)] == 0u; };
    EXPECT_TRUE(covered(b.hi[2] - 1)) << "axis " << axis;
    EXPECT_FALSE(covered(b.hi[2] - 2)) << "axis " << axis;
    EXPECT_TRUE(covered(0)) << "axis " << axis << ": the image across z = 0 is missing";
    EXPECT_FALSE(covered(1)) << "axis " << axis;
  }
  // zero_flux sides: nothing wraps.
  p.side_walls = mesh::SideWalls::zero_flux;
  std::vector<std::uint32_t> first;
  mesh::detail::rasterise_platelets(grid3, p, {disc}, grid3.whole(), first);
  EXPECT_EQ(first[grid3.whole().offset(20, 16, 0)], std::numeric_limits<std::uint32_t>::max());
  for (int axis = 0; axis < 3; ++axis) EXPECT_FALSE(mesh::wraps(p, axis));
}
