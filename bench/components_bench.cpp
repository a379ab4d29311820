// Connected-component labelling benchmark: electrode_active_cells on the platelet structure of
// conduction_scaling_bench (N^3, Poisson platelets, isotropic), JSON on stdout.
// Usage (key=value, any order): mpiexec -n 2 components_bench N=256 fraction=0.13 reps=5 periodic=0 trim=1
// label_s is the best of `reps` calls (slowest rank); first_s the first call. transient_B_per_cell is
// the peak resident growth during the first call per owned cell (largest rank): freed heap pages
// are released with malloc_trim and the peak (VmHWM) is reset through /proc/self/clear_refs first,
// so memory reused from the generation step is counted too. checksum hashes the active mask.
#include <malloc.h>
#include <mpi.h>
#include <petscsys.h>
#include <petsctime.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "mesh/generate.hpp"
#include "solver/grid/connected_components.hpp"

namespace {

using namespace ionpath;

using bench::number_arg;

double now() {
  PetscLogDouble t = 0;
  PetscTime(&t);
  return t;
}

/// Resident set size or its peak in bytes ("VmRSS" / "VmHWM" of /proc/self/status).
double status_bytes(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::atof(line.c_str() + key.size() + 1) * 1024.0;
  return 0.0;
}

void reset_peak_rss() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace

int main(int argc, char** argv) {
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) return 1;
  int status = 0;
  try {
    const auto kv = bench::key_value_args(argc, argv);
    const int n = static_cast<int>(number_arg(kv, "N", 128));
    const int reps = static_cast<int>(number_arg(kv, "reps", 5));
    const double h = 1e-6;
    const mesh::Grid grid{{n, n, n}, h};
    solver::DomainOptions dopt;
    dopt.transport_axis = 2;
    if (number_arg(kv, "periodic", 0) != 0) dopt.side_walls = mesh::SideWalls::periodic;
    const solver::Domain domain(grid, dopt);

    mesh::GeometryParams geo;
    mesh::RandomPlateletsParams plate;
    plate.thickness_m = 1.5 * h;
    plate.diameter_m = 20.0 * 1.5 * h;
    plate.volume_fraction = number_arg(kv, "fraction", 0.13);
    plate.placement = mesh::PlacementKind::poisson;
    plate.orientation = mesh::OrientationKind::isotropic;
    geo.structure = plate;
    geo.seed = static_cast<std::uint64_t>(number_arg(kv, "seed", 1));
    const mesh::SumInPlace sum = [&](std::span<double> v) {
      MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, domain.comm());
    };
    solver::AxisFlags flags;
    {
      const mesh::GeneratedBlock block = mesh::generate_block(grid, geo, domain.owned(), sum);
      const auto labels = block.labels.labels();
      std::vector<std::uint8_t> mask(labels.size());
      for (std::size_t c = 0; c < labels.size(); ++c) mask[c] = mesh::is_clay_like(labels[c]) ? 0 : 1;
      flags = solver::flags_from_mask(mask);
    }

    if (number_arg(kv, "trim", 1) != 0) reset_peak_rss();
    const double rss0 = status_bytes("VmRSS");
    MPI_Barrier(domain.comm());
    double t0 = now();
    solver::ActiveCells act = solver::electrode_active_cells(domain, flags, 2);
    double first = now() - t0;
    double transient = (status_bytes("VmHWM") - rss0) / static_cast<double>(domain.owned().n_cells());
    MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_DOUBLE, MPI_MAX, domain.comm());
    MPI_Allreduce(MPI_IN_PLACE, &transient, 1, MPI_DOUBLE, MPI_MAX, domain.comm());

    double best = 1e300;
    for (int r = 0; r < reps; ++r) {
      act = {};
      MPI_Barrier(domain.comm());
      t0 = now();
      act = solver::electrode_active_cells(domain, flags, 2);
      double dt = now() - t0;
      MPI_Allreduce(MPI_IN_PLACE, &dt, 1, MPI_DOUBLE, MPI_MAX, domain.comm());
      best = std::min(best, dt);
    }

    const int sweeps = solver::label_components(domain, flags, 2).n_sweeps;
    // Order-independent hash of the active cells' global indices.
    unsigned long long checksum = 0;
    const mesh::Box& own = domain.owned();
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i)
          if (act.active[own.offset(i, j, k)])
            checksum += static_cast<unsigned long long>(domain.linear_index(i, j, k)) * 0x9E3779B97F4A7C15ull;
    MPI_Allreduce(MPI_IN_PLACE, &checksum, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, domain.comm());

    const solver::ComponentStats& s = act.stats;
    if (domain.rank() == 0)
      std::printf(
          "{\"N\": %d, \"ranks\": %d, \"label_s\": %.4f, \"first_s\": %.4f, \"transient_B_per_cell\": %.2f, "
          "\"n_components\": %lld, \"n_touch_both\": %lld, \"n_touch_one\": %lld, \"n_floating\": %lld, "
          "\"n_conducting_cells\": %lld, \"n_active_cells\": %lld, \"checksum\": \"%016llx\", \"sweeps\": %d}\n",
          n, domain.n_ranks(), best, first, transient, s.n_components, s.n_touch_both, s.n_touch_one, s.n_floating,
          s.n_conducting_cells, s.n_active_cells, checksum, sweeps);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    status = 1;
  }
  if (PetscFinalize() != 0) return 1;
  return status;
}
