#!/usr/bin/env bash
# Ranks per point vs points in flight (docs/hpc.md): the same sweep on 2 ranks as 2 groups x 1
# rank and as 1 group x 2 ranks, for small and for large points. Each repeat runs into a fresh
# folder (nothing is reused); prints the wall time of every run and the median per layout.
# Usage: bench/sweep_layout_bench.sh [repeats] [build_dir]    (defaults 3, build)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
build=${2:-build}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/slurm/sweep_base.yaml "$work/"
# small: 16 points of 40 x 20 x 24 cells (about 0.3 s of solve each); large: 4 points of
# 160 x 80 x 96 cells (64x the cells), conduction along z, accuracy 1e-8.
sweep_file() {  # name n_cells spacings
  cat > "$work/$1.yaml" <<YAML
base: sweep_base.yaml
axes:
  - key: grid.n_cells
    values: [$2]
  - key: geometry.aligned_walls.spacing_m
    values: [$3]
seeds: 2
YAML
}
sweep_file small "[40, 20, 24]" "8.0e-6, 10.0e-6, 13.3333e-6, 20.0e-6, 40.0e-6, 6.6667e-6, 5.0e-6, 4.0e-6"
sweep_file large "[160, 80, 96]" "20.0e-6, 40.0e-6"
echo "host load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; > 0.5 means other jobs share them)"
for size in small large; do
  for k in 1 2; do
    times=()
    for ((i = 1; i <= repeats; ++i)); do
      rm -rf "$work/out"
      t0=$(date +%s.%N)
      mpiexec -n 2 --bind-to none "$build/app/ionpath" sweep "$work/$size.yaml" --output "$work/out" --ranks-per-point $k --quiet > /dev/null
      t=$(echo "$(date +%s.%N) - $t0" | bc)
      times+=("$t")
      printf '%s points, %d group(s) x %d rank(s): run %d %.2f s\n' $size $((2 / k)) $k $i "$t"
    done
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%s points, %d group(s) x %d rank(s): median %.2f s of %d\n' $size $((2 / k)) $k "$median" "$repeats"
  done
done
echo "host load after: $(cut -d' ' -f1-3 /proc/loadavg)"
