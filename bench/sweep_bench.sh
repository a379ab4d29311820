#!/usr/bin/env bash
# `ionpath sweep` benchmarks (docs/performance.md, "Sweeps"). Each part prints its numbers; the
# medians over `repeats` runs are what the docs quote.
#   overhead  per point: wall time beyond its study (status.json wall_time_s - study_time_s) and the
#             whole sweep's time per point, against one `ionpath run` process per point
#   thousand  1000 tiny points: RSS and open file descriptors every 100 points (from sweep.log)
#   groups    100 mixed-cost points: 1 group of 1 rank vs 2 groups of 1 rank (mpiexec -n 2)
#   balance   20 points whose costs alternate 10:1: dynamic counter vs static round-robin, 2 groups
# Usage:  bench/sweep_bench.sh [parts] [repeats] [build_dir]   (default "overhead thousand groups balance" 3 build)
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${1:-overhead thousand groups balance}
repeats=${2:-3}
build=${3:-build}
ionpath=$PWD/$build/app/ionpath
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/sweep/base.yaml "$work/"
cd "$work"
echo "host load before: $(cut -d" " -f1-3 /proc/loadavg) (1, 5, 15 min; > 0.5 means other jobs share the cores)"
median() { /usr/bin/python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
elapsed() { local t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; echo "$(date +%s.%N) - $t0" | bc -l; }
# Median over the done rows of a table column expression (python, row r).
table_stat() { /usr/bin/python3 - "$1" "$2" <<'EOF'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "done"]
print(f"{statistics.median(eval(sys.argv[2]) for r in rows):.4f}")
EOF
}

if [[ $parts == *overhead* ]]; then
  cat > overhead.yaml <<'EOF'
base: base.yaml
axes:
  - {key: phases.wall.sigma_S_m, linspace: {start: 0.01, stop: 0.05, num: 50}}
EOF
  per_point=() beyond=() study=() run=()
  for ((i = 1; i <= repeats; ++i)); do
    rm -rf ov
    t=$(elapsed "$ionpath" sweep overhead.yaml -o ov -q)
    per_point+=("$(echo "$t / 50" | bc -l)")
    beyond+=("$(table_stat ov/table.csv 'float(r["wall_time_s"]) - float(r["study_time_s"])')")
    study+=("$(table_stat ov/table.csv 'float(r["study_time_s"])')")
    t=0
    for s in 0.01 0.02 0.03 0.04 0.05; do
      t=$(echo "$t + $(elapsed "$ionpath" run base.yaml --set phases.wall.sigma_S_m=$s --set output.vtk=false --set output.fields=false -o run_$s)" | bc -l)
    done
    run+=("$(echo "$t / 5" | bc -l)")
  done
  echo "overhead: 50 tiny points (8x6x10 walls, 2 axes), $repeats repeats (medians):"
  echo "  sweep time per point $(median "${per_point[@]}") s, of which run_study $(median "${study[@]}") s;" \
       "point wall beyond its study (config, folder, status) $(median "${beyond[@]}") s"
  echo "  one 'ionpath run' process per point: $(median "${run[@]}") s per point"
fi

if [[ $parts == *thousand* ]]; then
  cat > thousand.yaml <<'EOF'
base: base.yaml
axes:
  - {key: phases.wall.sigma_S_m, linspace: {start: 0.01, stop: 0.05, num: 1000}}
EOF
  rm -rf th
  t=$(elapsed "$ionpath" sweep thousand.yaml -o th -q)
  echo "thousand: 1000 tiny points in $t s ($(echo "1000 / $t" | bc -l | cut -c1-5) points/s); every 100th progress line:"
  grep -E ' [0-9]+/1000 done' th/sweep.log | awk 'NR == 1 || NR % 100 == 0' | sed 's/^.*vm:[0-9]* /  /'
fi

# 4 sizes x 25 seeds, shuffled by a zip so that neither schedule gets a sorted list.
mixed_yaml() {
  /usr/bin/python3 - "$1" <<'EOF'
import random, sys
n = int(sys.argv[1])
sizes = ["[8, 6, 10]", "[16, 16, 16]", "[24, 24, 24]", "[32, 32, 32]"]
random.seed(1)
values = [sizes[i % 4] for i in range(n)]
random.shuffle(values)
print("base: base.yaml\naxes:\n  - zip:")
print("      - {key: grid.n_cells, values: [" + ", ".join(values) + "]}")
print("      - {key: seed, values: [" + ", ".join(str(i + 1) for i in range(n)) + "]}")
EOF
}

if [[ $parts == *groups* ]]; then
  mixed_yaml 100 > mixed.yaml
  one=() two=()
  for ((i = 1; i <= repeats; ++i)); do
    rm -rf g1 g2
    one+=("$(elapsed "$ionpath" sweep mixed.yaml -o g1 -q)")
    two+=("$(elapsed mpiexec -n 2 --bind-to core "$ionpath" sweep mixed.yaml -o g2 -q --ranks-per-point 1)")
  done
  m1=$(median "${one[@]}") m2=$(median "${two[@]}")
  echo "groups: 100 mixed-cost points (8x6x10 .. 32^3, study times $(table_stat g1/table.csv 'float(r["study_time_s"])') s median," \
       "max $(/usr/bin/python3 -c "import csv; print(max(float(r['study_time_s']) for r in csv.DictReader(open('g1/table.csv'))))") s):"
  echo "  1 group: ${one[*]} s; 2 groups x 1 rank: ${two[*]} s; median ratio $(echo "$m1 / $m2" | bc -l | cut -c1-4)x"
fi

if [[ $parts == *balance* ]]; then
  # Costs alternate: index 0, 2, 4, ... are 80^3 conduction cases, ~10x the 8x6x10 ones.
  /usr/bin/python3 - > balance.yaml <<'EOF'
n = 20
print("base: base.yaml\naxes:\n  - zip:")
print("      - {key: grid.n_cells, values: [" + ", ".join("[80, 80, 80]" if i % 2 == 0 else "[8, 6, 10]" for i in range(n)) + "]}")
print("      - {key: seed, values: [" + ", ".join(str(i + 1) for i in range(n)) + "]}")
EOF
  dyn=() sta=()
  for ((i = 1; i <= repeats; ++i)); do
    rm -rf bd bs
    dyn+=("$(elapsed mpiexec -n 2 --bind-to core "$ionpath" sweep balance.yaml -o bd -q)")
    sta+=("$(elapsed mpiexec -n 2 --bind-to core "$ionpath" sweep balance.yaml -o bs -q --schedule static)")
  done
  cost=$(/usr/bin/python3 -c "
import csv
r = list(csv.DictReader(open('bd/table.csv')))
big = [float(x['study_time_s']) for x in r if x['index'] and int(x['index']) % 2 == 0]
small = [float(x['study_time_s']) for x in r if x['index'] and int(x['index']) % 2 == 1]
print(f'{sum(big) / len(big):.3f} s vs {sum(small) / len(small):.3f} s')")
  echo "balance: 20 points alternating expensive/cheap (study $cost), 2 groups x 1 rank:"
  echo "  dynamic ${dyn[*]} s, static round-robin ${sta[*]} s; median static/dynamic $(echo "$(median "${sta[@]}") / $(median "${dyn[@]}")" | bc -l | cut -c1-4)x"
fi
