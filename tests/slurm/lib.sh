# Shared by the slurm tests: point the SLURM clients at the fixture's cluster, submit, wait.
# Usage: source lib.sh POINTER WORKDIR
set -euo pipefail
pointer=$1
work=$2
[ -s "$pointer" ] || { echo "no test cluster: the slurm_cluster fixture did not start"; exit 1; }
cluster_dir=$(cat "$pointer")
source "$cluster_dir/env"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# fail MESSAGE: print it with the end of every job output in the work folder, exit 1.
fail() {
  local f
  for f in ./*.out; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 8 "$f" >&2; }; done
  echo "FAIL: $*" >&2
  exit 1
}

# submit ARGS...: sbatch --parsable ARGS, print the job id.
submit() { sbatch --parsable "$@" | cut -d';' -f1; }

# wait_jobs TIMEOUT_S JOBID...: poll squeue until none of the jobs (or their array tasks) is
# pending or running; fail after TIMEOUT_S with the queue and the controller log.
wait_jobs() {
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout)) ids
  ids=$(IFS=,; echo "$*")
  while [ -n "$(squeue -h -j "$ids" -o %i 2>/dev/null)" ]; do
    if [ $SECONDS -ge $deadline ]; then
      squeue -j "$ids" >&2 || true
      tail -n 30 "$cluster_dir/log/slurmctld.log" >&2 || true
      scancel "$@" || true
      fail "jobs $ids still queued after $timeout s"
    fi
    sleep 0.3
  done
}

# job_states JOBID: the final state of the job, or of each array task, one per line
# ("<task> <STATE> <exit>"), from scontrol (MinJobAge keeps finished jobs listed).
job_states() {
  scontrol -o show job "$1" | sed -E 's/.*ArrayTaskId=([^ ]+).*JobState=([A-Z_]+).*ExitCode=([0-9:]+).*/\1 \2 \3/; t; s/.*JobState=([A-Z_]+).*ExitCode=([0-9:]+).*/- \1 \2/' | sort -n
}
