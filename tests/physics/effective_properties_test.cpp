// Effective properties (spec §1.6, §5.2, §7.3): tortuosity factor and MacMullin number, Wiener
// bounds attained by laminates, linear t+ and its Wiener feasibility bound.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "physics/effective_properties.hpp"

namespace ph = ionpath::physics;

namespace {

/// Diagonal tensor field (3 per cell) of a laminate: layer l has isotropic conductivity
/// sigma[l % size] and `cells_per_layer` cells (the layer order does not enter the volume averages).
std::vector<double> laminate(const std::vector<double>& sigma, int n_layers, int cells_per_layer) {
  std::vector<double> f;
  for (int l = 0; l < n_layers; ++l)
    for (int c = 0; c < cells_per_layer; ++c)
      for (int a = 0; a < 3; ++a) f.push_back(sigma[static_cast<std::size_t>(l) % sigma.size()]);
  return f;
}

}  // namespace

TEST(EffectiveProperties, TortuosityAndMacMullin) {
  EXPECT_DOUBLE_EQ(ph::tortuosity_factor(0.8, 2.0, 1.0), 1.6);
  EXPECT_DOUBLE_EQ(ph::macmullin_number(2.0, 0.5), 4.0);
  // Homogeneous reference: sigma_eff = eps sigma_ref gives tau = 1 (only porosity, no detour).
  EXPECT_DOUBLE_EQ(ph::tortuosity_factor(0.25, 4.0, 1.0), 1.0);
  // tau = eps N_M for every input.
  for (const double s : {0.1, 0.7, 3.0}) EXPECT_DOUBLE_EQ(ph::tortuosity_factor(0.6, 2.0, s), 0.6 * ph::macmullin_number(2.0, s));
  // No conducting path: both infinite.
  EXPECT_TRUE(std::isinf(ph::tortuosity_factor(0.5, 1.0, 0.0)));
  EXPECT_TRUE(std::isinf(ph::macmullin_number(1.0, 0.0)));
  EXPECT_TRUE(std::isinf(ph::macmullin_number(1.0, -1e-3)));
}

TEST(WienerBounds, LaminateAttainsBoth) {
  // Layers 1, 4, 0.25 (equal thickness): in series (across) sigma_eff = 3 / (1 + 1/4 + 4),
  // in parallel (along) sigma_eff = (1 + 4 + 0.25) / 3. The bounds equal these exactly.
  const auto f = laminate({1.0, 4.0, 0.25}, 6, 5);
  const ph::WienerSums w = ph::wiener_sums(f, 2);
  EXPECT_EQ(w.n_cells, 30.0);
  EXPECT_DOUBLE_EQ(ph::wiener_upper_bound(w), (1.0 + 4.0 + 0.25) / 3.0);
  EXPECT_DOUBLE_EQ(ph::wiener_lower_bound(w), 3.0 / (1.0 + 0.25 + 4.0));
  EXPECT_LT(ph::wiener_lower_bound(w), ph::wiener_upper_bound(w));
}

TEST(WienerBounds, HomogeneousInsulatingAndSplitSums) {
  const std::vector<double> uniform(3 * 7, 2.5);
  for (int axis = 0; axis < 3; ++axis) {
    const auto w = ph::wiener_sums(uniform, axis);
    EXPECT_DOUBLE_EQ(ph::wiener_upper_bound(w), 2.5);  // both bounds coincide: sigma_eff = sigma
    EXPECT_DOUBLE_EQ(ph::wiener_lower_bound(w), 2.5);
  }
  // An insulating cell closes the series path (lower bound 0) but not the parallel one.
  const std::vector<double> f{1, 1, 2, 1, 1, 0, 1, 1, 4};  // three cells, axis 2: 2, 0, 4
  const auto w = ph::wiener_sums(f, 2);
  EXPECT_DOUBLE_EQ(ph::wiener_upper_bound(w), 2.0);
  EXPECT_EQ(ph::wiener_lower_bound(w), 0.0);
  EXPECT_DOUBLE_EQ(ph::wiener_lower_bound(ph::wiener_sums(f, 0)), 1.0);  // the axis picks the component
  // Sums from two blocks add to the sums of the whole (what the MPI reduction does).
  const std::vector<double> a(f.begin(), f.begin() + 3), b(f.begin() + 3, f.end());
  ph::WienerSums sa = ph::wiener_sums(a, 0), sb = ph::wiener_sums(b, 0);
  sa.n_cells += sb.n_cells;
  sa.sigma += sb.sigma;
  sa.resistivity += sb.resistivity;
  EXPECT_DOUBLE_EQ(ph::wiener_upper_bound(sa), ph::wiener_upper_bound(ph::wiener_sums(f, 0)));
  EXPECT_DOUBLE_EQ(ph::wiener_lower_bound(sa), ph::wiener_lower_bound(ph::wiener_sums(f, 0)));
  // No cells: both bounds 0.
  EXPECT_EQ(ph::wiener_upper_bound(ph::WienerSums{}), 0.0);
  EXPECT_EQ(ph::wiener_lower_bound(ph::WienerSums{}), 0.0);
}

TEST(TransferenceNumber, LinearRatioAndWienerBound) {
  EXPECT_DOUBLE_EQ(ph::transference_number_linear(0.42, 1.0), 0.42);
  EXPECT_EQ(ph::transference_number_linear(0.3, 0.0), 0.0);  // nothing conducts
  // Parallel walls along the axis (gel 0.8 of the volume, sigma+ 0.265, sigma 0.632; walls sigma+ = sigma = 3.6):
  // G is the arithmetic mean for both fields, so t+ equals its Wiener bound.
  const auto total = ph::wiener_sums(laminate({0.632, 0.632, 0.632, 0.632, 3.6}, 5, 2), 2);
  const auto plus = ph::wiener_sums(laminate({0.265, 0.265, 0.265, 0.265, 3.6}, 5, 2), 2);
  const double sigma_eff = ph::wiener_upper_bound(total), sigma_plus_eff = ph::wiener_upper_bound(plus);
  EXPECT_NEAR(sigma_eff, 0.8 * 0.632 + 0.2 * 3.6, 1e-15 * 8);
  EXPECT_DOUBLE_EQ(ph::transference_number_linear(sigma_plus_eff, sigma_eff),
                   ph::transference_wiener_bound(ph::wiener_upper_bound(plus), sigma_eff));
  // Across the same layers sigma_eff drops to the harmonic mean and the bound exceeds t+.
  const double across = ph::wiener_lower_bound(total), across_plus = ph::wiener_lower_bound(plus);
  EXPECT_LT(ph::transference_number_linear(across_plus, across), ph::transference_wiener_bound(ph::wiener_upper_bound(plus), across));
  EXPECT_EQ(ph::transference_wiener_bound(0.3, 0.0), 0.0);
}
