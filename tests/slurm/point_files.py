"""Point folders of a sweep result: `count DIR` prints how many points are done;
`snapshot DIR` prints, for every file of every done point, its path, SHA-256 and mtime (ns), so
two snapshots compare equal only if no finished point was touched."""
import hashlib
import json
import pathlib
import sys


def done_points(root):
    for status in sorted(pathlib.Path(root, "points").glob("*/status.json")):
        try:
            if json.loads(status.read_text()).get("status") == "done":
                yield status.parent
        except ValueError:
            pass  # written atomically, so never partial; unreadable would be a finding of the diff


mode, root = sys.argv[1], sys.argv[2]
if mode == "count":
    print(sum(1 for _ in done_points(root)))
else:
    for point in done_points(root):
        for f in sorted(p for p in point.rglob("*") if p.is_file()):
            print(f.relative_to(root), hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns)
