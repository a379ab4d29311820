#!/usr/bin/env bash
# Steady Bruce-Vincent route (experiment.type bruce_vincent, default route: the steady electroneutral
# solve with the anion inventory held, plus the linear conduction solves for I_0 and t+_linear)
# through the ionpath CLI on one of the paper examples at its voxel size. Prints t+, Newton steps,
# GMRES iterations, the steady solve's own time (SNESSolve in -log_view), the whole command's wall
# time and peak memory per rank.
# Usage:  bench/bruce_vincent_steady_bench.sh [example] [nx,ny,nz] [ranks] [build_dir]
#         (defaults aligned_mmt, 160,8,120 = the 4 um slice along y of docs/paper.md, 2, build)
# Extra PETSc options: $BENCH_PETSC_OPTS (e.g. "-en_pc_type lu -en_pc_factor_mat_solver_type mumps").
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-aligned_mmt}
cells=${2:-160,8,120}
ranks=${3:-2}
build=${4:-build}
out=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
log=$(/usr/bin/time -f "TIME %e s, peak RSS %M KB per rank" mpiexec -n "$ranks" --oversubscribe "$build/app/ionpath" run \
  "examples/paper_electrolytes/$example.yaml" --set experiment.type=bruce_vincent --set "grid.n_cells=[$cells]" \
  --set output.fields=false --output "$out" -- -en_ksp_converged_reason -log_view ${BENCH_PETSC_OPTS:-} 2>&1)
echo "$log" | grep -E "axis|TIME"
its=$(echo "$log" | grep "Linear en_ solve" | grep -o "iterations [0-9]*" | awk '{s += $2; n++} END {print n " Newton steps, " s " GMRES iterations"}')
snes=$(echo "$log" | awk '$1 == "SNESSolve" {print $4}')
echo "$example [$cells] ranks=$ranks: $its; steady solve (SNESSolve) $snes s; load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
