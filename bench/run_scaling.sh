#!/usr/bin/env bash
# Strong and weak scaling table for the matrix-free conduction solve (docs/performance.md).
# Usage:  bench/run_scaling.sh [max_ranks] [build_dir] [accuracy]
#   max_ranks  default: $SLURM_NTASKS, else 2. Rank counts 1, 2, 4, ... up to max_ranks.
#   build_dir  default: build-perf (configured with -DIONPATH_BUILD_BENCH=ON).
# Inside a SLURM allocation it launches with srun, elsewhere with mpiexec. Output: one JSON line
# per run in scaling_<date>.jsonl and a table on stdout. Extra PETSc options: $BENCH_PETSC_OPTS.
# Strong scaling: N = $STRONG_N (default 256) at every rank count.
# Weak scaling:   N^3 / ranks fixed at $WEAK_N^3 (default 128^3) per rank; N = WEAK_N * ranks^(1/3)
#                 rounded to an even number.
set -euo pipefail
max_ranks=${1:-${SLURM_NTASKS:-2}}
build=${2:-build-perf}
accuracy=${3:-1e-4}
strong_n=${STRONG_N:-256}
weak_n=${WEAK_N:-128}
bench="$build/bench/conduction_scaling_bench"
[[ -x $bench ]] || { echo "missing $bench: cmake -DIONPATH_BUILD_BENCH=ON and build conduction_scaling_bench" >&2; exit 1; }
out="scaling_$(date +%Y%m%d_%H%M%S).jsonl"

launch() {  # launch <ranks> <args...>
  local np=$1; shift
  if [[ -n ${SLURM_JOB_ID:-} ]]; then
    srun --ntasks="$np" --cpu-bind=cores "$bench" "$@" ${BENCH_PETSC_OPTS:-}
  else
    mpiexec -n "$np" --bind-to core "$bench" "$@" ${BENCH_PETSC_OPTS:-}
  fi
}

ranks=()
for ((np = 1; np <= max_ranks; np *= 2)); do ranks+=("$np"); done

for np in "${ranks[@]}"; do
  for contrast in 0 0.001; do
    launch "$np" N="$strong_n" accuracy="$accuracy" clay_sigma="$contrast" | tee -a "$out"
  done
done
for np in "${ranks[@]}"; do
  n=$(python3 -c "import math; n = round($weak_n * $np ** (1 / 3)); print(n + n % 2)")
  launch "$np" N="$n" accuracy="$accuracy" clay_sigma=0 | tee -a "$out"
done

python3 - "$out" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(f"{'N':>5} {'ranks':>5} {'clay':>6} {'its':>4} {'setup_s':>8} {'solve_s':>8} {'Mvox/s':>8} "
      f"{'B/vox':>6} {'apply_GB/s':>10} {'eff':>5}")
base = {}
for r in rows:
    key = (r["N"], r["clay_sigma"])
    t = r["setup_s"] + r["solve_s"]
    base.setdefault(key, (r["ranks"], t))
    r0, t0 = base[key]
    eff = t0 * r0 / (t * r["ranks"])
    print(f"{r['N']:>5} {r['ranks']:>5} {r['clay_sigma']:>6} {r['iterations']:>4} {r['setup_s']:>8.2f} "
          f"{r['solve_s']:>8.2f} {r['N']**3 / t / 1e6:>8.2f} {r['bytes_per_voxel']:>6.0f} "
          f"{r['apply_GBs']:>10.2f} {eff:>5.2f}")
EOF
echo "raw JSON: $out"
