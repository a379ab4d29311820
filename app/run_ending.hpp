#pragma once
// How a run ends on every rank: each rank comes here with its exit status and its error message
// (empty if it has none). Ranks that all arrive agree on one status and rank 0 prints the first
// failing rank's message once. A rank with an error that is not joined by every other rank within
// a grace period (another rank is stuck in a collective call waiting for it, e.g. a collective
// HDF5 write after this rank failed alone) prints its message and calls MPI_Abort, so an error on
// any rank reaches the user and ends every rank instead of hanging.
#include <mpi.h>

#include <string>

namespace ionpath::app {

/// Seconds an erring rank waits for the others before MPI_Abort; IONPATH_ERROR_GRACE_S overrides.
[[nodiscard]] double error_grace_seconds();

/// Collective over `comm`, a communicator used for nothing else (so its barrier cannot match a
/// collective call that a stuck rank has pending elsewhere). Returns the agreed exit status: the
/// first failing rank's status, else the largest status. May not return (MPI_Abort).
int end_run_on_all_ranks(MPI_Comm comm, int status, const std::string& error, double grace_s);

}  // namespace ionpath::app
