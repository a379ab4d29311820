#!/usr/bin/python3
"""Figure of the PNP clay-slit example (docs/images/clay_slit_pnp.png).

Usage: scripts/plot_clay_slit.py OUT_DIR [PNG]
OUT_DIR holds fields_y.h5 from `ionpath run examples/nanoscale/clay_slit_pnp.yaml --output OUT_DIR`.
Left: c+ over the slit. Right: c+, c- and c0 across the slit, averaged over the middle third of
its length (away from the bath entrances).
"""
import json
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

out_dir = sys.argv[1]
png = sys.argv[2] if len(sys.argv) > 2 else "docs/images/clay_slit_pnp.png"
with h5py.File(f"{out_dir}/fields_y.h5", "r") as f:
    cp = f["fields/c_plus"][0]  # (ny, nx): y along the slit, x across
    cm = f["fields/c_minus"][0]
    phase = f["fields/phase"][0]
with open(f"{out_dir}/summary.json") as f:
    axis = json.load(f)["axes"][0]
h_nm = 0.04
ny, nx = cp.shape
mid = slice(ny // 3, 2 * ny // 3)
x = (np.arange(nx) + 0.5) * h_nm

fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
im = a.imshow(np.ma.masked_where(cp == 0, cp), origin="lower", extent=[0, nx * h_nm, 0, ny * h_nm], cmap="viridis")
a.set_xlabel("x across the slit (nm)")
a.set_ylabel("y along the slit (nm)")
a.set_title("c+ (mol/m3)")
fig.colorbar(im, ax=a)
b.plot(x, np.ma.masked_where(cp[mid].mean(axis=0) == 0, cp[mid].mean(axis=0)), label="c+")
b.plot(x, np.ma.masked_where(cm[mid].mean(axis=0) == 0, cm[mid].mean(axis=0)), label="c-")
b.axhline(390, color="gray", ls=":", label="c0 (bath)")
b.set_yscale("log")
b.set_xlabel("x across the slit (nm)")
b.set_ylabel("concentration (mol/m3)")
b.set_title(f"sigma_rel {axis['sigma_rel']:.3f}, t+ {axis['t_plus']:.3f} (gel 0.42)")
b.legend()
fig.tight_layout()
fig.savefig(png, dpi=110)
print("wrote", png)
