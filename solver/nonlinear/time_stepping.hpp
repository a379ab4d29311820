#pragma once
/// The time-stepping recipe of the nonlinear models (spec §3.8), written once: adaptive BDF2 on
/// the model's IFunction/IJacobian, the step controller, a tight Newton per step, the post-step
/// observer, the run with its statistics, and the divergence message.
#include <petscts.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "solver/nonlinear/callbacks.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver::assembly {

/// What a post-step observer sees of an accepted step.
struct AcceptedStep {
  TS ts = nullptr;
  Vec x = nullptr;                    ///< the accepted state
  double t = 0.0, t_previous = 0.0;   ///< end and start of the step
};

/// The TS application context: the model, and what to record after every accepted step. An
/// exception thrown by on_accepted_step is parked in the model like any callback's.
class StepObserver {
 public:
  explicit StepObserver(Model& m) : model(m) {}
  StepObserver(const StepObserver&) = delete;
  StepObserver& operator=(const StepObserver&) = delete;
  virtual ~StepObserver() = default;
  virtual void on_accepted_step(const AcceptedStep& step) = 0;
  Model& model;
};

struct TimeSteppingRecipe {
  const char* prefix = "";
  double t_start = 0.0, dt = 0.0, t_max = 0.0;
  int max_steps = 100000;
  double atol = 0.0, rtol = 0.0;  ///< local error control, unless the vectors below are given
  Vec atol_per_unknown = nullptr, rtol_per_unknown = nullptr;  ///< both or none
  std::size_t direct_limit_3d_cells = direct_limit_3d;          ///< of the Newton defaults
  /// IJacobian; the default evaluates the model (a wrapper may record more, with its own context).
  PetscErrorCode (*ijacobian)(TS, PetscReal, Vec, Vec, PetscReal, Mat, Mat, void*) = ts_ijacobian;
  void* ijacobian_context = nullptr;  ///< nullptr: the model
  /// The Newton operator when it is a shell over J (the model's newton_operator); nullptr: J.
  Mat operator_matrix = nullptr;
};

/// TSBDF of order 2 on the model's IFunction/IJacobian; basic adaptivity with growth clipped to
/// [0.1, 2] per step (spec §3.8), 20 rejections per step, SNES failures rejected (the step shrinks)
/// rather than fatal, and the divergence left to run_time_stepper. Newton on a step runs tight
/// (rtol 1e-12, atol 1e-50: the inventories drift by the Newton residual of the species rows) with
/// full steps (a backtracking line search would report failure at the round-off floor; short time
/// steps keep Newton in its quadratic range). Model-specific SNES settings and TSSetFromOptions
/// follow, then use_transient_variable.
[[nodiscard]] TsHandle make_time_stepper(const Domain& d, const TimeSteppingRecipe& recipe, Vec r, Mat J,
                                         StepObserver& observer);

/// After TSSetFromOptions: with TSBDF the stored amounts C are transient variables, so BDF
/// differences C itself and the inventories are conserved to solver tolerance; other TS types see
/// the equivalent M(u) u' form. Sets the model's storage; returns the TS type.
std::string use_transient_variable(TS ts, Model& m);

struct TimeSteppingStats {
  int steps = 0, rejected_steps = 0, snes_failures = 0, newton_iterations = 0;
  std::string reason;
  bool diverged = false;
  double t = 0.0;  ///< time reached
};

/// TSSolve on x (the model's SNES becomes the TS's); rethrows an exception a callback parked.
[[nodiscard]] TimeSteppingStats run_time_stepper(TS ts, Vec x, Model& m);

/// What a divergence message advises: Newton's hint, the hint for a failed linear solve inside it
/// (newton_divergence_message), and what to change in the time stepping.
struct DivergenceAdvice {
  std::string_view newton, linear, time_stepping;
};

/// "<what> TS diverged: <reason> at t = <t><time_note> after n steps, m rejected; <last Newton
/// solve and hint>; or <advice.time_stepping>".
[[nodiscard]] std::string time_stepping_divergence_message(std::string_view what, const TimeSteppingStats& at,
                                                           int steps, int rejected_steps, std::string_view time_note,
                                                           SNES snes, const DivergenceAdvice& advice);

}  // namespace ionpath::solver::assembly
