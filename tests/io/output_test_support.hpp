#pragma once
// Helpers shared by the io/ writer and image-import tests: rank queries, a scratch directory
// shared by the ranks of one run, and the tests' own domain decompositions.
#include <mpi.h>

#include <filesystem>
#include <string>
#include <vector>

#include "mesh/grid.hpp"

namespace ionpath::test {

inline int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
inline int size() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

// Fresh directory shared by all ranks of this run, unique per test name and rank count.
inline std::filesystem::path shared_dir(const std::string& name) {
  // Under the working directory (the build tree), so that two build trees never share it.
  const auto d = std::filesystem::current_path() / "io_scratch" / (name + "_np" + std::to_string(size()));
  if (rank() == 0) {
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return d;
}

// Box of cell `r` in a px x py x pz process grid (x fastest), uneven splits allowed.
inline mesh::Box split_box(const mesh::Grid& grid, const mesh::Index3& p, int r) {
  const mesh::Index3 c{r % p[0], (r / p[0]) % p[1], r / (p[0] * p[1])};
  mesh::Box b;
  for (int a = 0; a < 3; ++a) {
    b.lo[a] = grid.n_cells[a] * c[a] / p[a];
    b.hi[a] = grid.n_cells[a] * (c[a] + 1) / p[a];
  }
  return b;
}

// The two decompositions every MPI test uses: slabs in z, and a split in x and y (2x2 on 4 ranks).
struct Decomposition {
  std::string name;
  mesh::Index3 procs;
};
inline std::vector<Decomposition> decompositions() {
  const int n = size();
  const int px = n % 2 == 0 ? 2 : 1;
  return {{"zslabs", {1, 1, n}}, {"xy", {px, n / px, 1}}};
}

// Every cell exactly once: a check on the helpers themselves.
inline std::size_t total_cells(const mesh::Grid& grid, const mesh::Index3& p) {
  std::size_t n = 0;
  for (int r = 0; r < p[0] * p[1] * p[2]; ++r) n += split_box(grid, p, r).n_cells();
  return n;
}

}  // namespace ionpath::test
