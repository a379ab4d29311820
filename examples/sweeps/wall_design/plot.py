"""Figures and a summary of the wall-design study (README.md) from the two sweeps' table.csv.

Usage: /usr/bin/python3 plot.py OUT_DIR   (OUT_DIR holds aligned/ and random/ from run.sh)
Writes OUT_DIR/figures/*.png and prints the numbers README.md quotes. Every value is the mean
over the seeds of one design, the error bar the sample standard deviation over those seeds.
"""
import csv
import math
import pathlib
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SPACING = "geometry.aligned_walls.spacing_m"
THICKNESS = "geometry.aligned_walls.thickness_m"
LOADING = "geometry.random_platelets.weight_fraction"
CLUSTER = "geometry.random_platelets.cluster_radius_m"
PAPER_WALL_FRACTION = 0.152  # 13.2 wt % MMT as dense MMT:PEO walls (spec §6.1)


def read(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["status"] == "done"]


def number(text):
    return float(text) if text not in ("", None) else math.nan


def ensemble(rows, keys, column, experiment):
    """{(key values): (mean, std, n)} of `column` over the seeds of each design."""
    groups = defaultdict(list)
    for r in rows:
        if r["experiment.type"] == experiment:
            groups[tuple(float(r[k]) for k in keys)].append(number(r[column]))
    out = {}
    for k, v in groups.items():
        v = [x for x in v if not math.isnan(x)]
        if not v:
            continue
        mean = sum(v) / len(v)
        std = math.sqrt(sum((x - mean) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
        out[k] = (mean, std, len(v))
    return out


def line_plot(stats, x_label, line_label, y_label, title, path, x_scale=1.0, line_scale=1.0, y_scale=1.0,
              line_fmt="{:g}", log_y=False):
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    if log_y:
        ax.set_yscale("log")
    for line in sorted({k[1] for k in stats}):
        xs = sorted(k[0] for k in stats if k[1] == line)
        m = [stats[(x, line)][0] * y_scale for x in xs]
        s = [stats[(x, line)][1] * y_scale for x in xs]
        ax.errorbar([x * x_scale for x in xs], m, yerr=s, marker="o", ms=4, capsize=3,
                    label=line_label + " " + line_fmt.format(line * line_scale))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def heat_map(stats, path, title, label, y_scale):
    spacings = sorted({k[0] for k in stats})
    thicknesses = sorted({k[1] for k in stats})
    grid = [[stats.get((s, t), (math.nan,))[0] * y_scale for s in spacings] for t in thicknesses]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(spacings)), [f"{s * 1e6:g}" for s in spacings])
    ax.set_yticks(range(len(thicknesses)), [f"{t * 1e6:g}" for t in thicknesses])
    for i, t in enumerate(thicknesses):
        for j, s in enumerate(spacings):
            if not math.isnan(grid[i][j]):
                ax.text(j, i, f"{grid[i][j]:.2f}", ha="center", va="center", fontsize=7, color="w")
    # The paper's loading: thickness = 0.152 x spacing, drawn through the cell centres.
    xs = [j for j, s in enumerate(spacings)]
    ys = [(PAPER_WALL_FRACTION * s - thicknesses[0]) / (thicknesses[1] - thicknesses[0]) for s in spacings]
    ax.plot(xs, ys, "w--", lw=1, label="thickness = 0.152 x spacing (13.2 wt %)")
    ax.set_ylim(-0.5, len(thicknesses) - 0.5)
    ax.set_xlabel("wall spacing (um)")
    ax.set_ylabel("wall thickness (um)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    fig.colorbar(im, label=label)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(out):
    out = pathlib.Path(out)
    figures = out / "figures"
    figures.mkdir(exist_ok=True)
    aligned = read(out / "aligned" / "table.csv")
    random = read(out / "random" / "table.csv")
    a_keys, r_keys = (SPACING, THICKNESS), (LOADING, CLUSTER)
    um, ms = 1e6, 10.0  # m -> um, S/m -> mS/cm

    sz = ensemble(aligned, a_keys, "z.sigma_eff_S_m", "conductivity")
    tp = ensemble(aligned, a_keys, "z.t_plus_linear_1", "transference")
    tau = ensemble(aligned, a_keys, "z.tortuosity_factor_1", "conductivity")
    gtau = ensemble(aligned, a_keys, "z.geometric_tortuosity_factor_1", "conductivity")
    an = ensemble(aligned, a_keys, "anisotropy_ratio_1", "conductivity")
    cv = ensemble(aligned, a_keys, "z.uniformity.face.cv_1", "current_uniformity")
    common = dict(x_label="wall spacing (um)", line_label="wall", x_scale=um, line_scale=um, line_fmt="{:g} um")
    line_plot(sz, y_label="sigma_eff along z (mS/cm)", title="aligned walls: conductivity along the transport axis",
              path=figures / "aligned_sigma_z.png", y_scale=ms, **common)
    line_plot(tp, y_label="t+ along z (linear Bruce-Vincent)", title="aligned walls: Li+ transference number",
              path=figures / "aligned_t_plus_z.png", **common)
    line_plot(tau, y_label="tortuosity factor along z (eps sigma_gel / sigma_eff)",
              title="aligned walls: effective tortuosity factor (< 1: walls conduct Li+)",
              path=figures / "aligned_tortuosity_z.png", **common)
    line_plot(gtau, y_label="geometric tortuosity factor along z", title="aligned walls: geometric tortuosity (walls insulate)",
              path=figures / "aligned_geometric_tortuosity_z.png", **common)
    line_plot(an, y_label="anisotropy sigma_max / sigma_min (x, y, z)", title="aligned walls: anisotropy",
              path=figures / "aligned_anisotropy.png", log_y=True, **common)
    line_plot(cv, y_label="CV of the electrode current (face cells, ideal electrodes)",
              title="aligned walls: electrode-current non-uniformity", path=figures / "aligned_current_cv.png", **common)
    heat_map(cv, figures / "aligned_current_cv_map.png", "aligned walls: electrode-current CV, mean of 3 seeds", "CV", 1.0)
    heat_map(sz, figures / "aligned_sigma_z_map.png", "aligned walls: sigma_eff along z (mS/cm), mean of 3 seeds",
             "mS/cm", ms)
    heat_map(tp, figures / "aligned_t_plus_map.png", "aligned walls: t+ along z, mean of 3 seeds", "t+", 1.0)

    rs = ensemble(random, r_keys, "z.sigma_eff_S_m", "conductivity")
    rtau = ensemble(random, r_keys, "z.tortuosity_factor_1", "conductivity")
    ran = ensemble(random, r_keys, "anisotropy_ratio_1", "conductivity")
    rcommon = dict(x_label="clay loading (wt %)", line_label="cluster radius", x_scale=100, line_scale=um,
                   line_fmt="{:g} um")
    line_plot(rs, y_label="sigma_eff along z (mS/cm)", title="random clustered platelets: conductivity",
              path=figures / "random_sigma_z.png", y_scale=ms, **rcommon)
    line_plot(rtau, y_label="tortuosity factor along z", title="random clustered platelets: tortuosity factor",
              path=figures / "random_tortuosity_z.png", **rcommon)
    line_plot(ran, y_label="anisotropy sigma_max / sigma_min", title="random clustered platelets: anisotropy",
              path=figures / "random_anisotropy.png", **rcommon)

    def best(stats, scale=1.0):
        k = max(stats, key=lambda k: stats[k][0])
        return f"{stats[k][0] * scale:.3f} +- {stats[k][1] * scale:.3f} at spacing {k[0] * um:g} um, wall {k[1] * um:g} um"

    print(f"aligned: {len(aligned)} points done, random: {len(random)} points done")
    print("aligned highest sigma_z (mS/cm):", best(sz, ms))
    print("aligned highest t+_z:", best(tp))
    for s in sorted({k[0] for k in sz}):
        row = "  ".join(f"{sz[(s, t)][0] * ms:.3f}/{tp[(s, t)][0]:.3f}" for t in sorted({k[1] for k in sz}) if (s, t) in sz and (s, t) in tp)
        print(f"  spacing {s * um:4g} um: sigma_z mS/cm / t+ per wall thickness: {row}")
    seed_spread = max(v[1] / v[0] for v in sz.values() if v[0] > 0)
    print(f"aligned largest seed-to-seed spread of sigma_z: {100 * seed_spread:.1f} % of the mean")
    print(f"aligned electrode-current CV range: {min(v[0] for v in cv.values()):.3f} .. {max(v[0] for v in cv.values()):.3f}"
          f" (lowest at spacing {min(cv, key=lambda k: cv[k][0])[0] * um:g} um, wall {min(cv, key=lambda k: cv[k][0])[1] * um:g} um)")
    print(f"aligned anisotropy range: {min(v[0] for v in an.values()):.2f} .. {max(v[0] for v in an.values()):.2f}")
    for c in sorted({k[1] for k in rs}):
        row = "  ".join(f"{k[0] * 100:g}%: {rs[k][0] * ms:.3f}" for k in sorted(rs) if k[1] == c)
        print(f"  random, cluster radius {c * um:g} um: sigma_z mS/cm {row}")
    print(f"figures in {figures}")


if __name__ == "__main__":
    main(sys.argv[1])
