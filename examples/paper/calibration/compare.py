#!/usr/bin/env python3
"""Mechanism comparison (docs/mechanisms.md): reads out/calibration/<variant>/calibration.json of
every variant in this folder and prints a markdown table of fitted values with standard errors,
chi2, k and AIC = chi2 + 2k, the model value of every target and parameters at a bound.
Usage: compare.py [OUT_DIR]   (default out/calibration)"""
import json
import pathlib
import sys

VARIANTS = ["default", "m_a_gel_near_clay", "m_b_sodium", "m_c_thick_interphase", "m_d_porous_walls"]
TARGETS = [("pure_gel", "sigma_S_m"), ("aligned_mmt", "sigma_S_m"), ("random_mmt", "sigma_S_m"),
           ("pure_gel", "t_plus"), ("aligned_mmt", "t_plus"), ("random_mmt", "t_plus")]


def fmt_value(p):
    se = p.get("standard_error")
    flag = "" if p["at_bound"] == "no" else f" **at {p['at_bound']} bound**"
    return f"{p['name']} = {p['value']:.4g}" + (f" ± {se:.2g}" if se is not None else " ± n/a") + flag


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out/calibration")
    rows = []
    for v in VARIANTS:
        f = out / v / "calibration.json"
        if not f.exists():
            rows.append((v, None))
            continue
        rows.append((v, json.loads(f.read_text())))
    best = min((j["aic"] for _, j in rows if j), default=None)
    print("| variant | k | χ² | AIC | ΔAIC | " + " | ".join(f"{s} {q}" for s, q in TARGETS) + " |")
    print("|---|---|---|---|---|" + "---|" * len(TARGETS))
    for v, j in rows:
        if j is None:
            print(f"| {v} | not run |" + " |" * (3 + len(TARGETS)))
            continue
        model = {(t["structure"], t["quantity"]): t for t in j["targets"]}
        cells = []
        for key in TARGETS:
            t = model.get(key)
            unit = 10.0 if key[1] == "sigma_S_m" else 1.0  # S/m -> mS/cm
            cells.append("—" if t is None else f"{unit * t['model']:.3f} ({t['residual']:+.1f})")
        print(f"| {v} | {j['k']} | {j['chi2']:.2f} | {j['aic']:.2f} | {j['aic'] - best:+.2f} | " + " | ".join(cells) + " |")
    print()
    for v, j in rows:
        if j is None:
            continue
        wb = {s["name"]: s["wiener_bound_t_plus"] for s in j["structures"]}
        print(f"- **{v}**: " + "; ".join(fmt_value(p) for p in j["parameters"]) +
              f". Wiener bound of t+ at the fit: aligned {wb.get('aligned_mmt', float('nan')):.3f}, "
              f"random {wb.get('random_mmt', float('nan')):.3f}; identifiable: {j['identifiable']}"
              + ("" if j["identifiable"] else f" ({'; '.join(j.get('identifiability_reasons', []))})")
              + f"; {len(j['distinct_minima'])} distinct minima; {j['solves']} solves, {j['wall_time_s']:.0f} s.")


if __name__ == "__main__":
    main()
