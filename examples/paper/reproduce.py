#!/usr/bin/python3
"""Reproduce Li et al., Nano-Micro Lett. 14:210 (2022) with ionpath: one command, one report.

    examples/paper/reproduce.sh [--resolution low|default|high] [--ranks 2] [--output out/paper]
                                [--bv-transient reduced|full] [--bv-transient-voxel-um H]

Runs the ionpath commands stage by stage (calibration, sigma and t+ of the three electrolytes,
Fig. 5 fields under current, electrode-current uniformity, the Bruce-Vincent routes,
the temperature prediction, a resolution study), then writes OUTPUT/report.md with PNG
figures. Every number in the report is read back from the files ionpath wrote; a stage whose
ionpath feature is missing is reported as not run, with the reason, never filled in.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import report  # noqa: E402  (examples/paper/report.py)

# The paper's measurements (room temperature; ../shared/reference/paper.md).
MEASURED = {
    "pure_gel": {"name": "CMP (pure gel)", "sigma_mS_cm": 0.632, "t_plus": 0.42},
    "random_mmt": {"name": "CMP/MMT (random)", "sigma_mS_cm": 0.498, "t_plus": 0.38},
    "aligned_mmt": {"name": "CMP/VAMMT (aligned)", "sigma_mS_cm": 1.08, "t_plus": 0.80},
}
ELECTROLYTES = list(MEASURED)

# Physical boxes are those of examples/paper_electrolytes/*.yaml (0.5 um voxels, spec §7.1); a
# resolution sets the voxel size h and keeps the box. `low` (2 um) is for the regression test.
RESOLUTIONS_M = {"low": 2.0e-6, "default": 0.5e-6, "high": 0.25e-6}
# The calibration's voxel size relative to h, and its Latin-hypercube starts (measured on 2 cores:
# docs/paper.md). At low resolution 2 um is already the coarsest grid that still resolves a wall.
CALIBRATION_SCALE = {"low": 1.0, "default": 2.0, "high": 2.0}
CALIBRATION_STARTS = {"low": 2, "default": 3, "high": 4}
BOX_M = {e: [0.5e-6 * n for n in cells] for e, cells in
         {"pure_gel": (80, 80, 120), "random_mmt": (120, 120, 120), "aligned_mmt": (160, 80, 120)}.items()}
# Bruce-Vincent transients (spec §5.3): by default (--bv-transient reduced) on the full 60 um
# thickness but a reduced cross-section (one wall period for the aligned walls, a third of the
# random box), ~5 s each; --bv-transient full runs them on the boxes above, 1-6 min each at 1 um
# (2 cores, docs/experiments.md). Voxels of at least 1 um unless --bv-transient-voxel-um says otherwise.
BV_TRANSIENT_BOX_M = {"pure_gel": (10e-6, 10e-6, 60e-6), "random_mmt": (20e-6, 20e-6, 60e-6),
                      "aligned_mmt": (20e-6, 10e-6, 60e-6)}
BV_TRANSIENT_MIN_H_M = 1.0e-6
# The paper's interfacial resistances against Li (326 ohm aligned, 669 ohm pure gel); none was
# measured for the random composite, whose electrode also touches the gel: the pure gel's is used.
# The cell area is not given: 2 cm2 assumed (docs/experiments.md, bruce_vincent).
INTERFACIAL_OHM = {"pure_gel": 669.0, "random_mmt": 669.0, "aligned_mmt": 326.0}
ELECTRODE_AREA_M2 = 2.0e-4
# The temperature prediction's configs (examples/paper_temperature/, cited law inside) and their
# boxes (half the paper boxes per axis); a resolution sets h in the box as above.
TEMPERATURE_BOX_M = {e: [0.5e-6 * n for n in cells] for e, cells in
                     {"pure_gel": (40, 40, 60), "random_mmt": (60, 60, 60), "aligned_mmt": (80, 40, 60)}.items()}


class Pipeline:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.output)
        self.ionpath = args.ionpath
        self.stages = []  # (name, seconds, status, note)
        self.env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                        OMPI_MCA_btl_vader_single_copy_mechanism="none", OMPI_MCA_rmaps_base_oversubscribe="1")
        self.params = None  # calibrated parameter file, once the calibration stage made one
        self.calibration = None  # how the fit was made (voxel size, starts), for the report

    # --- running ionpath ---------------------------------------------------------------------
    def ionpath_cmd(self, *args, ranks=None):
        n = ranks or self.args.ranks
        mpi = ["mpiexec", "-n", str(n), "--oversubscribe"] if n > 1 else []
        return mpi + [self.ionpath] + [str(a) for a in args]

    def run(self, *args, ranks=None, log=None):
        cmd = self.ionpath_cmd(*args, ranks=ranks)
        with open(log, "w") if log else open(os.devnull, "w") as f:
            f.write("$ " + " ".join(cmd) + "\n")
            f.flush()
            r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=self.env)
        if r.returncode != 0:
            tail = open(log).read()[-2000:] if log else ""
            raise RuntimeError("ionpath failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), tail))

    def has_command(self, name):
        r = subprocess.run([self.ionpath, "--help"], capture_output=True, text=True, env=self.env)
        return any(line.strip().startswith(name + " ") for line in r.stdout.splitlines())

    def has_experiment(self, name):
        r = subprocess.run([self.ionpath, "config-reference"], capture_output=True, text=True, env=self.env)
        return ("`experiment.%s" % name) in r.stdout or ("experiment.%s." % name) in r.stdout

    def config(self, electrolyte):
        return os.path.join(ROOT, "examples", "paper_electrolytes", electrolyte + ".yaml")

    def grid_overrides(self, electrolyte, scale=1.0, box=None, h=None):
        """--set arguments for voxel size h (default: resolution x scale) in a box (default: the electrolyte's)."""
        h = h or RESOLUTIONS_M[self.args.resolution] * scale
        cells = [max(1, int(round(b / h))) for b in (box or BOX_M[electrolyte])]
        return ["--set", "grid.n_cells=[%d,%d,%d]" % tuple(cells), "--set", "grid.voxel_size_m=%.6g" % h]

    def param_args(self):
        return ["--params", self.params] if self.params else []

    # --- stages --------------------------------------------------------------------------------
    def stage(self, name, fn):
        t0 = time.monotonic()
        if not self.args.quiet:
            print("[%s] %s ..." % (time.strftime("%H:%M:%S"), name), flush=True)
        try:
            note = fn() or ""
            status = "done"
        except NotAvailable as e:
            status, note = "not run", str(e)
        except Exception as e:  # a failed stage is reported, the others still run
            status, note = "failed", str(e)
        dt = time.monotonic() - t0
        self.stages.append({"name": name, "seconds": dt, "status": status, "note": note})
        if not self.args.quiet:
            print("[%s] %s: %s (%.1f s) %s" % (time.strftime("%H:%M:%S"), name, status, dt, note.splitlines()[0] if note else ""),
                  flush=True)

    def calibrate(self):
        cal = os.path.join(HERE, "calibration.yaml")
        if not self.has_command("calibrate") or not os.path.isfile(cal):
            raise NotAvailable("`ionpath calibrate` or examples/paper/calibration.yaml is not available yet: "
                               "sigma and t+ use the specification's starting parameters (spec §7.1)")
        d = os.path.join(self.out, "calibration")
        # The structures of calibration.yaml are named as ELECTROLYTES. The fit runs at voxel size
        # CALIBRATION_SCALE x h (a fit is ~50 evaluations per start, each two solves per structure)
        # and the next stages evaluate the fitted parameters at h; the resolution study says how
        # much sigma and t+ move between the two.
        scale = CALIBRATION_SCALE[self.args.resolution]
        grid = [a if a == "--set" else "%s:%s" % (e, a) for e in ELECTROLYTES for a in self.grid_overrides(e, scale)]
        starts = CALIBRATION_STARTS[self.args.resolution]
        self.run("calibrate", cal, *grid, "--starts", starts, "--output", d,
                 log=os.path.join(self.out, "logs", "calibrate.log"))
        self.calibration = {"voxel_m": RESOLUTIONS_M[self.args.resolution] * scale, "starts": starts}
        p = os.path.join(d, "calibrated.yaml")
        if not os.path.isfile(p):
            raise RuntimeError("calibrate wrote no %s" % p)
        self.params = p
        return "fitted at %.2g um voxels, %d starts: %s" % (self.calibration["voxel_m"] * 1e6, starts, p)

    def sigma_tplus(self):
        for e in ELECTROLYTES:
            self.run("run", self.config(e), *self.grid_overrides(e), *self.param_args(), "--set", "experiment.type=transference",
                     "--output", os.path.join(self.out, "sigma_tplus", e), log=os.path.join(self.out, "logs", "sigma_tplus_%s.log" % e))

    def tortuosity(self):
        for e in ELECTROLYTES:
            self.run("run", self.config(e), *self.grid_overrides(e), *self.param_args(), "--set", "experiment.type=conductivity",
                     "--set", "experiment.axes=[x,y,z]", "--output", os.path.join(self.out, "tortuosity", e),
                     log=os.path.join(self.out, "logs", "tortuosity_%s.log" % e))

    def fig5(self):
        """Spec §5.6: a 2D x-z section (one voxel in y) of each electrolyte under 1 A/m2."""
        if not self.has_experiment("fields_under_current"):
            raise NotAvailable("ionpath has no fields_under_current experiment")
        h = RESOLUTIONS_M[self.args.resolution]
        nx, nz = int(round(80e-6 / h)), int(round(100e-6 / h))  # 80 um across, 100 um electrode to electrode
        for e in ELECTROLYTES:
            self.run("run", self.config(e), "--set", "grid.n_cells=[%d,1,%d]" % (nx, nz), "--set", "grid.voxel_size_m=%.6g" % h,
                     *self.param_args(), "--set", "experiment.type=fields_under_current",
                     "--output", os.path.join(self.out, "fig5", e), log=os.path.join(self.out, "logs", "fig5_%s.log" % e))
        return "%d x 1 x %d cells at h = %.2g um" % (nx, nz, h * 1e6)

    def uniformity(self):
        if not self.has_experiment("current_uniformity"):
            raise NotAvailable("ionpath has no current_uniformity experiment")
        for e in ELECTROLYTES:
            self.run("run", self.config(e), *self.grid_overrides(e), *self.param_args(), "--set",
                     "experiment.type=current_uniformity", "--output", os.path.join(self.out, "uniformity", e),
                     log=os.path.join(self.out, "logs", "uniformity_%s.log" % e))

    def bruce_vincent(self):
        """Spec §5.3: the steady route (linear shortcut + nonlinear steady state) on the full boxes;
        the transient route, ideal and Butler-Volmer Li, on the reduced boxes of BV_TRANSIENT_BOX_M
        or (--bv-transient full) on the full ones."""
        if not self.has_experiment("bruce_vincent"):
            raise NotAvailable("ionpath has no bruce_vincent experiment")
        h_t = self.bv_transient_voxel_m()
        full = self.args.bv_transient == "full"
        for e in ELECTROLYTES:
            base = ["run", self.config(e), *self.param_args(), "--set", "experiment.type=bruce_vincent",
                    "--set", "output.fields=false"]
            d = os.path.join(self.out, "bruce_vincent", e)
            self.run(*base, *self.grid_overrides(e), "--set", "experiment.bruce_vincent.route=steady",
                     "--output", os.path.join(d, "steady"), log=os.path.join(self.out, "logs", "bv_steady_%s.log" % e))
            grid = self.grid_overrides(e, box=None if full else BV_TRANSIENT_BOX_M[e], h=h_t)
            transient = [*base, *grid, "--set", "experiment.bruce_vincent.route=transient"]
            self.run(*transient, "--output", os.path.join(d, "transient_ideal"),
                     log=os.path.join(self.out, "logs", "bv_transient_ideal_%s.log" % e))
            kinetics = [*transient, "--set", "experiment.bruce_vincent.interfacial_resistance_ohm=%g" % INTERFACIAL_OHM[e],
                        "--set", "experiment.bruce_vincent.electrode_area_m2=%g" % ELECTRODE_AREA_M2]
            self.run(*kinetics, "--output", os.path.join(d, "transient_bv"),
                     log=os.path.join(self.out, "logs", "bv_transient_bv_%s.log" % e))
            # The same at 1 mV: separates the Butler-Volmer nonlinearity (~ dV^2) from the rest.
            self.run(*kinetics, "--set", "experiment.bruce_vincent.voltage_V=0.001", "--output", os.path.join(d, "transient_bv_1mV"),
                     log=os.path.join(self.out, "logs", "bv_transient_bv_1mV_%s.log" % e))
        return "transients at h = %.2g um in %s boxes" % (h_t * 1e6, "the full" if full else "reduced")

    def bv_transient_voxel_m(self):
        if self.args.bv_transient_voxel_um:
            return self.args.bv_transient_voxel_um * 1e-6
        return max(RESOLUTIONS_M[self.args.resolution], BV_TRANSIENT_MIN_H_M)

    def temperature(self):
        """Spec §5.4: sigma and t+ from 0 to 65 C predicted from the room-temperature parameters and a cited law."""
        if not self.has_experiment("arrhenius"):
            raise NotAvailable("ionpath has no arrhenius experiment")
        for e in ELECTROLYTES:
            self.run("run", os.path.join(ROOT, "examples", "paper_temperature", e + ".yaml"),
                     *self.grid_overrides(e, box=TEMPERATURE_BOX_M[e]), *self.param_args(),
                     "--output", os.path.join(self.out, "temperature", e), log=os.path.join(self.out, "logs", "temperature_%s.log" % e))
        png = os.path.join(self.out, "figures", "arrhenius.png")
        os.makedirs(os.path.dirname(png), exist_ok=True)
        cmd = ["/usr/bin/python3", os.path.join(ROOT, "examples", "paper_temperature", "plot_arrhenius.py"), png] + \
            ["%s=%s" % (MEASURED[e]["name"], os.path.join(self.out, "temperature", e)) for e in ELECTROLYTES]
        with open(os.path.join(self.out, "logs", "temperature_plot.log"), "w") as f:
            if subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode != 0:
                raise RuntimeError("plot_arrhenius.py failed (logs/temperature_plot.log)")

    def resolution_study(self):
        for e in ELECTROLYTES:
            for label, scale in (("h_half", 0.5), ("h_double", 2.0)):
                self.run("run", self.config(e), *self.grid_overrides(e, scale), *self.param_args(), "--set",
                         "experiment.type=transference", "--set", "output.fields=false",
                         "--output", os.path.join(self.out, "resolution", e, label),
                         log=os.path.join(self.out, "logs", "resolution_%s_%s.log" % (e, label)))

    def paraview(self):
        pvbatch = os.path.join(ROOT, "scripts", "pvbatch.sh")
        if shutil.which("pvbatch") is None or shutil.which("xvfb-run") is None:
            raise NotAvailable("pvbatch or xvfb-run missing (scripts/setup.sh installs them)")
        jobs = [("tortuosity", "fields_z.pvd", "potential,current_density_magnitude"),
                ("fig5", "fields_under_current_z.pvd", "c_total,phi")]
        rendered = 0
        for folder, name, arrays in jobs:
            fields = [os.path.join(self.out, folder, e, name) for e in ELECTROLYTES]
            fields = [f for f in fields if os.path.isfile(f)]
            if not fields:
                continue
            cmd = [pvbatch, os.path.join(HERE, "render_fields.py"), "--arrays", arrays,
                   "--out", os.path.join(self.out, "figures")] + fields
            with open(os.path.join(self.out, "logs", "paraview_%s.log" % folder), "w") as f:
                r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
            if r.returncode != 0:
                raise RuntimeError("ParaView could not read or render %s (logs/paraview_%s.log)" % (name, folder))
            rendered += len(fields)
        if not rendered:
            raise NotAvailable("no field files to render")

    def write_stages(self, total):
        """OUTPUT/stages.json: every stage's wall time and status (bench/paper_reproduction_bench.sh reads it)."""
        path = os.path.join(self.out, "stages.json")
        with open(path + ".tmp", "w") as f:
            json.dump({"resolution": self.args.resolution, "ranks": self.args.ranks, "bv_transient": self.args.bv_transient,
                       "total_s": total, "stages": self.stages}, f, indent=1)
        os.replace(path + ".tmp", path)

    def main(self):
        t0 = time.monotonic()
        os.makedirs(os.path.join(self.out, "logs"), exist_ok=True)
        self.stage("calibration", self.calibrate)
        self.stage("sigma and t+ of the three electrolytes", self.sigma_tplus)
        self.stage("tortuosity and anisotropy (x, y, z)", self.tortuosity)
        self.stage("electrode-current uniformity", self.uniformity)
        self.stage("Fig. 5: fields under 1 A/m2 (2D x-z section)", self.fig5)
        self.stage("Bruce-Vincent: linear shortcut, steady and transient routes", self.bruce_vincent)
        self.stage("temperature: sigma and t+ from 0 to 65 C", self.temperature)
        self.stage("resolution study (h/2, 2h)", self.resolution_study)
        self.stage("ParaView renders", self.paraview)
        total = time.monotonic() - t0
        path = report.write(self.out, self.args, self.stages, total, MEASURED, ELECTROLYTES, self.params,
                            {"interfacial_ohm": INTERFACIAL_OHM, "electrode_area_m2": ELECTRODE_AREA_M2,
                             "transient_box": self.args.bv_transient, "transient_voxel_m": self.bv_transient_voxel_m()})
        self.write_stages(total)
        print("wrote %s (%.0f s in all)" % (path, total))
        return 0 if all(s["status"] != "failed" for s in self.stages) else 1


class NotAvailable(Exception):
    """The ionpath feature this stage needs is not there: reported, not faked."""


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--resolution", choices=list(RESOLUTIONS_M), default="default",
                   help="voxel size: low = 2 um (test size), default = 0.5 um (the example configs), high = 0.25 um")
    p.add_argument("--ranks", type=int, default=2, help="MPI ranks per ionpath command")
    p.add_argument("--output", default=os.path.join("out", "paper"))
    p.add_argument("--ionpath", default=os.path.join(ROOT, "build", "app", "ionpath"))
    p.add_argument("--bv-transient", choices=("reduced", "full"), default="reduced",
                   help="Bruce-Vincent transients on reduced cross-sections (default, seconds) or the full boxes (minutes each)")
    p.add_argument("--bv-transient-voxel-um", type=float, default=None,
                   help="voxel size of the Bruce-Vincent transients (default: the resolution's, at least 1 um)")
    p.add_argument("--quiet", action="store_true")
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(Pipeline(parse()).main())
