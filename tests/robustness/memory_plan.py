"""A run that would not fit in memory is refused before allocating, with the estimate (issue 14:
1e9 cells per axis ended in std::bad_alloc); `ionpath run --dry-run` prints the estimate, the
decomposition and the solver."""
import os
import re
import harness

a = harness.arguments()
gel = os.path.join(a.source, "examples/paper_electrolytes/pure_gel.yaml")
huge = ["--set", "grid.n_cells=[1000000000,1000000000,1000000000]"]
for cmd in (["run"], ["geometry"]):
    out = os.path.join(a.work, cmd[0])
    r = harness.run([a.ionpath] + cmd + [gel] + huge + ["--output", out], timeout=60)
    harness.check(r.status == 2 and "refused before allocating" in r.err and "does NOT fit" in r.err
                  and "bad_alloc" not in r.text, f"{cmd[0]} at 1e9^3: refused with the estimate, exit 2", r)
    harness.check(not os.path.exists(out), f"{cmd[0]}: nothing written", r)

r = harness.run([a.mpiexec, "-n", "2", a.ionpath, "run", gel, "--dry-run", "--set", "grid.n_cells=[64,64,64]",
                 "--set", "experiment.type=conductivity"], timeout=60)
harness.check(r.status == 0, "dry run of a small run: exit 0", r)
harness.check(re.search(r"split 1 x 1 x 2 \(largest box 64 x 64 x 32\)", r.out) is not None, "decomposition", r)
harness.check("matrix-free CG" in r.out and re.search(r"memory: \d+ MB per rank", r.out) is not None, "solver and memory", r)
harness.check(r.out.count("plan:") == 1, "printed once (rank 0)", r)
r = harness.run([a.ionpath, "run", gel, "--dry-run", "--set", "grid.n_cells=[8,8,8]", "--set",
                 "experiment.type=conductivity"], timeout=60)
harness.check(r.status == 0 and "assembled CG + GAMG" in r.out, "small grids: the assembled solver", r)
r = harness.run([a.ionpath, "run", gel, "--dry-run", "--set", "grid.n_cells=[4000,4000,4000]"], timeout=60)
harness.check(r.status == 2 and "does NOT fit" in r.out, "dry run of a run too big: exit 2", r)
harness.finish()
