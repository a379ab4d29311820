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
#include "solver/petsc_handles.hpp"

namespace ionpath::solver {

struct DomainOptions {
  int dof = 1;                     ///< unknowns per cell (interlaced)
  int transport_axis = 2;          ///< electrode axis: never periodic
  mesh::SideWalls side_walls = mesh::SideWalls::zero_flux;
  /// Ranks per axis; PETSC_DECIDE (-1) lets PETSc choose. Forcing a split is for tests.
  std::array<int, 3> ranks_per_axis{-1, -1, -1};
  std::vector<std::string> field_names;  ///< DMDASetFieldName, empty = unnamed
  MPI_Comm comm = MPI_COMM_NULL;         ///< MPI_COMM_NULL = PETSC_COMM_WORLD
};

class Domain {
 public:
  Domain(const mesh::Grid& grid, const DomainOptions& options);

  [[nodiscard]] DM dm() const noexcept { return dm_.get(); }
  /// dof 1, same layout: dm() itself when dof == 1 (a DMDA's scatter and mappings cost about
  /// 25 bytes per cell, so the conduction path keeps a single one).
  [[nodiscard]] DM scalar_dm() const noexcept { return scalar_dm_ ? scalar_dm_.get() : dm_.get(); }
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
  DmHandle dm_;
  DmHandle scalar_dm_;  ///< null when dof == 1
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
