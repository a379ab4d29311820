#!/usr/bin/env python3
"""Config fuzzer (issue 14). Mutates YAML inputs deterministically and runs each through ionpath;
every mutant must give a clean error (exit 2 naming the file and a key or line) or a clean run,
never a crash, signal, hang or uncaught exception. A sample of the mutants that validate is also
run through `geometry` (and `run`) on tiny grids.

  fuzz_configs.py --ionpath BUILD/app/ionpath --work DIR [--count 500] [--seed 1] [--run-sample 40]
                  [--base FILE ...] [--command validate] [--jobs 2] [--timeout 30]

--base defaults to the paper examples with an 8^3 grid. Other tools pass their own --base files
and --command (the mutant's path is appended to the command's arguments). --mode sweep fuzzes
sweep files: the bases in tests/fuzz/sweep_bases/ (beside a copy of tests/sweep/base.yaml) go
through `sweep --dry-run`, and the sample of valid ones through a real tiny `sweep`.
Exit status 1 if any mutant was not handled cleanly; the counts are printed either way.
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yaml_fuzz  # noqa: E402

ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
       "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "GLIBC_TUNABLES": ""}


def run(cmd, timeout, cwd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True,
                         env=dict(os.environ, **ENV))
    try:
        out, _ = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, _ = p.communicate()
        status = "timeout"
    return status, out.decode("utf-8", "replace")


def default_bases(source):
    bases = []
    for name in ("pure_gel", "aligned_mmt", "random_mmt"):
        text = open(os.path.join(source, "examples/paper_electrolytes", name + ".yaml")).read()
        text = re.sub(r"n_cells: \[[^\]]*\]", "n_cells: [8, 8, 8]", text)
        text = re.sub(r"directory: .*", "directory: out", text)
        bases.append((name, text))
    return bases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ionpath", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--source", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--run-sample", type=int, default=40, help="validated mutants also run through geometry/run")
    ap.add_argument("--base", action="append", default=[])
    ap.add_argument("--command", default="", help="ionpath subcommand (and options) for every mutant")
    ap.add_argument("--mode", choices=["config", "sweep"], default="config")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per ionpath call (a loaded VM needs margin)")
    ap.add_argument("--report", default="", help="write the per-mutant results as JSON")
    a = ap.parse_args()
    a.ionpath = os.path.abspath(a.ionpath)  # each call runs in its own directory
    os.makedirs(a.work, exist_ok=True)
    if a.mode == "sweep":
        a.base = a.base or sorted(glob.glob(os.path.join(a.source, "tests/fuzz/sweep_bases/*.yaml")))
        shutil.copy(os.path.join(a.source, "tests/sweep/base.yaml"), os.path.join(a.work, "base.yaml"))
        a.command = a.command or "sweep --dry-run --output out"
        sample_commands = ["sweep --quiet --output out"]
    else:
        a.command = a.command or "validate"
        sample_commands = ["geometry --output out", "run --output out"]
    bases = [(os.path.splitext(os.path.basename(b))[0], open(b).read()) for b in a.base] or default_bases(a.source)
    cases = []
    for name, kind, text in yaml_fuzz.mutants(bases, a.count, a.seed):
        path = os.path.join(a.work, name + ".yaml")
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        cases.append((name, kind, path))

    def check(case, command, allowed):
        name, kind, path = case
        cwd = os.path.join(a.work, "run_" + name)
        os.makedirs(cwd, exist_ok=True)
        status, out = run([a.ionpath] + command.split() + [path], a.timeout, cwd)
        return {"name": name, "kind": kind, "command": command, "status": status,
                "verdict": yaml_fuzz.classify(status, out, path, allowed), "output": out[-1500:]}

    t0 = time.time()
    results = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        results += list(pool.map(lambda c: check(c, a.command, (0, 2)), cases))
        valid = [c for c, r in zip(cases, results) if r["status"] == 0]
        sample = valid[: a.run_sample]
        share = -(-len(sample) // len(sample_commands))  # the sample split evenly over the commands
        for i, command in enumerate(sample_commands):
            results += list(pool.map(lambda c: check(c, command, (0, 1, 2)), sample[i * share:(i + 1) * share]))
    counts = collections.Counter((r["command"].split(" --output")[0], r["verdict"]) for r in results)
    statuses = collections.Counter((r["command"].split(" --output")[0], str(r["status"])) for r in results)
    print(f"fuzzed {len(cases)} mutants (seed {a.seed}) in {time.time() - t0:.0f} s")
    for cmd in sorted({k[0] for k in counts}):
        print(f"  {cmd}: " + ", ".join(f"{v} {k}" for (c, k), v in sorted(counts.items()) if c == cmd) +
              "   [exit " + ", ".join(f"{k}: {v}" for (c, k), v in sorted(statuses.items()) if c == cmd) + "]")
    bad = [r for r in results if r["verdict"] != "ok"]
    for r in bad[:40]:
        print(f"--- {r['verdict']}: {r['name']} ({r['kind']}) `{r['command']}` exit {r['status']}\n{r['output'][-600:]}")
    if a.report:
        with open(a.report, "w") as f:
            json.dump(results, f, indent=1)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
