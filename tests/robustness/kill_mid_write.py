"""A kill at any moment of a 2-rank run never leaves a .pvti that names a missing or truncated
piece, nor a .pvd that names a missing .pvti (issue 14). write_order.py checks the order of the
renames with strace; this kills real runs (SIGKILL to the whole mpiexec group) at chosen
moments of their output phase (as soon as a temporary of a piece, a .pvti or a .pvd appears),
into the same folder, and checks what is left after each."""
import os
import re
import signal
import subprocess
import time
import harness

a = harness.arguments()
cfg = os.path.join(a.source, "examples/paper_electrolytes/aligned_mmt.yaml")
out = os.path.join(a.work, "out")
cmd = [a.mpiexec, "-n", "2", a.ionpath, "run", cfg, "--quiet", "--set", "grid.n_cells=[24,12,16]",
       "--set", "experiment.type=conductivity", "--set", "experiment.axes=[x,y,z]", "--output", out]


def complete_xml(path):
    """The file exists and ends with its closing tag (a piece written in part does not)."""
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - 64))
        return b"</VTKFile>" in f.read()


def check_folder(when):
    bad = []
    for root, _, files in os.walk(out):
        if os.path.relpath(root, out).startswith("stale"):
            continue
        for name in files:
            path = os.path.join(root, name)
            if name.endswith((".pvti", ".pvd")):
                if not complete_xml(path):
                    bad.append(f"{name} incomplete")
                    continue
                for ref in re.findall(r'(?:Source|file)="([^"]+)"', open(path).read()):
                    if not complete_xml(os.path.join(root, ref)):
                        bad.append(f"{name} names {ref}, missing or truncated")
    harness.check(not bad, f"{when}: every .pvti/.pvd names complete files {bad[:4]}")


def kill_when(pattern, limit):
    """Starts the run and SIGKILLs its process group as soon as a path under out/ matches
    `pattern` (a temporary of the current run) or after `limit` seconds; True if it matched."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    hit, t0 = False, time.time()
    while not hit and time.time() - t0 < limit and p.poll() is None:
        for root, _, files in os.walk(out):
            if any(re.search(pattern, os.path.relpath(os.path.join(root, f), out)) for f in files):
                hit = True
                break
        time.sleep(0.002)
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:  # the run ended before the pattern showed up
        pass
    p.wait()
    return hit


env = dict(os.environ, **harness.MPI_ENV)
r = harness.run(cmd, timeout=240)
harness.check(r.status == 0 and os.path.exists(os.path.join(out, "fields_z.pvti")), "an uninterrupted run writes .pvti", r)
check_folder("complete run")
# Mid-write of a structure piece, of a field piece, of a .pvti, and while the .pvd is written.
for pattern in (r"^structure/structure_\d\.vti\.tmp\.", r"^fields_y/fields_y_\d\.vti\.tmp\.",
                r"^fields_z\.pvti\.tmp\.", r"^fields_z\.pvd\.tmp\."):
    hit = kill_when(pattern, 2 * r.seconds + 10)
    print(f"killed {'on ' + pattern if hit else 'at the time limit (pattern not seen)'}")
    check_folder(f"killed at {pattern}")
harness.finish()
