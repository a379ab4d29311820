#pragma once
/// The distributed cell grid: a DMDA (star stencil, width 1) over a mesh::Grid, plus a compatible
/// scalar DMDA when the unknowns have several components (spec §3.1). 2D grids (n_cells[2] == 1)
/// become DMDAs of dimension 2.
#include <mpi.h>
#include <petscdm.h>

#include <array>
#include <string>
#include <vector>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver {

struct DomainOptions {
  int dof = 1;                     ///< unknowns per cell (interlaced)
  int transport_axis = 2;          ///< electrode axis: never periodic
  mesh::SideWalls side_walls = mesh::SideWalls::zero_flux;
  /// Ranks per axis; -1 lets the Domain choose (the split with the smallest cut). Forcing a split
  /// is for tests.
  std::array<int, 3> ranks_per_axis{-1, -1, -1};
  std::vector<std::string> field_names;  ///< DMDASetFieldName, empty = unnamed
  MPI_Comm comm = MPI_COMM_NULL;         ///< MPI_COMM_NULL = PETSC_COMM_WORLD
};

class Domain {
 public:
  Domain(const mesh::Grid& grid, const DomainOptions& options);

  /// The DMDA with this decomposition. Collective on first use: it is built only when a solver
  /// needs it (its scatter and mappings touch about 20 bytes per cell, which the matrix-free path
  /// never needs).
  [[nodiscard]] DM dm() const;
  /// dof 1, same layout: dm() itself when dof == 1. Collective on first use.
  [[nodiscard]] DM scalar_dm() const;
  /// Cells per process along each axis (DMDA ownership ranges; axis 2 of a 2D grid: {1}).
  [[nodiscard]] const std::array<std::vector<int>, 3>& ownership_ranges() const noexcept { return ranges_; }
  /// Rank across the face (axis, side) of the owned box, periodic wrap included; -1 at the box side.
  [[nodiscard]] int neighbour(int axis, int side) const noexcept { return neighbours_[2 * axis + side]; }
  [[nodiscard]] const mesh::Grid& grid() const noexcept { return grid_; }
  [[nodiscard]] const mesh::Box& owned() const noexcept { return owned_; }
  /// Owned box grown by one ghost layer (wrapping indices at periodic sides run to -1 and N).
  [[nodiscard]] const mesh::Box& ghosted() const noexcept { return ghosted_; }
  [[nodiscard]] int dimension() const noexcept { return grid_.dimension(); }
  [[nodiscard]] bool periodic(int axis) const noexcept { return periodic_[axis]; }
  [[nodiscard]] int transport_axis() const noexcept { return options_.transport_axis; }
  [[nodiscard]] const DomainOptions& options() const noexcept { return options_; }
  [[nodiscard]] MPI_Comm comm() const noexcept { return comm_; }
  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int n_ranks() const noexcept { return n_ranks_; }
  [[nodiscard]] std::array<int, 3> ranks_per_axis() const noexcept { return ranks_per_axis_; }
  /// Global linear cell index, x fastest (exact in a double up to 2^53 cells).
  [[nodiscard]] long long linear_index(int i, int j, int k) const noexcept {
    return (static_cast<long long>(k) * grid_.n_cells[1] + j) * grid_.n_cells[0] + i;
  }

 private:
  mesh::Grid grid_;
  DomainOptions options_;
  std::array<bool, 3> periodic_{false, false, false};
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int n_ranks_ = 1;
  std::array<int, 3> ranks_per_axis_{1, 1, 1};
  void create_dm() const;
  mutable DmHandle dm_;         ///< built on first use
  mutable DmHandle scalar_dm_;  ///< built on first use when dof > 1
  std::array<std::vector<int>, 3> ranges_;
  std::array<int, 6> neighbours_{-1, -1, -1, -1, -1, -1};
  mesh::Box owned_;
  mesh::Box ghosted_;
};

/// Read/write view of a DMDA local (ghosted) array with global cell indices; 2D arrays use k = 0.
template <typename T>
class GhostedView {
 public:
  GhostedView(T* data, const mesh::Box& ghosted, int dof) noexcept : data_(data), box_(ghosted), dof_(dof) {}
  [[nodiscard]] T& operator()(int i, int j, int k, int c = 0) const noexcept {
    return data_[box_.offset(i, j, k) * dof_ + c];
  }

 private:
  T* data_;
  mesh::Box box_;
  int dof_;
};

}  // namespace ionpath::solver
