#!/bin/bash
# Build ionpath on a cluster with an environment-module system (Lmod or Tcl modules). Module
# names and versions differ from site to site: `module avail petsc` and `module spider hdf5`
# show yours; the versions below are what the code is tested with on Debian 12 (PETSc 3.18,
# Open MPI 4.1, parallel HDF5 1.10, VTK 9.1, yaml-cpp 0.7); newer ones should do.
# Not runnable here (this machine has no module system); the cmake part is the one
# scripts/build.sh runs.
#
#   bash examples/hpc/build_modules.sh [PREFIX]      # default PREFIX: $HOME/opt/ionpath
set -euo pipefail
prefix=${1:-$HOME/opt/ionpath}

module purge
module load gcc/12            # C++20: GCC >= 11 or Clang >= 14
module load cmake/3.27        # >= 3.25
module load openmpi/4.1       # the MPI every other module below was built with
module load petsc/3.18        # real scalars, double, 32-bit indices; provides PETSc.pc
module load hdf5/1.10-mpi     # the parallel (MPI) build, not the serial one
module load vtk/9.1           # with MPI (ParallelMPI, IOParallelXML)
module load yaml-cpp/0.7
module load libtiff
# Header-only libraries that sites rarely provide as modules: CLI11, nlohmann_json, fmt and
# GoogleTest are often in a spack environment (spack load cli11 nlohmann-json googletest).

# PETSc is found with pkg-config; most petsc modules set PETSC_DIR (and PETSC_ARCH).
export PKG_CONFIG_PATH=${PETSC_DIR:?petsc module did not set PETSC_DIR}/${PETSC_ARCH:-}/lib/pkgconfig:${PKG_CONFIG_PATH:-}

src=$(cd "$(dirname "$0")/../.." && pwd)
# IONPATH_NATIVE_ARCH=OFF when login and compute nodes have different CPUs (build for the
# compute nodes, or on one: `srun --pty bash` before running this script).
cmake -S "$src" -B "$src/build-cluster" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DIONPATH_NATIVE_ARCH=OFF \
      -DCMAKE_C_COMPILER=mpicc -DCMAKE_CXX_COMPILER=mpicxx \
      -DHDF5_PREFER_PARALLEL=ON
cmake --build "$src/build-cluster" -j "${SLURM_CPUS_ON_NODE:-8}"
# The test suite needs an MPI launcher that runs on the login node; on compute nodes:
#   srun -n 4 --pty ctest --test-dir build-cluster --label-exclude "slow|slurm"
cmake --install "$src/build-cluster"
echo "installed $prefix/bin/ionpath; add it to PATH or write a module file for it"
