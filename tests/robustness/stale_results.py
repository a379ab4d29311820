"""Re-running into a folder that holds a result and then failing must not leave the old,
complete-looking summary.json (issue 14): a run first moves the earlier results to stale/, and
removes the temporaries of killed runs. Checked with a divergence and with kill -9."""
import os
import signal
import subprocess
import time
import harness

a = harness.arguments()
ex = os.path.join(a.source, "examples/paper_electrolytes")
out = os.path.join(a.work, "out")
small = ["--set", "grid.n_cells=[16,16,16]", "--set", "experiment.conduction_solver=assembled", "--output", out]
cfg = os.path.join(ex, "random_mmt.yaml")
r = harness.run([a.ionpath, "run", cfg] + small, timeout=120)
harness.check(r.status == 0 and os.path.exists(os.path.join(out, "summary.json")), "first run: a result", r)

# Stray temporaries of a killed run (a pid that does not run), at top level and among the pieces.
pid_max = int(open("/proc/sys/kernel/pid_max").read())
dead = str(pid_max - 1) if not os.path.exists(f"/proc/{pid_max - 1}") else "0"
os.makedirs(os.path.join(out, "structure"), exist_ok=True)
strays = [os.path.join(out, "summary.json.tmp." + dead), os.path.join(out, "structure", "structure_1.vti.tmp." + dead)]
for s in strays:
    open(s, "w").write("partial")
keep = os.path.join(out, "notes.txt")
open(keep, "w").write("mine")

# The same run, diverging: the old summary moves to stale/, no new summary appears.
r = harness.run([a.ionpath, "run", cfg] + small + ["--", "-cond_ksp_max_it", "1"], timeout=120)
harness.check(r.status == 1 and "DIVERGED_ITS" in r.err, "diverging re-run: exit 1 with the reason", r)
harness.check(not os.path.exists(os.path.join(out, "summary.json")), "no summary.json after the failure", r)
harness.check(os.path.exists(os.path.join(out, "stale", "summary.json")), "the old summary is in stale/", r)
harness.check("moved" in r.out and "stale" in r.out, "the move is reported", r)
harness.check(not any(os.path.exists(s) for s in strays), "temporaries of killed runs are removed", r)
harness.check(os.path.exists(keep), "other files are left alone", r)

# A good run, then a run killed with -9 while it solves: again no summary.json.
r = harness.run([a.ionpath, "run", cfg] + small, timeout=120)
harness.check(r.status == 0 and os.path.exists(os.path.join(out, "summary.json")), "good run again", r)
big = ["--set", "grid.n_cells=[64,64,64]", "--set", "experiment.type=bruce_vincent", "--set",
       "experiment.bruce_vincent.route=transient", "--output", out]
p = subprocess.Popen([a.ionpath, "run", cfg] + big, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                     start_new_session=True, text=True)
t0 = time.time()
def solving():  # the old results moved away and the new structure written
    return not os.path.exists(os.path.join(out, "summary.json")) and os.path.exists(os.path.join(out, "geometry.json"))
while time.time() - t0 < 60 and not solving():
    time.sleep(0.05)
time.sleep(0.5)
os.killpg(p.pid, signal.SIGKILL)
p.wait()
harness.check(p.returncode != 0 and time.time() - t0 < 60, "killed while solving")
harness.check(os.path.exists(os.path.join(out, "stale", "summary.json")), "killed run: old summary in stale/")
harness.check(not os.path.exists(os.path.join(out, "summary.json")), "killed run: no summary.json")
harness.finish()
