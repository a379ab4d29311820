// Random insulating spheres vs the Maxwell-Garnett / Hashin-Shtrikman upper bound (spec §8.5):
// sigma/sigma_m <= (1 - f)/(1 + f/2) and within 2 % of it, f the voxel-counted sphere fraction.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "solver/conduction/conduction.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

struct Sphere {
  double x, y, z;
};

/// Non-overlapping spheres (gap >= 1 voxel, periodic in x and y, inside the box in z), placed by
/// random sequential addition; identical on every rank.
std::vector<Sphere> place_spheres(const mesh::Grid& g, double radius, int count, std::uint64_t seed) {
  std::vector<Sphere> out;
  long long draw = 0;
  while (static_cast<int>(out.size()) < count && draw < 100000) {
    const Sphere s{test::cell_random(seed, draw) * g.n_cells[0], test::cell_random(seed + 1, draw) * g.n_cells[1],
                   radius + 1 + test::cell_random(seed + 2, draw) * (g.n_cells[2] - 2 * radius - 2)};
    ++draw;
    bool free = true;
    for (const Sphere& o : out) {
      double dx = std::abs(s.x - o.x), dy = std::abs(s.y - o.y);
      dx = std::min(dx, g.n_cells[0] - dx);
      dy = std::min(dy, g.n_cells[1] - dy);
      if (std::hypot(dx, dy, s.z - o.z) < 2 * radius + 1) free = false;
    }
    if (free) out.push_back(s);
  }
  return out;
}

TEST(ConductionBounds, InsulatingSpheresBelowAndNearMaxwellGarnett) {
  const mesh::Grid grid{{48, 48, 48}, 1e-6};
  const Domain domain(grid, test::domain_options(2, mesh::SideWalls::periodic));
  const double radius = 6.0;  // diameter 12 voxels
  const double sphere_volume = 4.0 / 3.0 * std::numbers::pi * radius * radius * radius;
  for (const double target : {0.05, 0.10}) {
    const int count = static_cast<int>(std::lround(target * double(grid.n_total()) / sphere_volume));
    const auto spheres = place_spheres(grid, radius, count, 17);
    ASSERT_EQ(static_cast<int>(spheres.size()), count);
    const auto inside = [&](int i, int j, int k) {
      for (const Sphere& s : spheres) {
        double dx = std::abs(i + 0.5 - s.x), dy = std::abs(j + 0.5 - s.y);
        dx = std::min(dx, grid.n_cells[0] - dx);
        dy = std::min(dy, grid.n_cells[1] - dy);
        if (std::hypot(dx, dy, k + 0.5 - s.z) <= radius) return true;
      }
      return false;
    };
    const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) -> test::Tensor {
      const double s = inside(i, j, k) ? 0.0 : 1.0;
      return {s, s, s};
    });
    ConductivityOptions opt;
    opt.ksp.rtol = 1e-10;
    const ConductivityResult r = solve_conductivity(domain, sigma, opt);
    const double f = r.inactive_fraction();  // voxel-counted sphere fraction (no floating cells)
    EXPECT_EQ(r.components.n_components, 1);
    const double mg = (1.0 - f) / (1.0 + f / 2.0);
    ::testing::Test::RecordProperty("f_" + std::to_string(target), std::to_string(f));
    ::testing::Test::RecordProperty("ratio_" + std::to_string(target), std::to_string(r.sigma_eff / mg));
    EXPECT_LE(r.sigma_eff, mg) << "f = " << f;
    EXPECT_GT(r.sigma_eff, 0.98 * mg) << "f = " << f;
  }
}

}  // namespace
}  // namespace ionpath::solver
