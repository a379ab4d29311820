#include "solver/grid/structure_report.hpp"

#include <map>

#include "solver/grid/connected_components.hpp"
#include "solver/grid/dmda_ghosts.hpp"

namespace ionpath::solver {

mesh::SumInPlace mpi_sum_in_place(MPI_Comm comm) {
  return [comm](std::span<double> v) {
    MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, comm);
  };
}

StructureReport report_structure(const Domain& domain, const mesh::LabelBlock& labels, const mesh::PhaseTable& table) {
  const mesh::Box& owned = domain.owned();
  StructureReport r;
  // Cell counts per label (all 256 possible labels, reduced at once).
  std::vector<double> counts(256, 0.0);
  for (const mesh::Label l : labels.labels()) counts[l] += 1.0;
  MPI_Allreduce(MPI_IN_PLACE, counts.data(), 256, MPI_DOUBLE, MPI_SUM, domain.comm());
  r.n_cells = static_cast<long long>(domain.grid().n_total());

  // Solid-electrolyte faces: each face counted by the rank owning its lower cell; the upper
  // neighbour comes from the ghost layer (wrapping on periodic sides).
  std::vector<double> owned_values(labels.labels().begin(), labels.labels().end());
  GhostExchange ghosts(domain);
  const auto& g = ghosts.exchange(owned_values);
  const mesh::Box& gb = domain.ghosted();
  double faces = 0.0;
  for (int k = owned.lo[2]; k < owned.hi[2]; ++k)
    for (int j = owned.lo[1]; j < owned.hi[1]; ++j)
      for (int i = owned.lo[0]; i < owned.hi[0]; ++i) {
        const bool solid = mesh::is_clay_like(labels.at(i, j, k));
        const std::array<int, 3> c{i, j, k};
        for (int a = 0; a < domain.dimension(); ++a) {
          auto n = c;
          ++n[a];
          if (n[a] >= gb.hi[a] || (!domain.periodic(a) && n[a] >= domain.grid().n_cells[a])) continue;
          const bool other = mesh::is_clay_like(static_cast<mesh::Label>(g[gb.offset(n[0], n[1], n[2])]));
          faces += solid != other ? 1.0 : 0.0;
        }
      }
  MPI_Allreduce(MPI_IN_PLACE, &faces, 1, MPI_DOUBLE, MPI_SUM, domain.comm());
  const double h = domain.grid().voxel_size_m;
  r.interface_area_per_volume_1_m = faces / (static_cast<double>(r.n_cells) * h);

  std::vector<std::uint8_t> mask(labels.labels().size());
  auto percolation = [&](auto&& in) {
    for (std::size_t c = 0; c < mask.size(); ++c) mask[c] = in(labels.labels()[c]) ? 1 : 0;
    std::array<bool, 3> p{false, false, false};
    for (int a = 0; a < domain.dimension(); ++a) p[a] = percolates(domain, mask, a);
    return p;
  };
  for (int l = 0; l < 256; ++l) {
    if (counts[l] == 0.0) continue;
    PhaseStats s;
    s.label = static_cast<mesh::Label>(l);
    s.name = table.name_of(s.label);
    s.n_cells = static_cast<long long>(counts[l]);
    s.volume_fraction = counts[l] / static_cast<double>(r.n_cells);
    s.percolates = percolation([&](mesh::Label x) { return x == s.label; });
    r.phases.push_back(s);
  }
  r.electrolyte_percolates = percolation(mesh::is_gel_like);
  return r;
}

}  // namespace ionpath::solver
