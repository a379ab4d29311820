#!/usr/bin/python3
"""Arrhenius plot of `ionpath run` arrhenius results: log10 sigma against 1000/T with the VTF and
ln(sigma T) fits from summary.json, and the linear-shortcut t+ against T.

    /usr/bin/python3 plot_arrhenius.py OUT.png LABEL=DIR [LABEL=DIR ...]

DIR is an output folder of `ionpath run` with experiment.type arrhenius (arrhenius_<axis>.csv and
summary.json). Uses numpy and matplotlib (Debian python3-numpy, python3-matplotlib)."""
import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

R = 8.314462618


def load(folder: Path):
    summary = json.loads((folder / "summary.json").read_text())
    axis = summary["axes"][0]
    lines = [l for l in (folder / axis["table"]).read_text().splitlines() if not l.startswith("#")]
    table = np.genfromtxt(lines, delimiter=",", names=True)
    return axis, table


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out = Path(argv[1])
    fig, (ax_s, ax_t) = plt.subplots(1, 2, figsize=(10, 4.2))
    for spec in argv[2:]:
        label, folder = spec.split("=", 1)
        axis, t = load(Path(folder))
        line = ax_s.plot(t["invT_1000_K"], np.log10(t["sigma_mS_cm"]), "o", label=label)[0]
        T = np.linspace(t["T_K"].min(), t["T_K"].max(), 200)
        if axis.get("vtf"):
            v = axis["vtf"]
            s = v["A_S_m_K0.5"] / np.sqrt(T) * np.exp(-v["B_K"] / (T - v["T0_K"]))
            ax_s.plot(1000 / T, np.log10(10 * s), "-", color=line.get_color(), lw=1,
                      label=f"  VTF B = {v['B_K']:.0f} K, T0 = {v['T0_K']:.0f} K")
        # ln(sigma T) line through the data's mean: E_a from the fit.
        Ea = 1e3 * axis["E_a_ln_sigmaT_kJ_mol"]
        lnsT = np.log(t["sigma_S_m"] * t["T_K"])
        c = np.mean(lnsT + Ea / (R * t["T_K"]))
        ax_s.plot(1000 / T, np.log10(10 * np.exp(c - Ea / (R * T)) / T), ":", color=line.get_color(), lw=1,
                  label=f"  Arrhenius ln(sigma T): {axis['E_a_ln_sigmaT_kJ_mol']:.2f} kJ/mol")
        ax_t.plot(t["T_C"], t["t_plus_linear_1"], "o-", color=line.get_color(), label=label)
    ax_s.set_xlabel("1000 / T (1/K)")
    ax_s.set_ylabel("log10 sigma_eff (mS/cm)")
    ax_s.set_title("sigma_eff, predicted from cited laws")
    ax_s.legend(fontsize=7, loc="lower left")
    secondary = ax_s.secondary_xaxis("top", functions=(lambda x: 1000 / np.maximum(x, 1e-9) - 273.15,
                                                       lambda c: 1000 / (c + 273.15)))
    secondary.set_xlabel("T (C)")
    ax_t.set_xlabel("T (C)")
    ax_t.set_ylabel("t+ (linear Bruce-Vincent)")
    ax_t.set_ylim(0, 1)
    ax_t.set_title("t+ = G[sigma+]/G[sigma]")
    ax_t.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=130)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
