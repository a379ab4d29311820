#pragma once
/// The PETSc callbacks of the nonlinear models, written once (style guide §2.2, §3.2). Each
/// model's context derives from Model and supplies its face-loop assembly; the callbacks only move
/// arrays into it. Exceptions never cross a PETSc C callback: they are parked in Model::pending
/// (the driver rethrows them after the PETSc call returns), and an unphysical state becomes
/// SNESSetFunctionDomainError, so the line search or the time step steps back instead of aborting.
#include <petscsnes.h>
#include <petscts.h>

#include <exception>
#include <vector>

#include "solver/grid/domain.hpp"
#include "solver/grid/ghosted_read.hpp"
#include "solver/nonlinear/assembly_support.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver::assembly {

class Model {
 public:
  Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  virtual ~Model() = default;

  /// Residual (and Jacobian) at the ghosted state; false on every rank if some rank meets an
  /// unphysical state (NaN, overflow).
  virtual bool assemble(const double* ghosted_state, const Target& target) = 0;
  /// Stored amounts C(u) per owned cell (the TSBDF transient variable).
  virtual void transient_variable(const double* owned_state, double* C) const = 0;
  /// The Newton operator when it is not the assembled matrix P itself (a shell over P that the
  /// Jacobian evaluation keeps current); empty (the default): the operator is P. x: a global vector.
  virtual MatHandle newton_operator(Mat /*P*/, Vec /*x*/) { return {}; }

  const Domain* domain = nullptr;
  int dof = 0;
  Storage storage = Storage::steady;
  SNES snes = nullptr;          ///< for SNESSetFunctionDomainError (the TS's SNES in transients)
  std::exception_ptr pending;   ///< parked by a callback, rethrown by the driver
  /// Jacobian test of the transient form (jacobian_check.hpp): the SNES callbacks then evaluate
  /// C' = test_shift (C(u) - test_base), with C = u under Storage::mass_matrix.
  double test_shift = 0.0;
  std::vector<double> test_base;
  FaceCallLog* face_calls = nullptr;  ///< test hook (assembly_support.hpp)
};

/// The Newton matrices of a model: P assembled on the DMDA stencil (the preconditioning matrix),
/// and the operator J, P itself or the model's newton_operator over P.
struct NewtonMatrices {
  MatHandle P;
  MatHandle shell;
  [[nodiscard]] Mat J() const noexcept { return shell ? shell.get() : P.get(); }
};
[[nodiscard]] NewtonMatrices make_newton_matrices(Model& m, Vec x);

/// The context pointer PETSc passes back to the callbacks below.
[[nodiscard]] inline void* callback_context(Model& m) noexcept { return &m; }

/// Runs body() inside a PETSc callback: a C++ exception is parked in m.pending and reported to
/// PETSc as PETSC_ERR_LIB (the driver rethrows the parked one, which says more).
template <class Body>
PetscErrorCode guarded(Model& m, const char* what, Body&& body) noexcept {
  PetscFunctionBeginUser;
  try {
    body();
  } catch (...) {
    m.pending = std::current_exception();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_LIB, "%s failed (C++ exception)", what);
  }
  PetscFunctionReturn(0);
}

/// Residual (f) or Jacobian at x with the rates `rate` (nullptr: steady) and `shift`: the model
/// assembles P; J (the operator) is assembled after it when it is another matrix.
PetscErrorCode evaluate(Model& m, Vec x, const PetscScalar* rate, double shift, Vec f, Mat J = nullptr,
                        Mat P = nullptr);

// Callbacks; `model` is callback_context(model).
PetscErrorCode snes_residual(SNES, Vec x, Vec f, void* model);
PetscErrorCode snes_jacobian(SNES, Vec x, Mat J, Mat P, void* model);
PetscErrorCode ts_ifunction(TS, PetscReal, Vec x, Vec xdot, Vec f, void* model);
PetscErrorCode ts_ijacobian(TS, PetscReal, Vec x, Vec xdot, PetscReal shift, Mat J, Mat P, void* model);
PetscErrorCode ts_transient_variable(TS, Vec x, Vec C, void* model);

/// One residual evaluation at a global state for its diagnostics and, if asked, the
/// cell-averaged current (collect_result, post-step records): storage terms off, scratch residual.
/// `values()` is the ghosted state for as long as the object lives. Throws SolveError(`unphysical`)
/// if the state is unphysical.
class StateEvaluation {
 public:
  StateEvaluation(Model& m, Vec x, std::vector<double>* cell_current, const char* unphysical,
                  std::vector<double>* cell_li_flux = nullptr);
  [[nodiscard]] const double* values() const noexcept { return state_.values(); }

 private:
  LocalState state_;
};

}  // namespace ionpath::solver::assembly
