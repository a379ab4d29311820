#pragma once
/// Cell fields handed to the writers: plain spans over a rank's owned box (x fastest,
/// components interleaved), a name and a unit. Writers never see PETSc objects.
#include <mpi.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "io/provenance.hpp"
#include "mesh/grid.hpp"

namespace ionpath::io {

struct CellField {
  std::string name;  ///< e.g. "phase", "potential", "current_density"
  std::string unit;  ///< e.g. "1", "V", "A/m2"
  int n_components = 1;
  std::variant<std::span<const std::uint8_t>, std::span<const double>> data;
};

/// Where a rank's data sit: the global grid, this rank's owned box, the communicator.
struct FieldLayout {
  mesh::Grid grid;
  mesh::Box owned;
  MPI_Comm comm = MPI_COMM_NULL;  ///< must be set: the ranks that write together
};

/// Euclidean norm of every 3-component cell vector (e.g. |current density| for ParaView colouring).
[[nodiscard]] inline std::vector<double> vector_magnitude(std::span<const double> v3) {
  std::vector<double> m(v3.size() / 3);
  for (std::size_t c = 0; c < m.size(); ++c)
    m[c] = std::sqrt(v3[3 * c] * v3[3 * c] + v3[3 * c + 1] * v3[3 * c + 1] + v3[3 * c + 2] * v3[3 * c + 2]);
  return m;
}

}  // namespace ionpath::io
