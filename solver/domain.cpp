#include "solver/domain.hpp"

#include <petscdmda.h>

#include <stdexcept>

#include "solver/petsc_error.hpp"

namespace ionpath::solver {

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

  // PETSc decides the decomposition (DMDA with PETSC_DECIDE ranges); the DMDA itself is freed
  // below and rebuilt on first use with exactly these ranges.
  for (int a = 0; a < 3; ++a) ranges_[a].clear();
  create_dm();

  PetscInt xs = 0, ys = 0, zs = 0, xm = 0, ym = 0, zm = 0;
  IONPATH_PETSC_CALL(DMDAGetCorners(dm_, &xs, &ys, &zs, &xm, &ym, &zm));
  owned_ = mesh::Box{{int(xs), int(ys), int(zs)}, {int(xs + xm), int(ys + ym), int(zs + zm)}};
  IONPATH_PETSC_CALL(DMDAGetGhostCorners(dm_, &xs, &ys, &zs, &xm, &ym, &zm));
  ghosted_ = mesh::Box{{int(xs), int(ys), int(zs)}, {int(xs + xm), int(ys + ym), int(zs + zm)}};
  if (dim == 2) {
    owned_.lo[2] = ghosted_.lo[2] = 0;
    owned_.hi[2] = ghosted_.hi[2] = 1;
  }
  PetscInt m = 1, n = 1, q = 1;
  IONPATH_PETSC_CALL(DMDAGetInfo(dm_, nullptr, nullptr, nullptr, nullptr, &m, &n, &q, nullptr, nullptr, nullptr,
                                 nullptr, nullptr, nullptr));
  ranks_per_axis_ = {int(m), int(n), dim == 2 ? 1 : int(q)};
  const PetscInt* l[3] = {nullptr, nullptr, nullptr};
  IONPATH_PETSC_CALL(DMDAGetOwnershipRanges(dm_, &l[0], &l[1], &l[2]));
  for (int a = 0; a < 3; ++a) {
    if (a < dim)
      ranges_[a].assign(l[a], l[a] + ranks_per_axis_[a]);
    else
      ranges_[a] = {1};
  }
  const PetscMPIInt* nb = nullptr;
  IONPATH_PETSC_CALL(DMDAGetNeighbors(dm_, &nb));
  // 3^dim ranks, x fastest, this rank in the middle; negative outside non-periodic sides.
  const int centre = dim == 3 ? 13 : 4;
  const int stride[3] = {1, 3, 9};
  for (int a = 0; a < dim; ++a)
    for (int side : {0, 1}) {
      const int r = nb[centre + (side == 0 ? -stride[a] : stride[a])];
      neighbours_[2 * a + side] = r < 0 ? -1 : r;
    }
  dm_.reset();
}

void Domain::create_dm() const {
  const int dim = grid_.dimension();
  const auto bt = [&](int a) { return periodic_[a] ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE; };
  const bool decided = !ranges_[0].empty();
  std::array<std::vector<PetscInt>, 3> l;
  std::array<PetscInt, 3> p{options_.ranks_per_axis[0], options_.ranks_per_axis[1], options_.ranks_per_axis[2]};
  for (int a = 0; a < 3 && decided; ++a) {
    l[a].assign(ranges_[a].begin(), ranges_[a].end());
    p[a] = static_cast<PetscInt>(ranges_[a].size());
  }
  const auto lp = [&](int a) { return decided ? l[a].data() : nullptr; };
  if (dim == 2) {
    IONPATH_PETSC_CALL(DMDACreate2d(comm_, bt(0), bt(1), DMDA_STENCIL_STAR, grid_.n_cells[0], grid_.n_cells[1], p[0],
                                    p[1], options_.dof, 1, lp(0), lp(1), dm_.out()));
  } else {
    IONPATH_PETSC_CALL(DMDACreate3d(comm_, bt(0), bt(1), bt(2), DMDA_STENCIL_STAR, grid_.n_cells[0],
                                    grid_.n_cells[1], grid_.n_cells[2], p[0], p[1], p[2], options_.dof, 1, lp(0),
                                    lp(1), lp(2), dm_.out()));
  }
  IONPATH_PETSC_CALL(DMSetUp(dm_));
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
