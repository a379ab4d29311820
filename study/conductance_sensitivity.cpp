#include "study/conductance_sensitivity.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "physics/face_means.hpp"
#include "solver/grid/dmda_ghosts.hpp"

namespace ionpath::study {

LabelSensitivities conductance_sensitivities(const solver::Domain& domain, const CellConductivity& sigma,
                                             const solver::ConductivityResult& result) {
  LabelSensitivities S{};
  if (!result.percolating) return S;  // sigma_eff = 0 and stays 0 under small changes
  const int axis = result.axis;
  if (axis != domain.transport_axis()) throw std::invalid_argument("conductance_sensitivities: result of another axis");
  const mesh::Box& own = domain.owned();
  const std::size_t n = own.n_cells();
  if (result.potential.size() != n || result.active.size() != n)
    throw std::invalid_argument("conductance_sensitivities: the solve must keep its fields (keep_fields)");

  // Ghosted potential (NaN where inactive), labels and per-axis conductivities.
  solver::GhostExchange ghosts(domain);
  std::vector<double> owned(n);
  for (std::size_t c = 0; c < n; ++c)
    owned[c] = result.active[c] ? result.potential[c] : std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> phi = ghosts.exchange(owned);
  for (std::size_t c = 0; c < n; ++c) owned[c] = sigma.labels[c];
  const std::vector<double> label = ghosts.exchange(owned);
  const int dim = domain.dimension();
  std::array<std::vector<double>, 3> s;
  for (int a = 0; a < dim; ++a) {
    for (std::size_t c = 0; c < n; ++c) owned[c] = sigma.along(c, a);
    s[a] = ghosts.exchange(owned);
  }

  const mesh::Box& gh = domain.ghosted();
  const auto& N = domain.grid().n_cells;
  for (int a = 0; a < dim; ++a) {
    mesh::Box faces = own;  // each face once: the low face of every owned cell, plus the last boundary face
    if (!domain.periodic(a) && own.hi[a] == N[a]) faces.hi[a] += 1;
    for (int k = faces.lo[2]; k < faces.hi[2]; ++k)
      for (int j = faces.lo[1]; j < faces.hi[1]; ++j)
        for (int i = faces.lo[0]; i < faces.hi[0]; ++i) {
          const mesh::Index3 r{i, j, k};
          mesh::Index3 lo = r;
          lo[a] -= 1;
          const bool boundary = !domain.periodic(a) && (r[a] == 0 || r[a] == N[a]);
          if (boundary) {
            if (a != axis) continue;  // zero-flux side
            const mesh::Index3 cell = r[a] == 0 ? r : lo;
            const std::size_t o = gh.offset(cell[0], cell[1], cell[2]);
            if (std::isnan(phi[o]) || s[a][o] <= 0.0) continue;
            const double drop = (r[a] == 0 ? 1.0 : 0.0) - phi[o];
            S[static_cast<std::size_t>(label[o])][a] += 2.0 * drop * drop;
            continue;
          }
          const std::size_t oL = gh.offset(lo[0], lo[1], lo[2]), oR = gh.offset(i, j, k);
          if (std::isnan(phi[oL]) || std::isnan(phi[oR])) continue;
          const physics::HarmonicMean m = physics::harmonic_mean(s[a][oL], s[a][oR]);
          const double drop = phi[oL] - phi[oR];
          S[static_cast<std::size_t>(label[oL])][a] += m.d_a * drop * drop;
          S[static_cast<std::size_t>(label[oR])][a] += m.d_b * drop * drop;
        }
  }
  MPI_Allreduce(MPI_IN_PLACE, S.data(), 3 * 256, MPI_DOUBLE, MPI_SUM, domain.comm());
  double cross = 1.0;
  for (int a = 0; a < 3; ++a)
    if (a != axis) cross *= N[a];
  const double scale = N[axis] / cross;
  for (auto& row : S)
    for (double& v : row) v *= scale;
  return S;
}

}  // namespace ionpath::study
