// Structure generation throughput: random platelets (and walls) on an N^3 grid, block-wise on
// every MPI rank exactly as `ionpath geometry` does. Prints JSON: voxels per second, platelets,
// achieved fraction, peak memory per voxel.
//   mpiexec -n 2 bench/mesh_generation_bench [N=256] [structure=platelets|walls]
#include <mpi.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "mesh/generate.hpp"

namespace mesh = ionpath::mesh;

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int n = argc > 1 ? std::stoi(argv[1]) : 256;
  const std::string structure = argc > 2 ? argv[2] : "platelets";
  const mesh::Grid grid{{n, n, n}, 0.5e-6};
  mesh::GeometryParams p;
  p.side_walls = mesh::SideWalls::periodic;
  p.seed = 7;
  p.shell.thickness_m = 0.5e-6;
  if (structure == "walls") {
    mesh::AlignedWallsParams w;
    w.waviness_amplitude_m = 1e-6;
    p.structure = w;
  } else {  // ~13 % platelets of aspect ~20 (the speed issue's test structure)
    mesh::RandomPlateletsParams r;
    r.volume_fraction = 0.13;
    r.diameter_m = 10e-6;
    r.thickness_m = 0.5e-6;
    r.placement = mesh::PlacementKind::poisson;
    p.structure = r;
  }
  // Slabs along z, as a DMDA would cut a cube for a few ranks.
  mesh::Box owned = grid.whole();
  owned.lo[2] = n * rank / size;
  owned.hi[2] = n * (rank + 1) / size;
  const mesh::SumInPlace sum = [](std::span<double> v) {
    MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  };
  MPI_Barrier(MPI_COMM_WORLD);
  const auto t0 = std::chrono::steady_clock::now();
  const auto g = mesh::generate_block(grid, p, owned, sum);
  MPI_Barrier(MPI_COMM_WORLD);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  double rss = static_cast<double>(u.ru_maxrss) * 1024.0;
  MPI_Allreduce(MPI_IN_PLACE, &rss, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0)
    std::printf("{\"benchmark\": \"mesh_generation\", \"structure\": \"%s\", \"N\": %d, \"ranks\": %d, \"seconds\": %.3f, "
                "\"voxels_per_s\": %.4g, \"objects\": %zu, \"clay_fraction\": %.5f, \"peak_bytes_per_voxel\": %.2f}\n",
                structure.c_str(), n, size, seconds, static_cast<double>(grid.n_total()) / seconds, g.info.n_objects,
                g.info.achieved_clay_fraction, rss / static_cast<double>(grid.n_total()));
  MPI_Finalize();
  return 0;
}
