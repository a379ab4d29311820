"""Sanitizer build only: an AddressSanitizer or LeakSanitizer report on rank 1 of a 2-rank run
fails the run (non-zero exit of mpiexec, report printed), so the MPI tests of scripts/sanitize.sh
cannot pass over a child rank's finding."""
import os

import harness

a = harness.arguments()
# scripts/sanitize.sh's options (LSAN_OPTIONS with the suppressions inherited), but the reports to
# stderr here instead of its report files, which would fail the script.
options = [o for o in os.environ.get("ASAN_OPTIONS", "").split(":") if o and not o.startswith("log_")]
env = {"ASAN_OPTIONS": ":".join(options + ["detect_leaks=1"])}
for what, report in (("overflow", "AddressSanitizer: heap-buffer-overflow"),
                     ("leak", "LeakSanitizer: detected memory leaks")):
    r = harness.run([a.mpiexec, "-n", "2", a.probe, what], timeout=120, env=env)
    harness.check(r.status not in (0, "timeout") and report in r.text, f"rank 1 {what}: run fails with '{report}'", r)
r = harness.run([a.mpiexec, "-n", "2", a.probe, "clean"], timeout=120, env=env)
harness.check(r.status == 0 and "Sanitizer" not in r.text, "a clean 2-rank probe passes", r)
harness.finish()
