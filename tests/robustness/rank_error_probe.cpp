// Test driver of app/run_ending: `probe` = rank 0 fails while the others wait in a collective
// call that never completes; `probe all` = every rank fails alike.
#include <mpi.h>

#include <string>

#include "app/run_ending.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm ending;
  MPI_Comm_dup(MPI_COMM_WORLD, &ending);
  const bool all = argc > 1 && std::string(argv[1]) == "all";
  if (all) {
    const int status = ionpath::app::end_run_on_all_ranks(ending, 1, "probe: every rank failed", 10.0);
    MPI_Comm_free(&ending);
    MPI_Finalize();
    return status;
  }
  if (rank == 0)
    ionpath::app::end_run_on_all_ranks(ending, 1, "probe: rank 0 failed alone", ionpath::app::error_grace_seconds());
  MPI_Barrier(MPI_COMM_WORLD);  // the others wait here for rank 0, which never comes
  MPI_Finalize();
  return 0;
}
