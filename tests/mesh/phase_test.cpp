#include <gtest/gtest.h>

#include "mesh/geometry_params.hpp"
#include "mesh/phase.hpp"

namespace mesh = ionpath::mesh;

TEST(PhaseTable, BuiltinsAndUserPhases) {
  mesh::PhaseTable table;
  EXPECT_EQ(table.find("gel"), mesh::phase::gel);
  EXPECT_EQ(table.find("interface"), mesh::phase::interface);
  EXPECT_FALSE(table.find("binder").has_value());
  table.add("binder", 17);
  EXPECT_EQ(table.find("binder"), 17);
  EXPECT_EQ(table.name_of(17), "binder");
  EXPECT_THROW(table.add("gel", 20), std::invalid_argument);
  EXPECT_THROW(table.add("other", mesh::phase::clay), std::invalid_argument);
}

TEST(WeightToVolumeFraction, PaperLoading) {
  // spec §6.1: 13.2 wt % MMT (2.7 g/cm3) in gel (1.25 g/cm3) is 6.58 vol %.
  EXPECT_NEAR(mesh::volume_fraction_from_weight(0.132, 2700.0, 1250.0), 0.0658, 5e-5);
  EXPECT_DOUBLE_EQ(mesh::volume_fraction_from_weight(0.0, 2700.0, 1250.0), 0.0);
  EXPECT_DOUBLE_EQ(mesh::volume_fraction_from_weight(1.0, 2700.0, 1250.0), 1.0);
}
