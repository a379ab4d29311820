"""Checkpoint / restart of long runs through the CLI (issue 14): `ionpath run` of a transient is
killed with SIGKILL once it has written a checkpoint, `ionpath run --restart` continues it, and
its summary.json, I(t) / V(t) CSV, .pvd series and snapshot fields equal those of a run that was
never stopped to 1e-12 relative (bit for bit, measured). The unbroken run writes no checkpoint at
all (every_seconds too long): where the wall clock puts the writes does not change a result,
because BDF restarts at every restart point (every_steps) whether it writes there or not.
Cases: Bruce-Vincent transient (potentiostatic, Butler-Volmer) at 1 rank, fields_under_current
(galvanostatic, with snapshots) at 1 and 2 ranks, on a 3D cell above the transient direct limit, so
the Newton steps use GAMG: the preconditioner a resumed run rebuilds (by replaying the first two
steps) is checked too, and the linear solver is deterministic at 2 ranks (MUMPS is not). Also: a changed configuration refuses to resume
(exit 2, the checkpoint stays), and --restart without a checkpoint starts from the beginning."""
import glob
import json
import math
import os
import signal
import subprocess
import time

import harness

a = harness.arguments()
walls = os.path.join(a.source, "tests/app/parallel_walls.yaml")
STEPS = ["--set", "output.checkpoint.every_steps=5"]
NEVER = ["--set", "output.checkpoint.every_seconds=1e6"]  # restart points, but no write
ALWAYS = ["--set", "output.checkpoint.every_seconds=0"]   # a write at every restart point
CASES = {
    "bruce_vincent": ["--set", "experiment.type=bruce_vincent", "--set", "experiment.bruce_vincent.route=transient",
                      "--set", "experiment.bruce_vincent.exchange_current_density_A_m2=100"],
    "fields_under_current": ["--set", "experiment.type=fields_under_current",
                             "--set", "experiment.fields_under_current.snapshot_times_tau=[0.1,1,3]"],
}
COMMON = ["--set", "grid.n_cells=[16,2,24]", "--set", "experiment.axes=[z]",
          "--set", "phases.wall.fixed_charge_mol_m3=627"] + STEPS


def command(np, out, case, extra):
    cmd = [a.ionpath, "run", walls, "--output", out] + COMMON + CASES[case] + extra
    return ([a.mpiexec, "--oversubscribe", "-n", str(np)] if np > 1 else []) + cmd


def run_killed(np, out, case):
    """Starts the run with a checkpoint at every restart point and kills it (SIGKILL, every rank)
    once it has replaced its first checkpoint; returns whether it was killed mid-run."""
    p = subprocess.Popen(command(np, out, case, ALWAYS), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, **harness.MPI_ENV), start_new_session=True)
    ckpt, first, t0 = os.path.join(out, "checkpoint_z.h5"), None, time.time()
    while p.poll() is None and time.time() - t0 < 120:
        try:
            ino = os.stat(ckpt).st_ino
        except FileNotFoundError:
            ino = None
        if first is None:
            first = ino
        elif ino is not None and ino != first:  # a second checkpoint is in place: kill now
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return True
        time.sleep(0.01)
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    return False


def rel(x, y):
    return abs(x - y) / max(abs(x), abs(y), 1e-300)


def compare_json(x, y, path, worst):
    if isinstance(x, dict):
        if set(x) != set(y):
            return f"{path}: keys differ"
        for k in x:
            if k == "provenance":
                continue
            e = compare_json(x[k], y[k], path + "." + k, worst)
            if e:
                return e
    elif isinstance(x, list):
        if len(x) != len(y):
            return f"{path}: {len(x)} vs {len(y)} items"
        for i, (u, v) in enumerate(zip(x, y)):
            e = compare_json(u, v, f"{path}[{i}]", worst)
            if e:
                return e
    elif isinstance(x, float) or isinstance(y, float):
        worst[0] = max(worst[0], rel(float(x), float(y)))
    elif x != y:
        return f"{path}: {x!r} vs {y!r}"
    return ""


def csv_rows(path):
    return [[float(v) for v in line.split(",")] for line in open(path)
            if line.strip() and not line.startswith("#") and not line[0].isalpha()]


def compare_results(ref, got, what):
    worst = [0.0]
    sa, sb = (json.load(open(os.path.join(d, "summary.json"))) for d in (ref, got))
    err = compare_json(sa, sb, "summary", worst)
    harness.check(not err, f"{what}: summary.json has the same structure and counts ({err or 'equal'})")
    csvs = sorted(os.path.basename(f) for f in glob.glob(os.path.join(ref, "*.csv")))
    harness.check(bool(csvs), f"{what}: the unbroken run wrote a CSV")
    for name in csvs:
        ra, rb = csv_rows(os.path.join(ref, name)), csv_rows(os.path.join(got, name))
        same = len(ra) == len(rb) and all(len(u) == len(v) for u, v in zip(ra, rb))
        harness.check(same, f"{what}: {name} has all {len(ra)} rows (restarted: {len(rb)})")
        if same:
            for u, v in zip(ra, rb):
                worst[0] = max([worst[0]] + [rel(p, q) for p, q in zip(u, v)])
    for pvd in glob.glob(os.path.join(ref, "fields_under_current_*.pvd")):
        other = os.path.join(got, os.path.basename(pvd))
        harness.check(os.path.exists(other) and open(pvd).read() == open(other).read(),
                      f"{what}: {os.path.basename(pvd)} lists the same snapshots")
    worst[0] = max(worst[0], compare_snapshots(ref, got, what))
    harness.check(worst[0] <= 1e-12, f"{what}: restarted = unbroken to 1e-12 relative (worst {worst[0]:.3g})")
    print(f"{what}: largest relative difference {worst[0]:.3g}")


def compare_snapshots(ref, got, what):
    """Largest relative difference over the snapshot fields (HDF5), NaN = NaN."""
    try:
        import h5py
        import numpy as np
    except ImportError:
        return 0.0
    worst = 0.0
    for f in sorted(glob.glob(os.path.join(ref, "fields_under_current_*_t*.h5"))):
        g = os.path.join(got, os.path.basename(f))
        harness.check(os.path.exists(g), f"{what}: {os.path.basename(f)} is there")
        if not os.path.exists(g):
            continue
        with h5py.File(f, "r") as x, h5py.File(g, "r") as y:
            names = []
            x.visit(lambda n: names.append(n) if isinstance(x[n], h5py.Dataset) and x[n].dtype.kind == "f" else None)
            for n in names:
                u, v = np.asarray(x[n], dtype=float), np.asarray(y[n], dtype=float)
                ok = np.isfinite(u) & np.isfinite(v)
                scale = max(float(np.max(np.abs(u[ok]))) if ok.any() else 0.0, 1e-300)
                worst = max(worst, float(np.max(np.abs(u[ok] - v[ok]))) / scale if ok.any() else 0.0)
                harness.check(np.array_equal(np.isnan(u), np.isnan(v)), f"{what}: {n} NaN where the unbroken run's is")
    return worst


def restart_case(case, np, refuse=False):
    what = f"{case} at {np} rank(s)"
    ref, out = os.path.join(a.work, f"{case}_np{np}_unbroken"), os.path.join(a.work, f"{case}_np{np}_killed")
    r = harness.run(command(np, ref, case, NEVER), timeout=180)
    harness.check(r.status == 0, f"{what}: unbroken run", r)
    harness.check(not glob.glob(os.path.join(ref, "checkpoint_*")), f"{what}: a finished run leaves no checkpoint", r)
    killed = run_killed(np, out, case)
    harness.check(killed, f"{what}: killed with SIGKILL after its second checkpoint (not finished before)")
    harness.check(os.path.exists(os.path.join(out, "checkpoint_z.h5")) and
                  not os.path.exists(os.path.join(out, "summary.json")), f"{what}: a checkpoint and no summary")
    if refuse:
        r = harness.run(command(np, out, case, ALWAYS + ["--restart", "--set", "electrolyte.temperature_K=300"]),
                        timeout=120)
        harness.check(r.status == 2 and "belongs to another configuration" in r.err and "checkpoint_z.h5" in r.err,
                      f"{what}: --restart with a changed configuration is refused (exit 2, names the file)", r)
        harness.check(os.path.exists(os.path.join(out, "checkpoint_z.h5")), f"{what}: the refused checkpoint stays")
    r = harness.run(command(np, out, case, ALWAYS + ["--restart"]), timeout=180)
    harness.check(r.status == 0 and "resuming from the checkpoints" in r.out, f"{what}: --restart resumes", r)
    harness.check(not os.path.exists(os.path.join(out, "checkpoint_z.h5")), f"{what}: the checkpoint is removed at the end")
    if r.status == 0:
        compare_results(ref, out, what)


restart_case("bruce_vincent", 1)
restart_case("fields_under_current", 1, refuse=True)
restart_case("fields_under_current", 2)

# --restart where there is nothing to resume: a plain run from the beginning, said so.
plain = os.path.join(a.work, "plain")
r = harness.run([a.ionpath, "run", walls, "--output", plain, "--restart"], timeout=60)
harness.check(r.status == 0 and "no checkpoint in" in r.out and "starting from the beginning" in r.out,
              "--restart without a checkpoint runs from the start and says so", r)
harness.finish()
