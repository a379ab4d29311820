// Checkpoint write and read of a transient's state (solver/nonlinear/checkpoint.hpp): an N^3 grid
// with 2 unknowns per cell (the electroneutral transient) and a history of `samples` records,
// JSON on stdout. Usage: mpiexec -n 2 checkpoint_bench N=64 samples=300 reps=5 dir=/tmp
// write_s / read_s: median of `reps` (slowest rank), bytes: the file's size.
#include <mpi.h>
#include <petscsys.h>
#include <petsctime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "solver/grid/domain.hpp"
#include "solver/nonlinear/checkpoint.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace {

using namespace ionpath;

double now() {
  PetscLogDouble t = 0;
  PetscTime(&t);
  return t;
}

double slowest(double seconds) {
  MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return seconds;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) return 1;
  int status = 0;
  try {
    const auto kv = bench::key_value_args(argc, argv);
    auto get = [&](const std::string& k, double d) { return bench::number_arg(kv, k, d); };
    const int n = static_cast<int>(get("N", 64)), reps = static_cast<int>(get("reps", 5));
    const auto samples = static_cast<std::size_t>(get("samples", 300));
    const std::filesystem::path file = std::filesystem::path(kv.count("dir") ? kv.at("dir") : "/tmp") / "checkpoint_bench.h5";
    mesh::Grid g;
    g.n_cells = {n, n, n};
    g.voxel_size_m = 1e-6;
    solver::DomainOptions o;
    o.dof = 2;
    o.comm = MPI_COMM_WORLD;
    const solver::Domain d(g, o);
    solver::VecHandle x, y;
    IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
    IONPATH_PETSC_CALL(VecDuplicate(x, y.out()));
    IONPATH_PETSC_CALL(VecSetRandom(x, nullptr));
    solver::CheckpointRecord rec{"bench", 1.0, 0.1, static_cast<int>(samples), std::vector<double>(10 + 8 * samples, 0.5)};
    std::vector<double> w, r;
    for (int i = 0; i < reps; ++i) {
      double t0 = now();
      solver::write_checkpoint(MPI_COMM_WORLD, file, x, rec);
      w.push_back(slowest(now() - t0));
      t0 = now();
      static_cast<void>(solver::read_checkpoint(MPI_COMM_WORLD, file, y, "bench"));
      r.push_back(slowest(now() - t0));
    }
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
      const auto bytes = std::filesystem::file_size(file);
      std::printf("{\"N\": %d, \"ranks\": %d, \"unknowns\": %lld, \"bytes\": %llu, \"write_s\": %.4f, \"read_s\": %.4f, "
                  "\"write_MB_s\": %.1f}\n",
                  n, size, 2LL * n * n * n, static_cast<unsigned long long>(bytes), median(w), median(r),
                  static_cast<double>(bytes) / 1e6 / median(w));
      std::filesystem::remove(file);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "checkpoint_bench: %s\n", e.what());
    status = 1;
  }
  PetscFinalize();
  return status;
}
