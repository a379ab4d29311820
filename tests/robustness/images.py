"""A short or damaged image is an error, not a shorter volume (issue 14: a 16-page TIFF cut to 8
pages gave a confident sigma with exit 0); --sigma values are checked."""
import os
import numpy as np
from PIL import Image
import harness

a = harness.arguments()
w = a.work
pages = [Image.fromarray(((np.indices((16, 16)).sum(0) + k) % 2 * 255).astype(np.uint8)) for k in range(16)]
full = os.path.join(w, "full.tif")
pages[0].save(full, save_all=True, append_images=pages[1:])
data = open(full, "rb").read()
open(os.path.join(w, "truncated.tif"), "wb").write(data[: len(data) // 2])
damaged = bytearray(data)
damaged[len(data) // 2: len(data) // 2 + 200] = b"\xff" * 200
open(os.path.join(w, "damaged.tif"), "wb").write(bytes(damaged))
sigma = ["--sigma", "0=1", "255=0.5"]
r = harness.run([a.ionpath, "tortuosity", full, "--format", "tiff"] + sigma, timeout=60)
harness.check(r.status == 0, "the complete stack runs", r)
for name in ("truncated", "damaged"):
    r = harness.run([a.ionpath, "tortuosity", os.path.join(w, name + ".tif"), "--format", "tiff"] + sigma, timeout=60)
    harness.check(r.status == 2 and "damaged or truncated TIFF" in r.err and r.err.count("libtiff") == 1,
                  f"{name} TIFF: exit 2 with the cause, once", r)

raw = os.path.join(w, "seg.raw")
np.zeros(16 ** 3 - 7, np.uint8).tofile(raw)  # 7 bytes short
r = harness.run([a.ionpath, "tortuosity", raw, "--shape", "16", "16", "16", "--sigma", "0=1"], timeout=60)
harness.check(r.status == 2 and "bytes, expected 4096" in r.err, "short raw file: exit 2 with both sizes", r)
for shape in (["0", "16", "16"], ["-4", "16", "16"]):
    r = harness.run([a.ionpath, "tortuosity", raw, "--shape"] + shape + ["--sigma", "0=1"], timeout=60)
    harness.check(r.status == 2 and "--shape" in r.err, f"--shape {' '.join(shape)}: exit 2 naming --shape", r)
for bad, why in (("0=nan", "finite"), ("abc=1", "not an integer image value"), ("0=inf", "finite"),
                 ("0=-1", ">= 0"), ("70000=1", "0..65535"), ("0", "no '='")):
    r = harness.run([a.ionpath, "tortuosity", raw, "--shape", "16", "16", "16", "--sigma", bad], timeout=60)
    harness.check(r.status == 2 and why in r.err and "stoi" not in r.err, f"--sigma {bad}: exit 2, clear", r)
r = harness.run([a.ionpath, "tortuosity", raw, "--shape", "16", "16", "16", "--sigma", "0=1", "0=2"], timeout=60)
harness.check(r.status == 2 and "given twice" in r.err, "--sigma with a value twice: exit 2", r)
harness.finish()
