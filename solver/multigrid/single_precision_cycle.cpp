#include "solver/multigrid/single_precision_cycle.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "solver/multigrid/face_halo.hpp"
#include "solver/petsc/log_scope.hpp"
#include "solver/petsc/error.hpp"
#include "solver/multigrid/stencil_kernels.hpp"

namespace ionpath::solver {
namespace {

struct Events {
  PetscLogEvent smooth = 0, restrict_ = 0, prolong = 0, coarse = 0;
};
const Events& events() {
  static const Events e = [] {
    Events r;
    PetscLogEventRegister("IonpathFcSmooth", PC_CLASSID, &r.smooth);
    PetscLogEventRegister("IonpathFcResRestr", PC_CLASSID, &r.restrict_);
    PetscLogEventRegister("IonpathFcProlong", PC_CLASSID, &r.prolong);
    PetscLogEventRegister("IonpathFcCoarse", PC_CLASSID, &r.coarse);
    return r;
  }();
  return e;
}

/// bc += P^T (b - A x) over the active fine cells (x ghosted, halo exchanged; b owned layout).
/// Each row's residual goes to a buffer first, so that the stencil loop vectorises.
template <typename T, int Dim, typename B>
void residual_restrict(const StencilLevel& F, const StencilLevel& C, const T* tx, const T* ty, const T* tz,
                       const float* xl, const B* b, float* bc) {
  const mesh::Box& o = F.owned;
  const mesh::Box& g = F.ghosted;
  const kernels::Strides st(F);
  const std::ptrdiff_t ex = st.ex;
  const int sx = C.coarsened[0] ? 1 : 0, sy = C.coarsened[1] ? 1 : 0, sz = C.coarsened[2] ? 1 : 0;
  std::vector<double> residual(static_cast<std::size_t>(ex));
  double* __restrict rr = residual.data();
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const float* __restrict xr = xl + g.offset(o.lo[0], j, k);
      const T* __restrict fx = tx + F.face_box[0].offset(o.lo[0], j, k);
      const T* __restrict fy = ty + F.face_box[1].offset(o.lo[0], j, k);
      const T* __restrict fz = Dim == 3 ? tz + F.face_box[2].offset(o.lo[0], j, k) : nullptr;
      const std::size_t row = o.offset(o.lo[0], j, k);
      const B* __restrict br = b + row;
      const std::uint8_t* __restrict act = F.active.data() + row;
      for (std::ptrdiff_t i = 0; i < ex; ++i) {
        double d, nb;
        kernels::stencil_terms<double, Dim>(fx, fy, fz, xr, i, st, d, nb);
        const double r = double(br[i]) - (d == 0.0 ? 1.0 : d) * xr[i] + nb;  // identity rows: b - x
        rr[i] = static_cast<double>(act[i]) * r;  // 0 or 1: a product, not a branch, so the loop vectorises
      }
      float* __restrict crow = bc + C.owned.offset(C.owned.lo[0], j >> sy, k >> sz);
      if (sx == 0) {
        for (std::ptrdiff_t i = 0; i < ex; ++i) crow[i] += static_cast<float>(rr[i]);
      } else {  // o.lo[0] is even (aligned ownership): fine cells 2I and 2I + 1 form coarse cell I
        const std::ptrdiff_t pairs = ex / 2;
        for (std::ptrdiff_t I = 0; I < pairs; ++I) crow[I] += static_cast<float>(rr[2 * I] + rr[2 * I + 1]);
        if (ex % 2 != 0) crow[pairs] += static_cast<float>(rr[ex - 1]);
      }
    }
}

/// One row of prolong_add: fine cell i takes coarse cell i >> sx. Restrict parameters and a
/// product with the 0/1 mask instead of a conditional load, so that the loop vectorises.
inline void prolong_row(std::ptrdiff_t ex, int sx, const std::uint8_t* __restrict act, const float* __restrict cr,
                        float* __restrict fr) noexcept {
  if (sx == 0) {
    for (std::ptrdiff_t i = 0; i < ex; ++i) fr[i] += static_cast<float>(act[i]) * cr[i];
    return;
  }
  const std::ptrdiff_t pairs = ex / 2;
  for (std::ptrdiff_t I = 0; I < pairs; ++I) {
    const float v = cr[I];
    fr[2 * I] += static_cast<float>(act[2 * I]) * v;
    fr[2 * I + 1] += static_cast<float>(act[2 * I + 1]) * v;
  }
  if (ex % 2 != 0) fr[ex - 1] += static_cast<float>(act[ex - 1]) * cr[pairs];
}

/// x_f += P x_c over the active fine cells (both arrays in their ghosted layouts). Ownership is
/// aligned: o.lo[0] is even when x is coarsened, so fine cells 2I and 2I + 1 of a row form its
/// coarse cell I.
void prolong_add(const StencilLevel& F, const StencilLevel& C, const float* xc, float* xf) {
  const mesh::Box& o = F.owned;
  const int sx = C.coarsened[0] ? 1 : 0, sy = C.coarsened[1] ? 1 : 0, sz = C.coarsened[2] ? 1 : 0;
  const std::ptrdiff_t ex = o.extent(0);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j)
      prolong_row(ex, sx, F.active.data() + o.offset(o.lo[0], j, k),
                  xc + C.ghosted.offset(C.owned.lo[0], j >> sy, k >> sz), xf + F.ghosted.offset(o.lo[0], j, k));
}

/// Copies the owned part of a ghosted float array to/from an owned-layout array.
template <typename To, typename From>
void copy_owned(const StencilLevel& L, const From* from, const mesh::Box& from_layout, To* to,
                const mesh::Box& to_layout) {
  const mesh::Box& o = L.owned;
  const std::ptrdiff_t ex = o.extent(0);
  for (int k = o.lo[2]; k < o.hi[2]; ++k)
    for (int j = o.lo[1]; j < o.hi[1]; ++j) {
      const From* f = from + from_layout.offset(o.lo[0], j, k);
      To* t = to + to_layout.offset(o.lo[0], j, k);
      for (std::ptrdiff_t i = 0; i < ex; ++i) t[i] = static_cast<To>(f[i]);
    }
}

}  // namespace

class FloatCycle::Impl {
 public:
  Impl(const MatrixFreeHierarchy& H, const MatrixFreeSettings& s, bool borrow_fine_work_vector)
      : H_(H), settings_(s) {
    static_cast<void>(events());
    for (int l = 0; l < H.n_levels(); ++l) {
      const StencilLevel& L = H.level(l);
      Level d;
      d.L = &L;
      // Inside PETSc's KSPCG (borrow_fine_work_vector) the finest level borrows the hierarchy's
      // ghosted double work vector (same bytes as two float arrays): CG's operator and the energy
      // use it only between preconditioner applies, and every reader of ghosts exchanges (or
      // zeroes) them first. Saves 8 B per fine cell. The fused CG keeps its direction there.
      if (!borrow_fine_work_vector || !L.local || l + 1 < H.n_levels())
        d.storage.assign(2 * L.ghosted.n_cells(), 0.0f);
      if (l + 1 < H.n_levels()) d.b.assign(L.n_owned(), 0.0f);  // the finest level's b is CG's residual
      d.halo = std::make_unique<HaloExchange<float>>(L);
      if (s.bf16_fine_faces && l + 1 == H.n_levels() && l > 0) round_faces(d);
      levels_.push_back(std::move(d));
    }
    IONPATH_PETSC_CALL(KSPCreate(H.level(0).comm, coarse_.out()));
    H.setup_coarsest(coarse_);
    IONPATH_PETSC_CALL(KSPSetUp(coarse_));
    IONPATH_PETSC_CALL(MatCreateVecs(H.coarse_matrix(), coarse_x_.out(), coarse_b_.out()));
  }

  /// z = M^{-1} r: one W-cycle from a zero guess on the finest level.
  void apply(const double* r, double* z) {
    const int top = H_.n_levels() - 1;
    Level& fine = levels_[top];
    const StencilLevel& L = *fine.L;
    PetscScalar* borrowed = nullptr;
    if (fine.storage.empty()) IONPATH_PETSC_CALL(VecGetArray(L.local, &borrowed));
    bind_arrays(reinterpret_cast<float*>(borrowed));
    cycle(top, r, true);
    copy_owned(L, fine.x, L.ghosted, z, L.owned);
    if (borrowed != nullptr) IONPATH_PETSC_CALL(VecRestoreArray(L.local, &borrowed));
  }

  /// The same cycle on a float right-hand side; the result stays in the cycle's storage.
  const float* apply(const float* b) {
    const int top = H_.n_levels() - 1;
    if (levels_[top].storage.empty()) throw std::logic_error("FloatCycle: float apply needs its own fine storage");
    bind_arrays(nullptr);
    cycle(top, b, true);
    return levels_[top].x;
  }

 private:
  struct Level {
    const StencilLevel* L = nullptr;
    std::vector<float> storage;  ///< x and old back to back (empty: borrowed, finest level)
    float* x = nullptr;          ///< current iterate, ghosted layout
    float* old = nullptr;        ///< previous iterate, ghosted layout
    std::vector<float> b;        ///< right-hand side, owned layout (coarse levels)
    std::unique_ptr<HaloExchange<float>> halo;
    std::array<std::vector<kernels::Bf16>, 3> bf16;  ///< the finest level's faces, if rounded
  };

  /// Calls fn(dim tag, tx, ty, tz) with the faces the cycle uses on level d.
  template <typename Fn>
  static void faces(const Level& d, Fn&& fn) {
    if (d.bf16[0].empty()) {
      kernels::dispatch_faces(*d.L, fn);
    } else if (d.L->dim == 3) {
      fn(std::integral_constant<int, 3>{}, d.bf16[0].data(), d.bf16[1].data(), d.bf16[2].data());
    } else {
      fn(std::integral_constant<int, 2>{}, d.bf16[0].data(), d.bf16[1].data(),
         static_cast<const kernels::Bf16*>(nullptr));
    }
  }

  /// The finest level's faces rounded to bfloat16 (MatrixFreeSettings::bf16_fine_faces).
  static void round_faces(Level& d) {
    const StencilLevel& L = *d.L;
    for (int a = 0; a < L.dim; ++a) {
      const std::size_t n = L.double_faces ? L.td[a].size() : L.tf[a].size();
      d.bf16[a].resize(n);
      for (std::size_t i = 0; i < n; ++i)
        d.bf16[a][i] = kernels::Bf16(L.double_faces ? static_cast<float>(L.td[a][i]) : L.tf[a][i]);
    }
  }

  void bind_arrays(float* borrowed) {
    for (Level& d : levels_) {
      float* base = d.storage.empty() ? borrowed : d.storage.data();
      d.x = base;
      d.old = base + d.L->ghosted.n_cells();
    }
  }

  template <typename B>
  void cycle(int l, const B* b, bool zero_guess) {
    if (l == 0) {
      coarse_solve(b);
      return;
    }
    Level& d = levels_[l];
    Level& c = levels_[l - 1];
    smooth(d, b, zero_guess);
    {
      d.halo->exchange(d.x);
      LogScope log(events().restrict_);
      std::fill(c.b.begin(), c.b.end(), 0.0f);
      faces(d, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
        residual_restrict<T, decltype(dim)::value>(*d.L, *c.L, tx, ty, tz, d.x, b, c.b.data());
      });
    }
    cycle(l - 1, c.b.data(), true);
    if (l - 1 > 0) cycle(l - 1, c.b.data(), false);  // W-cycle: the coarse level is visited twice
    {
      LogScope log(events().prolong);
      prolong_add(*d.L, *c.L, c.x, d.x);
    }
    smooth(d, b, false);
  }

  /// smoothing_steps fused Chebyshev-Jacobi steps; each writes over `old` and the arrays swap.
  template <typename B>
  void smooth(Level& d, const B* b, bool zero_guess) {
    LogScope log(events().smooth);
    const StencilLevel& L = *d.L;
    kernels::ChebyshevWeights weights(settings_.cheb_low, settings_.cheb_high);
    bool old_zero = true;
    for (int k = 0; k < settings_.smoothing_steps; ++k) {
      if (k == 0 && zero_guess) {
        faces(d, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
          using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
          kernels::chebyshev_first_step<T, decltype(dim)::value>(L, tx, ty, tz, b, d.x, L.ghosted,
                                                                 weights.inv_theta());
        });
        continue;
      }
      const double omega = weights.next(k);
      d.halo->exchange(d.x);
      faces(d, [&](auto dim, const auto* tx, const auto* ty, const auto* tz) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(tx)>>;
        kernels::chebyshev_step<T, decltype(dim)::value, true>(L, tx, ty, tz, d.x, b, d.old, d.old,
                                                               L.ghosted, omega, weights.inv_theta(),
                                                               old_zero);
      });
      std::swap(d.x, d.old);
      old_zero = false;
    }
    IONPATH_PETSC_CALL(PetscLogFlops((L.dim == 3 ? 24.0 : 18.0) * static_cast<double>(L.n_owned()) *
                                     settings_.smoothing_steps));
  }

  template <typename B>
  void coarse_solve(const B* b) {
    LogScope log(events().coarse);
    Level& d = levels_[0];
    const StencilLevel& L = *d.L;
    PetscScalar* bv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayWrite(coarse_b_, &bv));
    std::copy(b, b + L.n_owned(), bv);
    IONPATH_PETSC_CALL(VecRestoreArrayWrite(coarse_b_, &bv));
    IONPATH_PETSC_CALL(KSPSolve(coarse_, coarse_b_, coarse_x_));
    const PetscScalar* xv = nullptr;
    IONPATH_PETSC_CALL(VecGetArrayRead(coarse_x_, &xv));
    copy_owned(L, xv, L.owned, d.x, L.ghosted);
    IONPATH_PETSC_CALL(VecRestoreArrayRead(coarse_x_, &xv));
  }

  const MatrixFreeHierarchy& H_;
  MatrixFreeSettings settings_;
  std::vector<Level> levels_;  ///< levels_[0] coarsest, like the hierarchy
  KspHandle coarse_;
  VecHandle coarse_x_, coarse_b_;
};

FloatCycle::FloatCycle(const MatrixFreeHierarchy& hierarchy, const MatrixFreeSettings& settings,
                       bool borrow_fine_work_vector)
    : impl_(std::make_unique<Impl>(hierarchy, settings, borrow_fine_work_vector)) {}
FloatCycle::~FloatCycle() = default;
void FloatCycle::apply(const double* r, double* z) { impl_->apply(r, z); }
const float* FloatCycle::apply(const float* b) { return impl_->apply(b); }

namespace {

// The PCSHELL callbacks of the cycle.
PetscErrorCode apply_cycle(PC pc, Vec r, Vec z) {
  PetscFunctionBeginUser;
  FloatCycle* cycle = nullptr;
  PetscCall(PCShellGetContext(pc, &cycle));
  const PetscScalar* rv = nullptr;
  PetscScalar* zv = nullptr;
  PetscCall(VecGetArrayRead(r, &rv));
  PetscCall(VecGetArrayWrite(z, &zv));
  try {
    cycle->apply(rv, zv);
  } catch (const std::exception& e) {
    SETERRQ(PetscObjectComm(reinterpret_cast<PetscObject>(pc)), PETSC_ERR_LIB, "float W-cycle failed: %s", e.what());
  }
  PetscCall(VecRestoreArrayWrite(z, &zv));
  PetscCall(VecRestoreArrayRead(r, &rv));
  PetscFunctionReturn(0);
}

PetscErrorCode destroy_cycle(PC pc) {
  PetscFunctionBeginUser;
  FloatCycle* cycle = nullptr;
  PetscCall(PCShellGetContext(pc, &cycle));
  delete cycle;
  PetscFunctionReturn(0);
}

}  // namespace

void setup_float_cycle(PC pc, const MatrixFreeHierarchy& hierarchy, const MatrixFreeSettings& settings) {
  auto cycle = std::make_unique<FloatCycle>(hierarchy, settings, true);
  IONPATH_PETSC_CALL(PCSetType(pc, PCSHELL));
  IONPATH_PETSC_CALL(PCShellSetDestroy(pc, destroy_cycle));
  IONPATH_PETSC_CALL(PCShellSetContext(pc, cycle.release()));
  IONPATH_PETSC_CALL(PCShellSetApply(pc, apply_cycle));
  IONPATH_PETSC_CALL(PCShellSetName(pc, "ionpath single-precision W-cycle"));
}

}  // namespace ionpath::solver
