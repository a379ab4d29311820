#include "io/vtk_writer.hpp"

#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkStringArray.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLImageDataWriter.h>

#include <sstream>
#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

// Point extent of a cell box (VTK image extents count points).
std::array<int, 6> point_extent(const mesh::Box& b) {
  return {b.lo[0], b.hi[0], b.lo[1], b.hi[1], b.lo[2], b.hi[2]};
}

void write_piece(const std::filesystem::path& file, const FieldLayout& layout, const std::vector<CellField>& fields) {
  vtkNew<vtkImageData> image;
  const auto e = point_extent(layout.owned);
  image->SetExtent(e[0], e[1], e[2], e[3], e[4], e[5]);
  const double h = layout.grid.voxel_size_m;
  image->SetSpacing(h, h, h);
  image->SetOrigin(0.0, 0.0, 0.0);
  vtkNew<vtkStringArray> units;
  units->SetName("units");
  const auto n_cells = static_cast<vtkIdType>(layout.owned.n_cells());
  for (const auto& f : fields) {
    units->InsertNextValue(f.name + "=" + f.unit);
    if (const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&f.data)) {
      if (static_cast<vtkIdType>(u8->size()) != n_cells * f.n_components) throw std::invalid_argument("field " + f.name + " has the wrong size");
      vtkNew<vtkUnsignedCharArray> a;
      a->SetName(f.name.c_str());
      a->SetNumberOfComponents(f.n_components);
      a->SetNumberOfTuples(n_cells);
      std::copy(u8->begin(), u8->end(), a->GetPointer(0));
      image->GetCellData()->AddArray(a);
    } else {
      const auto& d = std::get<std::span<const double>>(f.data);
      if (static_cast<vtkIdType>(d.size()) != n_cells * f.n_components) throw std::invalid_argument("field " + f.name + " has the wrong size");
      vtkNew<vtkDoubleArray> a;
      a->SetName(f.name.c_str());
      a->SetNumberOfComponents(f.n_components);
      a->SetNumberOfTuples(n_cells);
      std::copy(d.begin(), d.end(), a->GetPointer(0));
      image->GetCellData()->AddArray(a);
    }
  }
  image->GetFieldData()->AddArray(units);
  write_atomically(file, [&](const std::filesystem::path& tmp) {
    vtkNew<vtkXMLImageDataWriter> writer;
    writer->SetFileName(tmp.c_str());
    writer->SetInputData(image);
    writer->SetDataModeToAppended();
    writer->SetCompressorTypeToZLib();
    if (writer->Write() != 1) throw std::runtime_error("VTK failed to write " + tmp.string());
  });
}

std::string pvti_text(const std::string& name, const FieldLayout& layout, const std::vector<CellField>& fields,
                      const std::vector<mesh::Box>& boxes) {
  const double h = layout.grid.voxel_size_m;
  const auto w = point_extent(layout.grid.whole());
  std::ostringstream x;
  x.precision(17);
  x << "<?xml version=\"1.0\"?>\n<VTKFile type=\"PImageData\" version=\"0.1\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
    << "  <PImageData WholeExtent=\"" << w[0] << " " << w[1] << " " << w[2] << " " << w[3] << " " << w[4] << " " << w[5]
    << "\" GhostLevel=\"0\" Origin=\"0 0 0\" Spacing=\"" << h << " " << h << " " << h << "\">\n    <PCellData>\n";
  for (const auto& f : fields) {
    const bool u8 = std::holds_alternative<std::span<const std::uint8_t>>(f.data);
    x << "      <PDataArray type=\"" << (u8 ? "UInt8" : "Float64") << "\" Name=\"" << f.name
      << "\" NumberOfComponents=\"" << f.n_components << "\"/>\n";
  }
  x << "    </PCellData>\n";
  for (std::size_t r = 0; r < boxes.size(); ++r) {
    const auto e = point_extent(boxes[r]);
    x << "    <Piece Extent=\"" << e[0] << " " << e[1] << " " << e[2] << " " << e[3] << " " << e[4] << " " << e[5]
      << "\" Source=\"" << name << "/" << name << "_" << r << ".vti\"/>\n";
  }
  x << "  </PImageData>\n</VTKFile>\n";
  return x.str();
}

}  // namespace

std::string write_vtk(const std::filesystem::path& dir, const std::string& name, const FieldLayout& layout,
                      const std::vector<CellField>& fields) {
  int rank = 0, size = 1;
  MPI_Comm_rank(layout.comm, &rank);
  MPI_Comm_size(layout.comm, &size);
  if (size == 1) {
    write_piece(dir / (name + ".vti"), layout, fields);
    return name + ".vti";
  }
  std::filesystem::create_directories(dir / name);
  int ok = 1;
  std::string error;
  try {
    write_piece(dir / name / (name + "_" + std::to_string(rank) + ".vti"), layout, fields);
  } catch (const std::exception& e) {
    ok = 0;
    error = e.what();
  }
  int all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, layout.comm);
  if (!all_ok) throw std::runtime_error("VTK output failed" + (error.empty() ? std::string(" on another rank") : ": " + error));
  // Rank 0 publishes the summary last, so a .pvti only exists when every piece does.
  std::array<int, 6> mine{layout.owned.lo[0], layout.owned.lo[1], layout.owned.lo[2],
                          layout.owned.hi[0], layout.owned.hi[1], layout.owned.hi[2]};
  std::vector<int> all(6 * static_cast<std::size_t>(size));
  MPI_Gather(mine.data(), 6, MPI_INT, all.data(), 6, MPI_INT, 0, layout.comm);
  if (rank == 0) {
    std::vector<mesh::Box> boxes(static_cast<std::size_t>(size));
    for (int r = 0; r < size; ++r)
      boxes[r] = mesh::Box{{all[6 * r], all[6 * r + 1], all[6 * r + 2]}, {all[6 * r + 3], all[6 * r + 4], all[6 * r + 5]}};
    write_text_atomically(dir / (name + ".pvti"), pvti_text(name, layout, fields, boxes));
  }
  MPI_Barrier(layout.comm);
  return name + ".pvti";
}

void write_pvd(const std::filesystem::path& dir, const std::string& name,
               const std::vector<std::pair<double, std::string>>& entries) {
  std::ostringstream x;
  x.precision(17);
  x << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\">\n  <Collection>\n";
  for (const auto& [t, file] : entries) x << "    <DataSet timestep=\"" << t << "\" part=\"0\" file=\"" << file << "\"/>\n";
  x << "  </Collection>\n</VTKFile>\n";
  write_text_atomically(dir / (name + ".pvd"), x.str());
}

}  // namespace ionpath::io
