#!/bin/bash
# Builds ionpath with AddressSanitizer + UndefinedBehaviorSanitizer in its own build directory
# (default build-sanitize/) and runs the unit and MPI tests under them (not the slow ones).
# Leaks inside PETSc/OpenMPI/HDF5 start-up and shutdown are suppressed by
# scripts/sanitize/lsan.supp (each entry says why it is not ionpath's); everything else fails.
# Every instrumented process (also each rank under mpiexec, and ionpath started by the Python and
# shell tests, which may expect a failure) writes its reports to BUILD_DIR/sanitizer-reports/; any
# report there fails this script even when every test passed.
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
export ASAN_OPTIONS=$log:detect_leaks=1:abort_on_error=0:detect_odr_violation=0:strict_string_checks=0
export LSAN_OPTIONS=suppressions=$src/scripts/sanitize/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=$log:print_stacktrace=1:halt_on_error=1:suppressions=$src/scripts/sanitize/ubsan.supp
start=$(date +%s)
status=0
(cd "$build" && ctest --output-on-failure --label-regex "unit|mpi" --label-exclude slow -j2 --timeout 1800 "$@") || status=$?
echo "sanitize.sh: ctest took $(( $(date +%s) - start )) s"
if compgen -G "$reports/report*" > /dev/null; then
  echo "sanitize.sh: sanitizer reports (one file per process) in $reports:"
  for f in "$reports"/report*; do echo "=== $f"; head -n 60 "$f"; done
  status=1
fi
exit $status
