#!/usr/bin/python3
"""Plots of an `ionpath sweep` results folder (called by `ionpath sweep --plot` and `--collect`).

    plot_sweep.py DIR [--y RESULT ...] [--x AXIS] [--line AXIS]

Writes DIR/plots/<result>__vs__<x>[__by__<line>].png: RESULT against the axis X, one line per value
of the axis LINE. With seeds, points are the ensemble means of table_ensemble.csv with their 95 %
t-interval as error bars. Axes that are neither X nor LINE are held at their first value (the
title says which). Defaults: every numeric result against every numeric axis with more than one
value, lines along the first other axis. Uses only numpy and matplotlib (Debian python3-*).
"""
import argparse
import csv
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

META = {"point_id", "index", "status", "exit_status", "failure_kind", "reason", "wall_time_s", "study_time_s",
        "ranks", "host", "started_utc", "finished_utc", "ionpath_version", "git_describe", "petsc_version",
        "mpi_version", "n_seeds"}


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def number(text):
    try:
        v = float(text)
        return v if math.isfinite(v) else None
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--y", nargs="*", help="result columns (default: every numeric result)")
    ap.add_argument("--x", help="axis on the horizontal axis (default: each numeric axis)")
    ap.add_argument("--line", help="axis with one line per value (default: the first other axis)")
    args = ap.parse_args()

    table_header, table_rows = read_csv(os.path.join(args.dir, "table.csv"))
    ensemble = os.path.join(args.dir, "table_ensemble.csv")
    seeds = os.path.exists(ensemble)
    header, rows = read_csv(ensemble) if seeds else (table_header, table_rows)
    if not seeds:
        rows = [r for r in rows if r[header.index("status")] == "done"]
    idx = {name: i for i, name in enumerate(header)}
    # Axes: the parameters every point's status.json names, in table order; the seed is averaged over.
    params = set()
    for r in table_rows:
        status = os.path.join(args.dir, "points", r[table_header.index("point_id")], "status.json")
        if os.path.exists(status):
            with open(status) as f:
                params = set(json.load(f).get("parameters", {}))
            break
    axes = [n for n in table_header if n in params and n != "seed" and n in idx]
    results = [n[:-5] for n in header if n.endswith(" mean")] if seeds else \
        [n for n in header if n not in META and n not in axes and n != "seed"]
    results = [r for r in results if any(number(row[idx[r + " mean" if seeds else r]]) is not None for row in rows)]
    if args.y:
        results = [r for r in results if r in args.y]
    numeric_axes = [a for a in axes if all(number(r[idx[a]]) is not None for r in rows)]
    x_axes = [args.x] if args.x else [a for a in numeric_axes if len({r[idx[a]] for r in rows}) > 1]
    out_dir = os.path.join(args.dir, "plots")
    os.makedirs(out_dir, exist_ok=True)
    written = 0
    for x in x_axes:
        others = [a for a in axes if a != x and len({r[idx[a]] for r in rows}) > 1]
        line = args.line if args.line else (others[0] if others else None)
        held = {a: rows[0][idx[a]] for a in others if a != line} if rows else {}
        subset = [r for r in rows if all(r[idx[a]] == v for a, v in held.items())]
        for y in results:
            col = idx[y + " mean" if seeds else y]
            fig, ax = plt.subplots(figsize=(6, 4))
            groups = {}
            for r in subset:
                groups.setdefault(r[idx[line]] if line else "", []).append(r)
            for label, grp in groups.items():
                pts = sorted((number(r[idx[x]]), number(r[col]), number(r[idx[y + " ci95"]]) if seeds else None)
                             for r in grp if number(r[col]) is not None)
                if not pts:
                    continue
                xs, ys, es = zip(*pts)
                name = f"{line} = {label}" if line else None
                if seeds:
                    ax.errorbar(xs, ys, yerr=[e or 0.0 for e in es], marker="o", capsize=3, label=name)
                else:
                    ax.plot(xs, ys, marker="o", label=name)
            ax.set_xlabel(x)
            ax.set_ylabel(y + (" (mean, 95 % t-interval over seeds)" if seeds else ""))
            if held:
                ax.set_title("held: " + ", ".join(f"{a}={v}" for a, v in held.items()), fontsize=8)
            if line:
                ax.legend(fontsize=8)
            fig.tight_layout()
            stem = f"{y}__vs__{x}" + (f"__by__{line}" if line else "")
            tmp = os.path.join(out_dir, f".{stem}.tmp.{os.getpid()}.png")
            fig.savefig(tmp, dpi=100)
            plt.close(fig)
            os.replace(tmp, os.path.join(out_dir, stem + ".png"))  # atomic, like every ionpath output
            written += 1
    print(f"[sweep] wrote {written} plots into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
