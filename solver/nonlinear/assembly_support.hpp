#pragma once
/// What the face-loop assemblies of the nonlinear models (electroneutral, PNP) share: the storage
/// modes and the evaluation target, ghosted coefficient copies, the local-to-global row map, one
/// reduction of the diagnostics, and the face sweep (style guide §2.3): every face a rank needs is
/// visited once, so each flux is computed once and scattered to both of its cells.
#include <mpi.h>
#include <petscmat.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <vector>

#include "solver/grid/dmda_ghosts.hpp"
#include "solver/grid/domain.hpp"

namespace ionpath::solver::assembly {

/// How the storage term enters the species rows: none (steady), d/dt of the stored amounts C
/// supplied by TSBDF as a transient variable (conservative), or the chain rule M(u) u' (other TS types).
enum class Storage { steady, transient_variable, mass_matrix };

/// Where one evaluation writes: the owned residual (required), optionally the Jacobian and the
/// cell-averaged current; `rate` and `shift` are the time derivative and dC'/dC of transient forms.
struct Target {
  double* F = nullptr;              ///< owned residual, dof per cell
  Mat J = nullptr;                  ///< optional Jacobian (zeroed by the caller)
  const double* rate = nullptr;     ///< owned, dof per cell: C' or u' (transient only)
  double shift = 0.0;               ///< dC'/dC or du'/du (transient Jacobian)
  double* cell_current = nullptr;   ///< optional, 3 per owned cell
  double* cell_li_flux = nullptr;   ///< optional, 3 per owned cell: cell average of the Li+ face fluxes (electroneutral)
};

/// Ghosted copy of component `comp` of an owned array with `stride` values per cell.
[[nodiscard]] std::vector<double> ghosted_component(const Domain& d, GhostExchange& ex, std::span<const double> values,
                                                    int stride, int comp);
/// Global row of every ghosted local unknown (interlaced), from the DMDA's mapping.
[[nodiscard]] std::vector<PetscInt> local_to_global_rows(const Domain& d);
/// Ghosted copies of the three axis components of a diagonal tensor (3 values per owned cell).
[[nodiscard]] std::array<std::vector<double>, 3> ghosted_axes(const Domain& d, GhostExchange& ex,
                                                            std::span<const double> values);
/// Sums every listed array over the ranks in one MPI_Allreduce (the diagnostics of one evaluation).
void sum_over_ranks(MPI_Comm comm, std::initializer_list<std::span<double>> parts);
/// True on every rank when `ok` holds on every rank (an unphysical state anywhere is a domain
/// error everywhere: the residual callback is collective).
[[nodiscard]] bool on_all_ranks(MPI_Comm comm, bool ok);

/// One owned cell: its offsets in the owned and the ghosted box, and its global index.
struct Cell {
  std::size_t own, ghost;
  mesh::Index3 index;
};

/// Calls f(cell) for every owned cell, x fastest.
template <class F>
void for_each_owned_cell(const Domain& d, F&& f) {
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) f(Cell{own.offset(i, j, k), gb.offset(i, j, k), {i, j, k}});
}

/// A face between two cells along `axis`; L is the cell with the lower index (the flux is from L to R).
struct Face {
  int axis = 0;
  std::size_t L = 0, R = 0;            ///< ghosted offsets
  std::ptrdiff_t own_L = -1, own_R = -1;  ///< owned offsets; -1 where the cell belongs to another rank
  mesh::Index3 upper{};                ///< global index of R (unwrapped: n at a periodic seam)
  /// The periodic seam of an axis this rank owns whole: L (index n - 1) is also owned, but its
  /// Jacobian rows were not the current ones when the sweep reached the face (see BlockRows).
  bool wraps = false;
};

/// A face on a non-periodic side of the domain; `side` 0 is the low end of `axis`, 1 the high end.
struct BoundaryFace {
  int axis = 0;
  int side = 0;
  const Cell& cell;
};

/// The face sweep. Owned cells in order (x fastest); at each cell K: its lower faces whose other
/// cell is not owned (a ghost, the periodic seam, or a boundary), then its upper faces. So every
/// face with an owned cell is visited exactly once on this rank, and when K is finished
/// (v.end_cell) no face of K is left. A face between two ranks is visited by both (each needs it
/// for its own rows; no flux is communicated). Visitor: begin_cell(Cell), interior(Face),
/// boundary(BoundaryFace), end_cell(Cell).
template <class Visitor>
void for_each_face(const Domain& d, Visitor& v) {
  const mesh::Box& own = d.owned();
  const mesh::Box& gb = d.ghosted();
  const mesh::Index3& n = d.grid().n_cells;
  const int dim = d.dimension();
  const std::ptrdiff_t gs[3] = {1, gb.extent(0), static_cast<std::ptrdiff_t>(gb.extent(0)) * gb.extent(1)};
  const std::ptrdiff_t os[3] = {1, own.extent(0), static_cast<std::ptrdiff_t>(own.extent(0)) * own.extent(1)};
  bool whole_periodic[3] = {false, false, false};  // the seam face joins two owned cells
  for (int a = 0; a < dim; ++a) whole_periodic[a] = d.periodic(a) && own.lo[a] == 0 && own.hi[a] == n[a];
  for_each_owned_cell(d, [&](const Cell& c) {
    v.begin_cell(c);
    const auto o = static_cast<std::ptrdiff_t>(c.own);
    const auto g = static_cast<std::ptrdiff_t>(c.ghost);
    for (int a = 0; a < dim; ++a) {
      if (c.index[a] != own.lo[a]) continue;  // lower face visited from the owned cell below
      if (c.index[a] == 0 && !d.periodic(a)) {
        v.boundary(BoundaryFace{a, 0, c});
        continue;
      }
      if (whole_periodic[a] && n[a] == 1) continue;  // a cell facing itself: no flux
      Face f;
      f.axis = a;
      f.L = static_cast<std::size_t>(g - gs[a]);
      f.R = c.ghost;
      f.own_R = o;
      f.upper = c.index;
      if (whole_periodic[a]) {
        f.own_L = o + (n[a] - 1) * os[a];
        f.wraps = true;
      }
      v.interior(f);
    }
    for (int a = 0; a < dim; ++a) {
      const bool last = c.index[a] + 1 == n[a];
      if (last && !d.periodic(a)) {
        v.boundary(BoundaryFace{a, 1, c});
        continue;
      }
      if (last && whole_periodic[a]) continue;  // the seam, visited from cell 0
      Face f;
      f.axis = a;
      f.L = c.ghost;
      f.R = static_cast<std::size_t>(g + gs[a]);
      f.own_L = o;
      f.own_R = c.index[a] + 1 < own.hi[a] ? o + os[a] : -1;
      f.upper = c.index;
      ++f.upper[a];
      v.interior(f);
    }
    v.end_cell(c);
  });
}

/// Adds a face's outflow of L (Dof values per cell) to L and subtracts it from R, where owned.
template <int Dof>
inline void scatter_outflow(double* F, const Face& f, const double (&outflow)[Dof]) noexcept {
  if (f.own_L >= 0)
    for (int r = 0; r < Dof; ++r) F[Dof * f.own_L + r] += outflow[r];
  if (f.own_R >= 0)
    for (int r = 0; r < Dof; ++r) F[Dof * f.own_R + r] -= outflow[r];
}

/// One evaluation of a model's face sweep: zeroes the residual (dof per cell) and the cell
/// currents, which the faces scatter into, then runs Sweep<true> (Jacobian as well) or
/// Sweep<false> (residual only: the compiler drops the derivative arithmetic), each constructed
/// from (model, state, target).
template <template <bool> class Sweep, class Model>
void run_sweep(Model& model, const double* state, const Target& t) {
  const Domain& d = *model.domain;
  const std::size_t n_own = d.owned().n_cells();
  std::fill_n(t.F, static_cast<std::size_t>(model.dof) * n_own, 0.0);
  if (t.cell_current) std::fill_n(t.cell_current, 3 * n_own, 0.0);
  if (t.J) {
    Sweep<true> sweep(model, state, t);
    for_each_face(d, sweep);
  } else {
    Sweep<false> sweep(model, state, t);
    for_each_face(d, sweep);
  }
}

/// Test hook: records every evaluation of a face's flux kernel (assemblies call their kernels
/// through evaluate_face / evaluate_boundary_face; the pointer is null outside tests).
struct FaceCallLog {
  struct Call {
    int axis, side;       ///< side: -1 interior face, else 0 / 1 as in BoundaryFace
    mesh::Index3 cell;    ///< interior: R (unwrapped); boundary: the face's cell
  };
  std::vector<Call> calls;
};

template <class Kernel>
inline decltype(auto) evaluate_face(FaceCallLog* log, const Face& f, Kernel&& kernel) {
  if (log) [[unlikely]]
    log->calls.push_back({f.axis, -1, f.upper});
  return kernel();
}

template <class Kernel>
inline decltype(auto) evaluate_boundary_face(FaceCallLog* log, const BoundaryFace& f, Kernel&& kernel) {
  if (log) [[unlikely]]
    log->calls.push_back({f.axis, f.side, f.cell.index});
  return kernel();
}

}  // namespace ionpath::solver::assembly
