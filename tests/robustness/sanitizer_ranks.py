"""Sanitizer build only: an AddressSanitizer or LeakSanitizer report on rank 1 of a 2-rank run
fails the run (non-zero exit of mpiexec, report printed), so the MPI tests of scripts/sanitize.sh
cannot pass over a child rank's finding."""
import harness

a = harness.arguments()
# Reports to stderr here (scripts/sanitize.sh sends them to files), leaks checked at exit.
env = {"ASAN_OPTIONS": "detect_leaks=1:detect_odr_violation=0", "LSAN_OPTIONS": ""}
for what, report in (("overflow", "AddressSanitizer: heap-buffer-overflow"),
                     ("leak", "LeakSanitizer: detected memory leaks")):
    r = harness.run([a.mpiexec, "-n", "2", a.probe, what], timeout=120, env=env)
    harness.check(r.status not in (0, "timeout") and report in r.text, f"rank 1 {what}: run fails with '{report}'", r)
r = harness.run([a.mpiexec, "-n", "2", a.probe, "clean"], timeout=120, env=env)
harness.check(r.status == 0 and "Sanitizer" not in r.text, "a clean 2-rank probe passes", r)
harness.finish()
