#!/usr/bin/env bash
# Install ionpath's build and run dependencies from Debian 12 packages.
# Safe to re-run: only missing packages are installed.
set -euo pipefail

packages=(
  cmake g++ make pkg-config git ca-certificates
  petsc-dev libopenmpi-dev openmpi-bin libhdf5-mpi-dev hdf5-tools
  libyaml-cpp-dev libvtk9-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev libtiff-dev nlohmann-json3-dev
  python3 python3-numpy python3-matplotlib python3-h5py python3-vtk9
  # real cluster and visualisation parts the tests start: one-node SLURM, ParaView's pvbatch (offscreen via Xvfb)
  slurm-wlm munge paraview xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
