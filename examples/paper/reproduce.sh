#!/usr/bin/env bash
# The paper reproduced by one command (fresh Debian 12 as root): installs what is missing, builds,
# runs every stage on 2 MPI ranks and writes out/paper/report.md. Options go to reproduce.py
# (--resolution low|default|high, --ranks N, --output DIR, --bv-transient reduced|full).
set -euo pipefail
cd "$(dirname "$0")/../.."
./scripts/setup.sh
./scripts/build.sh
exec /usr/bin/python3 examples/paper/reproduce.py "$@"
