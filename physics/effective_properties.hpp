#pragma once
/// Effective transport properties of a microstructure (spec §1.6, §5.1, §5.2, §7.3), from
/// effective conductivities measured along one axis a. All conductivities in one unit (S/m, or
/// the run's sig0), volume fractions in [0, 1]; the results are dimensionless.
///
///   tortuosity factor     tau = eps_ref sigma_ref / sigma_eff
///   MacMullin number      N_M = sigma_ref / sigma_eff                (both infinite if sigma_eff <= 0)
///   Wiener bounds         <1/sigma_a>^-1 <= sigma_eff,a <= <sigma_a>
///                         <.> the volume average over all cells (equal cells: the cell mean);
///                         the upper bound is attained by layers parallel to a, the lower by
///                         layers normal to a; any insulating cell makes the lower bound 0.
///   linear t+             t+ = G[sigma+] / G[sigma+ + sigma-]       (Bruce-Vincent in the linear,
///                         ideal-electrode limit: the ratio of two conduction solves; 0 if G = 0)
///   t+ feasibility bound  t+ <= <sigma+_a> / sigma_eff,a             (G[sigma+] is below its
///                         Wiener upper bound; 0 if sigma_eff <= 0)
#include <cstddef>
#include <limits>
#include <span>

namespace ionpath::physics {

/// Tortuosity factor tau = eps_ref sigma_ref / sigma_eff (infinite when sigma_eff <= 0).
[[nodiscard]] inline double tortuosity_factor(double eps_ref, double sigma_ref, double sigma_eff) noexcept {
  return sigma_eff > 0.0 ? eps_ref * sigma_ref / sigma_eff : std::numeric_limits<double>::infinity();
}

/// MacMullin number N_M = sigma_ref / sigma_eff (infinite when sigma_eff <= 0).
[[nodiscard]] inline double macmullin_number(double sigma_ref, double sigma_eff) noexcept {
  return sigma_eff > 0.0 ? sigma_ref / sigma_eff : std::numeric_limits<double>::infinity();
}

/// Sums over cells behind the Wiener bounds. A distributed field is summed per rank (add() per
/// owned cell), and the three doubles are added over the ranks (MPI_SUM on 3 MPI_DOUBLE) before
/// the bounds are taken.
struct WienerSums {
  double n_cells = 0.0;      ///< cells counted
  double sigma = 0.0;        ///< sum of sigma_a
  double resistivity = 0.0;  ///< sum of 1/sigma_a; +inf once a cell has sigma_a <= 0
  /// Counts one cell whose conductivity along the axis is sigma_a.
  void add(double sigma_a) noexcept {
    n_cells += 1.0;
    sigma += sigma_a;
    resistivity += sigma_a > 0.0 ? 1.0 / sigma_a : std::numeric_limits<double>::infinity();
  }
};
static_assert(sizeof(WienerSums) == 3 * sizeof(double), "WienerSums is reduced as 3 contiguous doubles");

/// Sums of the axis-`axis` component of a diagonal conductivity tensor, 3 values per cell
/// (sigma_x, sigma_y, sigma_z), cells in any order; added in cell order.
[[nodiscard]] inline WienerSums wiener_sums(std::span<const double> sigma_xyz, int axis) noexcept {
  WienerSums w;
  for (std::size_t c = 0; c < sigma_xyz.size() / 3; ++c) w.add(sigma_xyz[3 * c + static_cast<std::size_t>(axis)]);
  return w;
}

/// Upper Wiener bound <sigma_a> (arithmetic volume average; 0 for no cells).
[[nodiscard]] inline double wiener_upper_bound(const WienerSums& w) noexcept {
  return w.n_cells > 0.0 ? w.sigma / w.n_cells : 0.0;
}

/// Lower Wiener bound <1/sigma_a>^-1 (harmonic volume average; 0 for no cells or any insulating cell).
[[nodiscard]] inline double wiener_lower_bound(const WienerSums& w) noexcept {
  return w.n_cells > 0.0 && w.resistivity > 0.0 ? w.n_cells / w.resistivity : 0.0;
}

/// Linear transference number t+ = G[sigma+] / G[sigma] from the conductances (or effective
/// conductivities) of the Li+ and the total conductivity field along one axis; 0 if G[sigma] <= 0.
[[nodiscard]] inline double transference_number_linear(double G_plus, double G_total) noexcept {
  return G_total > 0.0 ? G_plus / G_total : 0.0;
}

/// Wiener feasibility bound on the linear t+: <sigma+_a> / sigma_eff,a (0 if sigma_eff <= 0).
[[nodiscard]] inline double transference_wiener_bound(double mean_sigma_plus, double sigma_eff) noexcept {
  return sigma_eff > 0.0 ? mean_sigma_plus / sigma_eff : 0.0;
}

}  // namespace ionpath::physics
