#pragma once
/// Voxel grid geometry: cell counts, voxel size, index boxes. Cells are indexed (i, j, k) along
/// (x, y, z) with x fastest in every flattened array. 2D structures are grids with n_cells[2] == 1.
#include <array>
#include <cstddef>
#include <cstdint>

namespace ionpath::mesh {

using Index3 = std::array<int, 3>;

/// Half-open box of global cell indices [lo, hi) per axis.
struct Box {
  Index3 lo{0, 0, 0};
  Index3 hi{0, 0, 0};

  [[nodiscard]] int extent(int axis) const noexcept { return hi[axis] - lo[axis]; }
  [[nodiscard]] std::size_t n_cells() const noexcept {
    return static_cast<std::size_t>(extent(0)) * extent(1) * extent(2);
  }
  [[nodiscard]] bool contains(int i, int j, int k) const noexcept {
    return i >= lo[0] && i < hi[0] && j >= lo[1] && j < hi[1] && k >= lo[2] && k < hi[2];
  }
  /// Position of global cell (i, j, k) in an array covering this box, x fastest.
  [[nodiscard]] std::size_t offset(int i, int j, int k) const noexcept {
    return (static_cast<std::size_t>(k - lo[2]) * extent(1) + (j - lo[1])) * extent(0) + (i - lo[0]);
  }
  friend bool operator==(const Box&, const Box&) = default;
};

/// The whole voxel domain. voxel_size_m is the edge length of a (cubic) voxel in metres.
struct Grid {
  Index3 n_cells{1, 1, 1};
  double voxel_size_m = 1e-6;

  [[nodiscard]] int dimension() const noexcept { return n_cells[2] == 1 ? 2 : 3; }
  [[nodiscard]] std::size_t n_total() const noexcept {
    return static_cast<std::size_t>(n_cells[0]) * n_cells[1] * n_cells[2];
  }
  [[nodiscard]] Box whole() const noexcept { return Box{{0, 0, 0}, n_cells}; }
  [[nodiscard]] double length_m(int axis) const noexcept { return n_cells[axis] * voxel_size_m; }
};

}  // namespace ionpath::mesh
