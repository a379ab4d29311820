#pragma once
/// The finite-difference check of a model's analytic Jacobian (testing; spec §8 item 10).
#include <span>

#include "solver/nonlinear/callbacks.hpp"

namespace ionpath::solver::assembly {

/// ||J - J_fd||_F / ||J||_F of the model at the owned state `state` (dof per cell), J from the
/// Jacobian callback and J_fd by finite differences of the residual callback. shift = 0: the
/// steady residual; shift > 0: the transient form with the stored amounts as transient variables,
/// C' = shift (C(u) - C(state)), whose Jacobian is dF/du + shift dF/dC' dC/du. `prefix`: the
/// SNES options prefix (nullptr: none).
[[nodiscard]] double model_jacobian_mismatch(Model& m, std::span<const double> state, double shift,
                                             const char* prefix = nullptr);

}  // namespace ionpath::solver::assembly
