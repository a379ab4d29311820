#include "study/run_plan.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "solver/grid/domain.hpp"
#include "study/conductivity.hpp"

namespace ionpath::study {
namespace {

// Peak resident bytes per voxel of a whole `ionpath run` on one rank, slope between two grid sizes
// (so the fixed MPI/PETSc part drops out); docs/performance.md "Memory per model" has the runs.
struct ModelCost {
  const char* model;
  double bytes_per_cell;
};
constexpr ModelCost matrix_free{"conduction, matrix-free multigrid", 90.0};
constexpr ModelCost assembled{"conduction, assembled AIJ + GAMG", 730.0};
constexpr ModelCost electroneutral{"electroneutral Nernst-Planck (SNES)", 1800.0};
constexpr ModelCost bruce_vincent_steady{"conduction + steady electroneutral", 1860.0};
constexpr ModelCost bruce_vincent_transient{"conduction + transient electroneutral (TS)", 1700.0};
constexpr ModelCost pnp{"Poisson-Nernst-Planck (SNES)", 1300.0};
constexpr ModelCost structure{"structure generation and output", 70.0};
constexpr double fixed_per_rank = 80e6;  // MPI, PETSc, HDF5, VTK and the code (measured 50-80 MB)
constexpr double platelet_extra = 8.0;   // first-object index and grown box of the platelet generator

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes < 1e9 ? "%.0f MB" : "%.3g GB", bytes < 1e9 ? bytes / 1e6 : bytes / 1e9);
  return buf;
}

std::pair<ModelCost, std::string> cost_of(const io::RunConfig& c) {
  const std::string type = io::experiment_name(c.experiment.spec);
  // As conduction_options decides, with the cell count in a double (n_total() wraps at 2^64).
  using Choice = io::ExperimentConfig::ConductionSolver;
  const double cells = static_cast<double>(c.grid.n_cells[0]) * c.grid.n_cells[1] * c.grid.n_cells[2];
  const bool mf = c.experiment.conduction_solver == Choice::matrix_free ||
                  (c.experiment.conduction_solver == Choice::automatic && cells >= double(matrix_free_min_cells));
  const ModelCost conduction = mf ? matrix_free : assembled;
  const std::string cond_solver = mf ? "matrix-free CG + geometric multigrid (prefix cond_mf_)"
                                     : "assembled CG + GAMG (prefix cond_)";
  if (type == "conductivity") {
    const io::Model m = io::experiment_model(c.experiment.spec);
    if (m == io::Model::electroneutral) return {electroneutral, "Newton (SNES, prefix en_) on the bath cell"};
    if (m == io::Model::pnp) return {pnp, "Newton (SNES, prefix pnp_) on the bath cell"};
    return {conduction, cond_solver};
  }
  if (type == "bruce_vincent") {
    const auto& bv = std::get<io::BruceVincentSpec>(c.experiment.spec);
    if (bv.route == io::BruceVincentSpec::Route::transient)
      return {bruce_vincent_transient, cond_solver + ", then time stepping (TS, prefix en_)"};
    return {bruce_vincent_steady, cond_solver + ", then Newton (SNES, prefix en_)"};
  }
  if (type == "transference" || type == "arrhenius") return {conduction, cond_solver};
  return {electroneutral, "per experiment " + type + " (estimated as the electroneutral model)"};
}

}  // namespace

RunPlan plan_run(const io::RunConfig& c, MPI_Comm comm, bool structure_only) {
  RunPlan p;
  const auto& n = c.grid.n_cells;
  p.cells = static_cast<double>(n[0]) * n[1] * n[2];
  const auto [cost, solver] = structure_only ? std::pair<ModelCost, std::string>{structure, "none (structure only)"}
                                             : cost_of(c);
  p.model = cost.model;
  p.solver = solver;
  p.bytes_per_cell = cost.bytes_per_cell +
                     (std::holds_alternative<mesh::RandomPlateletsParams>(c.geometry.structure) ? platelet_extra : 0.0);
  p.fixed_bytes_per_rank = fixed_per_rank;
  MPI_Comm_size(comm, &p.ranks);
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &p.ranks_on_node);
  MPI_Comm_free(&node);
  // The decomposition the run would use (a Domain without its DMDA costs O(ranks)).
  solver::DomainOptions d;
  d.transport_axis = c.geometry.transport_axis;
  d.side_walls = c.geometry.side_walls;
  d.comm = comm;
  const solver::Domain domain(c.grid, d);
  p.ranks_per_axis = domain.ranks_per_axis();
  double largest = 1.0;
  for (int a = 0; a < 3; ++a) {
    const auto& r = domain.ownership_ranges()[a];
    p.largest_box[a] = r.empty() ? 1 : *std::max_element(r.begin(), r.end());
    largest *= p.largest_box[a];
  }
  p.bytes_per_rank = p.fixed_bytes_per_rank + p.bytes_per_cell * largest;
  p.bytes_on_node = p.bytes_per_rank * p.ranks_on_node;
  p.node_bytes = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  return p;
}

std::string describe(const RunPlan& p) {
  std::ostringstream os;
  char cells[32];
  std::snprintf(cells, sizeof cells, "%.4g", p.cells);
  os << "plan: " << cells << " voxels on " << p.ranks << " rank(s), split " << p.ranks_per_axis[0] << " x "
     << p.ranks_per_axis[1] << " x " << p.ranks_per_axis[2] << " (largest box " << p.largest_box[0] << " x "
     << p.largest_box[1] << " x " << p.largest_box[2] << ")\n"
     << "  solver: " << p.solver << "\n"
     << "  memory: " << gib(p.bytes_per_rank) << " per rank (" << p.bytes_per_cell << " B/voxel for "
     << p.model << " + " << gib(p.fixed_bytes_per_rank) << " fixed), " << gib(p.bytes_on_node) << " on this node ("
     << p.ranks_on_node << " rank(s)) of " << gib(p.node_bytes) << " physical; limit " << memory_margin * 100
     << " % = " << gib(memory_margin * p.node_bytes) << ": " << (p.fits() ? "fits" : "does NOT fit") << "\n";
  return os.str();
}

void refuse_if_too_big(const RunPlan& p) {
  if (p.fits()) return;
  throw ResourceRefusal("the run would not fit in memory, refused before allocating:\n" + describe(p) +
                        "  use fewer voxels (grid.n_cells), more nodes, or a lighter model");
}

}  // namespace ionpath::study
