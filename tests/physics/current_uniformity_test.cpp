// Current-uniformity statistics (spec §5.5, §8 item 4): exact values on uniform faces and on the
// parallel laminate, the partial-cell rule of A50, the histogram and the box average.
#include <gtest/gtest.h>

#include <cmath>

#include "physics/current_uniformity.hpp"

namespace ph = ionpath::physics;

namespace {

// Stripes along axis 0 of period `p` cells: first half sigma_1, second half sigma_2 (the face
// currents of a parallel laminate at unit field).
ph::FaceMap laminate(int n0, int n1, int p, double s1, double s2, bool periodic) {
  ph::FaceMap m;
  m.n0 = n0;
  m.n1 = n1;
  m.periodic0 = m.periodic1 = periodic;
  for (int j = 0; j < n1; ++j)
    for (int i = 0; i < n0; ++i) m.values.push_back(i % p < p / 2 ? s1 : s2);
  return m;
}

}  // namespace

TEST(CurrentUniformity, UniformFaceIsExactlyUniform) {
  ph::FaceMap m = laminate(12, 7, 2, 3.7, 3.7, false);
  const ph::PlaneStats s = ph::plane_stats(m, 64);
  EXPECT_NEAR(s.full.mean, 3.7, 1e-14);
  EXPECT_NEAR(s.full.cv, 0.0, 1e-12);
  EXPECT_NEAR(s.full.max_over_mean, 1.0, 1e-12);
  EXPECT_NEAR(s.full.min_over_mean, 1.0, 1e-12);
  EXPECT_NEAR(s.full.a50, 0.5, 1e-12);
  EXPECT_EQ(s.full.n_cells, 84u);
  EXPECT_EQ(s.conducting.n_cells, 84u);  // no mask: every cell conducts
  ASSERT_EQ(s.full.histogram.size(), 64u);
  EXPECT_EQ(s.full.histogram.back().count, 84u);  // [0, 1]: the value is the maximum
  EXPECT_NEAR(s.full.histogram.back().current_fraction, 1.0, 1e-14);
}

TEST(CurrentUniformity, ParallelLaminateClosedForms) {
  const double s1 = 1.0, s2 = 10.0, f1 = 0.5, f2 = 0.5;
  const double mean = f1 * s1 + f2 * s2;
  const double cv = std::sqrt(f1 * f2) * std::abs(s1 - s2) / mean;  // spec §8 item 4: 0.818182
  const double a50 = f2 * 0.5 / (f2 * s2 / mean);                  // the sigma_2 stripes carry it: 0.275
  const ph::PlaneStats s = ph::plane_stats(laminate(40, 6, 8, s1, s2, true), 64);
  EXPECT_NEAR(s.full.cv, cv, 1e-12);
  EXPECT_NEAR(s.full.cv, 0.818181818181818, 1e-9);
  EXPECT_NEAR(s.full.max_over_mean, 1.818181818181818, 1e-9);
  EXPECT_NEAR(s.full.min_over_mean, s1 / mean, 1e-12);
  EXPECT_NEAR(s.full.a50, a50, 1e-12);
  std::size_t counted = 0;
  double area = 0.0, current = 0.0;
  for (const auto& b : s.full.histogram) {
    counted += b.count;
    area += b.area_fraction;
    current += b.current_fraction;
    if (b.count > 0) {
      EXPECT_NEAR(b.area_fraction, 0.5, 1e-14);
    }
  }
  EXPECT_EQ(counted, 240u);
  EXPECT_NEAR(area, 1.0, 1e-14);
  EXPECT_NEAR(current, 1.0, 1e-14);
  EXPECT_NEAR(s.full.histogram.back().current_fraction, f2 * s2 / mean, 1e-14);
}

TEST(CurrentUniformity, ConductingSetExcludesClosedFaces) {
  ph::FaceMap m = laminate(8, 2, 4, 0.0, 2.0, false);  // half the face insulating
  m.conducting.resize(m.size());
  for (std::size_t c = 0; c < m.size(); ++c) m.conducting[c] = m.values[c] > 0.0;
  const ph::PlaneStats s = ph::plane_stats(m, 16);
  EXPECT_NEAR(s.full.mean, 1.0, 1e-14);  // I / A over the full face
  EXPECT_NEAR(s.full.cv, 1.0, 1e-14);
  EXPECT_NEAR(s.full.min_over_mean, 0.0, 1e-14);
  EXPECT_NEAR(s.full.a50, 0.25, 1e-14);
  EXPECT_EQ(s.conducting.n_cells, 8u);
  EXPECT_NEAR(s.conducting.mean, 2.0, 1e-14);
  EXPECT_NEAR(s.conducting.cv, 0.0, 1e-14);
  EXPECT_NEAR(s.conducting.a50, 0.5, 1e-14);
}

TEST(CurrentUniformity, A50CountsThePartialCellByItsCurrent) {
  // 3 + 1: half (2) is reached inside the first cell, at 2/3 of its area: (0 + 2/3) / 2.
  EXPECT_NEAR(ph::area_fraction_half_current({1.0, 3.0}), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(ph::area_fraction_half_current({1.0, 2.0, 1.0}), 1.0 / 3.0, 1e-15);  // exactly one cell
  // 5 4 1: half = 5 reached at the end of the first cell.
  EXPECT_NEAR(ph::area_fraction_half_current({4.0, 1.0, 5.0}), 1.0 / 3.0, 1e-15);
  // 4 3 2 1: half = 5, after 4 one third of the cell of 3: (1 + 1/3) / 4.
  EXPECT_NEAR(ph::area_fraction_half_current({1.0, 2.0, 3.0, 4.0}), (1.0 + 1.0 / 3.0) / 4.0, 1e-15);
  EXPECT_TRUE(std::isnan(ph::area_fraction_half_current({0.0, 0.0})));
  EXPECT_TRUE(std::isnan(ph::area_fraction_half_current({})));
}

TEST(CurrentUniformity, BoxAverageTruncatesOrWraps) {
  ph::FaceMap m;
  m.n0 = 4;
  m.values = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> truncated3{1.5, 2.0, 3.0, 3.5}, truncated2{1.5, 2.5, 3.5, 4.0};
  const std::vector<double> wrapped3{7.0 / 3.0, 2.0, 3.0, 8.0 / 3.0}, wrapped2{1.5, 2.5, 3.5, 2.5};
  for (std::size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(ph::box_average(m, 3).values[c], truncated3[c], 1e-15);
    EXPECT_NEAR(ph::box_average(m, 2).values[c], truncated2[c], 1e-15);
    EXPECT_NEAR(ph::box_average(m, 1).values[c], m.values[c], 0.0);
  }
  m.periodic0 = true;
  for (std::size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(ph::box_average(m, 3).values[c], wrapped3[c], 1e-15);
    EXPECT_NEAR(ph::box_average(m, 2).values[c], wrapped2[c], 1e-15);
  }
  EXPECT_THROW(static_cast<void>(ph::box_average(m, 5)), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(ph::box_average(m, 0)), std::invalid_argument);
}

TEST(CurrentUniformity, WindowOfOnePeriodFlattensThePeriodicLaminate) {
  const ph::FaceMap m = laminate(40, 8, 8, 1.0, 10.0, true);
  const ph::PlaneStats s = ph::plane_stats(ph::box_average(m, 8), 64);
  EXPECT_NEAR(s.full.cv, 0.0, 1e-12);
  EXPECT_NEAR(s.full.max_over_mean, 1.0, 1e-12);
  EXPECT_NEAR(s.full.mean, 5.5, 1e-12);  // a wrapped window keeps the mean
  // Truncated windows do not: the edge windows see part of a period only.
  const ph::FaceMap t = laminate(40, 8, 8, 1.0, 10.0, false);
  EXPECT_GT(ph::plane_stats(ph::box_average(t, 8), 64).full.cv, 1e-3);
  // Half a period does not flatten it either.
  EXPECT_GT(ph::plane_stats(ph::box_average(m, 4), 64).full.cv, 0.1);
}
