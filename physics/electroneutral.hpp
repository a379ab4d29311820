#pragma once
/// Compatibility layer over physics/electroneutral_kernels.hpp: the cell state as a function of
/// s = mu+ + mu- alone (c+ c- = e^s, c+ = c- + X), dimensionless.
#include "physics/electroneutral_kernels.hpp"

namespace ionpath::physics {

struct ElectroneutralState {
  double c_plus, c_minus;
  double dc_ds;  ///< d c+/d s = d c-/d s (s = mu+ + mu-)
};

[[nodiscard]] inline ElectroneutralState electroneutral_state(double s, double X) noexcept {
  const ElectroneutralCell c = electroneutral_cell(s, 0.0, X);
  return {c.c_plus, c.c_minus, c.dc_ds};
}

}  // namespace ionpath::physics
