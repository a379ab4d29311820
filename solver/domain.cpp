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

  const auto bt = [&](int a) { return periodic_[a] ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE; };
  const auto& p = options.ranks_per_axis;
  if (dim == 2) {
    IONPATH_PETSC_CALL(DMDACreate2d(comm_, bt(0), bt(1), DMDA_STENCIL_STAR, grid.n_cells[0], grid.n_cells[1],
                                    p[0], p[1], options.dof, 1, nullptr, nullptr, dm_.out()));
  } else {
    IONPATH_PETSC_CALL(DMDACreate3d(comm_, bt(0), bt(1), bt(2), DMDA_STENCIL_STAR, grid.n_cells[0],
                                    grid.n_cells[1], grid.n_cells[2], p[0], p[1], p[2], options.dof, 1, nullptr,
                                    nullptr, nullptr, dm_.out()));
  }
  IONPATH_PETSC_CALL(DMSetUp(dm_));
  for (std::size_t f = 0; f < options.field_names.size(); ++f)
    IONPATH_PETSC_CALL(DMDASetFieldName(dm_, static_cast<PetscInt>(f), options.field_names[f].c_str()));
  if (options.dof > 1) IONPATH_PETSC_CALL(DMDACreateCompatibleDMDA(dm_, 1, scalar_dm_.out()));

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
}

}  // namespace ionpath::solver
