#include "solver/conduction/conduction.hpp"
#include "solver/conduction/postprocess.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

/// Electrode value on a boundary face of the driving axis: 1 at the low face, 0 at the high face.
double electrode_value(int axis_index) { return axis_index == 0 ? 1.0 : 0.0; }

struct Diagnostics {
  std::vector<double> plane_current;  ///< per cross-section index 0..N_a
  double energy = 0.0;
};

/// Face potential difference phi_L - phi_R, with electrode values on Dirichlet boundary faces.
/// Faces with T = 0 never reach here, so the missing neighbour of a zero-flux face is not read.
double face_drop(const FaceConductances& faces, const GhostedView<const double>& phi, int a, const mesh::Index3& f,
                 int n_a) {
  mesh::Index3 lo = f;
  lo[a] -= 1;
  if (faces.is_boundary(a, f[a]))
    return f[a] == 0 ? electrode_value(0) - phi(f[0], f[1], f[2]) : phi(lo[0], lo[1], lo[2]) - electrode_value(n_a);
  return phi(lo[0], lo[1], lo[2]) - phi(f[0], f[1], f[2]);
}

}  // namespace

ConductivityResult solve_conductivity(const Domain& domain, std::span<const double> sigma_xyz,
                                      const ConductivityOptions& options) {
  if (options.op == ConductionOperator::matrix_free) return solve_conductivity_matrix_free(domain, sigma_xyz, options);
  const int a = options.axis;
  const int dim = domain.dimension();
  if (a < 0 || a >= dim) throw std::invalid_argument("solve_conductivity: axis " + std::to_string(a) + " out of range");
  if (domain.periodic(a))
    throw std::invalid_argument("solve_conductivity: the driving axis " + std::to_string(a) +
                                " is periodic in this Domain; build it with transport_axis = " + std::to_string(a));
  const mesh::Box& own = domain.owned();
  const mesh::Index3& n = domain.grid().n_cells;
  const ConductionSystem system(domain, sigma_xyz, DirichletFaces::electrodes(a), ActiveRule::touch_both);

  ConductivityResult out;
  out.axis = a;
  out.components = system.components();
  out.percolating = out.components.n_touch_both > 0;
  if (options.keep_fields) {
    out.potential.assign(own.n_cells(), 0.0);
    out.current_density.assign(3 * own.n_cells(), 0.0);
    out.active.assign(system.active().begin(), system.active().end());
  }
  if (!out.percolating) return out;

  const MatHandle A = system.assemble();
  const VecHandle b = system.rhs([a](const Point& x) { return x[a] == 0.0 ? 1.0 : 0.0; }, {}, 1.0);
  VecHandle x;
  IONPATH_PETSC_CALL(VecDuplicate(b, x.out()));
  {  // initial guess linear in the driving coordinate
    PetscScalar* v = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(x, &v));
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const mesh::Index3 c{i, j, k};
          v[own.offset(i, j, k)] = 1.0 - (c[a] + 0.5) / n[a];
        }
    IONPATH_PETSC_CALL(VecRestoreArray(x, &v));
  }
  out.solve = system.solve(A, b, x, options.ksp);

  const std::vector<double> phi_ghosted = ghosted_values(domain, x);
  const GhostedView<const double> phi(phi_ghosted.data(), domain.ghosted(), 1);
  const FaceConductances& faces = system.faces();

  // Every face is counted once: its owner is the rank owning the cell on its high side, and the
  // rank owning the last cell owns the outlet face (periodic axes have no separate face N).
  std::vector<double> plane(static_cast<std::size_t>(n[a]) + 1, 0.0);
  double energy = 0.0;
  for (int b_axis = 0; b_axis < dim; ++b_axis) {
    const mesh::Box& fb = faces.face_box(b_axis);
    for (int k = fb.lo[2]; k < fb.hi[2]; ++k)
      for (int j = fb.lo[1]; j < fb.hi[1]; ++j)
        for (int i = fb.lo[0]; i < fb.hi[0]; ++i) {
          const mesh::Index3 f{i, j, k};
          if (f[b_axis] == own.hi[b_axis] && (f[b_axis] != n[b_axis] || domain.periodic(b_axis))) continue;
          const double t = faces.at(b_axis, i, j, k);
          if (t == 0.0) continue;
          const double drop = face_drop(faces, phi, b_axis, f, n[b_axis]);
          energy += t * drop * drop;
          if (b_axis == a) plane[static_cast<std::size_t>(f[a])] += t * drop;
        }
  }
  MPI_Allreduce(MPI_IN_PLACE, plane.data(), static_cast<int>(plane.size()), MPI_DOUBLE, MPI_SUM, domain.comm());
  MPI_Allreduce(MPI_IN_PLACE, &energy, 1, MPI_DOUBLE, MPI_SUM, domain.comm());

  // Scaled system (T = g for cubic voxels): I = h * sum T dphi; sigma = I L / A = sum T dphi * N_a / (N_b N_c).
  const double h = domain.grid().voxel_size_m;
  double cross_section = 1.0;
  for (int b_axis = 0; b_axis < 3; ++b_axis)
    if (b_axis != a) cross_section *= n[b_axis];
  const double I_hat = plane.front();
  out.current = I_hat * h;
  out.sigma_eff = I_hat * n[a] / cross_section;
  out.sigma_eff_energy = energy * n[a] / cross_section;
  for (const double p : plane)
    out.flux_balance = std::max(out.flux_balance, std::abs(p - I_hat) / std::abs(I_hat));

  if (!options.current_planes.empty()) {
    out.plane_currents = empty_plane_maps(domain.grid(), a, options.current_planes);
    collect_plane_currents(
        domain.comm(), domain.grid(), own, a, out.plane_currents,
        [&](const mesh::Index3& f) {
          const double t = faces.at(a, f[0], f[1], f[2]);
          return t != 0.0 ? t * face_drop(faces, phi, a, f, n[a]) * h : 0.0;
        },
        [&](const mesh::Index3& f) { return faces.at(a, f[0], f[1], f[2]) != 0.0; });
  }
  if (options.keep_fields) {
    out.potential = owned_values(x);
    cell_current_density(own, dim, h, [&](int b_axis, const mesh::Index3& f) {
      const double t = faces.at(b_axis, f[0], f[1], f[2]);
      return t != 0.0 ? t * face_drop(faces, phi, b_axis, f, n[b_axis]) : 0.0;
    }, out.current_density);
  }
  return out;
}

}  // namespace ionpath::solver
