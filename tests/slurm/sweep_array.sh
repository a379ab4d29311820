#!/usr/bin/env bash
# A real sweep on the test cluster, both ways of examples/hpc: as a job array of 3 tasks
# (sweep_array.sbatch; each task takes its share from SLURM_ARRAY_TASK_*) and as one 2-task
# MPI job of 2 groups (sweep_mpi.sbatch). Both tables are complete and agree point by point.
# Usage: sweep_array.sh POINTER WORKDIR IONPATH SOURCE_DIR
source "$(dirname "$0")/lib.sh" "$1" "$2"
export IONPATH=$3   # the sbatch scripts run $IONPATH (sbatch exports the environment)
src=$4
cp "$src/tests/slurm/sweep.yaml" "$src/tests/slurm/sweep_base.yaml" .
n=12

array=$(submit --array=0-2 -o 'array_%a.out' "$src/examples/hpc/sweep_array.sbatch" sweep.yaml array)
mpi=$(submit -n 2 -o mpi.out "$src/examples/hpc/sweep_mpi.sbatch" sweep.yaml mpi 1)
wait_jobs 150 "$array" "$mpi"
for j in "$array" "$mpi"; do
  job_states "$j" | grep -v ' COMPLETED 0:0$' && fail "job $j: $(job_states "$j")"
done

# Every task ran only its share: the three shares are disjoint and cover the sweep.
[ "$(ls array/points | wc -l)" -eq $n ] || fail "array: $(ls array/points | wc -l) point folders, expected $n"
"$IONPATH" sweep sweep.yaml --output array --collect --quiet
/usr/bin/python3 "$src/tests/slurm/check_table.py" array/table.csv $n
# sweep_mpi.sbatch collected at its end; same points, same 1-rank solves: equal results.
/usr/bin/python3 "$src/tests/slurm/check_table.py" mpi/table.csv $n array/table.csv 1e-12
[ -s mpi/table.h5 ] || fail "mpi/table.h5 missing"
echo "PASS: job array of 3 tasks and a 2-group MPI job ran the $n-point sweep; tables agree"
