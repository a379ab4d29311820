#include "solver/grid/domain.hpp"

#include <petscdmda.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

/// Processes per axis (m n p = size): the split with the smallest total cut area, preferring
/// cuts along the slow axes (whole x rows stay on one rank); forced entries (>= 1) are kept.
std::array<int, 3> process_grid(const mesh::Index3& n, int dim, int size, const std::array<int, 3>& forced) {
  std::array<int, 3> best{0, 0, 0};
  double best_cut = 0.0;
  for (int m = 1; m <= size; ++m) {
    if (size % m != 0) continue;
    for (int q = 1; q <= size / m; ++q) {
      if ((size / m) % q != 0) continue;
      const std::array<int, 3> g{m, q, size / (m * q)};
      bool ok = dim == 3 || g[2] == 1;
      for (int a = 0; a < 3; ++a) ok = ok && g[a] <= n[a] && (forced[a] < 1 || forced[a] == g[a]);
      if (!ok) continue;
      const double cut = (g[0] - 1.0) * n[1] * n[2] + (g[1] - 1.0) * n[0] * n[2] + (g[2] - 1.0) * n[0] * n[1];
      // Ties go to the split with more processes along z, then y.
      const bool better = best[0] == 0 || cut < best_cut ||
                          (cut == best_cut && std::make_pair(g[2], g[1]) > std::make_pair(best[2], best[1]));
      if (better) {
        best = g;
        best_cut = cut;
      }
    }
  }
  if (best[0] == 0)
    throw std::invalid_argument("Domain: cannot split a grid of " + std::to_string(n[0]) + " x " +
                                std::to_string(n[1]) + " x " + std::to_string(n[2]) + " cells over " +
                                std::to_string(size) + " ranks with ranks_per_axis as given");
  return best;
}

}  // namespace

Domain::Domain(const mesh::Grid& grid, const DomainOptions& options)
    : grid_(grid), options_(options), comm_(options.comm == MPI_COMM_NULL ? PETSC_COMM_WORLD : options.comm) {
  const int dim = grid.dimension();
  if (options.transport_axis < 0 || options.transport_axis >= dim)
    throw std::invalid_argument("Domain: transport_axis " + std::to_string(options.transport_axis) +
                                " is not an axis of a " + std::to_string(dim) + "D grid");
  if (options.dof < 1) throw std::invalid_argument("Domain: dof must be >= 1");
  for (int a = 0; a < dim; ++a) {
    if (grid.n_cells[a] < 1) throw std::invalid_argument("Domain: grid.n_cells must be >= 1");
    periodic_[a] = options.side_walls == mesh::SideWalls::periodic && a != options.transport_axis;
  }
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &n_ranks_);

  // The decomposition is decided here, without a DMDA: DMSetUp's scatters and mappings touch about
  // 20 bytes per cell, and fresh memory is expensive (docs/performance.md). The DMDA is built on
  // first use with exactly these ranges.
  ranks_per_axis_ = process_grid(grid.n_cells, dim, n_ranks_, options.ranks_per_axis);
  const std::array<int, 3> coord{rank_ % ranks_per_axis_[0], (rank_ / ranks_per_axis_[0]) % ranks_per_axis_[1],
                                 rank_ / (ranks_per_axis_[0] * ranks_per_axis_[1])};
  for (int a = 0; a < 3; ++a) {
    const int procs = ranks_per_axis_[a], n = grid.n_cells[a];
    ranges_[a].resize(static_cast<std::size_t>(procs));
    for (int q = 0; q < procs; ++q) ranges_[a][static_cast<std::size_t>(q)] = n / procs + (q < n % procs ? 1 : 0);
    int lo = 0;
    for (int q = 0; q < coord[a]; ++q) lo += ranges_[a][static_cast<std::size_t>(q)];
    owned_.lo[a] = lo;
    owned_.hi[a] = lo + ranges_[a][static_cast<std::size_t>(coord[a])];
    ghosted_.lo[a] = owned_.lo[a];
    ghosted_.hi[a] = owned_.hi[a];
    if (a >= dim) continue;
    for (int side : {0, 1}) {
      std::array<int, 3> q = coord;
      q[a] += side == 0 ? -1 : 1;
      if (q[a] < 0 || q[a] >= procs) {
        if (!periodic_[a]) continue;
        q[a] = (q[a] + procs) % procs;
      }
      neighbours_[2 * a + side] = q[0] + ranks_per_axis_[0] * (q[1] + ranks_per_axis_[1] * q[2]);
      // DMDA ghost layer: wherever there is a neighbour (periodic wrap included).
      (side == 0 ? ghosted_.lo[a] : ghosted_.hi[a]) += side == 0 ? -1 : 1;
    }
  }
}

void Domain::create_dm() const {
  const int dim = grid_.dimension();
  const auto bt = [&](int a) { return periodic_[a] ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE; };
  std::array<std::vector<PetscInt>, 3> l;
  for (int a = 0; a < 3; ++a) l[a].assign(ranges_[a].begin(), ranges_[a].end());
  const auto& p = ranks_per_axis_;
  if (dim == 2) {
    IONPATH_PETSC_CALL(DMDACreate2d(comm_, bt(0), bt(1), DMDA_STENCIL_STAR, grid_.n_cells[0], grid_.n_cells[1], p[0],
                                    p[1], options_.dof, 1, l[0].data(), l[1].data(), dm_.out()));
  } else {
    IONPATH_PETSC_CALL(DMDACreate3d(comm_, bt(0), bt(1), bt(2), DMDA_STENCIL_STAR, grid_.n_cells[0],
                                    grid_.n_cells[1], grid_.n_cells[2], p[0], p[1], p[2], options_.dof, 1,
                                    l[0].data(), l[1].data(), l[2].data(), dm_.out()));
  }
  IONPATH_PETSC_CALL(DMSetUp(dm_));
  PetscInt xs = 0, ys = 0, zs = 0, xm = 0, ym = 0, zm = 0;
  IONPATH_PETSC_CALL(DMDAGetCorners(dm_, &xs, &ys, &zs, &xm, &ym, &zm));
  const mesh::Box owned{{int(xs), int(ys), dim == 3 ? int(zs) : 0},
                        {int(xs + xm), int(ys + ym), dim == 3 ? int(zs + zm) : 1}};
  if (owned != owned_) throw std::logic_error("Domain: the DMDA's ownership differs from the decomposition");
  for (std::size_t f = 0; f < options_.field_names.size(); ++f)
    IONPATH_PETSC_CALL(DMDASetFieldName(dm_, static_cast<PetscInt>(f), options_.field_names[f].c_str()));
}

DM Domain::dm() const {
  if (!dm_) create_dm();
  return dm_.get();
}

DM Domain::scalar_dm() const {
  if (options_.dof == 1) return dm();
  if (!scalar_dm_) IONPATH_PETSC_CALL(DMDACreateCompatibleDMDA(dm(), 1, scalar_dm_.out()));
  return scalar_dm_.get();
}

}  // namespace ionpath::solver
