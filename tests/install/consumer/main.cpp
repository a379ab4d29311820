#include <cstdio>

#include "mesh/geometry_params.hpp"
#include "solver/petsc/versions.hpp"

int main() {
  // 13.2 wt % MMT in gel -> 6.58 vol %: proves the installed headers and libraries are usable.
  const double phi = ionpath::mesh::volume_fraction_from_weight(0.132, 2700.0, 1250.0);
  std::printf("phi=%.4f petsc=%s\n", phi, ionpath::solver::petsc_version().c_str());
  return phi > 0.065 && phi < 0.066 ? 0 : 1;
}
