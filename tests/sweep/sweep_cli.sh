#!/bin/bash
# `ionpath sweep` end to end, serial: a failing combination is recorded and the others finish; a
# re-run skips everything; --retry-failed re-runs only the failed; --collect rebuilds the same
# table; --dry-run lists ids; a bad sweep file exits 2 with file:line:key; a timeout is recorded.
set -euo pipefail
SRC=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
count() { grep -c "$1" "$2" || true; }

set +e; "$IONPATH" sweep "$SRC/walls.yaml" -o out -q; rc=$?; set -e
[ $rc -eq 1 ] || fail "expected exit 1 with failed points, got $rc"
[ "$(count ',done,' out/table.csv)" -eq 8 ] || fail "8 done rows expected"
[ "$(count ',failed,' out/table.csv)" -eq 4 ] || fail "4 failed rows expected"
grep -q '"failure_kind": "config"' out/points/*/status.json || fail "failure kind not recorded"
grep -q 'must be smaller than spacing_m' out/table.csv || fail "failure reason not in the table"
grep -q '"exit_status": 2' out/points/*/status.json || fail "exit status 2 of a config error not recorded"
head -1 out/table.csv | grep -q 'z.sigma_eff_S_m' || fail "result column with unit missing"
[ -f out/table.h5 ] && [ -f out/table_ensemble.csv ] || fail "table.h5 / table_ensemble.csv missing"
"$PYTHON" - <<'PY' || fail "table.h5 or ensemble statistics wrong"
import csv, h5py, math, statistics
t = list(csv.DictReader(open("out/table.csv")))
with h5py.File("out/table.h5") as f:
    g = f["table"]
    assert g.attrs["columns"].split("\n") == list(t[0].keys())
    s = [float(x) if x else math.nan for x in (r["z.sigma_eff_S_m"] for r in t)]
    h = list(g["z.sigma_eff_S_m"][:])
    assert all((math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(s, h))
    assert [x.decode() if isinstance(x, bytes) else x for x in g["status"][:]] == [r["status"] for r in t]
e = list(csv.DictReader(open("out/table_ensemble.csv")))
assert len(e) == 6, len(e)
vals = [float(r["z.sigma_eff_S_m"]) for r in t[:2]]
assert abs(float(e[0]["z.sigma_eff_S_m mean"]) - statistics.mean(vals)) <= 1e-15
assert abs(float(e[0]["z.sigma_eff_S_m std"]) - statistics.stdev(vals)) <= 1e-15
assert abs(float(e[0]["z.sigma_eff_S_m ci95"]) - 12.706 * statistics.stdev(vals) / math.sqrt(2)) <= 1e-14
assert e[0]["n_seeds"] == "2" and e[5]["n_seeds"] == "0"
PY

# --collect gives the table the run wrote, byte for byte.
cp out/table.csv table_run.csv
"$IONPATH" sweep "$SRC/walls.yaml" -o out --collect -q > /dev/null
cmp out/table.csv table_run.csv || fail "--collect differs from the in-run table"
ls out/plots/*.png > /dev/null || fail "--collect wrote no plots"

# Re-run: nothing runs (no solve), finished status files untouched.
md5sum out/points/*/status.json > before.md5
set +e; "$IONPATH" sweep "$SRC/walls.yaml" -o out -q; set -e
tail -3 out/sweep.log | grep -q 'start: 0 points to run, 12 skipped' || fail "re-run did not skip every point"
md5sum -c --quiet before.md5 || fail "a finished point changed on re-run"

# --retry-failed: only the 4 failed points run (and fail again).
set +e; "$IONPATH" sweep "$SRC/walls.yaml" -o out -q --retry-failed; set -e
grep 'start:' out/sweep.log | tail -1 | grep -q 'start: 4 points to run, 8 skipped' || fail "--retry-failed ran other points"
[ "$(grep -c ' done$' out/sweep.log)" -eq 8 ] || fail "a done point ran twice"

# Editing the sweep file (one more wall conductivity) reuses the unchanged points.
sed 's/num: 2}/num: 3}/; s/stop: 0.04/stop: 0.16/' "$SRC/walls.yaml" > walls3.yaml
cp "$SRC/base.yaml" .
"$IONPATH" sweep walls3.yaml -o out --dry-run > dry.txt
[ "$(grep -c ' done ' dry.txt)" -eq 8 ] || fail "editing the sweep file did not reuse the unchanged points: $(cat dry.txt)"
grep -q 'cost = cells x axes x factor' dry.txt || fail "dry run states no cost model"
grep -Eq '^ +0  [0-9a-f]{16}  done ' dry.txt || fail "dry run lists no ids"

# A bad sweep file: exit 2, file:line:column and key, nothing written.
set +e; "$IONPATH" sweep "$SRC/bad_sweep.yaml" -o bad > bad.txt 2>&1; rc=$?; set -e
[ $rc -eq 2 ] || fail "bad sweep file: exit $rc"
grep -q "bad_sweep.yaml:5:10: key 'axes\[1\].key': 'phases.gel.sigma_Sm' is not a configuration key (did you mean 'phases.gel.sigma_S_m'?)" bad.txt ||
  fail "bad sweep file message: $(cat bad.txt)"
[ ! -e bad ] || fail "a bad sweep file wrote output"

# --point-timeout: the slow point is stopped and recorded, the tiny one is done.
set +e; "$IONPATH" sweep "$SRC/timeout.yaml" -o tout -q --point-timeout 0.5; rc=$?; set -e
[ $rc -eq 1 ] || fail "timeout sweep: exit $rc"
grep -q ',timeout,' tout/table.csv || fail "no timeout recorded"
grep -q '"exit_status": 124' tout/points/*/status.json || fail "timeout exit status"
grep -q ',done,' tout/table.csv || fail "the tiny point did not finish"
grep -q ',failed,.*,config,' tout/table.csv || fail "the invalid combination after the timeout is not a config failure"
# SIGTERM (scancel): the running point is recorded as interrupted, exit status 143.
cat > slow.yaml <<'YAML'
base: base.yaml
axes:
  - {key: grid.n_cells, values: [[48, 48, 48]]}
  - {key: experiment.conductivity.model, values: [electroneutral]}
YAML
# (48^3: several seconds even on an idle machine; 24^3 took 0.26 s and ended before the signal)
"$IONPATH" sweep slow.yaml -o sig -q & pid=$!
for _ in $(seq 300); do [ -f sig/points/*/config.yaml ] 2>/dev/null && break; sleep 0.05; done
sleep 0.5
kill -TERM $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc"
grep -q '"status": "interrupted"' sig/points/*/status.json || fail "interrupted point not recorded"
grep -q ',interrupted,' sig/table.csv || fail "table not rebuilt after SIGTERM"
echo "sweep_cli: ok"
