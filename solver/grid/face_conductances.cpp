#include "solver/grid/face_conductances.hpp"

#include <petscdmda.h>

#include <algorithm>
#include <stdexcept>

#include "physics/face_means.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver {

FaceConductances::FaceConductances(const Domain& domain, std::span<const double> sigma_xyz,
                                   const DirichletFaces& dirichlet)
    : dirichlet_(dirichlet), n_(domain.grid().n_cells) {
  const mesh::Box& own = domain.owned();
  const mesh::Box& gh = domain.ghosted();
  const int dim = domain.dimension();
  if (sigma_xyz.size() != 3 * own.n_cells())
    throw std::invalid_argument("FaceConductances: sigma must hold 3 values per owned cell");
  for (int a = 0; a < 3; ++a) periodic_[a] = domain.periodic(a);

  // Ghosted copy of the coefficients through a 3-dof DMDA of the same layout.
  DmHandle coef_dm;
  IONPATH_PETSC_CALL(DMDACreateCompatibleDMDA(domain.dm(), 3, coef_dm.out()));
  VecHandle global, local;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(coef_dm, global.out()));
  IONPATH_PETSC_CALL(DMCreateLocalVector(coef_dm, local.out()));
  PetscScalar* g = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(global, &g));
  std::copy(sigma_xyz.begin(), sigma_xyz.end(), g);
  IONPATH_PETSC_CALL(VecRestoreArray(global, &g));
  IONPATH_PETSC_CALL(DMGlobalToLocalBegin(coef_dm, global, INSERT_VALUES, local));
  IONPATH_PETSC_CALL(DMGlobalToLocalEnd(coef_dm, global, INSERT_VALUES, local));
  const PetscScalar* l = nullptr;
  IONPATH_PETSC_CALL(VecGetArrayRead(local, &l));
  const GhostedView<const PetscScalar> s(l, gh, 3);

  for (int a = 0; a < 3; ++a) {
    mesh::Box fb = own;
    if (a < dim) fb.hi[a] += 1;
    face_box_[a] = fb;
    t_[a].assign(fb.n_cells(), 0.0);
    if (a >= dim) continue;
    for (int k = fb.lo[2]; k < fb.hi[2]; ++k)
      for (int j = fb.lo[1]; j < fb.hi[1]; ++j)
        for (int i = fb.lo[0]; i < fb.hi[0]; ++i) {
          const mesh::Index3 r{i, j, k};
          mesh::Index3 lo = r;
          lo[a] -= 1;
          double t = 0.0;
          if (is_boundary(a, r[a])) {
            const int side = r[a] == 0 ? 0 : 1;
            const mesh::Index3 cell = side == 0 ? r : lo;
            if (dirichlet.on[a][side]) t = 2.0 * std::max(0.0, s(cell[0], cell[1], cell[2], a));
          } else {
            t = physics::harmonic_mean(s(lo[0], lo[1], lo[2], a), s(i, j, k, a)).value;
          }
          t_[a][fb.offset(i, j, k)] = t;
        }
  }
  IONPATH_PETSC_CALL(VecRestoreArrayRead(local, &l));
}

}  // namespace ionpath::solver
