#include "solver/grid/face_conductances.hpp"

#include <petscdmda.h>

#include <algorithm>
#include <stdexcept>

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
          const double t = face_conductance(r, a, is_boundary(a, r[a]), dirichlet.on[a],
                                            [&](int x, int y, int z) { return s(x, y, z, a); });
          t_[a][fb.offset(i, j, k)] = t;
        }
  }
  IONPATH_PETSC_CALL(VecRestoreArrayRead(local, &l));
}

}  // namespace ionpath::solver
