#!/bin/bash
# Builds ionpath with AddressSanitizer + UndefinedBehaviorSanitizer in its own build directory
# (default build-sanitize/) and runs the unit and MPI tests under them (not the slow ones).
# Leaks inside PETSc/OpenMPI/HDF5 start-up and shutdown are suppressed by
# scripts/sanitize/lsan.supp (each entry says why it is not ionpath's); everything else fails.
# Every instrumented process (also each rank under mpiexec, and ionpath started by the Python and
# shell tests, which may expect a failure) writes its reports to BUILD_DIR/sanitizer-reports/; any
# finding there fails this script even when every test passed. JOBS=N sets the build parallelism.
#   scripts/sanitize.sh [BUILD_DIR] [extra ctest arguments, e.g. -R io_]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-sanitize}
shift || true
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIONPATH_SANITIZE=address,undefined \
      -DIONPATH_NATIVE_ARCH=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
cmake --build "$build" -j"${JOBS:-2}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
# The huge-page re-exec would drop ASAN's environment checks; the test suite sets it anyway.
export GLIBC_TUNABLES=
reports=$build/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports"
log="log_path=$reports/report:log_exe_name=1"
# fast_unwind_on_malloc=0: OpenMPI's and hwloc's plugins have no frame pointers and are dlclose()d
# before the leak check, so the fast unwinder's stacks end in "<unknown module>" that no
# suppression can name; the slow unwinder records the whole stack (libopen-rte.so, libmpi.so, ...).
export ASAN_OPTIONS=$log:detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0:detect_odr_violation=0:strict_string_checks=0
# print_suppressions=1: each process lists the suppressions it used (summed up below).
export LSAN_OPTIONS=suppressions=$src/scripts/sanitize/lsan.supp:print_suppressions=1
export UBSAN_OPTIONS=$log:print_stacktrace=1:halt_on_error=1:suppressions=$src/scripts/sanitize/ubsan.supp
start=$(date +%s)
status=0
(cd "$build" && ctest --output-on-failure --label-regex "unit|mpi" --label-exclude slow -j2 --timeout 1800 "$@") || status=$?
echo "sanitize.sh: ctest took $(( $(date +%s) - start )) s"
findings=$(grep -l -E "ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer" "$reports"/report* 2>/dev/null || true)
if [ -n "$findings" ]; then
  echo "sanitize.sh: sanitizer findings (one file per process) in $reports:"
  for f in $findings; do echo "=== $f"; head -n 60 "$f"; done
  status=1
fi
echo "sanitize.sh: $(ls "$reports" | wc -l) processes wrote reports, $(echo -n "$findings" | grep -c . || true) with findings; leak suppressions used (allocations, bytes, over all processes):"
cat "$reports"/report* 2>/dev/null | awk '/^Suppressions used:/ {on = 1; next} /^-+$/ {on = 0} on && $1 ~ /^[0-9]+$/ {n[$3] += $1; b[$3] += $2}
  END {for (t in n) printf "  %-16s %8d %10d\n", t, n[t], b[t]}' | sort
exit $status
