#!/usr/bin/env bash
# The paper reproduction at a resolution, timed stage by stage (docs/paper.md, docs/performance.md).
# The issue's budget: --resolution default in <= 10 min on 2 cores. Prints the host load, every
# run's total and peak memory, and the median of each stage over the runs.
# Usage:  bench/paper_reproduction_bench.sh [resolution] [repeats] [build_dir]   (default: default 2 build)
set -euo pipefail
cd "$(dirname "$0")/.."
resolution=${1:-default}
repeats=${2:-2}
build=${3:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "host load before: $(cut -d" " -f1-3 /proc/loadavg) (1, 5, 15 min; > 0.5 means other jobs share the cores)"
for ((i = 1; i <= repeats; ++i)); do
  /usr/bin/time -f "%M" -o "$work/rss_$i" /usr/bin/python3 examples/paper/reproduce.py --resolution "$resolution" \
    --ionpath "$PWD/$build/app/ionpath" --output "$work/run_$i" --quiet > "$work/log_$i" 2>&1 ||
    { echo "run $i failed: $(tail -3 "$work/log_$i")"; exit 1; }
  echo "run $i: $(/usr/bin/python3 -c "import json,sys; print('%.1f s' % json.load(open(sys.argv[1]))['total_s'])" \
    "$work/run_$i/stages.json"), peak RSS of one process $(( $(cat "$work/rss_$i") / 1024 )) MiB," \
    "load after $(cut -d" " -f1 /proc/loadavg)"
done
/usr/bin/python3 - "$work" "$repeats" <<'PY'
import json, os, statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(os.path.join(work, "run_%d" % i, "stages.json"))) for i in range(1, n + 1)]
print("%-62s %9s %9s %9s" % ("stage", "min s", "median s", "max s"))
for k, stage in enumerate(runs[0]["stages"]):
    t = [r["stages"][k]["seconds"] for r in runs]
    bad = [r["stages"][k]["status"] for r in runs if r["stages"][k]["status"] != "done"]
    print("%-62s %9.1f %9.1f %9.1f %s" % (stage["name"][:62], min(t), statistics.median(t), max(t), " ".join(bad)))
t = [r["total_s"] for r in runs]
print("%-62s %9.1f %9.1f %9.1f" % ("total", min(t), statistics.median(t), max(t)))
PY
