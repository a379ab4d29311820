#pragma once
/// VTK XML image data for ParaView: one `.vti` piece per rank and, on more than one rank, a
/// `.pvti` summary (rank 0) that references them; `.pvd` collections bundle time series. Cell
/// data carry the field names; their units are listed in the field-data string array `units`
/// ("name=unit" entries). Phase labels are UInt8, everything else Float64.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/fields.hpp"

namespace ionpath::io {

/// Writes `<dir>/<name>.vti` (1 rank) or `<dir>/<name>.pvti` + `<dir>/<name>/<name>_<rank>.vti`.
/// Collective. Returns the file ParaView should open (relative to dir).
std::string write_vtk(const std::filesystem::path& dir, const std::string& name, const FieldLayout& layout,
                      const std::vector<CellField>& fields);

/// `<dir>/<name>.pvd` listing (time, file) entries; rank 0 only.
void write_pvd(const std::filesystem::path& dir, const std::string& name,
               const std::vector<std::pair<double, std::string>>& entries);

}  // namespace ionpath::io
