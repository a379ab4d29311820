#pragma once
/// Face conductances of the cell-centred conduction operator, computed once per coefficient field
/// (spec §3.2, §4). Stored per axis as flat arrays so that the AIJ assembly, a matrix-free apply
/// and the current/energy diagnostics all read the same numbers.
#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "mesh/grid.hpp"
#include "physics/face_means.hpp"
#include "solver/grid/domain.hpp"

namespace ionpath::solver {

/// Which of the six box faces carry Dirichlet data ([axis][side], side 0 = low). The others are
/// zero-flux, or periodic when the Domain says so.
struct DirichletFaces {
  std::array<std::array<bool, 2>, 3> on{};
  [[nodiscard]] static DirichletFaces electrodes(int axis) {
    DirichletFaces d;
    d.on[axis] = {true, true};
    return d;
  }
};

/// Transmissibilities of the equation scaled by 1/h (cubic voxels): interior face
/// T = 2 g_L g_R / (g_L + g_R) with g the face-normal tensor components (0 if either is 0);
/// Dirichlet boundary face T = 2 g_cell (value on the face, half a cell away); zero-flux face 0.
/// The balance of cell K reads sum_f T_f (phi_K - phi_f) = source_K h^2, and the current through a
/// face is T_f h * (phi_L - phi_R) in units of [g] * [phi] * m.
class FaceConductances {
 public:
  /// sigma_xyz: 3 doubles per owned cell (x fastest), already zeroed in inactive cells.
  FaceConductances(const Domain& domain, std::span<const double> sigma_xyz, const DirichletFaces& dirichlet);

  /// Face on the low side of cell (i, j, k) along axis; i_axis runs over [lo, hi] of the owned box.
  [[nodiscard]] double at(int axis, int i, int j, int k) const noexcept {
    return t_[axis][face_box_[axis].offset(i, j, k)];
  }
  [[nodiscard]] const mesh::Box& face_box(int axis) const noexcept { return face_box_[axis]; }
  [[nodiscard]] std::span<const double> values(int axis) const noexcept { return t_[axis]; }
  [[nodiscard]] const DirichletFaces& dirichlet() const noexcept { return dirichlet_; }
  /// True if the face at index i_axis along axis lies on a non-periodic box boundary.
  [[nodiscard]] bool is_boundary(int axis, int index) const noexcept {
    return !periodic_[axis] && (index == 0 || index == n_[axis]);
  }

 private:
  std::array<mesh::Box, 3> face_box_{};
  std::array<std::vector<double>, 3> t_;
  DirichletFaces dirichlet_;
  std::array<bool, 3> periodic_{};
  mesh::Index3 n_{};
};

/// The face-conductance rule of the conduction operator (spec §3.9), shared by the assembled and
/// matrix-free paths: the face with lower corner r along axis a joins the cells r - e_a and r.
/// Interior faces take the harmonic mean of the two cell conductivities (a zero side closes the
/// face); a boundary face on a Dirichlet side takes 2 sigma of its one cell (half-cell distance),
/// any other boundary face is closed. sigma(i, j, k) gives the cell conductivity along a.
template <class Sigma>
[[nodiscard]] double face_conductance(const mesh::Index3& r, int a, bool boundary,
                                      const std::array<bool, 2>& dirichlet_on, Sigma&& sigma) {
  mesh::Index3 lo = r;
  lo[a] -= 1;
  if (!boundary) return physics::harmonic_mean(sigma(lo[0], lo[1], lo[2]), sigma(r[0], r[1], r[2])).value;
  const int side = r[a] == 0 ? 0 : 1;
  const mesh::Index3 cell = side == 0 ? r : lo;
  return dirichlet_on[side] ? 2.0 * std::max(0.0, sigma(cell[0], cell[1], cell[2])) : 0.0;
}

}  // namespace ionpath::solver
