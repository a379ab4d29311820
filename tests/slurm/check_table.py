"""Checks a sweep's table.csv: N rows, every status done, distinct point ids; optionally the same
results as a second table (same ids, numeric result columns equal to a relative tolerance).
Usage: check_table.py TABLE.csv N [OTHER.csv RTOL]"""
import csv
import math
import sys


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def column(header, *names):
    for n in header:
        if n.split(" ")[0].split("[")[0] in names:
            return n
    sys.exit(f"{names} not among the columns {header}")


table = rows(sys.argv[1])
n = int(sys.argv[2])
assert len(table) == n, f"{len(table)} rows, expected {n}"
status, pid = column(list(table[0]), "status"), column(list(table[0]), "id", "point_id")
bad = [(r[pid], r[status]) for r in table if r[status] != "done"]
assert not bad, f"points not done: {bad}"
assert len({r[pid] for r in table}) == n, "point ids repeat"
sigma = [c for c in table[0] if "sigma_eff" in c]
assert sigma, f"no sigma_eff column in {list(table[0])}"
for r in table:
    for c in sigma:
        if r[c] != "":
            assert float(r[c]) > 0, f"{r[pid]}: {c} = {r[c]}"
if len(sys.argv) > 3:
    other = {r[pid]: r for r in rows(sys.argv[3])}
    rtol = float(sys.argv[4])
    assert set(other) == {r[pid] for r in table}, "the two tables hold different points"
    for r in table:
        for c in sigma:
            a, b = float(r[c] or "nan"), float(other[r[pid]][c] or "nan")
            assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= rtol * abs(b), f"{r[pid]} {c}: {a} vs {b}"
print(f"{sys.argv[1]}: {n} points done, {len(sigma)} sigma columns checked")
