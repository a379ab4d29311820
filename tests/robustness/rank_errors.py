"""An error on one rank reaches the user once and ends every rank (issue 14): the two-rank
`geometry` whose structure.pvd is a directory on rank 0 used to hang in the collective HDF5 write;
a rank that fails alone while another waits in a collective call must abort every rank."""
import os
import harness

a = harness.arguments()
cfg = os.path.join(a.source, "examples/paper_electrolytes/pure_gel.yaml")
out = os.path.join(a.work, "out")
os.makedirs(os.path.join(out, "structure.pvd"))
r = harness.run([a.mpiexec, "-n", "2", a.ionpath, "geometry", cfg, "--set", "grid.n_cells=[12,12,16]",
                 "--output", out], timeout=60)
harness.check(r.status not in (0, "timeout"), "2 ranks, rank-0 write fails: non-zero exit, no hang", r)
harness.check(r.text.count("Is a directory") == 1 and "structure.pvd" in r.text, "the cause is printed once", r)
harness.check(not os.path.exists(os.path.join(out, "geometry.json")), "nothing reads as a result", r)

# A rank that fails alone while the other waits in a collective: MPI_Abort after the grace period.
r = harness.run([a.mpiexec, "-n", "2", a.probe], timeout=60, env={"IONPATH_ERROR_GRACE_S": "1"})
harness.check(r.status not in (0, "timeout"), "lone failing rank: non-zero exit, no hang", r)
harness.check(r.text.count("probe: rank 0 failed alone") == 1, "its message is printed once", r)
harness.check(r.seconds < 30, "ended within the grace period", r)

# Every rank fails alike: a clean exit (no abort) with the message once.
r = harness.run([a.mpiexec, "-n", "2", a.probe, "all"], timeout=60)
harness.check(r.status == 1, "all ranks fail: exit 1", r)
harness.check(r.text.count("probe: every rank failed") == 1 and "MPI_ABORT" not in r.text, "message once, no abort", r)
harness.finish()
