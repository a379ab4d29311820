#include "physics/scales.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "physics/constants.hpp"
#include "physics/temperature.hpp"

namespace ionpath::physics {

double Scales::debye_length_m() const noexcept { return L0 * std::sqrt(0.5 * Lambda2); }

Scales make_scales(double c0_mol_m3, double T_K, double D0_m2_s, double L0_m, double relative_permittivity) {
  const auto check = [](double v, const char* name) {
    if (!(v > 0.0) || !std::isfinite(v))
      throw std::invalid_argument(std::string("make_scales: ") + name + " must be > 0, got " + std::to_string(v));
  };
  check(c0_mol_m3, "c0_mol_m3");
  check(T_K, "temperature_K");
  check(D0_m2_s, "D0_m2_s (gel D+ at T)");
  check(L0_m, "L0_m (voxel size)");
  check(relative_permittivity, "relative_permittivity");
  const double R = gas_constant_J_mol_K, F = faraday_C_mol;
  Scales s;
  s.L0 = L0_m;
  s.c0 = c0_mol_m3;
  s.T = T_K;
  s.VT = thermal_voltage_V(T_K);
  s.D0 = D0_m2_s;
  s.t0 = L0_m * L0_m / D0_m2_s;
  s.N0 = D0_m2_s * c0_mol_m3 / L0_m;
  s.i0 = F * s.N0;
  s.sig0 = F * F * D0_m2_s * c0_mol_m3 / (R * T_K);
  s.epsRef = relative_permittivity * vacuum_permittivity_F_m;
  s.Lambda2 = s.epsRef * R * T_K / (F * F * c0_mol_m3 * L0_m * L0_m);
  return s;
}

Scales make_scales(const Electrolyte& electrolyte, const PhaseMaterial& gel, double voxel_size_m) {
  const double T = electrolyte.temperature_K;
  return make_scales(electrolyte.salt_concentration_mol_m3, T, diffusivity_at(gel.temperature, gel.D_plus_m2_s, T),
                     voxel_size_m, gel.relative_permittivity);
}

}  // namespace ionpath::physics
