#!/usr/bin/env bash
# Fault tolerance on the test cluster: a 2-task job array runs a 12-point sweep; one task is
# scancelled mid-way (SIGTERM, as at a walltime limit); the array is submitted again. Nothing that
# had finished is lost or rewritten (every file of every done point keeps its SHA-256 and mtime)
# and the table is complete.
# Usage: sweep_resume.sh POINTER WORKDIR IONPATH SOURCE_DIR
source "$(dirname "$0")/lib.sh" "$1" "$2"
export IONPATH=$3
src=$4
cp "$src/tests/slurm/sweep_slow_points.yaml" sweep.yaml
cp "$src/tests/slurm/sweep_base.yaml" .
n=12
points() { /usr/bin/python3 "$src/tests/slurm/point_files.py" "$@"; }

array=$(submit --array=0-1 -o 'first_%a.out' "$src/examples/hpc/sweep_array.sbatch" sweep.yaml results)
# Cancel task 1 once a few points are done and both tasks still have work.
deadline=$((SECONDS + 90))
while [ "$(points count results 2>/dev/null || echo 0)" -lt 3 ]; do
  [ $SECONDS -lt $deadline ] || fail "no 3 points done after 90 s"
  sleep 0.2
done
scancel "${array}_1"
wait_jobs 60 "$array"
done_before=$(points count results)
echo "after scancel of task 1: $done_before of $n points done; states: $(job_states "$array" | tr '\n' ';')"
job_states "$array" | grep -q '^1 CANCELLED' || fail "task 1 was not cancelled (it had finished: make points slower)"
[ "$done_before" -lt $n ] || fail "all points finished before the cancel: nothing to resume"
# The point task 1 was running when SIGTERM came is recorded interrupted (none if the signal fell
# between two points), and runs again on resubmission.
echo "points recorded interrupted: $(grep -l '"interrupted"' results/points/*/status.json 2>/dev/null | wc -l)"
points snapshot results > before.txt

again=$(submit --array=0-1 -o 'again_%a.out' "$src/examples/hpc/sweep_array.sbatch" sweep.yaml results)
wait_jobs 120 "$again"
job_states "$again" | grep -v ' COMPLETED 0:0$' && fail "resubmitted array: $(job_states "$again")"
points snapshot results > after.txt
# Every line of before.txt (a finished point's file: hash, mtime) is still in after.txt.
missing=$(grep -vxF -f after.txt before.txt || true)
[ -z "$missing" ] || fail "finished points changed on resubmission: $missing"
"$IONPATH" sweep sweep.yaml --output results --collect --quiet
/usr/bin/python3 "$src/tests/slurm/check_table.py" results/table.csv $n
echo "PASS: $done_before finished points untouched by the cancel and the resubmission; table of $n complete"
