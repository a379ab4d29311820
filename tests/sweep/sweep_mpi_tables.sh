#!/bin/bash
# The same sweep serially and under mpiexec -n 4 with 1 and 2 ranks per point: the same table (to
# solver tolerance; timings and rank counts aside).
set -euo pipefail
SRC=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
"$IONPATH" sweep "$SRC/walls.yaml" -o serial -q || [ $? -eq 1 ]
"$MPIEXEC" -n 4 --oversubscribe "$IONPATH" sweep "$SRC/walls.yaml" -o groups1 -q --ranks-per-point 1 || true
"$MPIEXEC" -n 4 --oversubscribe "$IONPATH" sweep "$SRC/walls.yaml" -o groups2 -q --ranks-per-point 2 || true
"$PYTHON" "$SRC/compare_tables.py" serial/table.csv groups1/table.csv 1e-9
"$PYTHON" "$SRC/compare_tables.py" serial/table.csv groups2/table.csv 1e-9
grep -q '"ranks": 2' groups2/points/*/status.json
grep -q '2 groups of 2 ranks' groups2/sweep.log
grep -q '4 groups of 1 ranks' groups1/sweep.log
echo "sweep_mpi_tables: ok"
# An output folder rank 0 cannot create ends every rank with the message (no hang).
touch not_a_dir
set +e; timeout 120 "$MPIEXEC" -n 2 --oversubscribe "$IONPATH" sweep "$SRC/walls.yaml" -o not_a_dir/x -q > err.txt 2>&1; rc=$?; set -e
[ $rc -ne 0 ] && [ $rc -ne 124 ] || { echo "FAIL: unwritable output: exit $rc"; exit 1; }
grep -q "cannot create directories" err.txt || { echo "FAIL: no message: $(cat err.txt)"; exit 1; }
echo "sweep_mpi_tables: unwritable output ok"
