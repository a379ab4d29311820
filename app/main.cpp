// ionpath command-line interface: parses the subcommand, starts MPI/PETSc, runs the action and
// maps errors to exit codes (0 ok, 1 failure while running, 2 bad input).
#include <CLI/CLI.hpp>
#include <petscsys.h>

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string_view>
#include <tuple>
#include <utility>

#include "app/commands.hpp"
#include "app/petsc_session.hpp"
#include "app/run_ending.hpp"
#include "io/image_import.hpp"
#include "io/versions.hpp"
#include "mesh/generate.hpp"
#include "study/checkpoints.hpp"
#include "study/run_plan.hpp"
#include "ionpath/build_info.hpp"
#include "solver/petsc/versions.hpp"

namespace {

void print_version() {
  std::cout << "ionpath " << ionpath::build_info::version << " (git " << ionpath::build_info::git_describe << ")\n"
            << "PETSc " << ionpath::solver::petsc_version() << "\n"
            << "HDF5 " << ionpath::io::hdf5_version() << "\n"
            << "VTK " << ionpath::io::vtk_version() << "\n"
            << "MPI " << ionpath::solver::mpi_library_version() << "\n";
}

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

/// Transparent huge pages for the heap. A fresh 4 KiB page costs 12-36 us on some VMs (0.2-0.6 GB/s,
/// bench/stream_bench's first_touch_GB_s), so a 256^3 solve spent ~2 s faulting its memory in;
/// huge pages cut the setup by a third (docs/performance.md). glibc reads its tunables only at
/// start-up, so the process sets the tunable and re-executes itself once, before MPI starts. A
/// GLIBC_TUNABLES given by the user is left alone (set it to "" to opt out).
void reexec_with_huge_pages(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only on failure: go on with normal pages
  unsetenv("GLIBC_TUNABLES");
}

/// OpenMPI's default point-to-point layer probes UCX first: 0.2 s of every start-up here (MPI_Init
/// of 2 ranks: 0.48 s, with ob1 0.27 s), for nothing when all ranks share one node, where ob1 talks
/// through shared memory. So when mpiexec reports every rank as local and neither the environment
/// nor `--mca` chose a PML, pick ob1. Runs across nodes are left alone.
void prefer_ob1_on_one_node() {
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (local == nullptr || world == nullptr || std::string_view(local) != world) return;
  if (std::getenv("OMPI_MCA_pml") == nullptr) setenv("OMPI_MCA_pml", "ob1", 0);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ionpath::app;
  reexec_with_huge_pages(argv);
  prefer_ob1_on_one_node();
  const SplitArgs args = split_petsc_args(argc, argv);

  CLI::App app{"ionpath: ion transport in composite electrolytes.\n"
               "PETSc options go after `--`, e.g. ionpath run cfg.yaml -- -cond_ksp_monitor"};
  bool version = false;
  app.add_flag("--version", version, "print the ionpath, git, PETSc, HDF5, VTK and MPI versions");
  Action action;
  add_validate_command(app, action);
  add_geometry_command(app, action);
  add_run_command(app, action);
  add_tortuosity_command(app, action);
  add_calibrate_command(app, action);
  add_config_reference_command(app, action);
  add_sweep_command(app, action);
  app.require_subcommand(0, 1);

  std::vector<std::string> cli_args(args.cli.rbegin(), args.cli.rend() - 1);  // CLI11 wants reversed, no argv[0]
  try {
    app.parse(cli_args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_bad_input;
  }

  try {
    PetscSession petsc(args.petsc);
    if (version) {
      if (petsc.rank() == 0) print_version();
      return exit_ok;
    }
    if (!action) {
      if (petsc.rank() == 0) std::cout << app.help();
      return exit_bad_input;
    }
    int status = exit_ok;
    std::string error;  // this rank's message; every rank ends through end_run_on_all_ranks
    try {
      status = action(RunContext{petsc.rank(), petsc.n_ranks(),
                                 joined(args.cli) + (args.petsc.empty() ? "" : " -- " + joined(args.petsc))});
    } catch (const CLI::Error& e) {  // an option checked once PETSc is up (e.g. tortuosity --sigma)
      std::tie(status, error) = std::pair{exit_bad_input, std::string("ionpath: ") + e.what()};
    } catch (const ionpath::io::ImageError& e) {
      std::tie(status, error) = std::pair{exit_bad_input, std::string("ionpath: input error: ") + e.what()};
    } catch (const ionpath::mesh::GenerationLimitError& e) {
      std::tie(status, error) =
          std::pair{exit_bad_input, "ionpath: input error: key '" + e.key() + "': " + e.what()};
    } catch (const ionpath::study::ResourceRefusal& e) {
      std::tie(status, error) = std::pair{exit_bad_input, std::string("ionpath: refused: ") + e.what()};
    } catch (const ionpath::study::RestartRefusal& e) {
      std::tie(status, error) = std::pair{exit_bad_input, std::string("ionpath: cannot restart: ") + e.what()};
    } catch (const std::exception& e) {
      std::tie(status, error) = std::pair{exit_failure, std::string("ionpath: error: ") + e.what()};
    }
    return end_run_on_all_ranks(petsc.ending_comm(), status, error, error_grace_seconds());
  } catch (const std::exception& e) {  // PETSc did not start
    std::cerr << "ionpath: error: " << e.what() << "\n";
    return exit_failure;
  }
}
