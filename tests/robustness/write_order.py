"""Every file a run writes appears atomically and in an order a kill cannot break (issue 14): the
renames of a 2-rank run, traced with strace, publish every .vti piece before the .pvti that names
it, the .pvd after its .pvti, and summary.json last; no file is written under its final name."""
import os
import re
import shutil
import sys
import harness

a = harness.arguments()
if not shutil.which("strace"):
    print("strace not installed: skipped")
    sys.exit(77)
cfg = os.path.join(a.source, "examples/paper_electrolytes/aligned_mmt.yaml")
out = os.path.join(a.work, "out")
trace = os.path.join(a.work, "trace.txt")
r = harness.run(["strace", "-f", "-qq", "-e", "trace=rename,renameat,renameat2,openat", "-o", trace, a.mpiexec, "-n", "2",
                 a.ionpath, "run", cfg, "--set", "grid.n_cells=[16,8,12]", "--set", "experiment.type=conductivity",
                 "--output", out], timeout=240)
harness.check(r.status == 0, "traced 2-rank run succeeds", r)
renamed, opened_final = [], []
for line in open(trace):
    m = re.search(r'rename(?:at2?)?\((?:[^,]+, )?"([^"]+)", (?:[^,]+, )?"([^"]+)"', line)
    if m and " = 0" in line:
        renamed.append(os.path.relpath(m.group(2), out) if m.group(2).startswith("/") else m.group(2))
        continue
    o = re.search(r'openat\([^,]+, "([^"]+)", [^)]*O_CREAT', line)
    if o and o.group(1).startswith(out) and ".tmp." not in o.group(1) and "/stale" not in o.group(1):
        opened_final.append(os.path.relpath(o.group(1), out))
names = [os.path.relpath(n, out) if n.startswith(out) else n for n in renamed]
names = [n for n in names if not n.startswith("..") and not n.startswith("/")]
print("published in order:", names)
harness.check(not opened_final, f"no file created under its final name ({opened_final})")
for i, n in enumerate(names):
    if n.endswith(".pvti"):
        stem = n[:-5]
        text = open(os.path.join(out, n)).read()
        pieces = re.findall(r'Source="([^"]+)"', text)
        harness.check(len(pieces) == 2 and all(p in names[:i] for p in pieces), f"{n}: its pieces are published first")
        harness.check(stem + ".pvd" in names[i + 1:], f"{stem}.pvd after {n}")
harness.check(names and names[-1] == "summary.json", "summary.json is published last")
harness.finish()
