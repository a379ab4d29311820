// Sanitizer build only (scripts/sanitize.sh): rank 1 of `mpiexec -n 2` makes a heap overflow
// (`overflow`) or leaks (`leak`), so that sanitizer_ranks.py can check that a report from a
// rank other than 0 fails the run.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

// Volatile, so that the compiler keeps the allocation and the out-of-bounds read.
char* volatile block = nullptr;
volatile int past_end = 8;

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const std::string what = argc > 1 ? argv[1] : "";
  if (rank == 1) {
    block = static_cast<char*>(std::calloc(8, 1));
    if (what == "overflow") std::printf("%d\n", block[past_end]);  // one past the end
    if (what != "leak") std::free(block);
    block = nullptr;  // a leaked block is now unreachable
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
