#include "solver/petsc/versions.hpp"

#include <mpi.h>
#include <petscsys.h>

namespace ionpath::solver {

std::string petsc_version() {
  char buf[256] = {};
  if (PetscGetVersion(buf, sizeof buf) != 0) return "unknown";
  return buf;
}

std::string mpi_library_version() {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  MPI_Get_library_version(buf, &len);
  std::string s(buf, static_cast<std::size_t>(len));
  if (const auto nl = s.find_first_of(",\n"); nl != std::string::npos) s.resize(nl);
  return s;
}

}  // namespace ionpath::solver
