#!/usr/bin/env bash
# Where `experiment.conduction_solver: auto` should switch from the assembled AIJ + GAMG solve to
# the matrix-free multigrid (study::matrix_free_min_cells): `ionpath run` (transference, i.e. two
# conduction solves) on the random-MMT example at N^3 for each solver, repeated; prints the median
# setup + solve time of the solves from summary.json and the median wall time of the command.
# Usage: bench/conduction_crossover.sh [sizes] [repeats] [ranks] [build_dir]
#        (defaults "16 24 32 48 64", 5, 2, build)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-16 24 32 48 64}
repeats=${2:-5}
ranks=${3:-2}
build=${4:-build}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%6s %10s %12s %12s %12s\n" N cells solver solve_s wall_s
for n in $sizes; do
  for solver in assembled matrix_free; do
    for ((i = 1; i <= repeats; ++i)); do
      /usr/bin/time -f "%e" -o "$out/wall_$i" mpiexec -n "$ranks" --oversubscribe "$build/app/ionpath" run \
        examples/paper_electrolytes/random_mmt.yaml --set "grid.n_cells=[$n,$n,$n]" --set experiment.type=conductivity \
        --set experiment.accuracy=1e-6 --set experiment.conduction_solver=$solver --set output.fields=false \
        --set output.vtk=false --set output.hdf5=false --output "$out/run_$i" > /dev/null
    done
    /usr/bin/python3 - "$out" "$n" "$solver" "$repeats" <<'PY'
import json, statistics, sys
out, n, solver, repeats = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
solve, wall = [], []
for i in range(1, repeats + 1):
    e = json.load(open(f"{out}/run_{i}/summary.json"))["axes"][0]["effective"]
    solve.append(e["setup_time_s"] + e["solve_time_s"])
    wall.append(float(open(f"{out}/wall_{i}").read().split()[-1]))
print(f"{n:6d} {n**3:10d} {solver:>12s} {statistics.median(solve):12.4f} {statistics.median(wall):12.3f}"
      f"   (solve min {min(solve):.4f} max {max(solve):.4f})")
PY
  done
done
