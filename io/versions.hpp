#pragma once
/// Versions of the I/O libraries (HDF5, VTK, yaml-cpp) for --version and provenance.
#include <string>

namespace ionpath::io {
[[nodiscard]] std::string hdf5_version();
[[nodiscard]] std::string vtk_version();
}  // namespace ionpath::io
