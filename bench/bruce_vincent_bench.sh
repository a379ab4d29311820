#!/usr/bin/env bash
# Bruce-Vincent transient (electroneutral Nernst-Planck, TS BDF2) on the aligned-MMT example at N^3
# (issue target: 64^3 in <= 5 min on 2 cores), through the ionpath CLI: ideal Li electrodes, 10 mV
# step from equilibrium, integrated to the steady state. Prints time steps, Newton steps, linear
# solves and iterations, t+, wall time and peak memory per rank.
# Usage:  bench/bruce_vincent_bench.sh [N] [ranks] [build_dir]   (defaults 64, 2, build)
# Extra PETSc options: $BENCH_PETSC_OPTS (e.g. "-en_ksp_type gmres").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-64}
ranks=${2:-2}
build=${3:-build}
out=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# 80 um cube: four 20 um wall periods, so the walls tile the periodic box (1.25 um voxels at N = 64).
log=$(/usr/bin/time -f "TIME %e s, peak RSS %M KB per rank" mpiexec -n "$ranks" --oversubscribe "$build/app/ionpath" run \
  examples/paper_electrolytes/aligned_mmt.yaml --set experiment.type=bruce_vincent \
  --set experiment.bruce_vincent.route=transient --set "grid.n_cells=[$n,$n,$n]" \
  --set grid.voxel_size_m=$(python3 -c "print(80e-6/$n)") --set output.fields=false --output "$out" \
  -- -en_ksp_converged_reason ${BENCH_PETSC_OPTS:-} 2>&1)
echo "$log" | grep -E "axis|TIME"
echo "$log" | grep -o "iterations [0-9]*" | awk -v n="$n" -v r="$ranks" \
  '{s += $2; k++} END {print "N=" n " ranks=" r ": " k " linear solves, " s " linear iterations"}'
rm -rf "$out"
