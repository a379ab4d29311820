#pragma once
/// Fused Chebyshev-Jacobi kernels on one multigrid level, shared by the PCMG smoother (double
/// PETSc vectors) and the single-precision W-cycle (float arrays in the ghosted layout).
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "solver/multigrid/hierarchy.hpp"

namespace ionpath::solver::kernels {

/// A conductance rounded to bfloat16, the upper half of a float: 8 significant bits (relative
/// rounding at most 2^-8) and the full float range, so any contrast survives; widening is a shift. Only
/// the preconditioner's finest level uses it: the cycle then approximates a slightly perturbed
/// operator, which leaves it as good a preconditioner while its face traffic halves.
struct Bf16 {
  std::uint16_t bits = 0;
  Bf16() = default;
  explicit Bf16(float f) noexcept {
    const auto u = std::bit_cast<std::uint32_t>(f);
    bits = static_cast<std::uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);  // nearest, ties to even
  }
  operator float() const noexcept { return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16); }
};

/// Calls fn(dim tag, tx, ty, tz) with the level's face arrays in their stored precision.
template <typename Fn>
void dispatch_faces(const StencilLevel& L, Fn&& fn) {
  if (L.double_faces) {
    if (L.dim == 3)
      fn(std::integral_constant<int, 3>{}, L.td[0].data(), L.td[1].data(), L.td[2].data());
    else
      fn(std::integral_constant<int, 2>{}, L.td[0].data(), L.td[1].data(), static_cast<const double*>(nullptr));
  } else {
    if (L.dim == 3)
      fn(std::integral_constant<int, 3>{}, L.tf[0].data(), L.tf[1].data(), L.tf[2].data());
    else
      fn(std::integral_constant<int, 2>{}, L.tf[0].data(), L.tf[1].data(), static_cast<const float*>(nullptr));
  }
}

/// Index strides of a level: row and plane of the ghosted array (gx, gxy) and of the owned box
/// and its face arrays (ex, exy).
struct Strides {
  std::ptrdiff_t gx, gxy, ex, exy;
  explicit Strides(const StencilLevel& L) noexcept
      : gx(L.ghosted.extent(0)),
        gxy(gx * L.ghosted.extent(1)),
        ex(L.owned.extent(0)),
        exy(ex * L.owned.extent(1)) {}
};

/// Diagonal d and neighbour sum nb of the stencil at cell i of a row, so that (A x)_i = d x_i - nb;
/// xr is the row in the ghosted layout, fx, fy, fz the face rows. R is the arithmetic type.
template <typename R, int Dim, typename T, typename X>
inline void stencil_terms(const T* fx, const T* fy, const T* fz, const X* xr, std::ptrdiff_t i, const Strides& s,
                          R& d, R& nb) noexcept {
  const R w = fx[i], e = fx[i + 1], south = fy[i], north = fy[i + s.ex];
  d = w + e + south + north;
  nb = w * xr[i - 1] + e * xr[i + 1] + south * xr[i - s.gx] + north * xr[i + s.gx];
  if constexpr (Dim == 3) {
    const R bottom = fz[i], top = fz[i + s.exy];
    d += bottom + top;
    nb += bottom * xr[i - s.gxy] + top * xr[i + s.gxy];
  }
}

/// One row of chebyshev_step. The row pointers are restrict *parameters*: GCC ignores restrict on
/// local pointers, and with float b and float x it then needs more than 10 run-time alias checks
/// and leaves the loop scalar. In place (InPlaceOld), the old iterate is read through y.
template <typename R, int Dim, bool WithOld, bool InPlaceOld, typename T, typename X, typename B>
inline void chebyshev_row(std::ptrdiff_t ex, const Strides& st, const T* __restrict fx, const T* __restrict fy,
                          const T* __restrict fz, const X* __restrict xr, const B* __restrict br,
                          X* __restrict orow, X* __restrict yr, R om, R it, R wo) noexcept {
  for (std::ptrdiff_t i = 0; i < ex; ++i) {
    R d, nb;
    stencil_terms<R, Dim>(fx, fy, fz, xr, i, st, d, nb);
    const R xc = xr[i];
    // Branch-free (it vectorises): identity rows have d = nb = 0, so dividing by 1 instead of d
    // gives their z = b - x.
    const R z = (static_cast<R>(br[i]) + nb) / (d == R(0) ? R(1) : d) - xc;  // D^{-1} (b - A x)
    R next = om * (xc + it * z);
    if constexpr (WithOld) next += wo * static_cast<R>(InPlaceOld ? yr[i] : orow[i]);
    if constexpr (!InPlaceOld) orow[i] = xc;
    yr[i] = next;
  }
}

/// One Chebyshev-Jacobi step (three-term form) on the owned box:
///   y = omega (x + z / theta) + (1 - omega) x_old,   z = D^{-1} (b - A x),
/// x read from the ghosted array xl, x_old from xo (0 if old_zero), b in the owned layout; xo and y
/// are laid out like `out` (the owned box for PETSc vectors, the ghosted box for the float cycle).
/// InPlaceOld: y is written over xo (the caller then swaps x and xo); otherwise y and xo are
/// separate and xo receives x. Identity rows (no faces) use D = 1 and A x = x.
template <typename T, int Dim, bool InPlaceOld, typename X, typename B>
void chebyshev_step(const StencilLevel& L, const T* tx, const T* ty, const T* tz, const X* xl, const B* b, X* xo,
                    X* y, const mesh::Box& out, double omega, double inv_theta, bool old_zero) {
  const mesh::Box& o = L.owned;
  const mesh::Box& g = L.ghosted;
  const Strides st(L);
  // Arithmetic in X: float for the single-precision cycle (twice the SIMD width).
  using R = X;
  const R om = static_cast<R>(omega), it = static_cast<R>(inv_theta), wo = static_cast<R>(1.0 - omega);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const X* xr = xl + g.offset(o.lo[0], j, k);
      const T* fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      const T* fz = Dim == 3 ? tz + L.face_box[2].offset(o.lo[0], j, k) : nullptr;
      const B* br = b + o.offset(o.lo[0], j, k);
      const std::size_t out_row = out.offset(o.lo[0], j, k);
      X* yr = InPlaceOld ? xo + out_row : y + out_row;
      X* orow = InPlaceOld ? nullptr : xo + out_row;
      if (old_zero)  // hoisted out of the loop
        chebyshev_row<R, Dim, false, InPlaceOld>(st.ex, st, fx, fy, fz, xr, br, orow, yr, om, it, wo);
      else
        chebyshev_row<R, Dim, true, InPlaceOld>(st.ex, st, fx, fy, fz, xr, br, orow, yr, om, it, wo);
    }
}

/// First step from a zero guess: y = D^{-1} b / theta (b owned layout, y laid out like `out`).
template <typename T, int Dim, typename X, typename B>
void chebyshev_first_step(const StencilLevel& L, const T* tx, const T* ty, const T* tz, const B* b, X* y,
                          const mesh::Box& out, double inv_theta) {
  const mesh::Box& o = L.owned;
  const Strides st(L);
  const std::ptrdiff_t ex = st.ex, exy = st.exy;
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const T* __restrict fx = tx + L.face_box[0].offset(o.lo[0], j, k);
      const T* __restrict fy = ty + L.face_box[1].offset(o.lo[0], j, k);
      const B* __restrict br = b + o.offset(o.lo[0], j, k);
      X* __restrict yr = y + out.offset(o.lo[0], j, k);
      const T* __restrict fz = Dim == 3 ? tz + L.face_box[2].offset(o.lo[0], j, k) : nullptr;
      for (std::ptrdiff_t i = 0; i < ex; ++i) {
        double d = double(fx[i]) + double(fx[i + 1]) + double(fy[i]) + double(fy[i + ex]);
        if constexpr (Dim == 3) d += double(fz[i]) + double(fz[i + exy]);
        yr[i] = static_cast<X>(inv_theta * double(br[i]) / (d == 0.0 ? 1.0 : d));
      }
    }
}

/// Chebyshev weights: omega_k of the three-term recurrence on [low, high] (omega_0 = 1).
class ChebyshevWeights {
 public:
  ChebyshevWeights(double low, double high)
      : inv_theta_(2.0 / (high + low)), sigma_((high + low) / (high - low)) {}
  [[nodiscard]] double inv_theta() const noexcept { return inv_theta_; }
  /// Weight of step k (k = 0 starts a new recurrence).
  double next(int k) noexcept {
    if (k == 0) {
      prev_ = 2.0;
      return 1.0;
    }
    prev_ = 1.0 / (1.0 - prev_ / (4.0 * sigma_ * sigma_));
    return prev_;
  }

 private:
  double inv_theta_;
  double sigma_;
  double prev_ = 2.0;
};

}  // namespace ionpath::solver::kernels
