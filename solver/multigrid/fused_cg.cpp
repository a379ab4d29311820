#include "solver/multigrid/fused_cg.hpp"

#include <petscsys.h>

#include <cmath>
#include <cstdio>
#include <type_traits>
#include <vector>

#include "solver/multigrid/energy_stop.hpp"
#include "solver/multigrid/face_halo.hpp"
#include "solver/petsc/log_scope.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/deadline.hpp"
#include "solver/multigrid/stencil_kernels.hpp"

namespace ionpath::solver {
namespace {

struct Events {
  PetscLogEvent solve = 0, apply = 0, vec = 0;
};
const Events& events() {
  static const Events e = [] {
    Events r;
    PetscLogEventRegister("IonpathCgSolve", KSP_CLASSID, &r.solve);
    PetscLogEventRegister("IonpathCgApply", KSP_CLASSID, &r.apply);
    PetscLogEventRegister("IonpathCgVec", KSP_CLASSID, &r.vec);
    return r;
  }();
  return e;
}

double sum_all(double local, MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, &local, 1, MPI_DOUBLE, MPI_SUM, comm);
  return local;
}

/// Calls fn(row, ghosted_row) for every owned row: row is the offset of the row's first cell in
/// the owned layout, ghosted_row in the ghosted layout.
template <typename Fn>
void for_rows(const StencilLevel& L, Fn&& fn) {
  const mesh::Box& o = L.owned;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) fn(o.offset(o.lo[0], j, k), L.ghosted.offset(o.lo[0], j, k));
}

/// w = A p (p ghosted, halo exchanged; w owned layout); returns the local part of p . w.
template <typename T, int Dim>
double apply_dot(const StencilLevel& L, const T* tx, const T* ty, const T* tz, const double* p, double* w) {
  const kernels::Strides st(L);
  const mesh::Box& o = L.owned;
  double dot = 0.0;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const double* __restrict pr = p + L.ghosted.offset(o.lo[0], j, k);
      const T* __restrict fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* __restrict fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      const T* __restrict fz = Dim == 3 ? tz + L.face_box[2].offset(o.lo[0], j, k) : nullptr;
      double* __restrict wr = w + o.offset(o.lo[0], j, k);
      double row = 0.0;
#pragma omp simd reduction(+ : row)
      for (std::ptrdiff_t i = 0; i < st.ex; ++i) {
        double d, nb;
        kernels::stencil_terms<double, Dim>(fx, fy, fz, pr, i, st, d, nb);
        const double y = d == 0.0 ? pr[i] : d * pr[i] - nb;  // cells without faces: identity rows
        wr[i] = y;
        row += pr[i] * y;
      }
      dot += row;
    }
  return dot;
}

double apply_dot(const StencilLevel& L, const double* p, double* w) {
  double dot = 0.0;
  kernels::dispatch_faces(L, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
    dot = apply_dot<T, decltype(dim)::value>(L, tx, ty, tz, p, w);
  });
  return dot;
}

/// Local part of r . z (r owned layout, z ghosted float).
double dot_rz(const StencilLevel& L, const double* r, const float* z) {
  const std::ptrdiff_t ex = L.owned.extent(0);
  double dot = 0.0;
  for_rows(L, [&](std::size_t row, std::size_t grow) {
    const double* __restrict rr = r + row;
    const float* __restrict zr = z + grow;
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (std::ptrdiff_t i = 0; i < ex; ++i) s += rr[i] * double(zr[i]);
    dot += s;
  });
  return dot;
}

/// x += alpha p (the previous step's deferred update), then p = z + beta p; first: p = z only.
void update_direction(const StencilLevel& L, const float* z, double* p, double* x, double alpha, double beta,
                      bool first) {
  const std::ptrdiff_t ex = L.owned.extent(0);
  for_rows(L, [&](std::size_t row, std::size_t grow) {
    const float* __restrict zr = z + grow;
    double* __restrict pr = p + grow;
    double* __restrict xr = x + row;
    if (first) {
      for (std::ptrdiff_t i = 0; i < ex; ++i) pr[i] = zr[i];
      return;
    }
    for (std::ptrdiff_t i = 0; i < ex; ++i) {
      const double pi = pr[i];
      xr[i] += alpha * pi;
      pr[i] = double(zr[i]) + beta * pi;
    }
  });
}

/// x += alpha p (the final step).
void update_solution(const StencilLevel& L, const double* p, double* x, double alpha) {
  const std::ptrdiff_t ex = L.owned.extent(0);
  for_rows(L, [&](std::size_t row, std::size_t grow) {
    const double* __restrict pr = p + grow;
    double* __restrict xr = x + row;
    for (std::ptrdiff_t i = 0; i < ex; ++i) xr[i] += alpha * pr[i];
  });
}

/// r -= alpha w and the cycle's right-hand side b = float(r); returns the local |r|^2.
double update_residual(std::size_t n, double* __restrict r, const double* __restrict w, float* __restrict b,
                       double alpha) {
  double rr = 0.0;
#pragma omp simd reduction(+ : rr)
  for (std::size_t i = 0; i < n; ++i) {
    const double v = r[i] - alpha * w[i];
    r[i] = v;
    b[i] = static_cast<float>(v);
    rr += v * v;
  }
  return rr;
}

/// RAII access to a Vec's array.
class VecArray {
 public:
  explicit VecArray(Vec v) : v_(v) { IONPATH_PETSC_CALL(VecGetArray(v_, &a_)); }
  ~VecArray() { static_cast<void>(VecRestoreArray(v_, &a_)); }
  VecArray(const VecArray&) = delete;
  VecArray& operator=(const VecArray&) = delete;
  [[nodiscard]] double* get() const noexcept { return a_; }

 private:
  Vec v_;
  PetscScalar* a_ = nullptr;
};

}  // namespace

FusedCgResult fused_cg(const MatrixFreeHierarchy& H, FloatCycle& M, Vec x_vec, Vec rhs,
                       const FusedCgSettings& settings) {
  const Events& ev = events();
  LogScope solve_scope(ev.solve);
  const StencilLevel& F = H.finest();
  const MPI_Comm comm = F.comm;
  const std::size_t n = F.n_owned();
  int rank = 0;
  MPI_Comm_rank(comm, &rank);

  // S_0 first: the energy evaluation uses the ghosted work vector that then holds p.
  std::vector<double> S;
  if (settings.energy_tol > 0.0) S.push_back(H.energy(x_vec, settings.axis));

  VecArray xa(x_vec), ra(rhs), pa(F.local);
  double* x = xa.get();
  double* r = ra.get();
  double* p = pa.get();
  std::vector<double> w(n);
  std::vector<float> b(n);  // the cycle's right-hand side: r in single precision

  double b_norm = 0.0, r_norm = 0.0;
  {
    LogScope s(ev.apply);
    F.halo->fill(x, p);
    static_cast<void>(apply_dot(F, p, w.data()));
    double bb = 0.0;
#pragma omp simd reduction(+ : bb)
    for (std::size_t i = 0; i < n; ++i) bb += r[i] * r[i];
    b_norm = std::sqrt(sum_all(bb, comm));
    r_norm = std::sqrt(sum_all(update_residual(n, r, w.data(), b.data(), 1.0), comm));
  }
  FusedCgResult out;
  const auto finish = [&](const char* reason, bool converged) {
    out.reason = reason;
    out.converged = converged;
    out.residual_norm = r_norm;
    out.energy = S.empty() ? 0.0 : S.back();
    return out;
  };
  const auto monitor = [&](int k) {
    if (!settings.monitor || rank != 0) return;
    if (S.empty())
      std::printf("  fused CG %4d  |r| %.6e\n", k, r_norm);
    else
      std::printf("  fused CG %4d  |r| %.6e  energy %.12e\n", k, r_norm, S.back());
  };
  monitor(0);
  if (r_norm <= settings.rtol * b_norm || r_norm == 0.0) return finish("CONVERGED_RTOL", true);

  double alpha = 0.0, rz_old = 0.0;
  for (int k = 0; k < settings.max_iterations; ++k) {
    const float* z = M.apply(b.data());
    double rz = 0.0;
    {
      LogScope s(ev.vec);
      rz = sum_all(dot_rz(F, r, z), comm);
      if (!(rz > 0.0)) {
        if (k > 0) update_solution(F, p, x, alpha);  // the deferred update of the last step
        return finish(rz == 0.0 ? "CONVERGED_ATOL" : "DIVERGED_INDEFINITE_PC", rz == 0.0);
      }
      update_direction(F, z, p, x, alpha, k == 0 ? 0.0 : rz / rz_old, k == 0);
      rz_old = rz;
    }
    double pw = 0.0;
    {
      LogScope s(ev.apply);
      F.halo->exchange(p);
      pw = sum_all(apply_dot(F, p, w.data()), comm);
    }
    if (!(pw > 0.0)) return finish("DIVERGED_INDEFINITE_MAT", false);
    alpha = rz / pw;
    {
      LogScope s(ev.vec);
      r_norm = std::sqrt(sum_all(update_residual(n, r, w.data(), b.data(), alpha), comm));
    }
    out.iterations = k + 1;
    check_deadline(comm);  // sweep --point-timeout / SIGTERM: no-op outside a sweep point
    // Per cell: 2 dots, 2 axpys, the 7-point apply.
    IONPATH_PETSC_CALL(PetscLogFlops(static_cast<double>(n) * (F.dim == 3 ? 23.0 : 19.0)));
    if (!S.empty()) S.push_back(S.back() - alpha * rz);
    monitor(k + 1);
    const char* reason = nullptr;
    bool converged = true;
    if (r_norm <= settings.rtol * b_norm)
      reason = "CONVERGED_RTOL";
    else if (!S.empty() && energy_verdict(S, settings.energy_tol) != EnergyVerdict::iterating)
      reason = "CONVERGED_ENERGY";
    else if (!(r_norm <= 1e5 * b_norm) || k + 1 == settings.max_iterations) {
      reason = k + 1 == settings.max_iterations ? "DIVERGED_ITS" : "DIVERGED_DTOL";
      converged = false;
    }
    if (reason != nullptr) {
      update_solution(F, p, x, alpha);
      return finish(reason, converged);
    }
  }
  return finish("DIVERGED_ITS", false);
}

}  // namespace ionpath::solver
