#pragma once
/// Move-only RAII owners for PETSc objects (style guide §3.1). Destructors never throw: a failing
/// XDestroy during unwinding cannot be reported anyway. Handles must die before PetscFinalize.
#include <petscdm.h>
#include <petscis.h>
#include <petscksp.h>
#include <petscmat.h>
#include <petscsnes.h>
#include <petscts.h>
#include <petscvec.h>

#include <utility>

namespace ionpath::solver {

template <typename T, PetscErrorCode (*Destroy)(T*)>
class PetscHandle {
 public:
  PetscHandle() = default;
  explicit PetscHandle(T obj) noexcept : obj_(obj) {}
  ~PetscHandle() { reset(); }
  PetscHandle(const PetscHandle&) = delete;
  PetscHandle& operator=(const PetscHandle&) = delete;
  PetscHandle(PetscHandle&& other) noexcept : obj_(std::exchange(other.obj_, nullptr)) {}
  PetscHandle& operator=(PetscHandle&& other) noexcept {
    if (this != &other) {
      reset();
      obj_ = std::exchange(other.obj_, nullptr);
    }
    return *this;
  }

  [[nodiscard]] T get() const noexcept { return obj_; }
  operator T() const noexcept { return obj_; }  // NOLINT: lets handles go straight into PETSc calls
  /// For XCreate(..., &obj) style out-parameters; releases what was held before.
  [[nodiscard]] T* out() noexcept {
    reset();
    return &obj_;
  }
  [[nodiscard]] T release() noexcept { return std::exchange(obj_, nullptr); }
  void reset() noexcept {
    if (obj_ != nullptr) static_cast<void>(Destroy(&obj_));
    obj_ = nullptr;
  }
  explicit operator bool() const noexcept { return obj_ != nullptr; }

 private:
  T obj_ = nullptr;
};

using DmHandle = PetscHandle<DM, DMDestroy>;
using VecHandle = PetscHandle<Vec, VecDestroy>;
using MatHandle = PetscHandle<Mat, MatDestroy>;
using KspHandle = PetscHandle<KSP, KSPDestroy>;
using IsHandle = PetscHandle<IS, ISDestroy>;
using SnesHandle = PetscHandle<SNES, SNESDestroy>;
using TsHandle = PetscHandle<TS, TSDestroy>;

}  // namespace ionpath::solver
