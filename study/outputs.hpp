#pragma once
// Where a study writes and how: the one field writer (VTK XML for ParaView + HDF5 with provenance
// and the label -> phase map), inactive cells as NaN beside an `active` mask, and axis names.
#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/fields.hpp"
#include "io/hdf5_writer.hpp"
#include "io/provenance.hpp"
#include "study/problem.hpp"

namespace ionpath::study {

/// "x", "y" or "z".
[[nodiscard]] const char* axis_name(int axis) noexcept;

/// The output folder of one study run and what goes into it.
struct Outputs {
  std::filesystem::path directory;
  io::OutputConfig what;    ///< output.vtk, output.hdf5, output.fields
  io::Provenance provenance;
  MPI_Comm comm = MPI_COMM_NULL;  ///< the group of ranks running the study
  [[nodiscard]] bool is_root() const;  ///< rank 0 of comm: prints and writes the small files
};

/// `values` (n_components per owned cell) with NaN where `active` is 0: ParaView and matplotlib
/// leave NaN cells out of their colour maps, so removed cells do not read as zero potential.
[[nodiscard]] std::vector<double> with_inactive_as_nan(std::span<const double> values, std::span<const std::uint8_t> active,
                                                       int n_components);

/// Writes `<stem>.pvd` (+ `.pvti`/`.vti` pieces) and `<stem>.h5` as output.vtk / output.hdf5 say,
/// with the phase labels first and `active` (1 = carries current, 0 = removed) when given.
/// HDF5 files carry the provenance, /phase_labels and `scalars` under /results. Collective.
void write_fields(const Outputs& out, const Structure& s, const std::string& stem, std::vector<io::CellField> fields,
                  std::span<const std::uint8_t> active = {}, const std::vector<io::ScalarResult>& scalars = {});

/// One member of a time series: `<stem>_<tag>.{vti|pvti}` and `<stem>_<tag>.h5` as write_fields
/// writes them, without a .pvd; returns the VTK file name for write_series (empty without VTK).
[[nodiscard]] std::string write_snapshot(const Outputs& out, const Structure& s, const std::string& stem,
                                         const std::string& tag, std::vector<io::CellField> fields,
                                         std::span<const std::uint8_t> active = {},
                                         const std::vector<io::ScalarResult>& scalars = {});
/// `<stem>.pvd`: the snapshots as one ParaView time series (time in seconds). Rank 0 writes.
void write_series(const Outputs& out, const std::string& stem, const std::vector<std::pair<double, std::string>>& members);

/// Writes structure.{vti|pvti,pvd,h5} and geometry.json (report, provenance, phase labels).
void write_structure(const Outputs& out, const Structure& s, const io::RunConfig& config);

/// phase name -> label of the structure's phase table (HDF5 /phase_labels, geometry.json).
[[nodiscard]] std::map<std::string, int> phase_labels(const Structure& s);

}  // namespace ionpath::study
