#include "solver/multigrid/hierarchy.hpp"

#include <petscdmda.h>

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "solver/grid/face_conductances.hpp"
#include "solver/multigrid/single_precision_cycle.hpp"
#include "solver/multigrid/face_halo.hpp"
#include "solver/petsc/error.hpp"
#include "solver/multigrid/stencil_kernels.hpp"

namespace ionpath::solver {
namespace {

struct Events {
  PetscLogEvent apply = 0, prolong = 0, restrict_ = 0, smooth = 0;
};
const Events& events() {
  static const Events e = [] {
    Events r;
    PetscLogEventRegister("IonpathMfApply", MAT_CLASSID, &r.apply);
    PetscLogEventRegister("IonpathMfProlong", MAT_CLASSID, &r.prolong);
    PetscLogEventRegister("IonpathMfRestrict", MAT_CLASSID, &r.restrict_);
    PetscLogEventRegister("IonpathMfSmooth", PC_CLASSID, &r.smooth);
    return r;
  }();
  return e;
}

/// y = A x on the owned box. Zero ghosts outside non-periodic sides make Dirichlet faces add
/// T x_K to the diagonal only; cells without faces (removed) are identity rows.
template <typename T, int Dim>
void stencil_kernel(const StencilLevel& L, const T* tx, const T* ty, const T* tz, const double* xl, double* y) {
  const mesh::Box& o = L.owned;
  const mesh::Box& g = L.ghosted;
  const kernels::Strides st(L);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const double* __restrict xr = xl + g.offset(o.lo[0], j, k);
      const T* __restrict fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* __restrict fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      const T* __restrict fz = Dim == 3 ? tz + L.face_box[2].offset(o.lo[0], j, k) : nullptr;
      double* __restrict yr = y + o.offset(o.lo[0], j, k);
      for (std::ptrdiff_t i = 0; i < st.ex; ++i) {
        double d, nb;
        kernels::stencil_terms<double, Dim>(fx, fy, fz, xr, i, st, d, nb);
        yr[i] = d == 0.0 ? xr[i] : d * xr[i] - nb;
      }
    }
}

template <typename T>
void diagonal_kernel(const StencilLevel& L, const T* tx, const T* ty, const T* tz, double* y) {
  const mesh::Box& o = L.owned;
  const std::ptrdiff_t ex = o.extent(0);
  const std::ptrdiff_t exy = ex * o.extent(1);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const T* fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      double* yr = y + o.offset(o.lo[0], j, k);
      for (std::ptrdiff_t i = 0; i < ex; ++i) {
        double d = double(fx[i]) + double(fx[i + 1]) + double(fy[i]) + double(fy[i + ex]);
        if (L.dim == 3) {
          const T* fz = tz + L.face_box[2].offset(o.lo[0], j, k);
          d += double(fz[i]) + double(fz[i + exy]);
        }
        yr[i] = d == 0.0 ? 1.0 : d;
      }
    }
}

/// Fills L.local with x's owned values and face ghosts; *xl = its array (VecRestoreArray after).
PetscErrorCode ghost_fill(const StencilLevel& L, Vec x, PetscScalar** xl) {
  PetscFunctionBeginUser;
  const PetscScalar* xv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArray(L.local, xl));
  L.halo->fill(xv, *xl);
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscFunctionReturn(0);
}

PetscErrorCode shell_mult(Mat A, Vec x, Vec y) {
  PetscFunctionBeginUser;
  StencilLevel* L = nullptr;
  PetscCall(MatShellGetContext(A, &L));
  PetscCall(PetscLogEventBegin(events().apply, A, x, y, 0));
  PetscScalar* xl = nullptr;
  PetscScalar* yv = nullptr;
  PetscCall(ghost_fill(*L, x, &xl));
  PetscCall(VecGetArrayWrite(y, &yv));
  if (L->double_faces) {
    if (L->dim == 3)
      stencil_kernel<double, 3>(*L, L->td[0].data(), L->td[1].data(), L->td[2].data(), xl, yv);
    else
      stencil_kernel<double, 2>(*L, L->td[0].data(), L->td[1].data(), nullptr, xl, yv);
  } else {
    if (L->dim == 3)
      stencil_kernel<float, 3>(*L, L->tf[0].data(), L->tf[1].data(), L->tf[2].data(), xl, yv);
    else
      stencil_kernel<float, 2>(*L, L->tf[0].data(), L->tf[1].data(), nullptr, xl, yv);
  }
  PetscCall(VecRestoreArray(L->local, &xl));
  PetscCall(VecRestoreArrayWrite(y, &yv));
  const PetscLogDouble flops = (L->dim == 3 ? 19.0 : 13.0) * static_cast<double>(L->n_owned());
  PetscCall(PetscLogFlops(flops));
  PetscCall(PetscLogEventEnd(events().apply, A, x, y, 0));
  PetscFunctionReturn(0);
}

/// Local part of the Dirichlet energy: each owned cell adds its three low faces (ghosts outside
/// non-periodic sides are 0), then the electrode planes of `axis` are corrected to phi = 1 (low)
/// and the high electrode faces are added.
template <typename T, int Dim>
double energy_kernel(const StencilLevel& L, const T* tx, const T* ty, const T* tz, const double* xl, int axis) {
  const mesh::Box& o = L.owned;
  const mesh::Box& g = L.ghosted;
  const std::ptrdiff_t gx = g.extent(0);
  const std::ptrdiff_t gxy = gx * g.extent(1);
  double e = 0.0;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const double* __restrict xr = xl + g.offset(o.lo[0], j, k);
      const T* __restrict fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* __restrict fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      const std::ptrdiff_t ex = o.extent(0);
      double row = 0.0;
      if constexpr (Dim == 3) {
        const T* __restrict fz = tz + L.face_box[2].offset(o.lo[0], j, k);
#pragma omp simd reduction(+ : row)
        for (std::ptrdiff_t i = 0; i < ex; ++i) {
          const double c = xr[i], dw = xr[i - 1] - c, ds = xr[i - gx] - c, db = xr[i - gxy] - c;
          row += double(fx[i]) * dw * dw + double(fy[i]) * ds * ds + double(fz[i]) * db * db;
        }
      } else {
#pragma omp simd reduction(+ : row)
        for (std::ptrdiff_t i = 0; i < ex; ++i) {
          const double c = xr[i], dw = xr[i - 1] - c, ds = xr[i - gx] - c;
          row += double(fx[i]) * dw * dw + double(fy[i]) * ds * ds;
        }
      }
      e += row;
    }
  const T* ta = axis == 0 ? tx : (axis == 1 ? ty : tz);
  const auto plane = [&](int at, bool low) {
    mesh::Box p = o;
    p.lo[axis] = at;
    p.hi[axis] = at + 1;
    double s = 0.0;
    for (int k = p.lo[2]; k < p.hi[2]; ++k)
      for (int j = p.lo[1]; j < p.hi[1]; ++j)
        for (int i = p.lo[0]; i < p.hi[0]; ++i) {
          mesh::Index3 f{i, j, k};
          mesh::Index3 c = f;
          if (!low) {
            f[axis] += 1;  // the high face of the last cell
          }
          const double t = ta[L.face_box[axis].offset(f[0], f[1], f[2])];
          const double phi = xl[g.offset(c[0], c[1], c[2])];
          // low: replace T (0 - phi)^2 by T (1 - phi)^2; high: add T phi^2.
          s += low ? t * (1.0 - 2.0 * phi) : t * phi * phi;
        }
    return s;
  };
  if (!L.periodic[axis]) {
    if (o.lo[axis] == 0) e += plane(0, true);
    if (o.hi[axis] == L.n[axis]) e += plane(L.n[axis] - 1, false);
  }
  return e;
}

/// Context of the fused smoother: the level and the Chebyshev interval on D^{-1}A.
struct SmootherContext {
  const StencilLevel* level = nullptr;
  double low = 0.3, high = 2.0;
};

/// PCApplyRichardson of the shell smoother: `its` Chebyshev steps (degree its) on A x = b, with
/// w as the previous-iterate vector. Same polynomial as KSPCHEBYSHEV on [low, high] + PCJACOBI.
PetscErrorCode smoother_richardson(PC pc, Vec b, Vec x, Vec w, PetscReal, PetscReal, PetscReal, PetscInt its,
                                   PetscBool guesszero, PetscInt* outits, PCRichardsonConvergedReason* reason) {
  PetscFunctionBeginUser;
  SmootherContext* ctx = nullptr;
  PetscCall(PCShellGetContext(pc, &ctx));
  const StencilLevel& L = *ctx->level;
  PetscCall(PetscLogEventBegin(events().smooth, pc, b, x, 0));
  kernels::ChebyshevWeights weights(ctx->low, ctx->high);
  bool old_zero = true;  // x_{-1} is irrelevant (first step has omega = 1), x_0 = 0 on a zero guess
  const PetscScalar* bv = nullptr;
  PetscCall(VecGetArrayRead(b, &bv));
  for (PetscInt k = 0; k < its; ++k) {
    if (k == 0 && guesszero) {
      PetscScalar* xv = nullptr;
      PetscCall(VecGetArrayWrite(x, &xv));
      kernels::dispatch_faces(L, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
        kernels::chebyshev_first_step<T, decltype(dim)::value>(L, tx, ty, tz, bv, xv, L.owned, weights.inv_theta());
      });
      PetscCall(VecRestoreArrayWrite(x, &xv));
      old_zero = true;
      continue;
    }
    const double omega = weights.next(static_cast<int>(k));
    PetscScalar *xl = nullptr, *xv = nullptr, *wv = nullptr;
    PetscCall(ghost_fill(L, x, &xl));
    PetscCall(VecGetArrayWrite(x, &xv));
    PetscCall(VecGetArray(w, &wv));
    kernels::dispatch_faces(L, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
      kernels::chebyshev_step<T, decltype(dim)::value, false>(L, tx, ty, tz, xl, bv, wv, xv, L.owned, omega,
                                                              weights.inv_theta(), old_zero);
    });
    PetscCall(VecRestoreArray(w, &wv));
    PetscCall(VecRestoreArrayWrite(x, &xv));
    PetscCall(VecRestoreArray(L.local, &xl));
    old_zero = false;
  }
  PetscCall(VecRestoreArrayRead(b, &bv));
  PetscCall(PetscLogFlops((L.dim == 3 ? 24.0 : 18.0) * static_cast<double>(L.n_owned()) * static_cast<double>(its)));
  PetscCall(PetscLogEventEnd(events().smooth, pc, b, x, 0));
  *outits = its;
  *reason = PCRICHARDSON_CONVERGED_ITS;
  PetscFunctionReturn(0);
}

/// Plain PCApply of the shell (only used if Richardson cannot call the fused path, e.g. with a
/// monitor): y = D^{-1} x / theta.
PetscErrorCode smoother_apply(PC pc, Vec x, Vec y) {
  PetscFunctionBeginUser;
  SmootherContext* ctx = nullptr;
  PetscCall(PCShellGetContext(pc, &ctx));
  const StencilLevel& L = *ctx->level;
  const PetscScalar* xv = nullptr;
  PetscScalar* yv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArrayWrite(y, &yv));
  const double inv_theta = kernels::ChebyshevWeights(ctx->low, ctx->high).inv_theta();
  kernels::dispatch_faces(L, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
    kernels::chebyshev_first_step<T, decltype(dim)::value>(L, tx, ty, tz, xv, yv, L.owned, inv_theta);
  });
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscCall(VecRestoreArrayWrite(y, &yv));
  PetscFunctionReturn(0);
}

PetscErrorCode smoother_destroy(PC pc) {
  PetscFunctionBeginUser;
  SmootherContext* ctx = nullptr;
  PetscCall(PCShellGetContext(pc, &ctx));
  delete ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode shell_diagonal(Mat A, Vec d) {
  PetscFunctionBeginUser;
  StencilLevel* L = nullptr;
  PetscCall(MatShellGetContext(A, &L));
  PetscScalar* dv = nullptr;
  PetscCall(VecGetArrayWrite(d, &dv));
  if (L->double_faces)
    diagonal_kernel<double>(*L, L->td[0].data(), L->td[1].data(), L->td[2].data(), dv);
  else
    diagonal_kernel<float>(*L, L->tf[0].data(), L->tf[1].data(), L->tf[2].data(), dv);
  PetscCall(VecRestoreArrayWrite(d, &dv));
  PetscFunctionReturn(0);
}

/// Piecewise-constant prolongation from `coarse` to `fine` (removed fine cells get nothing) and
/// its transpose, the restriction. Ownership is aligned, so no communication.
struct Transfer {
  const StencilLevel* coarse = nullptr;
  const StencilLevel* fine = nullptr;
};

/// add: y_f += P x_c (transpose = false) or y_c += P^T x_f (transpose = true).
void transfer_kernel(const Transfer& t, const double* in, double* out, bool transpose) {
  const StencilLevel& f = *t.fine;
  const StencilLevel& c = *t.coarse;
  const mesh::Box& o = f.owned;
  const int sx = c.coarsened[0] ? 1 : 0, sy = c.coarsened[1] ? 1 : 0, sz = c.coarsened[2] ? 1 : 0;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const std::size_t frow = o.offset(o.lo[0], j, k);
      const std::size_t crow = c.owned.offset(c.owned.lo[0], j >> sy, k >> sz);
      const int c0 = c.owned.lo[0];
      const std::uint8_t* act = f.active.data() + frow;
      if (transpose) {
        for (int i = o.lo[0]; i < o.hi[0]; ++i)
          if (act[i - o.lo[0]]) out[crow + ((i >> sx) - c0)] += in[frow + (i - o.lo[0])];
      } else {
        for (int i = o.lo[0]; i < o.hi[0]; ++i)
          if (act[i - o.lo[0]]) out[frow + (i - o.lo[0])] += in[crow + ((i >> sx) - c0)];
      }
    }
}

PetscErrorCode transfer_apply(Mat P, Vec x, Vec y, bool transpose, bool add) {
  PetscFunctionBeginUser;
  Transfer* t = nullptr;
  PetscCall(MatShellGetContext(P, &t));
  const PetscLogEvent ev = transpose ? events().restrict_ : events().prolong;
  PetscCall(PetscLogEventBegin(ev, P, x, y, 0));
  if (!add) PetscCall(VecSet(y, 0.0));
  const PetscScalar* xv = nullptr;
  PetscScalar* yv = nullptr;
  PetscCall(VecGetArrayRead(x, &xv));
  PetscCall(VecGetArray(y, &yv));
  transfer_kernel(*t, xv, yv, transpose);
  PetscCall(VecRestoreArrayRead(x, &xv));
  PetscCall(VecRestoreArray(y, &yv));
  PetscCall(PetscLogEventEnd(ev, P, x, y, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode transfer_mult(Mat P, Vec x, Vec y) { return transfer_apply(P, x, y, false, false); }
PetscErrorCode transfer_mult_t(Mat P, Vec x, Vec y) { return transfer_apply(P, x, y, true, false); }
PetscErrorCode transfer_mult_add(Mat P, Vec x, Vec y, Vec z) {
  PetscFunctionBeginUser;
  if (y != z) PetscCall(VecCopy(y, z));
  PetscCall(transfer_apply(P, x, z, false, true));
  PetscFunctionReturn(0);
}
PetscErrorCode transfer_mult_t_add(Mat P, Vec x, Vec y, Vec z) {
  PetscFunctionBeginUser;
  if (y != z) PetscCall(VecCopy(y, z));
  PetscCall(transfer_apply(P, x, z, true, true));
  PetscFunctionReturn(0);
}
PetscErrorCode transfer_destroy(Mat P) {
  PetscFunctionBeginUser;
  Transfer* t = nullptr;
  PetscCall(MatShellGetContext(P, &t));
  delete t;
  PetscFunctionReturn(0);
}

using Ranges = std::array<std::vector<PetscInt>, 3>;  // cells per process along each axis

/// Process-grid coordinates of this rank in a DMDA decomposition (rank = i + m (j + n k)).
std::array<int, 3> process_coordinates(MPI_Comm comm, const Ranges& ranges) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const int m = static_cast<int>(ranges[0].size()), n = static_cast<int>(ranges[1].size());
  return {rank % m, (rank / m) % n, rank / (m * n)};
}

/// The DMDA of a level (only the coarsest needs one, for its assembled matrix).
DmHandle make_level_dm(MPI_Comm comm, const StencilLevel& L, const Ranges& ranges) {
  DmHandle dm;
  const auto bt = [&](int a) { return L.periodic[a] ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_GHOSTED; };
  const auto np = [&](int a) { return static_cast<PetscInt>(ranges[a].size()); };
  const mesh::Index3& n = L.n;
  if (L.dim == 3) {
    IONPATH_PETSC_CALL(DMDACreate3d(comm, bt(0), bt(1), bt(2), DMDA_STENCIL_STAR, n[0], n[1], n[2], np(0), np(1),
                                    np(2), 1, 1, ranges[0].data(), ranges[1].data(), ranges[2].data(), dm.out()));
  } else {
    IONPATH_PETSC_CALL(DMDACreate2d(comm, bt(0), bt(1), DMDA_STENCIL_STAR, n[0], n[1], np(0), np(1), 1, 1,
                                    ranges[0].data(), ranges[1].data(), dm.out()));
  }
  IONPATH_PETSC_CALL(DMSetUp(dm));
  PetscInt xs = 0, ys = 0, zs = 0, xm = 0, ym = 0, zm = 0;
  IONPATH_PETSC_CALL(DMDAGetCorners(dm, &xs, &ys, &zs, &xm, &ym, &zm));
  const mesh::Box owned{{int(xs), int(ys), L.dim == 3 ? int(zs) : 0},
                        {int(xs + xm), int(ys + ym), L.dim == 3 ? int(zs + zm) : 1}};
  if (owned != L.owned) throw std::logic_error("MatrixFreeHierarchy: DMDA ownership differs from the level's");
  return dm;
}

/// Boxes, neighbours and shell of a level with the given ownership ranges. No DMDA: the layout
/// (owned box, one ghost layer on every side) and the face neighbours follow from the ranges,
/// which saves the DMDA's scatter and mapping (tens of bytes per cell on the finest level).
std::unique_ptr<StencilLevel> make_level(MPI_Comm comm, int dim, const mesh::Index3& n,
                                         const std::array<bool, 3>& periodic, const Ranges& ranges) {
  auto L = std::make_unique<StencilLevel>();
  L->comm = comm;
  L->dim = dim;
  L->n = n;
  L->periodic = periodic;
  const std::array<int, 3> p = process_coordinates(comm, ranges);
  const int m = static_cast<int>(ranges[0].size()), np_y = static_cast<int>(ranges[1].size());
  for (int a = 0; a < 3; ++a) {
    if (a >= dim) {
      L->owned.lo[a] = L->ghosted.lo[a] = 0;
      L->owned.hi[a] = L->ghosted.hi[a] = 1;
      continue;
    }
    const int procs = static_cast<int>(ranges[a].size());
    int lo = 0;
    for (int q = 0; q < p[a]; ++q) lo += static_cast<int>(ranges[a][q]);
    L->owned.lo[a] = lo;
    L->owned.hi[a] = lo + static_cast<int>(ranges[a][p[a]]);
    L->ghosted.lo[a] = L->owned.lo[a] - 1;
    L->ghosted.hi[a] = L->owned.hi[a] + 1;
    for (int side : {0, 1}) {
      std::array<int, 3> q = p;
      q[a] += side == 0 ? -1 : 1;
      if (q[a] < 0 || q[a] >= procs) {
        if (!periodic[a]) continue;  // the box side: no neighbour
        q[a] = (q[a] + procs) % procs;
      }
      L->neighbour[2 * a + side] = q[0] + m * (q[1] + np_y * q[2]);
    }
  }
  for (int a = 0; a < 3; ++a) {
    L->face_box[a] = L->owned;
    if (a < dim) L->face_box[a].hi[a] += 1;
  }
  const auto n_local = static_cast<PetscInt>(L->n_owned());
  IONPATH_PETSC_CALL(MatCreateShell(comm, n_local, n_local, PETSC_DETERMINE, PETSC_DETERMINE, L.get(), L->op.out()));
  IONPATH_PETSC_CALL(MatShellSetOperation(L->op, MATOP_MULT, reinterpret_cast<void (*)(void)>(shell_mult)));
  IONPATH_PETSC_CALL(
      MatShellSetOperation(L->op, MATOP_GET_DIAGONAL, reinterpret_cast<void (*)(void)>(shell_diagonal)));
  IONPATH_PETSC_CALL(MatSetOption(L->op, MAT_SYMMETRIC, PETSC_TRUE));
  IONPATH_PETSC_CALL(MatSetOption(L->op, MAT_SPD, PETSC_TRUE));
  return L;
}

/// The ghosted double work vector and its halo, for the levels that apply the operator in double
/// (the finest, and every level on the PCMG path).
void ensure_local(StencilLevel& L) {
  if (L.local) return;
  IONPATH_PETSC_CALL(VecCreateSeq(PETSC_COMM_SELF, static_cast<PetscInt>(L.ghosted.n_cells()), L.local.out()));
  IONPATH_PETSC_CALL(VecSet(L.local, 0.0));  // ghosts outside non-periodic sides stay zero
  L.halo = std::make_shared<HaloExchange<double>>(L);
}

/// Fine faces from the cell tensor (spec §3.2), removed cells masked out.
void fill_fine_faces(StencilLevel& L, const CellSigma& sigma, std::span<const std::uint8_t> active,
                     const std::array<std::array<bool, 2>, 3>& dirichlet) {
  const std::size_t n_own = L.n_owned();
  std::vector<double> component(n_own);
  for (int a = 0; a < 3; ++a) {
    const std::size_t n_faces = L.face_box[a].n_cells();
    if (L.double_faces)
      L.td[a].assign(a < L.dim ? n_faces : 0, 0.0);
    else
      L.tf[a].assign(a < L.dim ? n_faces : 0, 0.0f);
    if (a >= L.dim) continue;
    for (std::size_t c = 0; c < n_own; ++c) component[c] = active[c] ? sigma.at(c, a) : 0.0;
    PetscScalar* l = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(L.local, &l));
    L.halo->fill(component.data(), l);
    const GhostedView<const PetscScalar> s(l, L.ghosted, 1);
    const mesh::Box& fb = L.face_box[a];
    for (int k = fb.lo[2]; k < fb.hi[2]; ++k)
      for (int j = fb.lo[1]; j < fb.hi[1]; ++j)
        for (int i = fb.lo[0]; i < fb.hi[0]; ++i) {
          const mesh::Index3 r{i, j, k};
          const double t = face_conductance(r, a, L.is_boundary(a, r[a]), dirichlet[a],
                                            [&](int x, int y, int z) { return s(x, y, z); });
          const std::size_t idx = fb.offset(i, j, k);
          if (L.double_faces)
            L.td[a][idx] = t;
          else
            L.tf[a][idx] = static_cast<float>(t);
        }
    IONPATH_PETSC_CALL(VecRestoreArray(L.local, &l));
  }
  IONPATH_PETSC_CALL(VecSet(L.local, 0.0));
  L.active.assign(active.begin(), active.end());
}

/// Coarse faces: scale * sum of the fine faces crossing each coarse face (Q0 Galerkin).
void fill_coarse_faces(StencilLevel& C, const StencilLevel& F, double scale) {
  const auto child_range = [&](int b, int I) {
    if (!C.coarsened[b]) return std::array<int, 2>{I, I + 1};
    return std::array<int, 2>{2 * I, std::min(2 * I + 2, F.n[b])};
  };
  for (int a = 0; a < 3; ++a) {
    C.tf[a].assign(a < C.dim ? C.face_box[a].n_cells() : 0, 0.0f);
    if (a >= C.dim) continue;
    const mesh::Box& fb = C.face_box[a];
    for (int k = fb.lo[2]; k < fb.hi[2]; ++k)
      for (int j = fb.lo[1]; j < fb.hi[1]; ++j)
        for (int i = fb.lo[0]; i < fb.hi[0]; ++i) {
          const mesh::Index3 I{i, j, k};
          std::array<std::array<int, 2>, 3> rg{};
          for (int b = 0; b < 3; ++b) {
            if (b == a) {
              const int fi = C.coarsened[a] ? std::min(2 * I[a], F.n[a]) : I[a];
              rg[b] = {fi, fi + 1};
            } else {
              rg[b] = b < C.dim ? child_range(b, I[b]) : std::array<int, 2>{0, 1};
            }
          }
          double sum = 0.0;
          for (int z = rg[2][0]; z < rg[2][1]; ++z)
            for (int y = rg[1][0]; y < rg[1][1]; ++y)
              for (int x = rg[0][0]; x < rg[0][1]; ++x) sum += F.face(a, F.face_box[a].offset(x, y, z));
          C.tf[a][fb.offset(i, j, k)] = static_cast<float>(scale * sum);
        }
  }
  C.active.assign(C.n_owned(), 0);
  const mesh::Box& o = F.owned;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j)
      for (int i = o.lo[0]; i < o.hi[0]; ++i)
        if (F.active[o.offset(i, j, k)])
          C.active[C.owned.offset(C.coarsened[0] ? i / 2 : i, C.coarsened[1] ? j / 2 : j, C.coarsened[2] ? k / 2 : k)] =
              1;
}

/// Assembled operator of a level (used for the coarsest one).
MatHandle assemble_level(const StencilLevel& L) {
  MatHandle A;
  IONPATH_PETSC_CALL(DMCreateMatrix(L.dm, A.out()));
  const mesh::Box& o = L.owned;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j)
      for (int i = o.lo[0]; i < o.hi[0]; ++i) {
        std::array<MatStencil, 7> cols{};
        std::array<PetscScalar, 7> vals{};
        cols[0].i = i;
        cols[0].j = j;
        cols[0].k = k;
        int m = 1;
        double diag = 0.0;
        for (int a = 0; a < L.dim; ++a)
          for (int d : {0, 1}) {
            mesh::Index3 f{i, j, k};
            f[a] += d;
            const double t = L.face(a, L.face_box[a].offset(f[0], f[1], f[2]));
            if (t == 0.0) continue;
            diag += t;
            if (L.is_boundary(a, f[a])) continue;
            mesh::Index3 nb{i, j, k};
            nb[a] += d == 0 ? -1 : 1;
            cols[m].i = nb[0];
            cols[m].j = nb[1];
            cols[m].k = nb[2];
            vals[m] = -t;
            ++m;
          }
        vals[0] = diag == 0.0 ? 1.0 : diag;
        IONPATH_PETSC_CALL(MatSetValuesStencil(A, 1, cols.data(), m, cols.data(), vals.data(), ADD_VALUES));
      }
  IONPATH_PETSC_CALL(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
  IONPATH_PETSC_CALL(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  IONPATH_PETSC_CALL(MatSetOption(A, MAT_SPD, PETSC_TRUE));
  return A;
}

}  // namespace

void apply_stencil(const StencilLevel& level, Vec x, Vec y) { IONPATH_PETSC_CALL(MatMult(level.op, x, y)); }

MatrixFreeHierarchy::MatrixFreeHierarchy(const Domain& domain, const CellSigma& sigma,
                                         std::span<const std::uint8_t> active,
                                         const std::array<std::array<bool, 2>, 3>& dirichlet, bool double_fine_faces,
                                         const MatrixFreeSettings& settings)
    : settings_(settings) {
  static_cast<void>(events());
  const int dim = domain.dimension();
  if (sigma.n_cells() != domain.owned().n_cells() || active.size() != domain.owned().n_cells())
    throw std::invalid_argument("MatrixFreeHierarchy: sigma/active sizes do not match the owned box");
  std::array<bool, 3> periodic{};
  for (int a = 0; a < 3; ++a) periodic[a] = domain.periodic(a);
  Ranges ranges;
  for (int a = 0; a < dim; ++a)
    ranges[a].assign(domain.ownership_ranges()[a].begin(), domain.ownership_ranges()[a].end());
  auto fine = make_level(domain.comm(), dim, domain.grid().n_cells, periodic, ranges);
  if (fine->owned != domain.owned()) throw std::logic_error("MatrixFreeHierarchy: ownership differs from Domain");
  fine->double_faces = double_fine_faces;
  ensure_local(*fine);
  fill_fine_faces(*fine, sigma, active, dirichlet);
  std::vector<std::unique_ptr<StencilLevel>> fine_first;
  fine_first.push_back(std::move(fine));

  while (static_cast<int>(fine_first.size()) < settings.max_levels) {
    const StencilLevel& F = *fine_first.back();
    const long long n_total = static_cast<long long>(F.n[0]) * F.n[1] * F.n[2];
    if (n_total <= settings.coarsest_cells) break;
    std::array<bool, 3> coarsen{};
    bool any = false;
    for (int a = 0; a < dim; ++a) {
      bool even_starts = true;
      PetscInt start = 0;
      for (const PetscInt len : ranges[a]) {
        even_starts = even_starts && start % 2 == 0;
        start += len;
      }
      coarsen[a] = F.n[a] >= 4 && even_starts;
      any = any || coarsen[a];
    }
    if (!any) break;
    Ranges coarse_ranges = ranges;
    mesh::Index3 nc = F.n;
    for (int a = 0; a < dim; ++a) {
      if (!coarsen[a]) continue;
      nc[a] = (F.n[a] + 1) / 2;
      PetscInt start = 0;
      for (PetscInt& len : coarse_ranges[a]) {
        const PetscInt end = start + len;
        len = (end + 1) / 2 - start / 2;
        start = end;
      }
    }
    auto C = make_level(domain.comm(), dim, nc, periodic, coarse_ranges);
    C->coarsened = coarsen;
    fill_coarse_faces(*C, F, settings.coarse_scale);
    fine_first.push_back(std::move(C));
    ranges = coarse_ranges;
  }
  levels_.assign(std::make_move_iterator(fine_first.rbegin()), std::make_move_iterator(fine_first.rend()));
  levels_.front()->dm = make_level_dm(domain.comm(), *levels_.front(), ranges);

  for (int l = 0; l + 1 < n_levels(); ++l) {
    auto* t = new Transfer{levels_[l].get(), levels_[l + 1].get()};
    MatHandle P;
    const auto nf = static_cast<PetscInt>(t->fine->n_owned());
    const auto nc = static_cast<PetscInt>(t->coarse->n_owned());
    IONPATH_PETSC_CALL(MatCreateShell(domain.comm(), nf, nc, PETSC_DETERMINE, PETSC_DETERMINE, t, P.out()));
    IONPATH_PETSC_CALL(MatShellSetOperation(P, MATOP_MULT, reinterpret_cast<void (*)(void)>(transfer_mult)));
    IONPATH_PETSC_CALL(
        MatShellSetOperation(P, MATOP_MULT_TRANSPOSE, reinterpret_cast<void (*)(void)>(transfer_mult_t)));
    IONPATH_PETSC_CALL(MatShellSetOperation(P, MATOP_MULT_ADD, reinterpret_cast<void (*)(void)>(transfer_mult_add)));
    IONPATH_PETSC_CALL(
        MatShellSetOperation(P, MATOP_MULT_TRANSPOSE_ADD, reinterpret_cast<void (*)(void)>(transfer_mult_t_add)));
    IONPATH_PETSC_CALL(MatShellSetOperation(P, MATOP_DESTROY, reinterpret_cast<void (*)(void)>(transfer_destroy)));
    interpolations_.push_back(std::move(P));
  }
  coarse_matrix_ = assemble_level(*levels_.front());
}

MatrixFreeHierarchy::~MatrixFreeHierarchy() = default;

void MatrixFreeHierarchy::setup_smoother(KSP s, int l) const {
  IONPATH_PETSC_CALL(KSPSetOperators(s, levels_[l]->op, levels_[l]->op));
  IONPATH_PETSC_CALL(KSPSetTolerances(s, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT, settings_.smoothing_steps));
  IONPATH_PETSC_CALL(KSPSetNormType(s, KSP_NORM_NONE));
  PC spc = nullptr;
  IONPATH_PETSC_CALL(KSPGetPC(s, &spc));
  if (settings_.fused_smoother) {
    // Richardson hands the whole smoothing to the shell's fused Chebyshev-Jacobi sweeps (2 work
    // vectors, no stored diagonal, one pass over memory per step).
    IONPATH_PETSC_CALL(KSPSetType(s, KSPRICHARDSON));
    IONPATH_PETSC_CALL(PCSetType(spc, PCSHELL));
    auto* ctx = new SmootherContext{levels_[l].get(), settings_.cheb_low, settings_.cheb_high};
    IONPATH_PETSC_CALL(PCShellSetContext(spc, ctx));
    IONPATH_PETSC_CALL(PCShellSetDestroy(spc, smoother_destroy));
    IONPATH_PETSC_CALL(PCShellSetApply(spc, smoother_apply));
    IONPATH_PETSC_CALL(PCShellSetApplyRichardson(spc, smoother_richardson));
    IONPATH_PETSC_CALL(PCShellSetName(spc, "ionpath fused Chebyshev-Jacobi"));
    return;
  }
  IONPATH_PETSC_CALL(KSPSetType(s, KSPCHEBYSHEV));
  IONPATH_PETSC_CALL(KSPChebyshevSetEigenvalues(s, settings_.cheb_high, settings_.cheb_low));
  IONPATH_PETSC_CALL(KSPChebyshevEstEigSet(s, 0.0, 0.0, 0.0, 0.0));
  IONPATH_PETSC_CALL(PCSetType(spc, PCJACOBI));
}

void MatrixFreeHierarchy::setup_coarsest(KSP coarse) const {
  IONPATH_PETSC_CALL(KSPSetOperators(coarse, coarse_matrix_, coarse_matrix_));
  IONPATH_PETSC_CALL(KSPSetType(coarse, KSPPREONLY));
  PC cpc = nullptr;
  IONPATH_PETSC_CALL(KSPGetPC(coarse, &cpc));
  int size = 1;
  MPI_Comm_size(PetscObjectComm(reinterpret_cast<PetscObject>(coarse)), &size);
  IONPATH_PETSC_CALL(PCSetType(cpc, size > 1 ? PCREDUNDANT : PCLU));
}

/// K-cycle: `pc` preconditions level l >= 1 as a two-level PCMG (smoothing on l); its coarse
/// problem (level l - 1) is solved by k_cycle_inner FCG iterations preconditioned recursively,
/// or exactly when l - 1 is the coarsest level.
void MatrixFreeHierarchy::setup_k_level(PC pc, int l) const {
  IONPATH_PETSC_CALL(PCSetType(pc, PCMG));
  IONPATH_PETSC_CALL(PCMGSetLevels(pc, 2, nullptr));
  IONPATH_PETSC_CALL(PCMGSetType(pc, PC_MG_MULTIPLICATIVE));
  IONPATH_PETSC_CALL(PCMGSetCycleType(pc, PC_MG_CYCLE_V));
  IONPATH_PETSC_CALL(PCMGSetGalerkin(pc, PC_MG_GALERKIN_NONE));
  IONPATH_PETSC_CALL(PCMGSetInterpolation(pc, 1, interpolations_[l - 1]));
  KSP s = nullptr;
  IONPATH_PETSC_CALL(PCMGGetSmoother(pc, 1, &s));
  setup_smoother(s, l);
  KSP coarse = nullptr;
  IONPATH_PETSC_CALL(PCMGGetCoarseSolve(pc, &coarse));
  if (l - 1 == 0) {
    setup_coarsest(coarse);
    return;
  }
  IONPATH_PETSC_CALL(KSPSetOperators(coarse, levels_[l - 1]->op, levels_[l - 1]->op));
  IONPATH_PETSC_CALL(KSPSetType(coarse, KSPFCG));
  IONPATH_PETSC_CALL(KSPFCGSetMmax(coarse, settings_.k_cycle_inner));
  IONPATH_PETSC_CALL(KSPFCGSetNprealloc(coarse, settings_.k_cycle_inner + 1));
  IONPATH_PETSC_CALL(KSPSetTolerances(coarse, 0.0, 0.0, PETSC_DEFAULT, settings_.k_cycle_inner));
  IONPATH_PETSC_CALL(KSPSetNormType(coarse, KSP_NORM_NONE));
  PC cpc = nullptr;
  IONPATH_PETSC_CALL(KSPGetPC(coarse, &cpc));
  setup_k_level(cpc, l - 1);
}

void MatrixFreeHierarchy::setup_pc(PC pc, const std::string& prefix) const {
  static_cast<void>(prefix);
  const int L = n_levels();
  if (settings_.k_cycle && L > 1) {
    for (const auto& level : levels_) ensure_local(*level);
    setup_k_level(pc, L - 1);
    return;
  }
  if (settings_.float_cycle) {
    setup_float_cycle(pc, *this, settings_);
    return;
  }
  for (const auto& level : levels_) ensure_local(*level);
  IONPATH_PETSC_CALL(PCSetType(pc, PCMG));
  IONPATH_PETSC_CALL(PCMGSetLevels(pc, L, nullptr));
  IONPATH_PETSC_CALL(PCMGSetType(pc, PC_MG_MULTIPLICATIVE));
  IONPATH_PETSC_CALL(PCMGSetCycleType(pc, PC_MG_CYCLE_W));  // W: Q0 aggregation degrades less (docs/performance.md)
  IONPATH_PETSC_CALL(PCMGSetGalerkin(pc, PC_MG_GALERKIN_NONE));
  for (int l = 1; l < L; ++l) {
    IONPATH_PETSC_CALL(PCMGSetInterpolation(pc, l, interpolations_[l - 1]));
    KSP s = nullptr;
    IONPATH_PETSC_CALL(PCMGGetSmoother(pc, l, &s));
    setup_smoother(s, l);
  }
  KSP coarse = nullptr;
  IONPATH_PETSC_CALL(PCMGGetCoarseSolve(pc, &coarse));
  setup_coarsest(coarse);
}

const double* MatrixFreeHierarchy::ghosted_fine(Vec x) const {
  const StencilLevel& F = finest();
  IONPATH_PETSC_CALL(ghost_fill(F, x, &ghosted_fine_array_));
  return ghosted_fine_array_;
}

void MatrixFreeHierarchy::restore_ghosted_fine() const {
  IONPATH_PETSC_CALL(VecRestoreArray(finest().local, &ghosted_fine_array_));
}

double MatrixFreeHierarchy::energy(Vec x, int axis) const {
  const StencilLevel& F = finest();
  const double* xl = ghosted_fine(x);
  double e = 0.0;
  if (F.double_faces) {
    e = F.dim == 3 ? energy_kernel<double, 3>(F, F.td[0].data(), F.td[1].data(), F.td[2].data(), xl, axis)
                   : energy_kernel<double, 2>(F, F.td[0].data(), F.td[1].data(), nullptr, xl, axis);
  } else {
    e = F.dim == 3 ? energy_kernel<float, 3>(F, F.tf[0].data(), F.tf[1].data(), F.tf[2].data(), xl, axis)
                   : energy_kernel<float, 2>(F, F.tf[0].data(), F.tf[1].data(), nullptr, xl, axis);
  }
  restore_ghosted_fine();
  MPI_Allreduce(MPI_IN_PLACE, &e, 1, MPI_DOUBLE, MPI_SUM, F.comm);
  return e;
}

std::size_t MatrixFreeHierarchy::face_bytes() const noexcept {
  std::size_t b = 0;
  for (const auto& L : levels_)
    for (int a = 0; a < 3; ++a) b += L->tf[a].size() * sizeof(float) + L->td[a].size() * sizeof(double);
  return b;
}

}  // namespace ionpath::solver
