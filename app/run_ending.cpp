#include "app/run_ending.hpp"

#include <chrono>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace ionpath::app {

double error_grace_seconds() {
  const char* env = std::getenv("IONPATH_ERROR_GRACE_S");
  if (env == nullptr) return 10.0;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  return end != env && v >= 0.0 ? v : 10.0;
}

int end_run_on_all_ranks(MPI_Comm comm, int status, const std::string& error, double grace_s) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  MPI_Request arrived = MPI_REQUEST_NULL;
  MPI_Ibarrier(comm, &arrived);
  if (error.empty()) {
    MPI_Wait(&arrived, MPI_STATUS_IGNORE);  // a healthy rank waits for the others to finish
  } else {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
    int done = 0;
    while (MPI_Test(&arrived, &done, MPI_STATUS_IGNORE), !done) {
      if (std::chrono::steady_clock::now() > deadline) {
        std::cerr << error << (size > 1 ? " [rank " + std::to_string(rank) + "]" : std::string()) << "\n"
                  << "ionpath: the other ranks did not stop within " << grace_s
                  << " s (they wait on this rank): aborting every rank\n"
                  << std::flush;
        MPI_Abort(MPI_COMM_WORLD, status != 0 ? status : 1);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  // Everyone is here: the lowest failing rank's message and status win.
  int first = error.empty() ? INT_MAX : rank, first_all = INT_MAX, max_status = 0;
  MPI_Allreduce(&first, &first_all, 1, MPI_INT, MPI_MIN, comm);
  MPI_Allreduce(&status, &max_status, 1, MPI_INT, MPI_MAX, comm);
  if (first_all == INT_MAX) return max_status;
  std::string message = error;
  int header[2] = {status, static_cast<int>(message.size())};
  MPI_Bcast(header, 2, MPI_INT, first_all, comm);
  message.resize(static_cast<std::size_t>(header[1]));
  MPI_Bcast(message.data(), header[1], MPI_CHAR, first_all, comm);
  if (rank == 0) std::cerr << message << "\n" << std::flush;
  return header[0];
}

}  // namespace ionpath::app
