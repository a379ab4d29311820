#!/usr/bin/python3
"""Print the three paper electrolytes' simulated conductivity and t+ next to Li et al. (2022).

Usage: compare_paper.py OUT_DIR   (OUT_DIR/<name>/summary.json from `ionpath run`)
"""
import json
import sys

MEASURED = {  # Li et al., Nano-Micro Lett. 14:210 (2022): sigma (mS/cm), t+
    "pure_gel": ("CMP (pure gel)", 0.632, 0.42),
    "random_mmt": ("CMP/MMT (random)", 0.498, 0.38),
    "aligned_mmt": ("CMP/VAMMT (aligned)", 1.08, 0.80),
}


def main(out_dir):
    print(f"{'electrolyte':<22}{'sigma sim':>11}{'sigma paper':>13}{'t+ sim':>9}{'t+ paper':>10}   (mS/cm)")
    for key, (name, sigma_paper, t_paper) in MEASURED.items():
        with open(f"{out_dir}/{key}/summary.json") as f:
            axis = json.load(f)["axes"][0]
        print(f"{name:<22}{10 * axis['sigma_eff_S_m']:>11.3f}{sigma_paper:>13.3f}{axis['t_plus_linear']:>9.3f}{t_paper:>10.2f}")
    print("Parameters: spec §7.1 starting values (not calibrated); t+ is the linear Bruce-Vincent limit.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else (print(__doc__) or 2))
