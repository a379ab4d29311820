"""Generators bound their work (issue 14): in-range values that would place more objects than
voxels or cost more than the stated limit are refused with the reason and the key, exit 2,
before any allocation; they used to run for minutes or grow to gigabytes."""
import os
import harness

a = harness.arguments()
ex = os.path.join(a.source, "examples/paper_electrolytes")
walls, platelets = os.path.join(ex, "aligned_mmt.yaml"), os.path.join(ex, "random_mmt.yaml")
grid = ["--set", "grid.n_cells=[16,16,16]"]
cases = [
    (walls, ["geometry.aligned_walls.spacing_m=1e-12", "geometry.aligned_walls.thickness_m=1e-13"],
     "key 'geometry.aligned_walls.spacing_m'.*more walls than voxels"),
    (walls, ["geometry.aligned_walls.bridges_per_m2=1e15"], "key 'geometry.aligned_walls.bridges_per_m2'.*more objects than voxels"),
    (walls, ["geometry.aligned_walls.bridges_per_m2=1e30"], "key 'geometry.aligned_walls.bridges_per_m2'.*more objects than voxels"),
    (walls, ["geometry.aligned_walls.waviness_amplitude_m=1e200"], "key 'geometry.aligned_walls.waviness_amplitude_m'.*above the limit"),
    (platelets, ["geometry.random_platelets.diameter_m=1e-9", "geometry.random_platelets.thickness_m=1e-9"],
     "key 'geometry.random_platelets.diameter_m'.*more objects than voxels"),
]
import re
for cfg, sets, pattern in cases:
    cmd = [a.ionpath, "validate", cfg] + grid
    for s in sets:
        cmd += ["--set", s]
    r = harness.run(cmd, timeout=30)
    harness.check(r.status == 2 and re.search(pattern, r.err), f"validate {' '.join(sets)}: exit 2, reason", r)

# Clustered platelets whose children land far outside a non-periodic box: found while generating.
out = os.path.join(a.work, "cluster")
r = harness.run([a.ionpath, "geometry", platelets] + grid + ["--set", "geometry.random_platelets.cluster_radius_m=5",
                 "--set", "geometry.side_walls=zero_flux", "--output", out], timeout=30)
harness.check(r.status == 2 and "cluster_radius_m" in r.err and "more would exceed the bound" in r.err,
              "cluster_radius_m = 5 m: exit 2 with the reason", r)
harness.check(r.seconds < 20, "refused quickly", r)
harness.finish()
