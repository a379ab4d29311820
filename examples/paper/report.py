"""report.md of the paper reproduction (called by reproduce.py): numbers read from ionpath's files."""
import json
import math
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def summary(path):
    """axes[0] of an ionpath summary.json, or None when the run did not write one."""
    f = os.path.join(path, "summary.json")
    if not os.path.isfile(f):
        return None
    with open(f) as fh:
        return json.load(fh)["axes"][0]


def sigma_tplus(out, electrolytes):
    rows = {}
    for e in electrolytes:
        s = summary(os.path.join(out, "sigma_tplus", e))
        if s is not None:
            rows[e] = {"sigma_mS_cm": 10.0 * s["sigma_eff_S_m"], "t_plus": s["t_plus_linear"],
                       "bound": s.get("wiener_bound_t_plus")}
    return rows


def save_figure(fig, out, name):
    """OUT/figures/NAME at 120 dpi; returns the path relative to OUT for the report's link."""
    fig.tight_layout()
    path = os.path.join(out, "figures", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return os.path.relpath(path, out)


def ordering(values, keys, tie):
    """'a > b = c' for keys sorted by value, highest first; values closer than `tie` are equal."""
    ranked = sorted(keys, key=lambda k: -values[k])
    text = ranked[0]
    for prev, k in zip(ranked, ranked[1:]):
        text += (" = " if values[prev] - values[k] < tie else " > ") + k
    return text


def figure_sigma_tplus(out, rows, measured, electrolytes):
    names = [measured[e]["name"] for e in electrolytes]
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.4))
    x = range(len(electrolytes))
    for i, (key, label) in enumerate((("sigma_mS_cm", "conductivity (mS/cm)"), ("t_plus", "Li+ transference number"))):
        ax[i].bar([k - 0.2 for k in x], [measured[e][key] for e in electrolytes], 0.4, label="measured (Li et al. 2022)")
        ax[i].bar([k + 0.2 for k in x], [rows[e][key] if e in rows else 0.0 for e in electrolytes], 0.4, label="ionpath")
        ax[i].set_xticks(list(x))
        ax[i].set_xticklabels(names, rotation=15, fontsize=8)
        ax[i].set_ylabel(label)
    ax[0].legend(fontsize=8)
    return save_figure(fig, out, "sigma_tplus.png")


def section_sigma_tplus(out, measured, electrolytes, params):
    rows = sigma_tplus(out, electrolytes)
    if len(rows) < len(electrolytes):
        return ["## Conductivity and transference number", "", "Not run (see the stage table).", ""]
    src = ("the calibrated parameters `%s`" % os.path.relpath(params, out)) if params else \
        "the specification's starting parameters (spec §7.1; no calibration on record)"
    lines = ["## Conductivity and transference number", "",
             "σ_eff from a `conduction` solve along z (σ = I L/(A ΔV), blocking electrodes, the paper's impedance "
             "measurement) and t+ = G[σ+]/G[σ+ + σ−] (the linear Bruce–Vincent limit, spec §1.6), with %s." % src, "",
             "| electrolyte | σ sim (mS/cm) | σ paper | rel. error | t+ sim | t+ paper | Δt+ | Wiener bound on t+ |",
             "|---|---|---|---|---|---|---|---|"]
    for e in electrolytes:
        r, m = rows[e], measured[e]
        lines.append("| %s | %.3f | %.3f | %+.1f %% | %.3f | %.2f | %+.3f | %s |" % (
            m["name"], r["sigma_mS_cm"], m["sigma_mS_cm"], 100.0 * (r["sigma_mS_cm"] / m["sigma_mS_cm"] - 1.0),
            r["t_plus"], m["t_plus"], r["t_plus"] - m["t_plus"], "%.3f" % r["bound"] if r["bound"] is not None else "—"))
    sim_s = {e: rows[e]["sigma_mS_cm"] for e in electrolytes}
    sim_t = {e: rows[e]["t_plus"] for e in electrolytes}
    meas_s = {e: measured[e]["sigma_mS_cm"] for e in electrolytes}
    meas_t = {e: measured[e]["t_plus"] for e in electrolytes}
    # Ties: 0.5 % in sigma, 0.005 in t+ (below what the measurements resolve).
    lines += ["", "Orderings (paper → ionpath; values within 0.5 %% in σ or 0.005 in t+ count as equal): "
              "σ %s → %s; t+ %s → %s." % (
                  ordering(meas_s, electrolytes, 0.005 * max(meas_s.values())), ordering(sim_s, electrolytes, 0.005 * max(sim_s.values())),
                  ordering(meas_t, electrolytes, 0.005), ordering(sim_t, electrolytes, 0.005)), "",
        "![sigma and t+](%s)" % figure_sigma_tplus(out, rows, measured, electrolytes), ""]
    return lines


def section_tortuosity(out, measured, electrolytes):
    lines = ["## Tortuosity and anisotropy", "",
             "σ_eff along each axis (electrodes normal to it, the other faces periodic or closed as configured). "
             "τ = ε σ_ref/σ_eff is the tortuosity factor with ε the conducting volume fraction (docs/physics.md); "
             "`effective` uses every phase's parameters (τ < 1 where the walls conduct better than gel), `geometric` "
             "treats clay and walls as insulating (pure geometry, τ ≥ 1). Anisotropy = σ_z/√(σ_x σ_y).", "",
             "| electrolyte | σ_x | σ_y | σ_z (mS/cm) | anisotropy | τ_z effective | τ_z geometric | τ_x geometric |",
             "|---|---|---|---|---|---|---|---|"]
    found = False
    for e in electrolytes:
        f = os.path.join(out, "tortuosity", e, "summary.json")
        if not os.path.isfile(f):
            continue
        with open(f) as fh:
            axes = {a["axis"]: a for a in json.load(fh)["axes"]}
        if set(axes) != {"x", "y", "z"}:
            continue
        found = True
        sig = {k: 10.0 * axes[k]["effective"]["sigma_eff_S_m"] for k in "xyz"}
        aniso = sig["z"] / (sig["x"] * sig["y"]) ** 0.5 if sig["x"] > 0 and sig["y"] > 0 else float("inf")

        def tau(k, variant):
            v = axes[k].get(variant, {}).get("tortuosity_factor")
            return "%.3f" % v if isinstance(v, (int, float)) else "blocked"

        lines.append("| %s | %.4f | %.4f | %.4f | %s | %s | %s | %s |" % (
            measured[e]["name"], sig["x"], sig["y"], sig["z"], "%.3f" % aniso if aniso != float("inf") else "∞",
            tau("z", "effective"), tau("z", "geometric"), tau("x", "geometric")))
    if not found:
        return lines[:2] + ["Not run (see the stage table).", ""]
    return lines + [""]


def section_uniformity(out, measured, electrolytes):
    head = ["## Current uniformity at the electrode", "",
            "Normal current density on every face cell of the low electrode from the conduction solution (ideal "
            "electrodes: the upper limit of non-uniformity), then box-averaged over w × w windows (docs/experiments.md). "
            "CV = standard deviation / mean; A50 = smallest area fraction carrying half the current (0.5 = uniform). "
            "Wa = σ_eff (V_T/i0)/ℓ ≫ 1 means Butler–Volmer kinetics would flatten the current below the scale ℓ.", ""]
    rows, scales = {}, []
    for e in electrolytes:
        s = summary(os.path.join(out, "uniformity", e))
        if s is None:
            continue
        rows[e] = {sc["scale"]: sc for sc in s["scales"]}
        rows[e]["_wa"] = s.get("wagner_number")
        for sc in s["scales"]:
            if sc["scale"] not in scales:
                scales.append(sc["scale"])
    if not rows:
        return head[:2] + ["Not run (see the stage table).", ""]
    lines = head + ["| scale | " + " | ".join("%s CV / max÷mean / A50" % measured[e]["name"] for e in rows) + " |",
                    "|---|" + "---|" * len(rows)]
    for sc in scales:
        cells = []
        for e in rows:
            f = rows[e].get(sc, {}).get("full_face")
            cells.append("%.3f / %.2f / %.3f" % (f["cv"], f["max_over_mean"], f["a50"]) if f else "—")
        lines.append("| %s | %s |" % (sc, " | ".join(cells)))
    lines += ["", "Wagner numbers: " + ", ".join("%s %.0f" % (measured[e]["name"], rows[e]["_wa"]) for e in rows
                                                 if isinstance(rows[e]["_wa"], (int, float))) + ".", ""]
    return lines


def section_resolution(out, measured, electrolytes):
    lines = ["## Resolution study", "",
             "The same box at voxel size h/2 and 2h. A number is called converged when |x(h) − x(h/2)| is below 2 % of "
             "σ (spec §1.1) or 0.01 in t+; the Richardson estimate of the error of x(h/2) for a second-order scheme is "
             "(x(h) − x(h/2))/3 (first order: x(h) − x(h/2)). Voxelised inclusions often converge at first order.", "",
             "| electrolyte | σ(2h) | σ(h) | σ(h/2) | converged | t+(2h) | t+(h) | t+(h/2) | converged |",
             "|---|---|---|---|---|---|---|---|---|"]
    any_row = False
    for e in electrolytes:
        base = summary(os.path.join(out, "sigma_tplus", e))
        half = summary(os.path.join(out, "resolution", e, "h_half"))
        double = summary(os.path.join(out, "resolution", e, "h_double"))
        if base is None:
            continue
        any_row = True

        def cell(s, key, scale=1.0):
            return "%.4f" % (scale * s[key]) if s is not None else "failed"

        def conv(key, tol, rel):
            if half is None:
                return "—"
            d = abs(base[key] - half[key])
            return "yes" if d <= (tol * abs(half[key]) if rel else tol) else "no (%.3g)" % d

        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            measured[e]["name"], cell(double, "sigma_eff_S_m", 10), cell(base, "sigma_eff_S_m", 10),
            cell(half, "sigma_eff_S_m", 10), conv("sigma_eff_S_m", 0.02, True), cell(double, "t_plus_linear"),
            cell(base, "t_plus_linear"), cell(half, "t_plus_linear"), conv("t_plus_linear", 0.01, False)))
    if not any_row:
        return lines[:2] + ["Not run (see the stage table).", ""]
    return lines + ["", "σ in mS/cm.", ""]


def section_fig5(out, measured, electrolytes):
    """c_total and phi of the steady state under 1 A/m2, side by side at common colour scales."""
    import h5py
    import numpy as np
    files = {e: os.path.join(out, "fig5", e, "fields_under_current_z_steady.h5") for e in electrolytes}
    files = {e: f for e, f in files.items() if os.path.isfile(f)}
    if len(files) < len(electrolytes):
        return ["## Fig. 5: fields under current", "", "Not run (see the stage table).", ""]
    data = {}
    for e, f in files.items():
        with h5py.File(f, "r") as h:
            data[e] = {k: np.array(h["fields"][k])[:, 0, :] for k in ("c_total", "phi")}
    fig, ax = plt.subplots(2, len(electrolytes), figsize=(3.3 * len(electrolytes), 6.8), constrained_layout=True)
    for row, (key, label) in enumerate((("c_total", "c_total = c+ + c− (mol/m³)"), ("phi", "φ (V, right electrode 0)"))):
        lo = min(np.nanmin(d[key]) for d in data.values())
        hi = max(np.nanmax(d[key]) for d in data.values())
        for col, e in enumerate(electrolytes):
            im = ax[row][col].imshow(data[e][key], origin="lower", vmin=lo, vmax=hi, cmap="viridis", aspect="equal")
            ax[row][col].set_title("%s: %s" % (measured[e]["name"], key), fontsize=7)
            ax[row][col].set_xlabel("x (cells)", fontsize=7)
            ax[row][col].set_ylabel("z (cells)", fontsize=7)
        fig.colorbar(im, ax=ax[row], shrink=0.8, label=label)
    path = os.path.join(out, "figures", "fig5_steady.png")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    lines = ["## Fig. 5: fields under current", "",
             "`fields_under_current` (spec §5.6): Li | electrolyte | Li, 1 A/m² (the paper's 0.1 mA/cm²), electroneutral "
             "Nernst–Planck with fixed charge, a 2D x–z section (80 µm × 100 µm, one voxel in y; the aligned walls keep "
             "their waviness in y–z, which this section cuts), steady state. Same colour scale per row; white = clay (no "
             "electrolyte). In the aligned composite c_total is high in the walls (Donnan uptake of Li+ by the fixed "
             "charge) and φ shows the walls' Donnan offset; the random composite's φ stays close to the gel's. The `.pvd` series "
             "(equilibrium, 0.1, 1, 10 τ_d, steady) is in `fig5/<electrolyte>/`.", "",
             "![Fig. 5 steady state](figures/fig5_steady.png)", "",
             "| electrolyte | steady cell voltage (mV) | i_lim (A/m²) | c_total range (mol/m³) |", "|---|---|---|---|"]
    for e in electrolytes:
        s = summary(os.path.join(out, "fig5", e)) or {}
        d = data[e]["c_total"]
        lines.append("| %s | %s | %s | %.0f – %.0f |" % (
            measured[e]["name"], "%.3f" % (1e3 * s["steady_voltage_V"]) if "steady_voltage_V" in s else "—",
            "%.1f" % s["i_lim_A_m2"] if isinstance(s.get("i_lim_A_m2"), (int, float)) else "—", np.nanmin(d), np.nanmax(d)))
    return lines + [""]


def read_csv(path):
    """Columns of an ionpath CSV ('# ' provenance lines, then a header) as lists of floats."""
    with open(path) as f:
        rows = [line.strip().split(",") for line in f if line.strip() and not line.startswith("#")]
    return {name: [float(r[i]) for r in rows[1:]] for i, name in enumerate(rows[0])}


def figure_current_history(out, runs, measured):
    """I(t)/I(first step) of every Bruce-Vincent transient against t/tau_d."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for (e, kind), (s, csv) in sorted(runs.items()):
        t = [x / s["tau_d_s"] for x in csv["t_s"]]
        ax.semilogx(t, [i / s["I0_first_step_A"] for i in csv["current_A"]], "-" if kind == "ideal" else "--",
                    label="%s, %s" % (measured[e]["name"], "ideal Li" if kind == "ideal" else "Butler-Volmer"))
    ax.set_xlabel("t / tau_d")
    ax.set_ylabel("I(t) / I(first step)")
    ax.set_title("Bruce-Vincent transients, 10 mV step", fontsize=9)
    ax.legend(fontsize=7)
    return save_figure(fig, out, "bruce_vincent_current.png")


def transient_grid_note(setup):
    h = "%.2g µm voxels" % (setup["transient_voxel_m"] * 1e6)
    if setup["transient_box"] == "full":
        return "the transients on the same full boxes at " + h
    return ("the transients on a reduced cross-section of the full 60 µm thickness at " + h + " (one wall period of "
            "the aligned walls, a third of the random box; `--bv-transient full` runs them on the full boxes, "
            "minutes per run)")


def section_bruce_vincent(out, measured, electrolytes, setup):
    head = ["## Bruce–Vincent transference number: shortcut, steady state, transient", ""]
    rows, runs = {}, {}
    for e in electrolytes:
        d = os.path.join(out, "bruce_vincent", e)
        r = {k: summary(os.path.join(d, k)) for k in ("steady", "transient_ideal", "transient_bv", "transient_bv_1mV")}
        if None in r.values():
            continue
        rows[e] = r
        for kind in ("ideal", "bv"):
            s = r["transient_" + kind]
            csv = os.path.join(d, "transient_" + kind, s["current_history"])
            if os.path.isfile(csv):
                runs[(e, kind)] = (s, read_csv(csv))
    if not rows:
        return head + ["Not run (see the stage table).", ""]
    lines = head + [
        "Li | electrolyte | Li, 10 mV step, electroneutral Nernst–Planck with fixed charge (spec §5.3). Three routes: "
        "the **linear shortcut** t+ = G[σ+]/G[σ+ + σ−] (spec §1.6), the **steady** route (I_0 from the conduction "
        "solve, I_s from the steady nonlinear state, ideal Li: t+ = I_s/I_0), and the **transient** route (the step "
        "integrated in time to steady state; ideal Li: t+ = I_s/I_0; Butler–Volmer (BV) Li with i0 = 2V_T/(R A) from "
        "the paper's interfacial resistance R: the paper's corrected t+ = I_s(ΔV − I_0R_0)/(I_0(ΔV − I_sR_s))). "
        "Steady route on the full boxes at h; " + transient_grid_note(setup) + ", each with its own shortcut on its "
        "own grid, so Δt+ compares like with like. R: %s Ω over an assumed "
        "%.0f cm² (the random composite has no measured value: the pure gel's is used). R_b = ΔV/I_0 − R_0 (at 1 mV) is the "
        "bulk resistance of the simulated cell." % (
            ", ".join("%s %.0f" % (measured[e]["name"], setup["interfacial_ohm"][e]) for e in electrolytes),
            1e4 * setup["electrode_area_m2"]), "",
        "| electrolyte | shortcut (full box) | steady I_s/I_0 (full box) | shortcut (transient grid) | transient ideal "
        "I_s/I_0 | BV corrected, 10 mV | BV corrected, 1 mV | BV I_s/I_0 uncorrected | R_0/R_b | \|Δt+\| ideal | "
        "\|Δt+\| BV 10 mV |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    big = []
    for e, r in rows.items():
        st, ideal, bv, bv1 = r["steady"], r["transient_ideal"], r["transient_bv"], r["transient_bv_1mV"]
        ref = ideal["t_plus_linear"]
        d_ideal = max(abs(ideal["t_plus"] - ref), abs(st["t_plus"] - st["t_plus_linear"]))
        d_bv = abs(bv["t_plus_corrected"] - ref)
        r_b = bv1["voltage_V"] / bv1["I0_A"] - bv1["R0_ohm"]  # at 1 mV: the kinetics' own nonlinearity is out of it
        lines.append("| %s | %.5f | %.5f | %.5f | %.5f | %.5f | %.5f | %.5f | %.0f | %.4f | %.4f |" % (
            measured[e]["name"], st["t_plus_linear"], st["t_plus"], ref, ideal["t_plus"], bv["t_plus_corrected"],
            bv1["t_plus_corrected"], bv["t_plus"], bv1["R0_ohm"] / r_b, d_ideal, d_bv))
        if d_ideal > 0.01:
            big.append(e)
    gel_note = ""
    if "pure_gel" in rows:
        g = rows["pure_gel"]["transient_bv_1mV"]
        u = g["voltage_V"] / (4.0 * 0.025693)  # V_T at 298.15 K
        gel_note = "the homogeneous gel's corrected t+ is %.5f at 1 mV, %.1e from its ideal value t+ tanh(u)/u = %.5f." % (
            g["t_plus_corrected"], abs(g["t_plus_corrected"] - g["t_plus_linear"] * math.tanh(u) / u),
            g["t_plus_linear"] * math.tanh(u) / u)
    lines += ["", "**Ideal electrodes.** The routes differ from the shortcut by the nonlinearity of the 10 mV step "
              "alone: for a homogeneous electrolyte I_s/I_0 = t+ tanh(u)/u with u = ΔV/(4V_T), 0.42 → 0.41868 "
              "(spec §5.3). " + ("Every |Δt+| is below 0.01: the linear shortcut the other stages use stands for the "
                                 "Bruce–Vincent experiment with reversible electrodes." if not big else
                                 "**|Δt+| > 0.01 for %s**, more than the nonlinearity explains: reported, not hidden "
                                 "(logs/bv_*)." % ", ".join(measured[e]["name"] for e in big)), "",
              "**Butler–Volmer electrodes with the paper's resistances: the corrected t+ misses the shortcut by more "
              "than 0.01, for two reasons.** (1) With these resistances R_0 is 100–150 R_b (column R_0/R_b; a "
              "~100 µm membrane of 2 cm², the paper's thickness not being given, has R_b ≈ 5–10 Ω: the same "
              "regime), so ΔV − I_0R_0 and ΔV − I_sR_s are each ~1 % of ΔV and "
              "the formula amplifies any error of the small-signal R_0, R_s by R_0/R_b. At 10 mV each interface "
              "carries η ≈ 5 mV, where its BV drop is below the small-signal I R_ct by (η/2V_T)²/6 ≈ 0.16 %: "
              "comparable to the bulk's share itself. That error falls with ΔV²: {gel} (2) On the "
              "composites a difference stays at 1 mV (and 0.1 mV, docs/experiments.md): the formula treats R_0 as one "
              "resistor in series with an unchanged bulk, which is exact for the homogeneous gel (spec §8 item 6) "
              "but not when kinetics much stronger than the bulk spread the current over the face by area while the "
              "walls (no transport across them) keep the columns between them from exchanging it. The "
              "ideal-electrode t+ is the structure's; the BV-corrected number is a property of structure and "
              "electrodes together, and the paper's 0.80 would have been measured in this regime.".replace("{gel}", gel_note)]
    if runs:
        lines += ["", "I(t) of every transient: `bruce_vincent/<electrolyte>/transient_{ideal,bv}/bruce_vincent_z.csv`.", "",
                  "![Bruce-Vincent current histories](%s)" % figure_current_history(out, runs, measured)]
    return lines + [""]


def section_temperature(out, measured, electrolytes):
    head = ["## Temperature: σ and t+ from 0 to 65 °C", ""]
    axes = {}
    for e in electrolytes:
        s = summary(os.path.join(out, "temperature", e))
        if s is not None:
            axes[e] = s
    if len(axes) < len(electrolytes):
        return head + ["Not run (see the stage table).", ""]
    lines = head + [
        "**A prediction, made before any comparison.** σ and t+ at 0–65 °C come from the room-temperature parameters "
        "of the three electrolytes (the ones of the σ/t+ stage) carried to other temperatures by one cited law, not "
        "from the paper's data: VTF fitted to Valøen & Reimers, J. Electrochem. Soc. 152 (2005) A882, eq. 17, for 1 M "
        "LiPF6 in carbonates (B = 666.9 K, T0 = 112.8 K; `examples/paper_temperature/README.md`). The paper shows its "
        "0–65 °C data only as a figure; ionpath does not digitise or fit it, so nothing below is compared with it.", "",
        "**t+ is temperature independent here, and that prediction cannot fail.** Every phase has the same D(T) law, "
        "so all conductances scale by one factor and every ratio of them — t+ and the orderings of σ — is the same "
        "at every temperature, exactly. It is a consequence of the input, not a finding.", "",
        "| electrolyte | σ 0 °C | σ 25 °C | σ 65 °C (mS/cm) | t+ min–max | E_a ln σ (kJ/mol) | E_a ln σT | VTF B (K) | "
        "VTF T0 (K) | AICc ln σ / ln σT / VTF | supports |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for e in electrolytes:
        a = axes[e]
        sig = {round(T - 273.15): 10.0 * s for T, s in zip(a["T_K"], a["sigma_S_m"])}
        v = a.get("vtf") or {}
        lc = a.get("law_comparison") or {}
        aicc = {c["law"]: c["aicc"] for c in lc.get("candidates", [])}

        def pm(key):
            return "%.2f ± %.2f" % (a[key + "_kJ_mol"], a[key + "_stderr_kJ_mol"])

        def vpm(key):
            stderr = key.replace("_K", "_stderr_K")
            return "%.1f ± %.2g" % (v[key], v[stderr]) if key in v and stderr in v else "—"

        lines.append("| %s | %.3f | %.3f | %.3f | %.4f–%.4f | %s | %s | %s | %s | %s | %s (ΔAICc %.1f) |" % (
            measured[e]["name"], sig.get(0, float("nan")), sig.get(25, float("nan")), sig.get(65, float("nan")),
            min(a["t_plus_linear"]), max(a["t_plus_linear"]), pm("E_a_ln_sigma"), pm("E_a_ln_sigmaT"), vpm("B_K"),
            vpm("T0_K"), " / ".join("%.1f" % aicc[k] if k in aicc else "—" for k in ("arrhenius_ln_sigma",
                                                                                     "arrhenius_ln_sigmaT", "vtf")),
            lc.get("preferred", "—"), lc.get("delta_aicc_to_next", float("nan"))))
    lines += ["", "Standard errors from the fits' residuals (docs/experiments.md, `arrhenius`). The curve supports VTF "
              "because the law put in is VTF: which law the data support becomes informative only on measured data. "
              "What would make the prediction able to fail: a cited law for the PEO–MMT interphase or separate D+ and "
              "D− laws.", ""]
    png = os.path.join(out, "figures", "arrhenius.png")
    if os.path.isfile(png):
        lines += ["![Arrhenius plot](figures/arrhenius.png)", ""]
    return lines


def section_paraview(out):
    fig = os.path.join(out, "figures")
    pngs = sorted(f for f in os.listdir(fig) if f.startswith("paraview_")) if os.path.isdir(fig) else []
    if not pngs:
        return ["## Fields rendered by ParaView", "", "Not run (see the stage table).", ""]
    lines = ["## Fields rendered by ParaView", "",
             "Rendered by Debian's ParaView 5.11 (`pvbatch`, `examples/paper/render_fields.py`) from the `.pvd` files "
             "ionpath wrote (`tortuosity/<electrolyte>/fields_z.pvd`: potential and current density of the conduction "
             "solve along z; `fig5/<electrolyte>/fields_under_current_z.pvd`: c_total and φ at the last member of the "
             "series, the steady state), mid-plane x–z slices at one colour scale per quantity.", ""]
    lines += ["![%s](figures/%s)" % (p, p) for p in pngs]
    return lines + [""]


def section_calibration(out, measured):
    """The fit of calibration.yaml: parameters with standard errors, residuals, chi2, AIC, flags."""
    f = os.path.join(out, "calibration", "calibration.json")
    if not os.path.isfile(f):
        return ["## Calibration", "", "Not run (see the stage table): σ and t+ below use the specification's "
                "starting parameters.", ""]
    with open(f) as fh:
        j = json.load(fh)
    lines = ["## Calibration", "",
             "`ionpath calibrate examples/paper/calibration.yaml`: bounded least squares (PETSc TAO `%s`) of the "
             "default four-parameter model shared by the three electrolytes, from %d Latin-hypercube starts; "
             "residuals r = ln(σ_model/σ_meas)/u (u = 5 %%) and (t+_model − t+_meas)/u (u = 0.03), χ² = Σ r², "
             "AIC = χ² + 2k. Standard errors from (JᵀJ)⁻¹ × reduced χ² (exact J from the conduction solves)."
             % (j["tao_type"], len(j["starts"])), "",
             "| parameter | value | standard error | bounds | at a bound |", "|---|---|---|---|---|"]
    for q in j["parameters"]:
        se = q.get("standard_error")
        lines.append("| %s (`%s`) | %.4g | %s | [%.3g, %.3g] | %s |" % (
            q["name"], ", ".join(q["keys"]), q["value"], "%.2g (%.0f %%)" % (se, 100 * q["relative_standard_error"])
            if se is not None else "n/a", q["bounds"][0], q["bounds"][1], q["at_bound"]))
    lines += ["", "| target | measured | model | residual |", "|---|---|---|---|"]
    for t in j["targets"]:
        unit = 10.0 if t["quantity"] == "sigma_S_m" else 1.0  # S/m -> mS/cm
        name = "σ (mS/cm)" if t["quantity"] == "sigma_S_m" else "t+"
        lines.append("| %s %s | %.3f | %.3f | %+.2f |" % (measured[t["structure"]]["name"], name, unit * t["measured"],
                                                        unit * t["model"], t["residual"]))
    wb = {x["name"]: x["wiener_bound_t_plus"] for x in j["structures"]}
    lines += ["", "χ² = %.2f with %d targets and k = %d (reduced χ² %.2f), AIC = %.2f; %d distinct minima; %d solves "
              "in %.0f s. Identifiable: %s%s. Wiener bound ⟨σ+⟩/σ_eff on t+ at the fit: %s." % (
                  j["chi2"], j["n_targets"], j["k"], j["reduced_chi2"], j["aic"], len(j["distinct_minima"]), j["solves"],
                  j["wall_time_s"], "yes" if j["identifiable"] else "**no**",
                  "" if j["identifiable"] else " (" + "; ".join(j.get("identifiability_reasons", [])) + ")",
                  ", ".join("%s %.3f" % (measured[k]["name"], v) for k, v in wb.items())), ""]
    return lines


def command_line(args):
    words = ["--resolution", args.resolution, "--ranks", str(args.ranks)]
    if args.bv_transient != "reduced":
        words += ["--bv-transient", args.bv_transient]
    if args.bv_transient_voxel_um:
        words += ["--bv-transient-voxel-um", "%g" % args.bv_transient_voxel_um]
    return " ".join(words)


def write(out, args, stages, total_s, measured, electrolytes, params, bv_setup):
    lines = ["# Li et al. (2022) reproduced by ionpath", "",
             "Generated by `examples/paper/reproduce.sh %s` on %s; every number below is read "
             "from the files ionpath wrote in this folder." % (command_line(args), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
             "", "## Stages", "", "| stage | status | wall time (s) | note |", "|---|---|---|---|"]
    for s in stages:
        note = s["note"].splitlines()[0] if s["note"] else ""
        lines.append("| %s | %s | %.1f | %s |" % (s["name"], s["status"], s["seconds"], note.replace("|", "/")))
    lines += ["| **total** | | **%.1f** | |" % total_s, ""]
    lines += section_calibration(out, measured)
    lines += section_sigma_tplus(out, measured, electrolytes, params)
    lines += section_tortuosity(out, measured, electrolytes)
    lines += section_uniformity(out, measured, electrolytes)
    lines += section_resolution(out, measured, electrolytes)
    lines += section_fig5(out, measured, electrolytes)
    lines += section_bruce_vincent(out, measured, electrolytes, bv_setup)
    lines += section_temperature(out, measured, electrolytes)
    lines += section_paraview(out)
    path = os.path.join(out, "report.md")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path
