#!/usr/bin/env bash
# README command 1: install dependencies, build, and run the main example: the three electrolytes
# of Li et al. 2022 -- build each microstructure, print its statistics, compute its effective
# conductivity and linear transference number, and compare with the measured values.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
./build/app/ionpath --version
for name in pure_gel random_mmt aligned_mmt; do
  config="examples/paper_electrolytes/${name}.yaml"
  if [ -f "$config" ]; then
    mpiexec -n 2 --oversubscribe ./build/app/ionpath run "$config" --output "out/paper_electrolytes/${name}"
  fi
done
/usr/bin/python3 scripts/compare_paper.py out/paper_electrolytes
