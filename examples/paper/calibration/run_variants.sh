#!/usr/bin/env bash
# Fits the default model and each optional mechanism (docs/mechanisms.md) to the paper's six
# targets and writes the AIC comparison: out/calibration/<variant>/calibration.json and
# out/calibration/comparison.md.
#   examples/paper/calibration/run_variants.sh [STARTS] [RANKS] [IONPATH]   (default 3 2 build/app/ionpath)
set -euo pipefail
cd "$(dirname "$0")/../../.."
starts=${1:-3}
ranks=${2:-2}
ionpath=${3:-build/app/ionpath}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
for v in default m_a_gel_near_clay m_b_sodium m_c_thick_interphase m_d_porous_walls; do
  echo "[$(date +%H:%M:%S)] $v"
  mkdir -p out/calibration
  mpiexec -n "$ranks" --oversubscribe "$ionpath" calibrate "examples/paper/calibration/$v.yaml" --starts "$starts" \
    -o "out/calibration/$v" > "out/calibration/$v.log" 2>&1 || echo "  $v failed (out/calibration/$v.log)"
  grep -E "^Best fit|wrote" "out/calibration/$v.log" || true
done
/usr/bin/python3 examples/paper/calibration/compare.py out/calibration > out/calibration/comparison.md
cat out/calibration/comparison.md
