#!/bin/bash
# kill -9 of every rank mid-sweep loses only the points in progress: finished points and the table
# stay valid, a re-run finishes the rest, removes the temporaries and leaves every point done.
set -euo pipefail
SRC=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$SRC/base.yaml" .
cat > many.yaml <<'YAML'
base: base.yaml
axes:
  - {key: phases.wall.sigma_S_m, linspace: {start: 0.01, stop: 0.05, num: 8}}
seeds: 4
YAML
"$MPIEXEC" -n 2 --oversubscribe "$IONPATH" sweep many.yaml -o out -q > run1.txt 2>&1 &
launcher=$!
for _ in $(seq 600); do  # until at least 4 points are done (60 s at most)
  n=$( (ls out/points/*/status.json 2>/dev/null || true) | wc -l)
  [ "$n" -ge 4 ] && break
  sleep 0.1
done
ranks=$(pgrep -P "$launcher" -f "ionpath" || true)
[ -n "$ranks" ] || fail "no ranks found under mpiexec $launcher"
kill -9 $ranks
wait "$launcher" || true
done_before=$(grep -l '"status": "done"' out/points/*/status.json | sort)
[ -n "$done_before" ] || fail "nothing finished before the kill"
[ "$(echo "$done_before" | wc -l)" -lt 32 ] || fail "the sweep finished before the kill: make it longer"
for f in $done_before; do
  "$PYTHON" -c "import json,sys; assert json.load(open(sys.argv[1]))['status']=='done'" "$f" || fail "corrupt $f"
  [ -f "$(dirname "$f")/summary.json" ] || fail "done point without summary: $f"
done
md5sum $done_before > done.md5
touch out/table.csv.tmp.12345  # as a killed writer leaves them
first=$(echo "$done_before" | head -1)
touch "$(dirname "$first")/summary.json.tmp.999"
"$MPIEXEC" -n 2 --oversubscribe "$IONPATH" sweep many.yaml -o out -q
md5sum -c --quiet done.md5 || fail "a point finished before the kill changed"
[ "$(grep -c ',done,' out/table.csv)" -eq 32 ] || fail "not every point done after the re-run"
[ -z "$(find out -name '*.tmp.*')" ] || fail "temporaries left: $(find out -name '*.tmp.*')"
"$PYTHON" -c "import h5py; f = h5py.File('out/table.h5'); assert len(f['table/status']) == 32"
echo "sweep_kill_resume: ok ($(echo "$done_before" | wc -l) points were done at the kill)"
