#pragma once
// RAII PetscInitialize/PetscFinalize. PETSc sees only the options after `--` on the command line
// (so CLI11 and PETSc never fight over a token) plus PETSC_OPTIONS from the environment.
#include <petscsys.h>

#include <string>
#include <vector>

namespace ionpath::app {

class PetscSession {
 public:
  explicit PetscSession(const std::vector<std::string>& petsc_args);
  ~PetscSession();
  PetscSession(const PetscSession&) = delete;
  PetscSession& operator=(const PetscSession&) = delete;

  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int n_ranks() const noexcept { return n_ranks_; }
  /// A duplicate of PETSC_COMM_WORLD used only to end the run (app/run_ending.hpp).
  [[nodiscard]] MPI_Comm ending_comm() const noexcept { return ending_comm_; }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> argv_;
  int rank_ = 0;
  int n_ranks_ = 1;
  MPI_Comm ending_comm_ = MPI_COMM_NULL;
};

/// Splits argv at the first "--": the part before goes to CLI11, the part after to PETSc.
struct SplitArgs {
  std::vector<std::string> cli;
  std::vector<std::string> petsc;
};
[[nodiscard]] SplitArgs split_petsc_args(int argc, char** argv);

}  // namespace ionpath::app
