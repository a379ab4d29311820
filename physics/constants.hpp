#pragma once
/// Physical constants, exact SI-2019 values (spec/physics.md conventions).
namespace ionpath::physics {
inline constexpr double gas_constant_J_mol_K = 8.314462618;
inline constexpr double faraday_C_mol = 96485.33212;
inline constexpr double vacuum_permittivity_F_m = 8.8541878128e-12;
inline constexpr double reference_temperature_K = 298.15;
/// Thermal voltage R T / F in volts.
[[nodiscard]] constexpr double thermal_voltage_V(double T_K) noexcept {
  return gas_constant_J_mol_K * T_K / faraday_C_mol;
}
}  // namespace ionpath::physics
