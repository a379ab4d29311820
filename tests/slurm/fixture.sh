#!/usr/bin/env bash
# CTest fixture around scripts/slurm_cluster.sh: `setup POINTER` starts a private cluster in a
# fresh /tmp folder (short: the munge socket path must fit in 108 bytes) and writes that folder's
# path to POINTER; `cleanup POINTER` stops exactly those daemons and removes the folder.
set -euo pipefail
action=$1
pointer=$2
cluster=$(dirname "$0")/../../scripts/slurm_cluster.sh

case $action in
  setup)
    # A cluster left by a killed earlier run of this build tree is stopped first.
    if [ -s "$pointer" ] && [ -d "$(cat "$pointer")" ]; then
      "$cluster" stop "$(cat "$pointer")" || true
      rm -rf "$(cat "$pointer")"
    fi
    dir=$(mktemp -d /tmp/ionpath-slurm.XXXXXX)
    echo "$dir" > "$pointer"
    # Outlives a ctest run that is killed before its cleanup test (watchdog in slurm_cluster.sh).
    IONPATH_SLURM_LIFETIME=${IONPATH_SLURM_LIFETIME:-2400} "$cluster" start "$dir"
    ;;
  cleanup)
    [ -s "$pointer" ] || { echo "fixture: no cluster recorded in $pointer"; exit 0; }
    dir=$(cat "$pointer")
    if [ -d "$dir" ]; then
      "$cluster" stop "$dir"
      rm -rf "$dir"
    fi
    rm -f "$pointer"
    ;;
  *) echo "usage: $0 setup|cleanup POINTER" >&2; exit 2 ;;
esac
