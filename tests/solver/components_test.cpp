// Parallel connected components (spec §3.9): floating pockets, dead ends, a serpentine path that
// crosses rank boundaries many times, and percolation through periodic sides; random anisotropic
// flags and a 3D snake compared cell by cell with a serial search, on every process grid.
#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "solver/grid/connected_components.hpp"
#include "solver/conduction/conduction.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

int world_size() {
  int n = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &n);
  return n;
}

using FlagsOf = std::function<std::uint8_t(int, int, int)>;

AxisFlags owned_flags(const Domain& domain, const FlagsOf& flags_of) {
  const mesh::Box& own = domain.owned();
  AxisFlags flags(own.n_cells());
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) flags[own.offset(i, j, k)] = flags_of(i, j, k);
  return flags;
}

/// Serial reference on the whole grid (every rank computes it): depth-first search from each
/// unlabelled conducting cell in ascending global order, so each label is the component's
/// smallest global index. Same rules: both cells carry bit a, periodic wrap except along cut_axis.
struct Reference {
  std::vector<long long> label;  ///< per global cell, -1 when insulating
  long long n_components = 0;
};

Reference reference_labels(const Domain& domain, const FlagsOf& flags_of, int cut_axis) {
  const mesh::Index3 n = domain.grid().n_cells;
  const long long total = static_cast<long long>(domain.grid().n_total());
  std::vector<std::uint8_t> g(static_cast<std::size_t>(total));
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) g[domain.linear_index(i, j, k)] = flags_of(i, j, k);
  Reference r;
  r.label.assign(g.size(), -1);
  std::vector<long long> stack;
  for (long long seed = 0; seed < total; ++seed) {
    if (g[seed] == 0 || r.label[seed] >= 0) continue;
    ++r.n_components;
    r.label[seed] = seed;
    stack.assign(1, seed);
    while (!stack.empty()) {
      const long long p = stack.back();
      stack.pop_back();
      const std::array<int, 3> x{int(p % n[0]), int(p / n[0] % n[1]), int(p / (1LL * n[0] * n[1]))};
      for (int a = 0; a < domain.dimension(); ++a) {
        const auto bit = static_cast<std::uint8_t>(1u << a);
        for (int d : {-1, +1}) {
          std::array<int, 3> y = x;
          y[a] += d;
          if (y[a] < 0 || y[a] >= n[a]) {
            if (!domain.periodic(a) || a == cut_axis) continue;
            y[a] = (y[a] + n[a]) % n[a];
          }
          const long long q = domain.linear_index(y[0], y[1], y[2]);
          if ((g[p] & g[q] & bit) && r.label[q] < 0) {
            r.label[q] = seed;
            stack.push_back(q);
          }
        }
      }
    }
  }
  return r;
}

/// Checks label_components against the reference on the owned cells.
void expect_labels_match(const Domain& domain, const FlagsOf& flags_of, int cut_axis) {
  const Reference ref = reference_labels(domain, flags_of, cut_axis);
  const ComponentLabels labels = label_components(domain, owned_flags(domain, flags_of), cut_axis);
  EXPECT_EQ(labels.n_components, ref.n_components) << "cut_axis " << cut_axis;
  const mesh::Box& own = domain.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i)
        ASSERT_EQ(labels.label(own.offset(i, j, k)), ref.label[domain.linear_index(i, j, k)])
            << i << " " << j << " " << k << " cut_axis " << cut_axis;
}

/// Checks electrode_active_cells along `axis` against the reference (cut along `axis`).
void expect_electrodes_match(const Domain& domain, const FlagsOf& flags_of, int axis) {
  const Reference ref = reference_labels(domain, flags_of, axis);
  const mesh::Index3 n = domain.grid().n_cells;
  // Labels touching the low (bit 0) and high (bit 1) electrode.
  std::vector<std::uint8_t> touch(ref.label.size(), 0);
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) {
        const std::array<int, 3> x{i, j, k};
        const long long l = ref.label[domain.linear_index(i, j, k)];
        if (l < 0 || !(flags_of(i, j, k) & (1u << axis))) continue;
        if (x[axis] == 0) touch[l] |= 1;
        if (x[axis] == n[axis] - 1) touch[l] |= 2;
      }
  ComponentStats expect;
  for (std::size_t c = 0; c < ref.label.size(); ++c) {
    const long long l = ref.label[c];
    if (l < 0) continue;
    ++expect.n_conducting_cells;
    if (touch[l] == 3) ++expect.n_active_cells;
    if (l != static_cast<long long>(c)) continue;
    ++expect.n_components;
    ++(touch[l] == 3 ? expect.n_touch_both : touch[l] != 0 ? expect.n_touch_one : expect.n_floating);
  }
  const ActiveCells act = electrode_active_cells(domain, owned_flags(domain, flags_of), axis);
  EXPECT_EQ(act.stats.n_components, expect.n_components) << "axis " << axis;
  EXPECT_EQ(act.stats.n_touch_both, expect.n_touch_both) << "axis " << axis;
  EXPECT_EQ(act.stats.n_touch_one, expect.n_touch_one) << "axis " << axis;
  EXPECT_EQ(act.stats.n_floating, expect.n_floating) << "axis " << axis;
  EXPECT_EQ(act.stats.n_conducting_cells, expect.n_conducting_cells) << "axis " << axis;
  EXPECT_EQ(act.stats.n_active_cells, expect.n_active_cells) << "axis " << axis;
  const mesh::Box& own = domain.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const long long l = ref.label[domain.linear_index(i, j, k)];
        ASSERT_EQ(act.active[own.offset(i, j, k)] != 0, l >= 0 && touch[l] == 3)
            << i << " " << j << " " << k << " axis " << axis;
      }
}

/// Every split of the world's ranks over the axes of `grid` (px * py * pz == ranks).
std::vector<std::array<int, 3>> process_grids(const mesh::Grid& grid) {
  const int w = world_size();
  std::vector<std::array<int, 3>> out;
  for (int px = 1; px <= w; ++px)
    for (int py = 1; px * py <= w; ++py) {
      if (w % (px * py) != 0) continue;
      const int pz = w / (px * py);
      if (px <= grid.n_cells[0] && py <= grid.n_cells[1] && pz <= grid.n_cells[2]) out.push_back({px, py, pz});
    }
  return out;
}

/// Random anisotropic flags near the percolation threshold: many components, many crossings.
FlagsOf random_flags(const mesh::Grid& grid, std::uint64_t seed) {
  return [=](int i, int j, int k) -> std::uint8_t {
    const long long id = (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i;
    const double u = test::cell_random(seed, id);
    if (u < 0.4) return 0;
    if (u < 0.85) return all_axes;
    return static_cast<std::uint8_t>(1 + int(test::cell_random(seed + 1, id) * 7) % 7);  // 1..7
  };
}

TEST(Components, FloatingPocketAndDeadEndAreRemoved) {
  const mesh::Grid grid{{12, 12, 12}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  // Insulating shell [3, 8]^3 around a gel pocket [4, 7]^3; a dead-end cup at the inlet: the gel
  // column x = y = 10, z in [0, 3], walled off by insulators in x, y in [9, 11], z <= 4.
  const auto insulating = [](int i, int j, int k) {
    const bool in_shell = i >= 3 && i <= 8 && j >= 3 && j <= 8 && k >= 3 && k <= 8;
    const bool in_pocket = i >= 4 && i <= 7 && j >= 4 && j <= 7 && k >= 4 && k <= 7;
    const bool cup_wall = i >= 9 && j >= 9 && k <= 4 && !(i == 10 && j == 10 && k <= 3);
    return (in_shell && !in_pocket) || cup_wall;
  };
  const auto pocket = [](int i, int j, int k) { return i >= 4 && i <= 7 && j >= 4 && j <= 7 && k >= 4 && k <= 7; };
  const auto cup = [](int i, int j, int k) { return i == 10 && j == 10 && k <= 3; };
  const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) -> test::Tensor {
    const double s = insulating(i, j, k) ? 0.0 : 1.0;
    return {s, s, s};
  });
  const ActiveCells act = electrode_active_cells(domain, flags_from_tensor(sigma), 2);
  EXPECT_EQ(act.stats.n_components, 3);
  EXPECT_EQ(act.stats.n_touch_both, 1);
  EXPECT_EQ(act.stats.n_touch_one, 1);
  EXPECT_EQ(act.stats.n_floating, 1);
  const mesh::Box& own = domain.owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const bool expect_active = !insulating(i, j, k) && !pocket(i, j, k) && !cup(i, j, k);
        ASSERT_EQ(act.active[own.offset(i, j, k)] != 0, expect_active) << i << " " << j << " " << k;
      }
  const long long n_insulating = 6 * 6 * 6 - 4 * 4 * 4 + (3 * 3 * 5 - 4);
  EXPECT_EQ(act.stats.n_conducting_cells, 12 * 12 * 12 - n_insulating);
  EXPECT_EQ(act.stats.n_active_cells, 12 * 12 * 12 - n_insulating - 64 - 4);

  ConductivityOptions opt;
  opt.keep_fields = true;
  opt.ksp.rtol = 1e-12;
  const ConductivityResult r = solve_conductivity(domain, sigma, opt);
  EXPECT_TRUE(r.percolating);
  EXPECT_GT(r.sigma_eff, 0.5);
  EXPECT_LT(r.sigma_eff, 1.0);
  EXPECT_LT(r.flux_balance, 1e-10);
  EXPECT_LT(r.solve.iterations, 60);
  for (std::size_t c = 0; c < act.active.size(); ++c)
    if (!act.active[c]) {
      EXPECT_EQ(r.potential[c], 0.0);
    }
  EXPECT_NEAR(r.inactive_fraction(), double(n_insulating + 68) / (12 * 12 * 12), 1e-15);
}

// Serpentine along x in 2D (transport y): even rows full, odd rows open at alternating ends.
TEST(Components, SerpentineCrossesRanksManyTimes) {
  const mesh::Grid grid{{16, 17, 1}, 1e-6};
  DomainOptions o = test::domain_options(1);
  o.ranks_per_axis = {world_size(), 1, 1};  // every path row crosses every rank boundary
  const Domain domain(grid, o);
  for (const bool broken : {false, true}) {
    const auto path = [&](int i, int j, int) {
      if (broken && j == 8 && i == 7) return false;
      if (j % 2 == 0) return true;
      return (j % 4 == 1) ? i == 15 : i == 0;
    };
    const auto mask = test::mask_field(domain, path);
    const AxisFlags flags = flags_from_mask(mask);
    const ComponentLabels labels = label_components(domain, flags);
    EXPECT_EQ(labels.n_components, broken ? 2 : 1);
    EXPECT_EQ(percolates(domain, mask, 1), !broken);
    const mesh::Box& own = domain.owned();
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const std::size_t c = own.offset(i, j, 0);
        if (!path(i, j, 0)) {
          ASSERT_EQ(labels.label(c), -1);
        } else if (!broken || j < 8 || (j == 8 && i < 7)) {
          ASSERT_EQ(labels.label(c), 0) << i << " " << j;  // min index of the (first) path
        } else {
          ASSERT_EQ(labels.label(c), 8 * 16 + 8) << i << " " << j;  // first cell after the break
        }
      }
    if (world_size() > 1 && !broken) {
      EXPECT_GT(labels.n_sweeps, 2);
    }
  }
}

// Two half-columns joined only through the periodic x boundary.
TEST(Components, PeriodicSidesConnect) {
  const mesh::Grid grid{{8, 6, 10}, 1e-6};
  const auto channel = [](int i, int j, int k) { return j == 2 && ((i == 0 && k <= 5) || (i == 7 && k >= 4)); };
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(2, walls));
    const bool periodic = walls == mesh::SideWalls::periodic;
    EXPECT_EQ(percolates(domain, test::mask_field(domain, channel), 2), periodic);
    const auto sigma = test::tensor_field(domain, [&](int i, int j, int k) -> test::Tensor {
      const double s = channel(i, j, k) ? 1.0 : 0.0;
      return {s, s, s};
    });
    ConductivityOptions opt;
    opt.ksp.rtol = 1e-12;
    const ConductivityResult r = solve_conductivity(domain, sigma, opt);
    EXPECT_EQ(r.percolating, periodic);
    if (periodic) {
      // Series path: 6 + 6 cells along z (z 0..5 then 4..9) and the wrap face at z = 4, 5 in parallel.
      EXPECT_GT(r.sigma_eff, 0.0);
      EXPECT_LT(r.flux_balance, 1e-10);
    } else {
      EXPECT_EQ(r.sigma_eff, 0.0);
    }
  }
}

// A sheet conducting only in its plane is not joined to its neighbours through its normal.
TEST(Components, AnisotropicCellsConnectOnlyAlongConductingAxes) {
  const mesh::Grid grid{{6, 6, 6}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  // Gel everywhere except the plane z = 3, which conducts in x, y only: no path along z.
  const auto sigma = test::tensor_field(domain, [](int, int, int k) -> test::Tensor {
    return k == 3 ? test::Tensor{1.0, 1.0, 0.0} : test::Tensor{1.0, 1.0, 1.0};
  });
  const ActiveCells act = electrode_active_cells(domain, flags_from_tensor(sigma), 2);
  EXPECT_EQ(act.stats.n_touch_both, 0);
  EXPECT_EQ(act.stats.n_components, 3);
  const ConductivityResult r = solve_conductivity(domain, sigma, {});
  EXPECT_FALSE(r.percolating);
  EXPECT_EQ(r.sigma_eff, 0.0);
  const ConductivityResult rx = solve_conductivity(Domain(grid, test::domain_options(0)), sigma,
                                                   ConductivityOptions{.axis = 0, .ksp = {.rtol = 1e-12}});
  EXPECT_NEAR(rx.sigma_eff, 1.0, 1e-10);
}

// Random anisotropic flags on every process grid, zero-flux and periodic sides, with and without
// cut axes: labels, counts and electrode classification equal the serial reference.
TEST(Components, RandomFlagsMatchSerialReference) {
  for (const mesh::Grid grid : {mesh::Grid{{11, 10, 9}, 1e-6}, mesh::Grid{{23, 19, 1}, 1e-6}}) {
    const FlagsOf flags_of = random_flags(grid, 11);
    for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic})
      for (const auto& split : process_grids(grid)) {
        DomainOptions o = test::domain_options(1, walls);  // periodic along x (and z in 3D)
        o.ranks_per_axis = split;
        const Domain domain(grid, o);
        SCOPED_TRACE(testing::Message() << "grid " << grid.n_cells[0] << "x" << grid.n_cells[1] << "x"
                                        << grid.n_cells[2] << " ranks " << split[0] << "x" << split[1] << "x"
                                        << split[2] << (domain.periodic(0) ? " periodic" : ""));
        for (int cut = -1; cut < domain.dimension(); ++cut) expect_labels_match(domain, flags_of, cut);
        for (int axis = 0; axis < domain.dimension(); ++axis) expect_electrodes_match(domain, flags_of, axis);
      }
  }
}

// A 3D snake through a lattice of nodes 2 cells apart (x inner, then y, then z, reversing
// direction each time): one long path that enters every rank's box many times. Each path cell
// conducts only along the segments through it. With one cell removed it splits in two.
TEST(Components, SnakeThroughAllAxesMatchesSerialReference) {
  const mesh::Grid grid{{11, 9, 9}, 1e-6};
  std::vector<std::uint8_t> path(grid.n_total(), 0);
  const auto id = [&](const std::array<int, 3>& x) { return (x[2] * grid.n_cells[1] + x[1]) * grid.n_cells[0] + x[0]; };
  std::vector<std::array<int, 3>> nodes;
  for (int c = 0; c < 5; ++c)
    for (int b = 0; b < 5; ++b)
      for (int a = 0; a < 6; ++a) {
        const int bb = c % 2 == 0 ? b : 4 - b;
        const int aa = (c * 5 + b) % 2 == 0 ? a : 5 - a;
        nodes.push_back({2 * aa, 2 * bb, 2 * c});
      }
  for (std::size_t s = 1; s < nodes.size(); ++s) {
    std::array<int, 3> x = nodes[s - 1];
    const std::array<int, 3>& to = nodes[s];
    int axis = 0;
    while (x[axis] == to[axis]) ++axis;
    const auto bit = static_cast<std::uint8_t>(1u << axis);
    for (const int step = to[axis] > x[axis] ? 1 : -1; x != to; x[axis] += step) path[id(x)] |= bit;
    path[id(to)] |= bit;
  }
  for (const bool broken : {false, true})
    for (const auto& split : process_grids(grid)) {
      DomainOptions o = test::domain_options(2);
      o.ranks_per_axis = split;
      const Domain domain(grid, o);
      const FlagsOf flags_of = [&](int i, int j, int k) -> std::uint8_t {
        if (broken && i == 5 && j == 8 && k == 4) return 0;
        return path[id({i, j, k})];
      };
      SCOPED_TRACE(testing::Message() << "ranks " << split[0] << "x" << split[1] << "x" << split[2]
                                      << (broken ? " broken" : ""));
      ASSERT_EQ(reference_labels(domain, flags_of, -1).n_components, broken ? 2 : 1);
      expect_labels_match(domain, flags_of, -1);
      expect_electrodes_match(domain, flags_of, 2);
    }
}

// A bar along x with a gap, closed only through the periodic x sides: one component unless x is
// the cut axis. Also when x is split over all ranks, so the wrap is an exchange between ranks.
TEST(Components, PeriodicWrapJoinsUnlessCut) {
  const mesh::Grid grid{{8, 6, 10}, 1e-6};
  const auto bar = [](int i, int j, int k) -> std::uint8_t { return j == 2 && k == 3 && i != 4 ? all_axes : 0; };
  for (const std::array<int, 3> split : {std::array<int, 3>{-1, -1, -1}, std::array<int, 3>{world_size(), 1, 1}}) {
    DomainOptions o = test::domain_options(2, mesh::SideWalls::periodic);
    o.ranks_per_axis = split;
    const Domain domain(grid, o);
    const AxisFlags flags = owned_flags(domain, bar);
    const ComponentLabels joined = label_components(domain, flags);
    const ComponentLabels cut = label_components(domain, flags, 0);
    EXPECT_EQ(joined.n_components, 1);
    EXPECT_EQ(cut.n_components, 2);
    const mesh::Box& own = domain.owned();
    if (own.contains(6, 2, 3)) {
      const std::size_t c = own.offset(6, 2, 3);
      EXPECT_EQ(joined.label(c), domain.linear_index(0, 2, 3));
      EXPECT_EQ(cut.label(c), domain.linear_index(5, 2, 3));
    }
    expect_labels_match(domain, bar, -1);
    expect_labels_match(domain, bar, 0);
    expect_electrodes_match(domain, bar, 0);
  }
}

}  // namespace
}  // namespace ionpath::solver
