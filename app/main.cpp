// ionpath command-line interface: starts MPI/PETSc, dispatches the subcommand, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <petscsys.h>

#include <iostream>

#include "io/versions.hpp"
#include "ionpath/build_info.hpp"
#include "solver/versions.hpp"

namespace {

void print_version() {
  std::cout << "ionpath " << ionpath::build_info::version << " (git " << ionpath::build_info::git_describe << ")\n"
            << "PETSc " << ionpath::solver::petsc_version() << "\n"
            << "HDF5 " << ionpath::io::hdf5_version() << "\n"
            << "VTK " << ionpath::io::vtk_version() << "\n"
            << "MPI " << ionpath::solver::mpi_library_version() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ionpath: ion transport in composite electrolytes"};
  bool version = false;
  app.add_flag("--version", version, "print the ionpath, git, PETSc, HDF5, VTK and MPI versions");
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (version) {
    MPI_Init(&argc, &argv);
    print_version();
    MPI_Finalize();
  }
  return 0;
}
