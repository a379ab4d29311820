#!/bin/bash
# A sweep point killed (kill -9) after it wrote a checkpoint continues from it when the sweep is
# re-run (status.json: resumed_from_checkpoint), leaves no checkpoint, and its results equal an
# unbroken `ionpath run` of the same configuration to 1e-12 relative.
set -euo pipefail
SRC=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$SRC/transient.yaml" .
cat > one.yaml <<'YAML'
base: transient.yaml
axes:
  - {key: experiment.fields_under_current.current_density_A_m2, values: [1.0]}
YAML
"$IONPATH" sweep one.yaml -o out -q > run1.txt 2>&1 &
pid=$!
first=""
for _ in $(seq 3000); do  # until the first checkpoint has been replaced (60 s at most)
  ckpt=$(ls out/points/*/checkpoint_z.h5 2>/dev/null | head -1 || true)
  if [ -n "$ckpt" ]; then
    ino=$(stat -c %i "$ckpt" 2>/dev/null || true)
    if [ -z "$first" ]; then first=$ino; elif [ -n "$ino" ] && [ "$ino" != "$first" ]; then break; fi
  fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.02
done
kill -9 $pid 2>/dev/null || fail "the point finished before the kill: make it longer"
wait $pid || true
dir=$(dirname "$(ls out/points/*/checkpoint_z.h5)")
[ ! -f "$dir/status.json" ] || fail "a killed point has a status"
"$IONPATH" sweep one.yaml -o out -q
"$PYTHON" - "$dir" <<'PY' || fail "the resumed point is not done or kept its checkpoint"
import json, os, sys
st = json.load(open(os.path.join(sys.argv[1], "status.json")))
assert st["status"] == "done" and st["resumed_from_checkpoint"] is True, st
assert not os.path.exists(os.path.join(sys.argv[1], "checkpoint_z.h5"))
PY
"$IONPATH" run "$dir/config.yaml" --output ref --quiet
"$PYTHON" - "$dir/summary.json" ref/summary.json <<'PY' || fail "resumed point differs from the unbroken run"
import json, sys
a, b = (json.load(open(f))["results"] for f in sys.argv[1:])
assert [r["name"] for r in a] == [r["name"] for r in b]
worst = max(abs(x["value"] - y["value"]) / max(abs(x["value"]), abs(y["value"]), 1e-300)
            for x, y in zip(a, b) if x["value"] is not None)
assert worst <= 1e-12, worst
print(f"largest relative difference {worst:.3g} over {len(a)} results")
PY
echo "sweep_checkpoint_resume: ok"
