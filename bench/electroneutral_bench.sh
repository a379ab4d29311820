#!/usr/bin/env bash
# Steady electroneutral Nernst-Planck solve with fixed charge on the aligned-MMT example at N^3
# (issue target: 128^3 in <= 2 min on 2 cores), through the ionpath CLI: bath-to-bath cell at 1 mV.
# Prints Newton and GMRES iterations, wall time, peak memory per rank and bytes per cell.
# Usage:  bench/electroneutral_bench.sh [N] [ranks] [build_dir]   (defaults 128, 2, build)
# Extra PETSc options: $BENCH_PETSC_OPTS (e.g. "-en_pc_gamg_agg_nsmooths 1").
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-128}
ranks=${2:-2}
build=${3:-build}
out=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# 0.625 um voxels: 128 cells = 80 um = four 20 um wall periods, so the walls tile the periodic box.
log=$(/usr/bin/time -f "TIME %e s, peak RSS %M KB per rank" mpiexec -n "$ranks" --oversubscribe "$build/app/ionpath" run \
  examples/paper_electrolytes/aligned_mmt.yaml --set experiment.conductivity.model=electroneutral --set experiment.type=conductivity \
  --set experiment.conductivity.voltage_V=0.001 --set "grid.n_cells=[$n,$n,$n]" --set grid.voxel_size_m=$(python3 -c "print(80e-6/$n)") \
  --set output.fields=false --output "$out" -- -en_ksp_converged_reason ${BENCH_PETSC_OPTS:-} 2>&1)
echo "$log" | grep -E "axis|TIME"
its=$(echo "$log" | grep -o "iterations [0-9]*" | awk '{s += $2; n++} END {print n " Newton steps, " s " GMRES iterations"}')
kb=$(echo "$log" | sed -n 's/.*peak RSS \([0-9]*\) KB.*/\1/p')
echo "N=$n ranks=$ranks: $its; $(python3 -c "print(f'{$kb * 1024 * $ranks / $n**3:.0f}')") B/cell (peak RSS x ranks)"
rm -rf "$out"
