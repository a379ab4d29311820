// STREAM-like memory bandwidth benchmark (copy, scale, add, triad) for the roofline numbers in
// docs/performance.md. Run with one MPI rank per core: `mpiexec -n 2 bench/stream_bench [n_doubles]`.
// Reports the aggregate bandwidth in GB/s (10^9 bytes/s), best of 10 repetitions, STREAM byte counting,
// and the first-touch rate of fresh memory (page faults), which bounds how fast a solver can grow.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

template <typename Kernel>
double best_seconds(Kernel&& kernel, MPI_Comm comm) {
  double best = 1e300;
  for (int rep = 0; rep < 10; ++rep) {
    MPI_Barrier(comm);
    const auto t0 = std::chrono::steady_clock::now();
    kernel();
    const double local = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double slowest = 0.0;
    MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm);
    best = std::min(best, slowest);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // Default: 20 M doubles per array per rank (480 MB for three arrays), far beyond any cache.
  const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 20'000'000ULL;
  // First touch: fresh pages from the OS (the vector's fill faults them in). On some VMs this
  // is far slower than the bandwidth, and every new byte a solver allocates pays it once.
  MPI_Barrier(MPI_COMM_WORLD);
  const auto t_touch0 = std::chrono::steady_clock::now();
  std::vector<double> a(n, 1.0), b(n, 2.0), c(n, 0.0);
  double t_touch = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_touch0).count();
  MPI_Allreduce(MPI_IN_PLACE, &t_touch, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  const double s = 3.0;
  const double bytes2 = 2.0 * sizeof(double) * n * size, bytes3 = 3.0 * sizeof(double) * n * size;
  const double t_copy = best_seconds([&] { std::copy(a.begin(), a.end(), c.begin()); }, MPI_COMM_WORLD);
  const double t_scale = best_seconds([&] { for (std::size_t i = 0; i < n; ++i) b[i] = s * c[i]; }, MPI_COMM_WORLD);
  const double t_add = best_seconds([&] { for (std::size_t i = 0; i < n; ++i) c[i] = a[i] + b[i]; }, MPI_COMM_WORLD);
  const double t_triad = best_seconds([&] { for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i]; }, MPI_COMM_WORLD);
  if (rank == 0) {
    std::printf("{\"benchmark\": \"stream\", \"ranks\": %d, \"doubles_per_rank\": %zu,\n", size, n);
    std::printf(" \"copy_GB_s\": %.2f, \"scale_GB_s\": %.2f, \"add_GB_s\": %.2f, \"triad_GB_s\": %.2f,\n",
                bytes2 / t_copy * 1e-9, bytes2 / t_scale * 1e-9, bytes3 / t_add * 1e-9, bytes3 / t_triad * 1e-9);
    std::printf(" \"first_touch_GB_s\": %.3f, \"first_touch_us_per_4KiB_page\": %.2f}\n", bytes3 / t_touch * 1e-9,
                t_touch / (bytes3 / size / 4096.0) * 1e6);
  }
  volatile double sink = a[n / 2] + b[n / 3] + c[n / 4];
  static_cast<void>(sink);
  MPI_Finalize();
  return 0;
}
