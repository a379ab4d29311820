#pragma once
/// Post-processing shared by the assembled and matrix-free conduction paths.
#include <span>

#include "mesh/grid.hpp"

namespace ionpath::solver {

/// Cell-averaged current density, 3 per owned cell: the mean of the two face currents per unit
/// area along each axis, j_b = (F_lo + F_hi) / (2 h), where face_current(axis, face) returns
/// T_f (phi_L - phi_R) of the face with lower-corner index `face` (0 for a closed face).
template <class FaceCurrent>
void cell_current_density(const mesh::Box& own, int dim, double h, FaceCurrent&& face_current, std::span<double> out) {
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i)
        for (int b_axis = 0; b_axis < dim; ++b_axis) {
          double sum = 0.0;
          for (int d : {0, 1}) {
            mesh::Index3 f{i, j, k};
            f[b_axis] += d;
            sum += face_current(b_axis, f);
          }
          out[3 * own.offset(i, j, k) + static_cast<std::size_t>(b_axis)] = 0.5 * sum / h;
        }
}

}  // namespace ionpath::solver
