#include "solver/grid/plane_currents.hpp"

#include <stdexcept>
#include <string>

namespace ionpath::solver {

PlaneCurrentMaps empty_plane_maps(const mesh::Grid& g, int a, const std::vector<int>& planes) {
  const auto [b, c] = transverse_axes(a);
  const std::size_t n = static_cast<std::size_t>(g.n_cells[b]) * static_cast<std::size_t>(g.n_cells[c]);
  PlaneCurrentMaps m;
  for (const int p : planes)
    if (p < 0 || p > g.n_cells[a])
      throw std::invalid_argument("plane currents: plane " + std::to_string(p) + " outside 0.." +
                                  std::to_string(g.n_cells[a]));
  m.planes = planes;
  m.current.assign(planes.size(), std::vector<double>(n, 0.0));
  m.conducting.assign(planes.size(), std::vector<std::uint8_t>(n, 0));
  return m;
}

void reduce_plane_maps(MPI_Comm comm, PlaneCurrentMaps& maps) {
  // One rank holds each value, the others 0: the sums are exact and rank-count independent.
  for (auto& v : maps.current)
    MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, comm);
  for (auto& v : maps.conducting)
    MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_UINT8_T, MPI_MAX, comm);
}

}  // namespace ionpath::solver
