#!/usr/bin/env bash
# The wall-design study (README.md): both sweeps on N ranks in groups of 1 (default N = 2, the
# development machine's cores), then the study's plots. Resumable: run it again after an
# interruption and only the missing points run. Usage: run.sh [OUTPUT_DIR] [RANKS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-out/wall_design}
ranks=${2:-2}
ionpath=${IONPATH:-$here/../../../build/app/ionpath}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
start=$SECONDS
for study in aligned random; do
  mpiexec -n "$ranks" --oversubscribe "$ionpath" sweep "$here/$study.yaml" --output "$out/$study" \
          --ranks-per-point 1 --plot
done
echo "wall_design: both sweeps in $((SECONDS - start)) s on $ranks ranks"
/usr/bin/python3 "$here/plot.py" "$out"
