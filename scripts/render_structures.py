#!/usr/bin/python3
"""Render three orthogonal mid-slices of ionpath structures (HDF5 /fields/phase) to PNG.

Usage: render_structures.py OUT.png STRUCTURE.h5 [STRUCTURE.h5 ...]
One row per file; columns are the x-y, x-z and y-z mid-planes. Phase colours follow the
built-in labels (gel 0, wall 1, clay 2, interface 3, void 4).
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

COLOURS = ["#f2e6c9", "#7a4b2a", "#3b6fb6", "#e0523a", "#222222"]
NAMES = ["gel", "wall", "clay", "interface", "void"]


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, files = argv[1], argv[2:]
    fig, axes = plt.subplots(len(files), 3, figsize=(12, 3.8 * len(files)), squeeze=False)
    cmap = ListedColormap(COLOURS)
    for row, path in enumerate(files):
        with h5py.File(path, "r") as f:
            phase = f["fields/phase"][...]  # shape [nz, ny, nx]
            h_um = float(f.attrs["voxel_size_m"]) * 1e6
        nz, ny, nx = phase.shape
        slices = [
            (phase[nz // 2, :, :], "x-y plane (mid z)", "x (um)", "y (um)", nx, ny),
            (phase[:, ny // 2, :], "x-z plane (mid y)", "x (um)", "z (um)", nx, nz),
            (phase[:, :, nx // 2], "y-z plane (mid x)", "y (um)", "z (um)", ny, nz),
        ]
        for col, (img, title, xl, yl, n0, n1) in enumerate(slices):
            ax = axes[row][col]
            ax.imshow(img, cmap=cmap, vmin=-0.5, vmax=4.5, origin="lower", interpolation="nearest",
                      extent=[0, n0 * h_um, 0, n1 * h_um])
            ax.set_title(f"{path.split('/')[-2] if '/' in path else path}: {title}", fontsize=9)
            ax.set_xlabel(xl)
            ax.set_ylabel(yl)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS]
    fig.legend(handles, NAMES, loc="lower center", ncol=5)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
