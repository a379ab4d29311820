"""Shared helpers of the robustness tests: run ionpath (optionally under mpiexec) with a timeout
and check exit status and messages. Every test script takes --ionpath, --mpiexec, --source, --work."""
import argparse
import os
import shutil
import subprocess
import sys
import time

MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
           "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMPI_MCA_rmaps_base_oversubscribe": "1"}


def arguments():
    p = argparse.ArgumentParser()
    p.add_argument("--ionpath", required=True)
    p.add_argument("--mpiexec", default="mpiexec")
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--probe", default="")
    args, _ = p.parse_known_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    return args


class Result:
    def __init__(self, status, out, err, seconds):
        self.status, self.out, self.err, self.seconds = status, out, err, seconds
        self.text = out + err

    def __repr__(self):
        return f"exit {self.status} after {self.seconds:.1f} s\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def run(cmd, timeout=60, cwd=None, env=None):
    """Runs cmd; a timeout is reported as status 'timeout' (the process group is killed)."""
    full_env = dict(os.environ, **MPI_ENV, **(env or {}))
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=full_env,
                         start_new_session=True, text=True, errors="replace")
    try:
        out, err = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        out, err = p.communicate()
        status = "timeout"
    return Result(status, out, err, time.time() - t0)


failures = []


def check(condition, what, result=None):
    if condition:
        print("ok:", what)
        return
    failures.append(what)
    print("FAIL:", what, "" if result is None else "\n" + repr(result))


def finish():
    if failures:
        print(f"{len(failures)} check(s) failed:", *failures, sep="\n  ")
        sys.exit(1)
    print("all checks passed")
