#pragma once
/// The one nondimensionalisation of a run (spec §2): built once from the electrolyte, the gel's
/// Li+ diffusivity at T and the voxel size, rebuilt per temperature in sweeps. Kernels and solvers
/// work in these units; SI values come back only in writers (style guide §4.3).
///
/// Units of the cell-centred solvers (each voxel face has area L0^2):
///   current density       i0 = F N0 = F D0 c0 / L0                  A/m2
///   current (face sums)   I_unit = i0 L0^2 = F D0 c0 L0               A
///   resistance            R_unit = VT / I_unit                      ohm
///   conductance           G_unit = I_unit / VT = sig0 L0            S
///   surface charge        q_unit = F c0 L0                          C/m2
#include "physics/constants.hpp"
#include "physics/material.hpp"

namespace ionpath::physics {

struct Scales {
  double L0 = 0.0;       ///< m       length: voxel size (grid spacing 1)
  double c0 = 0.0;       ///< mol/m3  reference salt concentration of the gel
  double T = 0.0;        ///< K
  double VT = 0.0;       ///< V       R T / F
  double D0 = 0.0;       ///< m2/s    gel D+ at T
  double t0 = 0.0;       ///< s       L0^2 / D0
  double N0 = 0.0;       ///< mol/(m2 s)  D0 c0 / L0
  double i0 = 0.0;       ///< A/m2    F D0 c0 / L0
  double sig0 = 0.0;     ///< S/m     F^2 D0 c0 / (R T)
  double epsRef = 0.0;   ///< F/m     eps_r,gel eps_0
  double Lambda2 = 0.0;  ///< -       epsRef R T / (F^2 c0 L0^2) = 2 (lambda_D / L0)^2

  // SI -> dimensionless and back; one pair per kind of quantity.
  [[nodiscard]] double length(double x_m) const noexcept { return x_m / L0; }
  [[nodiscard]] double length_m(double x) const noexcept { return x * L0; }
  [[nodiscard]] double concentration(double c_mol_m3) const noexcept { return c_mol_m3 / c0; }
  [[nodiscard]] double concentration_mol_m3(double c) const noexcept { return c * c0; }
  [[nodiscard]] double potential(double phi_V) const noexcept { return phi_V / VT; }
  [[nodiscard]] double potential_V(double psi) const noexcept { return psi * VT; }
  [[nodiscard]] double diffusivity(double D_m2_s) const noexcept { return D_m2_s / D0; }
  [[nodiscard]] double diffusivity_m2_s(double D) const noexcept { return D * D0; }
  [[nodiscard]] double time(double t_s) const noexcept { return t_s / t0; }
  [[nodiscard]] double time_s(double t) const noexcept { return t * t0; }
  [[nodiscard]] double flux(double N_mol_m2_s) const noexcept { return N_mol_m2_s / N0; }
  [[nodiscard]] double flux_mol_m2_s(double N) const noexcept { return N * N0; }
  [[nodiscard]] double current_density(double i_A_m2) const noexcept { return i_A_m2 / i0; }
  [[nodiscard]] double current_density_A_m2(double i) const noexcept { return i * i0; }
  [[nodiscard]] double conductivity(double sigma_S_m) const noexcept { return sigma_S_m / sig0; }
  [[nodiscard]] double conductivity_S_m(double sigma) const noexcept { return sigma * sig0; }
  /// Currents summed over voxel faces (the solvers' electrode and plane currents).
  [[nodiscard]] double current(double I_A) const noexcept { return I_A / (i0 * L0 * L0); }
  [[nodiscard]] double current_A(double I) const noexcept { return i0 * L0 * L0 * I; }
  /// Resistance of a cell or interface in VT / (i0 L0^2), e.g. R0 = 1 / kinetic conductance.
  [[nodiscard]] double resistance(double R_ohm) const noexcept { return R_ohm / (VT / (i0 * L0 * L0)); }
  [[nodiscard]] double resistance_ohm(double R) const noexcept { return VT / (i0 * L0 * L0) * R; }
  /// Conductance in i0 L0^2 / VT = sig0 L0 (e.g. sigma_eff A / L with sigma in sig0, A, L in L0).
  [[nodiscard]] double conductance(double G_S) const noexcept { return G_S / (i0 * L0 * L0 / VT); }
  [[nodiscard]] double conductance_S(double G) const noexcept { return i0 * L0 * L0 / VT * G; }
  /// Surface charge density on side walls (pnp, spec §1.2) in F c0 L0.
  [[nodiscard]] double surface_charge(double q_C_m2) const noexcept { return q_C_m2 / (faraday_C_mol * c0 * L0); }
  [[nodiscard]] double surface_charge_C_m2(double q) const noexcept { return q * (faraday_C_mol * c0 * L0); }
  /// Debye length sqrt(epsRef R T / (2 F^2 c0)) in metres.
  [[nodiscard]] double debye_length_m() const noexcept;
};

/// Scales from explicit reference values (SI). Throws std::invalid_argument if any is not > 0.
[[nodiscard]] Scales make_scales(double c0_mol_m3, double T_K, double D0_m2_s, double L0_m,
                                 double relative_permittivity = 20.0);
/// Scales of a run: c0 and T from the electrolyte, D0 = gel D+ at T (temperature law applied),
/// epsRef from the gel's relative permittivity, L0 = voxel size.
[[nodiscard]] Scales make_scales(const Electrolyte& electrolyte, const PhaseMaterial& gel, double voxel_size_m);

}  // namespace ionpath::physics
