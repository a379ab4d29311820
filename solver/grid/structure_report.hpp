#pragma once
/// Geometry report of a distributed label field (spec §6.4): voxel-counted volume fraction of
/// every phase, solid-electrolyte interface area per volume, and percolation of each phase (and
/// of the electrolyte = gel + interface + clay_shell) along each axis, all reduced over the ranks.
#include <array>
#include <string>
#include <vector>

#include "mesh/generate.hpp"
#include "mesh/label_block.hpp"
#include "mesh/phase.hpp"
#include "solver/grid/domain.hpp"

namespace ionpath::solver {

struct PhaseStats {
  std::string name;
  mesh::Label label = 0;
  long long n_cells = 0;
  double volume_fraction = 0.0;
  std::array<bool, 3> percolates{false, false, false};  ///< a 6-connected cluster spans the axis
};

struct StructureReport {
  long long n_cells = 0;
  std::vector<PhaseStats> phases;  ///< phases present, in label order
  /// Faces between wall/clay and any other phase, times face area, per total volume (1/m).
  double interface_area_per_volume_1_m = 0.0;
  std::array<bool, 3> electrolyte_percolates{false, false, false};  ///< gel + interface + clay_shell
};

[[nodiscard]] StructureReport report_structure(const Domain& domain, const mesh::LabelBlock& labels,
                                               const mesh::PhaseTable& table);

/// mesh::SumInPlace backed by MPI_Allreduce on `comm`.
[[nodiscard]] mesh::SumInPlace mpi_sum_in_place(MPI_Comm comm);

}  // namespace ionpath::solver
