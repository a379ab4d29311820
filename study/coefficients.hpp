#pragma once
// Per-cell coefficients of the Nernst-Planck models (electroneutral and PNP) from the phase table,
// in the run's dimensionless units (physics::Scales: D in D0 = gel D+ at T, X in c0, permittivity
// relative to the gel's). One source of truth for temperature laws, sheet anisotropy and the
// interface excess: D_i = sigma_i R T / (F^2 c_i) with sigma_i the phase's species conductivity
// and c_i its Donnan concentration (physics::nernst_planck_diffusivities), so a phase conducts as
// its conductivity says in both models.
#include <vector>

#include "study/problem.hpp"
#include "physics/scales.hpp"

namespace ionpath::study {

struct SpeciesCoefficients {
  physics::Scales scales;
  std::vector<double> D_plus, D_minus;  ///< 3 per owned cell (diagonal)
  std::vector<double> X;                ///< 1 per owned cell: fixed negative sites (in c0)
  std::vector<double> permittivity;     ///< 1 per owned cell: eps_r / eps_r,gel
};

[[nodiscard]] SpeciesCoefficients species_coefficients(const Structure& s, const io::RunConfig& config);

}  // namespace ionpath::study
