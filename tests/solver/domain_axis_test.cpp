// Defect 9, solver side: the owned boxes of a Domain do not depend on its transport axis, so a
// structure generated once on those boxes serves the Domains of all three measuring axes. Only
// the periodicity (the transport axis never wraps), the neighbours and the ghost layers differ.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "mesh/generate.hpp"
#include "solver/grid/domain.hpp"
#include "solver/grid/structure_report.hpp"

namespace ionpath::solver {
namespace {

DomainOptions options(int axis, mesh::SideWalls sides) {
  DomainOptions o;
  o.transport_axis = axis;
  o.side_walls = sides;
  return o;
}

mesh::GeometryParams clustered_platelets() {
  mesh::RandomPlateletsParams r;
  r.volume_fraction = 0.08;
  r.diameter_m = 4e-6;
  r.thickness_m = 1e-6;
  r.placement = mesh::PlacementKind::clustered;
  r.cluster_radius_m = 3e-6;
  mesh::GeometryParams p;
  p.structure = r;
  p.shell.thickness_m = 0.6e-6;
  p.side_walls = mesh::SideWalls::periodic;
  p.seed = 21;
  return p;
}

TEST(DomainTransportAxis, OwnedBoxesDoNotDependOnTheTransportAxis) {
  for (const mesh::Grid& grid : {mesh::Grid{{24, 20, 18}, 0.5e-6}, mesh::Grid{{12, 30, 16}, 0.5e-6},
                                 mesh::Grid{{32, 20, 1}, 0.5e-6}})
    for (const auto sides : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
      const Domain ref(grid, options(0, sides));
      for (int axis = 0; axis < grid.dimension(); ++axis) {
        const Domain d(grid, options(axis, sides));
        EXPECT_EQ(d.owned(), ref.owned()) << "axis " << axis;
        EXPECT_EQ(d.ranks_per_axis(), ref.ranks_per_axis());
        EXPECT_EQ(d.ownership_ranges(), ref.ownership_ranges());
        static_cast<void>(d.dm());  // the DMDA is checked against the same ranges when it is built
        for (int a = 0; a < grid.dimension(); ++a)
          EXPECT_EQ(d.periodic(a), sides == mesh::SideWalls::periodic && a != axis) << "axis " << axis << " a " << a;
      }
    }
}

TEST(DomainTransportAxis, LabelsBuiltOnceServeEveryAxis) {
  const mesh::Grid grid{{24, 20, 18}, 0.5e-6};
  mesh::GeometryParams p = clustered_platelets();
  std::vector<mesh::Label> reference;
  for (int axis = 0; axis < 3; ++axis) {
    p.transport_axis = axis;
    const Domain d(grid, options(axis, p.side_walls));
    const auto g = mesh::generate_block(grid, p, d.owned(), mpi_sum_in_place(d.comm()));
    const std::vector<mesh::Label> labels(g.labels.labels().begin(), g.labels.labels().end());
    if (axis == 0) reference = labels;
    EXPECT_EQ(labels, reference) << "transport axis " << axis;
  }
}

}  // namespace
}  // namespace ionpath::solver
