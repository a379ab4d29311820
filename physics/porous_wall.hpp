#pragma once
/// M-d (spec §6.1, §7.3): a wall with gel-filled porosity p. The pores are slits parallel to the
/// wall plane (lamellar, as the galleries), so in the wall plane dense wall and gel carry the same
/// potential gradient and conduct in parallel, sigma_par = (1 - p) sigma_wall + p sigma_gel, and
/// across the wall they carry the same current density and conduct in series,
/// 1 / sigma_perp = (1 - p) / sigma_wall + p / sigma_gel (0 when either blocks). Both are exact for
/// that slit geometry and are the Wiener bounds for any other. Applied per conductivity kind
/// (total or Li+ only), since a series mean of a sum is not the sum of series means. The wall's
/// fixed charge, MMT and internal interfaces stay in the dense part: per wall volume they are
/// diluted by 1 - p.
#include <array>

namespace ionpath::physics {

[[nodiscard]] inline std::array<double, 3> porous_wall_mixture(const std::array<double, 3>& dense,
                                                               const std::array<double, 3>& pore, double porosity,
                                                               int normal_axis) noexcept {
  std::array<double, 3> out{};
  for (int a = 0; a < 3; ++a) {
    const double w = dense[a], g = pore[a];
    if (a != normal_axis)
      out[a] = (1.0 - porosity) * w + porosity * g;
    else
      out[a] = w > 0.0 && g > 0.0 ? 1.0 / ((1.0 - porosity) / w + porosity / g) : (porosity >= 1.0 ? g : 0.0);
  }
  return out;
}

}  // namespace ionpath::physics
