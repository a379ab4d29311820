#pragma once
/// Versions of the libraries the solver layer runs on (for --version and provenance).
#include <string>

namespace ionpath::solver {
[[nodiscard]] std::string petsc_version();
[[nodiscard]] std::string mpi_library_version();
}  // namespace ionpath::solver
