#pragma once
// Shared by the study tests: the world rank, and a run configuration from YAML text via the real loader.
#include <mpi.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/config.hpp"

namespace study_test {

/// This process's rank in MPI_COMM_WORLD.
inline int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

/// Every rank writes and reads its own copy of the YAML (no shared-file race), then removes it.
inline ionpath::io::RunConfig config_from(const std::string& name, const std::string& yaml,
                                          const std::vector<std::string>& overrides = {}) {
  const int rank = world_rank();
  const auto file = std::filesystem::temp_directory_path() /
                    ("ionpath_study_test_" + name + "_" + std::to_string(::getpid()) + "_" + std::to_string(rank) + ".yaml");
  std::ofstream(file) << yaml;
  ionpath::io::RunConfig c = ionpath::io::load_config(file, overrides);
  std::filesystem::remove(file);
  return c;
}

}  // namespace study_test
