#include "io/vtk_writer.hpp"

#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkStringArray.h>
#include <vtkUnsignedCharArray.h>
#include <vtkXMLImageDataWriter.h>

#include <array>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

namespace fs = std::filesystem;

// Point extent of a cell box (VTK image extents count points).
std::array<int, 6> point_extent(const mesh::Box& b) { return {b.lo[0], b.hi[0], b.lo[1], b.hi[1], b.lo[2], b.hi[2]}; }

template <typename Array, typename T>
void add_cell_array(vtkImageData* image, const CellField& f, std::span<const T> data) {
  vtkNew<Array> a;
  a->SetName(f.name.c_str());
  a->SetNumberOfComponents(f.n_components);
  a->SetNumberOfTuples(static_cast<vtkIdType>(data.size() / static_cast<std::size_t>(f.n_components)));
  std::copy(data.begin(), data.end(), a->GetPointer(0));
  image->GetCellData()->AddArray(a);
}

void write_piece(const fs::path& file, const FieldLayout& layout, const std::vector<CellField>& fields) {
  vtkNew<vtkImageData> image;
  const auto e = point_extent(layout.owned);
  image->SetExtent(e[0], e[1], e[2], e[3], e[4], e[5]);
  const double h = layout.grid.voxel_size_m;
  image->SetSpacing(h, h, h);
  image->SetOrigin(0.0, 0.0, 0.0);
  vtkNew<vtkStringArray> units;
  units->SetName("units");
  for (const auto& f : fields) {
    units->InsertNextValue(f.name + "=" + f.unit);
    if (const auto* u8 = std::get_if<std::span<const std::uint8_t>>(&f.data))
      add_cell_array<vtkUnsignedCharArray>(image, f, *u8);
    else
      add_cell_array<vtkDoubleArray>(image, f, std::get<std::span<const double>>(f.data));
  }
  image->GetFieldData()->AddArray(units);
  vtkNew<vtkXMLImageDataWriter> writer;
  writer->SetFileName(file.c_str());
  writer->SetInputData(image);
  writer->SetDataModeToAppended();
  writer->EncodeAppendedDataOff();  // raw binary, not base64
  writer->SetCompressorTypeToZLib();
  writer->SetHeaderTypeToUInt64();  // block sizes of pieces over 4 GiB
  if (writer->Write() != 1) throw std::runtime_error("VTK failed to write " + file.string());
}

std::string pvti_text(const std::string& name, const FieldLayout& layout, const std::vector<CellField>& fields,
                      const std::vector<mesh::Box>& boxes) {
  const double h = layout.grid.voxel_size_m;
  const auto w = point_extent(layout.grid.whole());
  std::ostringstream x;
  x.precision(17);
  x << "<?xml version=\"1.0\"?>\n"
    << "<VTKFile type=\"PImageData\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
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

std::vector<mesh::Box> gather_boxes(const mesh::Box& owned, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  const std::array<int, 6> mine{owned.lo[0], owned.lo[1], owned.lo[2], owned.hi[0], owned.hi[1], owned.hi[2]};
  std::vector<int> all(6 * static_cast<std::size_t>(size));
  MPI_Allgather(mine.data(), 6, MPI_INT, all.data(), 6, MPI_INT, comm);
  std::vector<mesh::Box> boxes(static_cast<std::size_t>(size));
  for (std::size_t r = 0; r < boxes.size(); ++r)
    boxes[r] =
        mesh::Box{{all[6 * r], all[6 * r + 1], all[6 * r + 2]}, {all[6 * r + 3], all[6 * r + 4], all[6 * r + 5]}};
  return boxes;
}

}  // namespace

void check_field_sizes(const std::vector<CellField>& fields, const mesh::Box& owned) {
  for (const auto& f : fields) {
    if (f.n_components < 1) throw std::invalid_argument("field " + f.name + ": n_components must be >= 1");
    const std::size_t n = std::visit([](const auto& s) { return s.size(); }, f.data);
    const std::size_t expected = owned.n_cells() * static_cast<std::size_t>(f.n_components);
    if (n != expected)
      throw std::invalid_argument("field " + f.name + " has " + std::to_string(n) + " values, expected " +
                                  std::to_string(expected) + " (owned cells x components)");
  }
}

std::string write_vtk(const fs::path& dir, const std::string& name, const FieldLayout& layout,
                      const std::vector<CellField>& fields) {
  int rank = 0, size = 1;
  MPI_Comm_rank(layout.comm, &rank);
  MPI_Comm_size(layout.comm, &size);
  const bool serial = size == 1;
  const std::string tag = collective_tag(layout.comm);
  const std::vector<mesh::Box> boxes = gather_boxes(layout.owned, layout.comm);
  std::string error;
  if (rank == 0) {
    try {
      fs::create_directories(serial ? dir : dir / name);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  throw_if_any_rank_failed(error, layout.comm);  // also orders the mkdir before the pieces
  const fs::path piece_path =
      serial ? dir / (name + ".vti") : dir / name / (name + "_" + std::to_string(rank) + ".vti");
  AtomicFile piece(piece_path, tag);
  std::unique_ptr<AtomicFile> summary;
  try {
    check_field_sizes(fields, layout.owned);
    write_piece(piece.tmp_path(), layout, fields);
    if (rank == 0 && !serial) {
      summary = std::make_unique<AtomicFile>(dir / (name + ".pvti"), tag);
      std::ofstream out(summary->tmp_path(), std::ios::binary);
      out << pvti_text(name, layout, fields, boxes);
      out.close();
      if (!out) throw std::runtime_error("cannot write " + summary->tmp_path().string());
    }
  } catch (const std::exception& e) {
    error = "VTK output " + (dir / name).string() + " failed on rank " + std::to_string(rank) + ": " + e.what();
  }
  std::vector<AtomicFile*> mine{&piece};
  if (summary) mine.push_back(summary.get());  // published last, after every piece it names
  commit_collectively(mine, error, layout.comm);
  return serial ? name + ".vti" : name + ".pvti";
}

void write_pvd(const fs::path& dir, const std::string& name,
               const std::vector<std::pair<double, std::string>>& entries) {
  std::ostringstream x;
  x.precision(17);
  x << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\">\n  <Collection>\n";
  for (const auto& [t, file] : entries)
    x << "    <DataSet timestep=\"" << t << "\" part=\"0\" file=\"" << file << "\"/>\n";
  x << "  </Collection>\n</VTKFile>\n";
  write_text_atomically(dir / (name + ".pvd"), x.str());
}

}  // namespace ionpath::io
