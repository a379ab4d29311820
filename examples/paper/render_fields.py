"""Open ionpath field files in real ParaView and render them (run with `pvbatch`).

    xvfb-run -a pvbatch render_fields.py --arrays c_total,phi --out DIR A.pvd [B.pvd ...]

Every file must open without a VTK error, hold cells, and carry every requested cell array, otherwise the script
prints what is missing and exits 1 (the ParaView test relies on this). For each array it then
renders the mid-plane slice normal to --normal (default y: the x-z section of Fig. 5) of every
file at one common colour range, so the electrolytes can be compared side by side. A .pvd
time series is rendered at its last time step unless --time is given.
"""
import argparse
import os
import sys

from paraview import servermanager
from vtkmodules.util import vtkConstants
from vtkmodules.util.misc import calldata_type
from vtkmodules.vtkCommonCore import vtkCommand, vtkOutputWindow
from paraview.simple import (ColorBy, CreateRenderView, Delete, GetColorTransferFunction, Hide, OpenDataFile,
                             Render, SaveScreenshot, Show, Slice, UpdatePipeline)


def fail(message):
    print("render_fields: " + message, file=sys.stderr)
    sys.exit(1)


# VTK reports a damaged piece (truncated data, bad compression header) as an error message and
# may still return the cells of the other pieces: every error while reading fails the check.
vtk_errors = []


@calldata_type(vtkConstants.VTK_STRING)
def _record_error(_obj, _event, text):
    vtk_errors.append(" ".join(str(text).split()))


vtkOutputWindow.GetInstance().AddObserver(vtkCommand.ErrorEvent, _record_error)


def open_checked(path, arrays, time):
    if not os.path.isfile(path):
        fail("%s: no such file" % path)
    reader = OpenDataFile(path)
    if reader is None:
        fail("%s: ParaView has no reader for this file" % path)
    times = list(getattr(reader, "TimestepValues", []) or [])
    t = time if time is not None else (times[-1] if times else 0.0)
    UpdatePipeline(time=t, proxy=reader)
    info = reader.GetDataInformation()
    if vtk_errors:
        fail("%s: ParaView reported errors while reading:\n  %s" % (path, "\n  ".join(vtk_errors[:5])))
    if info.GetNumberOfCells() == 0:
        fail("%s: ParaView read no cells (unreadable or empty piece)" % path)
    present = set(reader.CellData.keys())
    missing = [a for a in arrays if a not in present]
    if missing:
        fail("%s: missing cell array(s) %s (present: %s)" % (path, ", ".join(missing), ", ".join(sorted(present))))
    return reader, t


def finite_range(reader, array):
    lo, hi = reader.CellData[array].GetRange(-1 if reader.CellData[array].GetNumberOfComponents() > 1 else 0)
    if not (lo == lo and hi == hi):  # NaN from inactive cells: ParaView skips NaN in ranges
        fail("array %s has no finite values" % array)
    return lo, hi


def render(view, reader, t, array, lo, hi, normal, png, size):
    bounds = reader.GetDataInformation().GetBounds()
    centre = [0.5 * (bounds[0] + bounds[1]), 0.5 * (bounds[2] + bounds[3]), 0.5 * (bounds[4] + bounds[5])]
    axis = "xyz".index(normal)
    cut = Slice(Input=reader)
    cut.SliceType = "Plane"
    cut.SliceType.Origin = centre
    cut.SliceType.Normal = [1.0 if i == axis else 0.0 for i in range(3)]
    view.ViewTime = t
    display = Show(cut, view)
    ColorBy(display, ("CELLS", array))
    lut = GetColorTransferFunction(array)
    lut.RescaleTransferFunction(lo, hi)
    display.SetScalarBarVisibility(view, True)
    view.CameraPosition = [centre[i] + (5.0 * max(bounds[1] - bounds[0], bounds[5] - bounds[4]) if i == axis else 0.0)
                           for i in range(3)]
    view.CameraFocalPoint = centre
    view.CameraViewUp = [0.0, 0.0, 1.0] if axis != 2 else [0.0, 1.0, 0.0]
    view.ResetCamera()
    Render(view)
    SaveScreenshot(png, view, ImageResolution=size)
    display.SetScalarBarVisibility(view, False)
    Hide(cut, view)
    Delete(cut)
    if not os.path.isfile(png) or os.path.getsize(png) == 0:
        fail("ParaView wrote no image %s" % png)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", help=".pvd / .pvti / .vti files written by ionpath")
    p.add_argument("--arrays", required=True, help="comma-separated cell arrays that must exist (rendered in order)")
    p.add_argument("--out", help="folder for the PNGs (omit to only check the files)")
    p.add_argument("--normal", default="y", choices=["x", "y", "z"], help="normal of the rendered mid-plane slice")
    p.add_argument("--time", type=float, help="time step of a .pvd series (default: the last)")
    p.add_argument("--size", default="500,400", help="image size in pixels, W,H")
    a = p.parse_args()
    arrays = [s for s in a.arrays.split(",") if s]
    opened = [(f,) + open_checked(f, arrays, a.time) for f in a.files]
    print("render_fields: %d file(s) open in ParaView %s with arrays %s" %
          (len(opened), servermanager.vtkSMProxyManager.GetParaViewSourceVersion(), ", ".join(arrays)))
    if not a.out:
        return
    os.makedirs(a.out, exist_ok=True)
    size = [int(v) for v in a.size.split(",")]
    view = CreateRenderView()  # one view (one X window) for every image
    view.ViewSize = size
    view.OrientationAxesVisibility = 0
    for array in arrays:
        ranges = [finite_range(r, array) for _, r, _ in opened]
        lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
        for f, r, t in opened:
            stem = os.path.splitext(os.path.basename(f))[0]
            label = os.path.basename(os.path.dirname(os.path.abspath(f)))
            png = os.path.join(a.out, "paraview_%s_%s_%s.png" % (label, stem, array))
            render(view, r, t, array, lo, hi, a.normal, png, size)
            print("render_fields: wrote %s (%s in [%.6g, %.6g])" % (png, array, lo, hi))


if __name__ == "__main__":
    main()
