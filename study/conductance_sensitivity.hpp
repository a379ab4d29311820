#pragma once
// Exact derivatives of sigma_eff with respect to every phase conductivity, from a solve already
// done. The discrete conductance is the minimum of the quadratic energy
//   G[sigma] = min_phi sum_f g_f(sigma) (Delta phi_f)^2 h   (Delta V = 1),
// so at the solution (stationarity in phi) dG/dsigma = sum_f (dg_f/dsigma) (Delta phi_f)^2 h with
// g_f the face conductances of solver/grid/face_conductances.hpp (harmonic mean inside, 2 sigma on
// Dirichlet faces). With sigma_eff = G L / A this gives, per label l and axis a,
//   S[l][a] = d sigma_eff / d sigma_{l,a} = (N_axis / (N_1 N_2)) sum_{faces along a} dg_f/dsigma_{l,a} (Delta phi_f)^2,
// dimensionless; sum_{l,a} S[l][a] sigma_{l,a} = sigma_eff (G is homogeneous of degree 1).
// Derivatives are one-sided where a phase is insulating (a zero side closes a face and stays
// closed): a parameter that makes an insulating phase conduct changes the structure.
#include <array>

#include "solver/conduction/conduction.hpp"
#include "study/coefficients.hpp"

namespace ionpath::study {

using LabelSensitivities = std::array<std::array<double, 3>, 256>;

/// `result` must come from solve_conductivity(domain, sigma, keep_fields = true) along
/// domain.transport_axis(). Collective over domain.comm(); every rank gets the same numbers.
[[nodiscard]] LabelSensitivities conductance_sensitivities(const solver::Domain& domain, const CellConductivity& sigma,
                                                           const solver::ConductivityResult& result);

}  // namespace ionpath::study
