#!/usr/bin/python3
"""compare_tables.py A.csv B.csv [rtol]: same points, statuses and parameters; every result column
equal to rtol (timings, hosts, dates, rank counts and provenance may differ). Also checks that the
result columns carry units."""
import csv
import math
import sys

SKIP = {"wall_time_s", "study_time_s", "ranks", "host", "started_utc", "finished_utc", "command_line", "git_describe",
        "ionpath_version", "petsc_version", "mpi_version", "reason"}


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


a, b = load(sys.argv[1]), load(sys.argv[2])
rtol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9
assert len(a) == len(b) and len(a) > 0, (len(a), len(b))
assert list(a[0].keys()) == list(b[0].keys()), "columns differ"
for needed in ("z.sigma_eff_S_m", "z.tortuosity_factor_1", "wall_time_s", "study_time_s", "ranks", "status", "point_id"):
    assert needed in a[0], f"missing column {needed}"
for ra, rb in zip(a, b):
    for k in ra:
        if k in SKIP:
            continue
        x, y = ra[k], rb[k]
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            assert x == y, (ra["point_id"], k, x, y)
            continue
        if math.isnan(fx) and math.isnan(fy):
            continue
        assert abs(fx - fy) <= rtol * max(abs(fx), abs(fy)) + 1e-300, (ra["point_id"], k, x, y)
print(f"tables agree: {len(a)} rows, {len(a[0])} columns, rtol {rtol}")
