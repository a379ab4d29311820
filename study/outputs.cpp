#include "study/outputs.hpp"

#include <limits>
#include <utility>

#include "io/atomic_file.hpp"
#include "io/summary_writer.hpp"
#include "io/vtk_writer.hpp"

namespace ionpath::study {

const char* axis_name(int axis) noexcept { return axis == 0 ? "x" : axis == 1 ? "y" : "z"; }

bool Outputs::is_root() const {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank == 0;
}

std::vector<double> with_inactive_as_nan(std::span<const double> values, std::span<const std::uint8_t> active,
                                         int n_components) {
  std::vector<double> out(values.begin(), values.end());
  const auto n = static_cast<std::size_t>(n_components);
  for (std::size_t c = 0; c < active.size(); ++c)
    if (!active[c])
      for (std::size_t k = 0; k < n; ++k) out[n * c + k] = std::numeric_limits<double>::quiet_NaN();
  return out;
}

std::map<std::string, int> phase_labels(const Structure& s) {
  std::map<std::string, int> m;
  for (const auto& p : s.table.phases()) m[p.name] = p.label;
  return m;
}

namespace {

// The VTK pieces and the HDF5 file of one set of fields under `name`; returns the VTK file.
std::string write_pieces(const Outputs& out, const Structure& s, const std::string& name, std::vector<io::CellField> fields,
                         std::span<const std::uint8_t> active, const std::vector<io::ScalarResult>& scalars) {
  fields.insert(fields.begin(), io::CellField{"phase", "1", 1, s.labels.labels()});
  if (!active.empty()) fields.push_back({"active", "1", 1, active});
  const io::FieldLayout layout{s.domain->grid(), s.domain->owned(), out.comm};
  std::string file;
  if (out.what.vtk) file = io::write_vtk(out.directory, name, layout, fields);
  if (out.what.hdf5)
    io::write_hdf5(out.directory / (name + ".h5"), layout, fields, out.provenance,
                   io::Hdf5Metadata{.scales = {}, .phase_labels = phase_labels(s), .results = scalars});
  return file;
}

}  // namespace

void write_fields(const Outputs& out, const Structure& s, const std::string& stem, std::vector<io::CellField> fields,
                  std::span<const std::uint8_t> active, const std::vector<io::ScalarResult>& scalars) {
  const std::string file = write_pieces(out, s, stem, std::move(fields), active, scalars);
  if (out.what.vtk) io::on_rank0_collectively(out.comm, [&] { io::write_pvd(out.directory, stem, {{0.0, file}}); });
}

std::string write_snapshot(const Outputs& out, const Structure& s, const std::string& stem, const std::string& tag,
                           std::vector<io::CellField> fields, std::span<const std::uint8_t> active,
                           const std::vector<io::ScalarResult>& scalars) {
  return write_pieces(out, s, stem + "_" + tag, std::move(fields), active, scalars);
}

void write_series(const Outputs& out, const std::string& stem, const std::vector<std::pair<double, std::string>>& members) {
  if (out.what.vtk) io::on_rank0_collectively(out.comm, [&] { io::write_pvd(out.directory, stem, members); });
}

void write_structure(const Outputs& out, const Structure& s, const io::RunConfig& config) {
  write_fields(out, s, "structure", {});
  nlohmann::json j = to_json(s, config);
  j["provenance"] = to_json(out.provenance);
  j["phase_labels"] = phase_labels(s);
  io::write_json(out.directory / "geometry.json", j, out.comm);
}

}  // namespace ionpath::study
