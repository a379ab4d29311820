#!/usr/bin/env bash
# README command 2: install dependencies, build, run the whole default test suite (label `slow` excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
cd build && ctest --output-on-failure --label-exclude slow -j "$(nproc)" --timeout 900
