#pragma once
/// VTK XML image data for ParaView. Fields are cell data on an image with Origin 0 and Spacing =
/// voxel size in metres; a box [lo, hi) of cells has the point extent lo..hi. Phase labels are
/// UInt8, everything else Float64 (appended raw binary, zlib-compressed). Array names are the
/// plain field names; their units are listed in the field-data string array `units`, one
/// "name=unit" entry per field (so ParaView's array names stay usable in the Calculator).
///
/// One rank: `<dir>/<name>.vti`. N ranks: one piece per rank, `<dir>/<name>/<name>_<rank>.vti`,
/// plus `<dir>/<name>.pvti` (written by rank 0 as text) that names every piece with its extent.
/// All files are written under temporary names and published together (io/atomic_file.hpp).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/fields.hpp"

namespace ionpath::io {

/// Collective over layout.comm. Returns the file ParaView should open, relative to `dir`
/// ("<name>.vti" or "<name>.pvti"). Throws std::runtime_error on every rank if any rank fails
/// (e.g. a field whose span does not cover the owned box); nothing is left behind then.
std::string write_vtk(const std::filesystem::path& dir, const std::string& name, const FieldLayout& layout,
                      const std::vector<CellField>& fields);

/// `<dir>/<name>.pvd` collection of (time, file relative to dir) entries; call on rank 0 only.
void write_pvd(const std::filesystem::path& dir, const std::string& name,
               const std::vector<std::pair<double, std::string>>& entries);

/// Checks that every field's span covers `owned` (n_cells x n_components); throws
/// std::invalid_argument naming the field otherwise. Shared by the writers.
void check_field_sizes(const std::vector<CellField>& fields, const mesh::Box& owned);

}  // namespace ionpath::io
