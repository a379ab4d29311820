#!/usr/bin/env bash
# The test cluster runs what the sweeps need: a batch job, a job array (one task per index),
# ionpath under mpiexec and under srun --mpi=pmix inside a 2-task allocation (Open MPI's
# SLURM launcher), and scancel of a running job.
# Usage: jobs.sh POINTER WORKDIR IONPATH CONFIG
source "$(dirname "$0")/lib.sh" "$1" "$2"
ionpath=$3
config=$4
tiny=(--set 'grid.n_cells=[16,8,12]')

# 1. Batch job and array: each task writes its index.
job=$(submit -o batch.out --wrap 'echo "hello from $SLURM_JOB_ID on $SLURMD_NODENAME"')
array=$(submit -o 'task_%a.out' --array=0-3 --wrap 'echo $SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT')
# 2. ionpath on 2 ranks in one allocation, launched both ways.
mpi=$(submit -n 2 -o mpi.out --wrap "set -e
  mpiexec -n 2 $ionpath run $config ${tiny[*]} --output mpiexec_run
  srun --mpi=pmix -n 2 $ionpath run $config ${tiny[*]} --output srun_run")
wait_jobs 90 "$job" "$array" "$mpi"

grep -q "hello from $job on" batch.out || fail "batch job output: $(cat batch.out)"
for i in 0 1 2 3; do
  [ "$(cat task_$i.out)" = "$i 4" ] || fail "array task $i wrote '$(cat task_$i.out 2>/dev/null)'"
done
for j in "$job" "$array" "$mpi"; do
  job_states "$j" | grep -v ' COMPLETED 0:0$' && fail "job $j did not complete: $(job_states "$j")"
done

# The 2-rank runs inside SLURM agree with a serial run outside it.
"$ionpath" run "$config" "${tiny[@]}" --output serial_run
/usr/bin/python3 - <<'PY' || fail "ranks or sigma differ (see mpi.out)"
import json
runs = {n: json.load(open(f"{n}/summary.json")) for n in ("serial_run", "mpiexec_run", "srun_run")}
ranks = {n: r["provenance"]["n_ranks"] for n, r in runs.items()}
assert ranks == {"serial_run": 1, "mpiexec_run": 2, "srun_run": 2}, ranks
s = {n: r["axes"][0]["sigma_eff_S_m"] for n, r in runs.items()}
for n in ("mpiexec_run", "srun_run"):
    assert abs(s[n] - s["serial_run"]) <= 1e-8 * s["serial_run"], s
print("ranks", ranks, "sigma_eff_S_m", s)
PY

# 3. scancel of a running job: it ends CANCELLED, and its process is gone.
long=$(submit -o long.out --wrap 'echo $$ > long.pid; sleep 120')
deadline=$((SECONDS + 30))
until [ -s long.pid ]; do [ $SECONDS -lt $deadline ] || fail "long job never started"; sleep 0.2; done
scancel "$long"
wait_jobs 30 "$long"
job_states "$long" | grep -q ' CANCELLED ' || fail "scancelled job: $(job_states "$long")"
[ ! -d "/proc/$(cat long.pid)" ] || fail "the cancelled job's shell $(cat long.pid) still runs"
echo "PASS: batch, array of 4, ionpath under mpiexec and srun --mpi=pmix, scancel"
