#include "app/petsc_session.hpp"

#include <stdexcept>

namespace ionpath::app {

PetscSession::PetscSession(const std::vector<std::string>& petsc_args) {
  storage_.emplace_back("ionpath");
  storage_.insert(storage_.end(), petsc_args.begin(), petsc_args.end());
  for (auto& s : storage_) argv_.push_back(s.data());
  argv_.push_back(nullptr);
  int argc = static_cast<int>(storage_.size());
  char** argv = argv_.data();
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) throw std::runtime_error("PetscInitialize failed");
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank_);
  MPI_Comm_size(PETSC_COMM_WORLD, &n_ranks_);
  MPI_Comm_dup(PETSC_COMM_WORLD, &ending_comm_);
}

PetscSession::~PetscSession() {
  MPI_Comm_free(&ending_comm_);
  PetscFinalize();
}

SplitArgs split_petsc_args(int argc, char** argv) {
  SplitArgs out;
  bool petsc = false;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!petsc && arg == "--") {
      petsc = true;
      continue;
    }
    (petsc ? out.petsc : out.cli).push_back(arg);
  }
  return out;
}

}  // namespace ionpath::app
