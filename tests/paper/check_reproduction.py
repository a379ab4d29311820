#!/usr/bin/python3
"""Regression check of examples/paper/reproduce.py at --resolution low (tests/paper/CMakeLists.txt).

Reads what the pipeline wrote and fails with a message when a stage failed, a figure the report
links to is missing, or a number leaves its tolerance. The tolerances are physics, not snapshots:
the pure gel must return its inputs, the composites must keep the paper's orderings, and the
low-resolution aligned/random values must stay within 10 % of the default-resolution ones
(measured 2026-12-01: sigma 1.019 / 0.501 mS/cm at 0.5 um; 1.014 / 0.533 at 2 um).
"""
import json
import os
import re
import sys

out = sys.argv[1]
errors = []


def check(ok, message):
    if not ok:
        errors.append(message)


def axis0(path):
    with open(os.path.join(out, path, "summary.json")) as f:
        return json.load(f)["axes"][0]


report = open(os.path.join(out, "report.md")).read()
for img in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report):
    check(os.path.isfile(os.path.join(out, img)), "report links to a missing figure %s" % img)
for line in report.splitlines():
    check("| failed |" not in line, "a stage failed: " + line)

s = {e: axis0(os.path.join("sigma_tplus", e)) for e in ("pure_gel", "random_mmt", "aligned_mmt")}
sigma = {e: 10.0 * v["sigma_eff_S_m"] for e, v in s.items()}
tp = {e: v["t_plus_linear"] for e, v in s.items()}
check(abs(sigma["pure_gel"] - 0.632) < 1e-6, "pure gel sigma %.6f mS/cm, its input is 0.632" % sigma["pure_gel"])
check(abs(tp["pure_gel"] - 0.42) < 1e-6, "pure gel t+ %.6f, its input is 0.42" % tp["pure_gel"])
check(sigma["aligned_mmt"] > sigma["pure_gel"] > sigma["random_mmt"], "sigma ordering aligned > pure > random lost: %s" % sigma)
check(tp["aligned_mmt"] > tp["pure_gel"] and tp["random_mmt"] <= tp["pure_gel"] + 1e-9, "t+ ordering lost: %s" % tp)
for e, ref in (("aligned_mmt", 1.019), ("random_mmt", 0.501)):
    check(abs(sigma[e] / ref - 1.0) < 0.10, "%s sigma %.4f mS/cm is more than 10 %% from %.3f" % (e, sigma[e], ref))
# Spec §8 item 14: the aligned walls block x (sigma_x below the gel's) and favour z.
with open(os.path.join(out, "tortuosity", "aligned_mmt", "summary.json")) as f:
    axes = {a["axis"]: a for a in json.load(f)["axes"]}
sx, sz = (10.0 * axes[k]["effective"]["sigma_eff_S_m"] for k in "xz")
check(sx < sigma["pure_gel"] and sz > sx, "aligned anisotropy lost: sigma_x %.4f, sigma_z %.4f mS/cm" % (sx, sz))
check(any(f.startswith("paraview_") for f in os.listdir(os.path.join(out, "figures"))), "no ParaView image")
# Uniform current on the homogeneous gel (spec §8 item 4: CV = 0), the walls concentrate it.
u = {e: {sc["scale"]: sc for sc in axis0(os.path.join("uniformity", e))["scales"]} for e in ("pure_gel", "aligned_mmt")}
check(u["pure_gel"]["face"]["full_face"]["cv"] < 1e-9, "pure gel electrode current not uniform")
check(u["aligned_mmt"]["face"]["full_face"]["cv"] > 0.1, "aligned walls do not concentrate the current")
# Spec §8 item 14 on the Fig. 5 fields: Li+ (and salt) accumulate in the charged walls.
import h5py  # noqa: E402
with h5py.File(os.path.join(out, "fig5", "aligned_mmt", "fields_under_current_z_steady.h5"), "r") as f:
    c_wall_max = float(max(v for v in f["fields"]["c_total"][...].ravel() if v == v))
with h5py.File(os.path.join(out, "fig5", "pure_gel", "fields_under_current_z_steady.h5"), "r") as f:
    c_gel_max = float(max(f["fields"]["c_total"][...].ravel()))
check(c_wall_max > 1.1 * c_gel_max, "no Donnan accumulation in the aligned walls (max c_total %.1f vs gel %.1f)" % (c_wall_max, c_gel_max))
check("## Resolution study" in report and "failed |" not in report.split("## Resolution study")[1].split("##")[0],
      "resolution study missing or incomplete")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print("reproduction at low resolution: sigma %s mS/cm, t+ %s" % ({k: round(v, 4) for k, v in sigma.items()},
                                                                  {k: round(v, 4) for k, v in tp.items()}))
