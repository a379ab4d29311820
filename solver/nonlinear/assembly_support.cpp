#include "solver/nonlinear/assembly_support.hpp"

#include <algorithm>

#include "solver/petsc/error.hpp"

namespace ionpath::solver::assembly {

std::vector<double> ghosted_component(const Domain& d, GhostExchange& ex, std::span<const double> values, int stride,
                                      int comp) {
  std::vector<double> owned(d.owned().n_cells());
  for (std::size_t c = 0; c < owned.size(); ++c) owned[c] = values[stride * c + static_cast<std::size_t>(comp)];
  return ex.exchange(owned);
}

std::array<std::vector<double>, 3> ghosted_axes(const Domain& d, GhostExchange& ex, std::span<const double> values) {
  return {ghosted_component(d, ex, values, 3, 0), ghosted_component(d, ex, values, 3, 1),
          ghosted_component(d, ex, values, 3, 2)};
}

std::vector<PetscInt> local_to_global_rows(const Domain& d) {
  ISLocalToGlobalMapping map = nullptr;
  IONPATH_PETSC_CALL(DMGetLocalToGlobalMapping(d.dm(), &map));
  const PetscInt* idx = nullptr;
  PetscInt n_idx = 0;
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetSize(map, &n_idx));
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingGetIndices(map, &idx));
  std::vector<PetscInt> rows(idx, idx + n_idx);
  IONPATH_PETSC_CALL(ISLocalToGlobalMappingRestoreIndices(map, &idx));
  return rows;
}

void sum_over_ranks(MPI_Comm comm, std::initializer_list<std::span<double>> parts) {
  std::vector<double> buf;
  for (const auto& p : parts) buf.insert(buf.end(), p.begin(), p.end());
  MPI_Allreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_DOUBLE, MPI_SUM, comm);
  auto it = buf.begin();
  for (const auto& p : parts) {
    std::copy_n(it, p.size(), p.begin());
    it += static_cast<std::ptrdiff_t>(p.size());
  }
}

bool on_all_ranks(MPI_Comm comm, bool ok) {
  int all = ok ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, comm);
  return all == 1;
}

}  // namespace ionpath::solver::assembly
