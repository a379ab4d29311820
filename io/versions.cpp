#include "io/versions.hpp"

#include <hdf5.h>
#include <vtkVersion.h>

namespace ionpath::io {

std::string hdf5_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

std::string vtk_version() { return vtkVersion::GetVTKVersion(); }

}  // namespace ionpath::io
