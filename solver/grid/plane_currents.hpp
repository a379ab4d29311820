#pragma once
/// Face currents through whole cross-sections normal to the transport axis a (electrode faces and
/// interior planes), as the solver computed them, for the current-uniformity statistics (spec
/// §5.5). Plane p is the face layer between cell layers p - 1 and p (0 = low electrode, N_a = high
/// electrode). Each map holds n_b x n_c face currents, b fastest, (b, c) = the other two axes in
/// increasing order. Every face is counted by exactly one rank and the maps are summed over the
/// communicator, so every rank holds the same maps bit for bit at any rank count.
#include <mpi.h>

#include <array>
#include <cstddef>
#include <vector>

#include "mesh/grid.hpp"

namespace ionpath::solver {

struct PlaneCurrentMaps {
  std::vector<int> planes;                   ///< requested plane indices (0..N_a)
  std::vector<std::vector<double>> current;  ///< per plane: face currents, in the solver's current unit
  /// 1 where the face conducts (both adjacent cells active, or the one cell of an electrode face).
  std::vector<std::vector<std::uint8_t>> conducting;
  [[nodiscard]] bool empty() const noexcept { return planes.empty(); }
};

/// The two axes other than a, in increasing order.
[[nodiscard]] inline std::array<int, 2> transverse_axes(int a) noexcept {
  return a == 0 ? std::array<int, 2>{1, 2} : a == 1 ? std::array<int, 2>{0, 2} : std::array<int, 2>{0, 1};
}

/// Offset of the face with global index f in the map of its plane.
[[nodiscard]] inline std::size_t plane_offset(const mesh::Grid& g, int a, const mesh::Index3& f) noexcept {
  const auto [b, c] = transverse_axes(a);
  return static_cast<std::size_t>(f[b]) + static_cast<std::size_t>(g.n_cells[b]) * static_cast<std::size_t>(f[c]);
}

/// Zeroed maps for `planes` (throws std::invalid_argument for a plane outside 0..N_a).
[[nodiscard]] PlaneCurrentMaps empty_plane_maps(const mesh::Grid& g, int a, const std::vector<int>& planes);

/// Sums the maps over comm (each face was filled by one rank only; the others hold 0).
void reduce_plane_maps(MPI_Comm comm, PlaneCurrentMaps& maps);

/// Fills `maps` from face_current(f) (f = global face index, f[a] = plane) and conducts(f) over the
/// faces this rank counts: planes in [own.lo[a], own.hi[a]), and plane N_a on the last rank along a;
/// then reduces them. Collective.
template <class FaceCurrent, class Conducts>
void collect_plane_currents(MPI_Comm comm, const mesh::Grid& g, const mesh::Box& own, int a, PlaneCurrentMaps& maps,
                            FaceCurrent&& face_current, Conducts&& conducts) {
  const auto [b, c] = transverse_axes(a);
  for (std::size_t q = 0; q < maps.planes.size(); ++q) {
    const int p = maps.planes[q];
    const bool counted = (p >= own.lo[a] && p < own.hi[a]) || (p == g.n_cells[a] && own.hi[a] == g.n_cells[a]);
    if (!counted) continue;
    for (int jc = own.lo[c]; jc < own.hi[c]; ++jc)
      for (int jb = own.lo[b]; jb < own.hi[b]; ++jb) {
        mesh::Index3 f{};
        f[a] = p;
        f[b] = jb;
        f[c] = jc;
        const std::size_t o = plane_offset(g, a, f);
        maps.current[q][o] = face_current(f);
        maps.conducting[q][o] = conducts(f) ? 1 : 0;
      }
  }
  reduce_plane_maps(comm, maps);
}

}  // namespace ionpath::solver
