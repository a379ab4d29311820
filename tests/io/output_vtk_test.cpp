// VTK XML round trip at 1, 2, 4 ranks: fields with a known pattern (value = global cell index)
// are written from each rank's box, for two decompositions, and read back with the VTK readers.
#include <gtest/gtest.h>

#include <cmath>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkStringArray.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLPImageDataReader.h>

#include <fstream>
#include <sstream>

#include "io/vtk_writer.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;
namespace test = ionpath::test;

namespace {

const mesh::Grid grid{{13, 9, 7}, 0.25e-6};

// Labels, a scalar and a 3-vector whose values encode the global x-fastest cell index g.
struct Pattern {
  std::vector<std::uint8_t> labels;
  std::vector<double> scalar, vector;
};
std::uint8_t label_of(long long g) { return static_cast<std::uint8_t>(g % 251); }
double scalar_of(long long g) { return 0.1 * static_cast<double>(g) - 3.0; }
double vector_of(long long g, int c) { return 1e-3 * static_cast<double>(3 * g + c); }

Pattern make_pattern(const mesh::Box& b) {
  Pattern p;
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const long long g = (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i;
        p.labels.push_back(label_of(g));
        p.scalar.push_back(scalar_of(g));
        for (int c = 0; c < 3; ++c) p.vector.push_back(vector_of(g, c));
      }
  return p;
}

std::vector<io::CellField> fields_of(const Pattern& p) {
  return {{"phase", "1", 1, std::span<const std::uint8_t>(p.labels)},
          {"potential", "V", 1, std::span<const double>(p.scalar)},
          {"current_density", "A/m2", 3, std::span<const double>(p.vector)}};
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(OutputVtk, DecompositionsCoverTheGridOnce) {
  for (const auto& d : test::decompositions()) EXPECT_EQ(test::total_cells(grid, d.procs), grid.n_total()) << d.name;
}

TEST(OutputVtk, RoundTripThroughVtkReaders) {
  const fs::path root = test::shared_dir("vtk");
  for (const auto& d : test::decompositions()) {
    SCOPED_TRACE(d.name);
    const mesh::Box box = test::split_box(grid, d.procs, test::rank());
    const Pattern p = make_pattern(box);
    const fs::path dir = root / d.name;
    const std::string file = io::write_vtk(dir, "fields", {grid, box, MPI_COMM_WORLD}, fields_of(p));
    EXPECT_EQ(file, test::size() == 1 ? "fields.vti" : "fields.pvti");
    if (test::rank() != 0) continue;
    vtkNew<vtkXMLPImageDataReader> preader;
    vtkNew<vtkXMLImageDataReader> reader;
    vtkImageData* image = nullptr;
    if (test::size() == 1) {
      reader->SetFileName((dir / file).c_str());
      reader->Update();
      image = reader->GetOutput();
    } else {
      preader->SetFileName((dir / file).c_str());
      preader->Update();
      image = preader->GetOutput();
    }
    ASSERT_EQ(image->GetNumberOfCells(), static_cast<vtkIdType>(grid.n_total()));
    int extent[6];
    image->GetExtent(extent);
    EXPECT_EQ((std::vector<int>(extent, extent + 6)), (std::vector<int>{0, 13, 0, 9, 0, 7}));
    double spacing[3], origin[3];
    image->GetSpacing(spacing);
    image->GetOrigin(origin);
    for (int a = 0; a < 3; ++a) {
      EXPECT_EQ(spacing[a], grid.voxel_size_m);
      EXPECT_EQ(origin[a], 0.0);
    }
    vtkDataArray* phase = image->GetCellData()->GetArray("phase");
    vtkDataArray* pot = image->GetCellData()->GetArray("potential");
    vtkDataArray* cur = image->GetCellData()->GetArray("current_density");
    ASSERT_NE(phase, nullptr);
    ASSERT_NE(pot, nullptr);
    ASSERT_NE(cur, nullptr);
    EXPECT_EQ(phase->GetDataType(), VTK_UNSIGNED_CHAR);
    EXPECT_EQ(pot->GetDataType(), VTK_DOUBLE);
    ASSERT_EQ(cur->GetNumberOfComponents(), 3);
    for (vtkIdType g = 0; g < image->GetNumberOfCells(); ++g) {  // VTK cell ids are x fastest = global index
      ASSERT_EQ(phase->GetComponent(g, 0), label_of(g)) << g;
      // Doubles are written in binary, so the round trip is exact up to how the compiler contracts
      // the test function (FMA with -march=native): about 1 ulp of the O(1) terms.
      ASSERT_NEAR(pot->GetComponent(g, 0), scalar_of(g), 4e-16 * (1.0 + std::abs(scalar_of(g)))) << g;
      for (int c = 0; c < 3; ++c)
        ASSERT_NEAR(cur->GetComponent(g, c), vector_of(g, c), 4e-16 * (1.0 + std::abs(vector_of(g, c)))) << g;
    }
  }
}

TEST(OutputVtk, PiecesCarryTheirExtentAndUnits) {
  const fs::path dir = test::shared_dir("vtk_pieces");
  const auto d = test::decompositions().back();
  const mesh::Box box = test::split_box(grid, d.procs, test::rank());
  const Pattern p = make_pattern(box);
  const std::string file = io::write_vtk(dir, "f", {grid, box, MPI_COMM_WORLD}, fields_of(p));
  const fs::path piece = test::size() == 1 ? dir / "f.vti" : dir / "f" / ("f_" + std::to_string(test::rank()) + ".vti");
  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName(piece.c_str());
  reader->Update();
  int e[6];
  reader->GetOutput()->GetExtent(e);
  EXPECT_EQ((std::vector<int>(e, e + 6)),
            (std::vector<int>{box.lo[0], box.hi[0], box.lo[1], box.hi[1], box.lo[2], box.hi[2]}));
  auto* units = vtkStringArray::SafeDownCast(reader->GetOutput()->GetFieldData()->GetAbstractArray("units"));
  ASSERT_NE(units, nullptr);
  ASSERT_EQ(units->GetNumberOfValues(), 3);
  EXPECT_EQ(units->GetValue(0), "phase=1");
  EXPECT_EQ(units->GetValue(1), "potential=V");
  EXPECT_EQ(units->GetValue(2), "current_density=A/m2");
  if (test::size() > 1 && test::rank() == 0) {
    const std::string pvti = read_text(dir / file);
    EXPECT_NE(pvti.find("WholeExtent=\"0 13 0 9 0 7\""), std::string::npos) << pvti;
    for (int r = 0; r < test::size(); ++r) {
      const mesh::Box b = test::split_box(grid, d.procs, r);
      std::ostringstream piece_entry;
      piece_entry << "Extent=\"" << b.lo[0] << " " << b.hi[0] << " " << b.lo[1] << " " << b.hi[1] << " " << b.lo[2]
                  << " " << b.hi[2] << "\" Source=\"f/f_" << r << ".vti\"";
      EXPECT_NE(pvti.find(piece_entry.str()), std::string::npos) << pvti;
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST(OutputVtk, PvdListsTimesteps) {
  const fs::path dir = test::shared_dir("pvd");
  if (test::rank() != 0) return;
  io::write_pvd(dir, "fields", {{0.0, "fields_0000.pvti"}, {2.5e-3, "fields_0001.pvti"}});
  const std::string text = read_text(dir / "fields.pvd");
  EXPECT_NE(text.find("type=\"Collection\""), std::string::npos);
  EXPECT_NE(text.find("timestep=\"0\" part=\"0\" file=\"fields_0000.pvti\""), std::string::npos) << text;
  EXPECT_NE(text.find("timestep=\"0.0025000000000000001\" part=\"0\" file=\"fields_0001.pvti\""), std::string::npos)
      << text;
}

TEST(OutputFields, VectorMagnitudeIsTheEuclideanNormPerCell) {
  const std::vector<double> v{3.0, 4.0, 0.0, 0.0, 0.0, -2.0, 1.0, 2.0, 2.0};
  const std::vector<double> m = ionpath::io::vector_magnitude(v);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_DOUBLE_EQ(m[0], 5.0);
  EXPECT_DOUBLE_EQ(m[1], 2.0);
  EXPECT_DOUBLE_EQ(m[2], 3.0);
}
