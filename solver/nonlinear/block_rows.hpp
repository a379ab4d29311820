#pragma once
/// Jacobian rows assembled in the order of the face sweep (assembly_support.hpp), one
/// MatSetValuesBlocked call per owned cell. One call per cell instead of one per entry made the
/// electroneutral assembly about N times cheaper (it was 13 % of a 64^3 solve with MatSetValue).
///
/// A face (L, R) adds +dL, +dR to L's rows (columns L, R) and -dL, -dR to R's rows: the
/// derivatives of one flux, so the two rows cannot disagree. When the sweep is at L, R's rows are
/// not complete yet: their part is parked in a ring of pending rows until the sweep reaches R (R is
/// at most one plane of the owned box ahead, so the ring holds a plane, not the box). The seam of
/// a periodic axis owned whole joins cells a whole axis apart; its far side is inserted at once.
#include <petscmat.h>

#include <array>
#include <cstdint>
#include <vector>

#include "solver/nonlinear/assembly_support.hpp"
#include "solver/petsc/error.hpp"

namespace ionpath::solver::assembly {

template <int Dof>
class BlockRows {
 public:
  using Block = std::array<double, Dof * Dof>;  ///< row-major: equation r of the row cell, unknown q

  /// J == nullptr: residual only, every call is a no-op.
  BlockRows(const Domain& d, const std::vector<PetscInt>& l2g, Mat J) : l2g_(l2g), J_(J) {
    if (!J_) return;
    const mesh::Box& own = d.owned();
    const std::size_t plane = d.dimension() == 3 ? static_cast<std::size_t>(own.extent(0)) * own.extent(1)
                                                 : static_cast<std::size_t>(own.extent(0));
    ring_.resize(plane + 1);
  }

  void begin_cell(const Cell& c) {
    if (!J_) return;
    own_ = static_cast<std::ptrdiff_t>(c.own);
    cur_.used = 1;  // the diagonal block
    cur_.cell[0] = c.ghost;
    Pending& p = ring_[c.own % ring_.size()];
    cur_.blocks[0] = p.self;
    for (int a = 0; a < 3; ++a) {
      const int s = lower_slot(a);
      if (p.has_lower & (1u << a)) {
        cur_.blocks[s] = p.lower[a];
        cur_.cell[s] = p.lower_cell[a];
        cur_.used |= 1u << s;
      }
    }
    p = Pending{};
  }

  /// The current cell's diagonal block (cell-local terms: storage, boundary faces, identity rows).
  [[nodiscard]] Block& diagonal() noexcept { return cur_.blocks[0]; }

  /// dL, dR: derivatives of L's outflow rows with respect to the unknowns of L and R.
  void add_face(const Face& f, const Block& dL, const Block& dR) {
    if (!J_) return;
    if (f.own_L == own_) {  // upper face of the current cell
      add(cur_.blocks[0], dL, 1.0);
      place(upper_slot(f.axis), f.R, dR, 1.0);
      if (f.own_R < 0) return;  // R's rows are another rank's
      Pending& p = ring_[static_cast<std::size_t>(f.own_R) % ring_.size()];
      add(p.self, dR, -1.0);
      add(p.lower[f.axis], dL, -1.0);
      p.lower_cell[f.axis] = f.L;
      p.has_lower |= static_cast<std::uint8_t>(1u << f.axis);
      return;
    }
    // Lower face of the current cell R: L is a ghost, or the far cell of a periodic seam.
    add(cur_.blocks[0], dR, -1.0);
    place(lower_slot(f.axis), f.L, dL, -1.0);
    if (f.wraps) insert_now(f.L, f, dL, dR, 1.0);
  }

  /// Inserts the current cell's rows; rows whose bit is set in skip_rows are left out (zeros:
  /// constraint rows replaced by the caller).
  void end_cell(unsigned skip_rows = 0) {
    if (!J_) return;
    std::array<PetscInt, n_slots> cols{};
    std::array<int, n_slots> from{};
    int n = 0;
    for (int s = 0; s < n_slots; ++s) {
      if (!(cur_.used & (1u << s))) continue;
      const PetscInt col = block_of(cur_.cell[s]);
      int q = 0;
      while (q < n && cols[q] != col) ++q;  // a periodic axis of 2 cells meets one neighbour twice
      if (q == n) {
        cols[n] = col;
        from[n] = s;
        ++n;
      } else {
        add(cur_.blocks[from[q]], cur_.blocks[s], 1.0);
      }
    }
    std::array<double, Dof * Dof * n_slots> packed{};  // row-major Dof x (Dof n)
    for (int r = 0; r < Dof; ++r) {
      if (skip_rows & (1u << r)) continue;
      for (int q = 0; q < n; ++q)
        for (int c = 0; c < Dof; ++c) packed[(r * n + q) * Dof + c] = cur_.blocks[from[q]][r * Dof + c];
    }
    const PetscInt row = block_of(cur_.cell[0]);
    IONPATH_PETSC_CALL(MatSetValuesBlocked(J_, 1, &row, n, cols.data(), packed.data(), ADD_VALUES));
    for (auto& b : cur_.blocks) b.fill(0.0);
  }

 private:
  static constexpr int n_slots = 7;  // the cell, then per axis its lower and upper neighbour
  static constexpr int lower_slot(int axis) noexcept { return 1 + 2 * axis; }
  static constexpr int upper_slot(int axis) noexcept { return 2 + 2 * axis; }
  struct Current {
    std::array<Block, n_slots> blocks{};
    std::array<std::size_t, n_slots> cell{};  // ghosted offset of each slot's column cell
    unsigned used = 0;
  };
  struct Pending {  // what earlier faces added to a later cell's rows
    Block self{};
    std::array<Block, 3> lower{};
    std::array<std::size_t, 3> lower_cell{};
    std::uint8_t has_lower = 0;
  };

  static void add(Block& to, const Block& b, double sign) noexcept {
    for (int q = 0; q < Dof * Dof; ++q) to[q] += sign * b[q];
  }
  void place(int slot, std::size_t cell, const Block& b, double sign) noexcept {
    add(cur_.blocks[slot], b, sign);
    cur_.cell[slot] = cell;
    cur_.used |= 1u << slot;
  }
  [[nodiscard]] PetscInt block_of(std::size_t ghost) const noexcept {
    return l2g_[Dof * ghost] / Dof;
  }
  // Rows of `row_cell` from face f at once (the far side of a periodic seam).
  void insert_now(std::size_t row_cell, const Face& f, const Block& dL, const Block& dR, double sign) {
    const PetscInt row = block_of(row_cell), cols[2] = {block_of(f.L), block_of(f.R)};
    std::array<double, 2 * Dof * Dof> v{};
    for (int r = 0; r < Dof; ++r)
      for (int c = 0; c < Dof; ++c) {
        v[r * 2 * Dof + c] = sign * dL[r * Dof + c];
        v[r * 2 * Dof + Dof + c] = sign * dR[r * Dof + c];
      }
    IONPATH_PETSC_CALL(MatSetValuesBlocked(J_, 1, &row, 2, cols, v.data(), ADD_VALUES));
  }

  const std::vector<PetscInt>& l2g_;
  Mat J_;
  std::ptrdiff_t own_ = -1;
  Current cur_;
  std::vector<Pending> ring_;
};

}  // namespace ionpath::solver::assembly
