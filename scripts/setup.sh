#!/usr/bin/env bash
# Install ionpath's build and run dependencies from Debian 12 packages.
# Safe to re-run: only missing packages are installed.
set -euo pipefail

packages=(
  cmake g++ make pkg-config git ca-certificates
  petsc-dev libopenmpi-dev openmpi-bin libhdf5-mpi-dev hdf5-tools
  libyaml-cpp-dev libvtk9-dev libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev
  libcli11-dev libfmt-dev libtiff-dev nlohmann-json3-dev
  python3 python3-numpy python3-matplotlib python3-h5py python3-vtk9
  # real cluster and visualisation parts the tests start: one-node SLURM, ParaView's pvbatch (offscreen via Xvfb)
  slurm-wlm munge paraview xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ParaView's Python modules: Debian 12's python3-paraview conflicts with python3-vtk9 (both ship
# `vtkmodules` in dist-packages) and libvtk9-dev needs python3-vtk9. So the same Debian package is
# unpacked, not installed, into its own prefix; scripts/pvbatch.sh puts it on pvbatch's PYTHONPATH.
pv_prefix=/opt/ionpath/python3-paraview
if [ ! -f "$pv_prefix/usr/lib/python3/dist-packages/paraview/simple.py" ]; then
  echo "setup: unpacking Debian's python3-paraview into $pv_prefix"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download python3-paraview 2>/dev/null || { $SUDO apt-get update -qq && apt-get download python3-paraview; })
  $SUDO mkdir -p "$pv_prefix.tmp" && $SUDO dpkg-deb -x "$tmp"/python3-paraview_*.deb "$pv_prefix.tmp"
  $SUDO rm -rf "$pv_prefix" && $SUDO mv "$pv_prefix.tmp" "$pv_prefix"
  rm -rf "$tmp"
fi
