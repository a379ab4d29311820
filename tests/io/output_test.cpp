// Output and input round trips at 1, 2 and 4 ranks: fields written as VTK XML and parallel HDF5
// are read back with the VTK and HDF5 libraries; images written as raw/TIFF/HDF5 are imported
// block-wise; failures leave no file behind.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <tiffio.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkXMLImageDataReader.h>
#include <vtkXMLPImageDataReader.h>

#include <filesystem>
#include <fstream>

#include "io/atomic_file.hpp"
#include "io/hdf5_writer.hpp"
#include "io/image_import.hpp"
#include "io/vtk_writer.hpp"
#include "solver/domain.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;

namespace {

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

// A directory shared by all ranks of this run, unique per test and rank count.
fs::path shared_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("ionpath_io_" + name + "_np" + std::to_string(size()));
  if (rank() == 0) {
    fs::remove_all(d);
    fs::create_directories(d);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return d;
}

const mesh::Grid grid{{13, 9, 7}, 0.25e-6};

long long global_index(int i, int j, int k) { return (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i; }

struct RankFields {
  mesh::Box box;
  std::vector<std::uint8_t> labels;
  std::vector<double> scalar, vector;
};

RankFields make_fields(const ionpath::solver::Domain& d) {
  RankFields f;
  f.box = d.owned();
  for (int k = f.box.lo[2]; k < f.box.hi[2]; ++k)
    for (int j = f.box.lo[1]; j < f.box.hi[1]; ++j)
      for (int i = f.box.lo[0]; i < f.box.hi[0]; ++i) {
        const long long g = global_index(i, j, k);
        f.labels.push_back(static_cast<std::uint8_t>(g % 7));
        f.scalar.push_back(0.5 * static_cast<double>(g));
        for (int c = 0; c < 3; ++c) f.vector.push_back(static_cast<double>(3 * g + c));
      }
  return f;
}

}  // namespace

TEST(OutputRoundTrip, VtkPiecesAndSummaryReadBack) {
  ionpath::solver::Domain domain(grid, {});
  const RankFields f = make_fields(domain);
  const fs::path dir = shared_dir("vtk");
  const io::FieldLayout layout{grid, f.box, MPI_COMM_WORLD};
  const std::string file = io::write_vtk(dir, "fields", layout,
                                         {{"phase", "1", 1, std::span<const std::uint8_t>(f.labels)},
                                          {"potential", "V", 1, std::span<const double>(f.scalar)},
                                          {"current_density", "A/m2", 3, std::span<const double>(f.vector)}});
  if (rank() != 0) return;
  vtkImageData* image = nullptr;
  vtkNew<vtkXMLPImageDataReader> preader;
  vtkNew<vtkXMLImageDataReader> reader;
  if (size() == 1) {
    ASSERT_EQ(file, "fields.vti");
    reader->SetFileName((dir / file).c_str());
    reader->Update();
    image = reader->GetOutput();
  } else {
    ASSERT_EQ(file, "fields.pvti");
    preader->SetFileName((dir / file).c_str());
    preader->Update();
    image = preader->GetOutput();
  }
  ASSERT_EQ(image->GetNumberOfCells(), static_cast<vtkIdType>(grid.n_total()));
  double spacing[3];
  image->GetSpacing(spacing);
  EXPECT_DOUBLE_EQ(spacing[0], grid.voxel_size_m);
  vtkDataArray* phase = image->GetCellData()->GetArray("phase");
  vtkDataArray* pot = image->GetCellData()->GetArray("potential");
  vtkDataArray* cur = image->GetCellData()->GetArray("current_density");
  ASSERT_NE(phase, nullptr);
  ASSERT_NE(pot, nullptr);
  ASSERT_NE(cur, nullptr);
  EXPECT_EQ(cur->GetNumberOfComponents(), 3);
  for (vtkIdType c = 0; c < image->GetNumberOfCells(); ++c) {  // VTK cell ids are x fastest: = global index
    ASSERT_EQ(phase->GetComponent(c, 0), static_cast<double>(c % 7));
    ASSERT_EQ(pot->GetComponent(c, 0), 0.5 * static_cast<double>(c));
    ASSERT_EQ(cur->GetComponent(c, 2), static_cast<double>(3 * c + 2));
  }
  // No temporaries left beside the results.
  for (const auto& e : fs::recursive_directory_iterator(dir)) EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos);
}

TEST(OutputRoundTrip, Hdf5FieldsAndProvenance) {
  ionpath::solver::Domain domain(grid, {});
  const RankFields f = make_fields(domain);
  const fs::path dir = shared_dir("h5");
  const io::FieldLayout layout{grid, f.box, MPI_COMM_WORLD};
  io::Provenance p;
  p.ionpath_version = "test";
  p.resolved_config_yaml = "grid: {n_cells: [13, 9, 7]}";
  p.n_ranks = size();
  p.seed = 123;
  io::write_hdf5(dir / "fields.h5", layout,
                 {{"phase", "1", 1, std::span<const std::uint8_t>(f.labels)}, {"potential", "V", 1, std::span<const double>(f.scalar)}},
                 p, {{"c0_mol_m3", 390.0}});
  const auto back = io::read_hdf5_block(dir / "fields.h5", "/fields/potential", layout);
  EXPECT_EQ(back, f.scalar);
  const auto labels = io::read_hdf5_block(dir / "fields.h5", "/fields/phase", layout);
  for (std::size_t c = 0; c < labels.size(); ++c) ASSERT_EQ(labels[c], f.labels[c]);
  EXPECT_EQ(io::hdf5_dataset_shape(dir / "fields.h5", "/fields/phase"), grid.n_cells);
  if (rank() == 0) {
    const hid_t file = H5Fopen((dir / "fields.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    for (const char* a : {"ionpath_version", "resolved_config", "n_ranks", "seed", "date_utc"})
      EXPECT_GT(H5Aexists_by_name(file, "/provenance", a, H5P_DEFAULT), 0) << a;
    EXPECT_GT(H5Aexists_by_name(file, "/fields/potential", "units", H5P_DEFAULT), 0);
    EXPECT_GT(H5Aexists_by_name(file, "/", "voxel_size_m", H5P_DEFAULT), 0);
    EXPECT_GT(H5Aexists_by_name(file, "/scales", "c0_mol_m3", H5P_DEFAULT), 0);
    H5Fclose(file);
  }
}

TEST(AtomicWrite, FailureLeavesNothing) {
  const fs::path dir = shared_dir("atomic") / std::to_string(rank());
  fs::create_directories(dir);
  EXPECT_THROW(io::write_atomically(dir / "summary.json",
                                    [](const fs::path& tmp) {
                                      std::ofstream(tmp) << "{\"half\": ";
                                      throw std::runtime_error("interrupted");
                                    }),
               std::runtime_error);
  EXPECT_TRUE(fs::is_empty(dir));
  io::write_text_atomically(dir / "summary.json", "{}\n");
  EXPECT_TRUE(fs::exists(dir / "summary.json"));
}

namespace {

unsigned pattern(int i, int j, int k) { return static_cast<unsigned>((i + 2 * j + 3 * k) % 3); }

mesh::ImageParams image_params(mesh::ImageFormat format, const fs::path& path) {
  mesh::ImageParams im;
  im.format = format;
  im.path = path.string();
  im.label_map = {{0, "gel"}, {1, "clay"}, {2, "binder"}};
  return im;
}

void expect_pattern(const mesh::ImageParams& im, const ionpath::solver::Domain& d, unsigned scale = 1) {
  mesh::PhaseTable table;
  auto params = im;
  for (auto& [v, n] : params.label_map) v = static_cast<int>(v * scale);
  const auto block = io::import_image_block(params, grid, d.owned(), table, MPI_COMM_WORLD);
  const mesh::Label binder = *table.find("binder");
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const unsigned p = pattern(i, j, k);
        const mesh::Label expect = p == 0 ? mesh::phase::gel : p == 1 ? mesh::phase::clay : binder;
        ASSERT_EQ(block.at(i, j, k), expect) << i << " " << j << " " << k;
      }
}

}  // namespace

TEST(ImageImport, RawOrdersAndTypes) {
  ionpath::solver::Domain domain(grid, {});
  const fs::path dir = shared_dir("raw");
  if (rank() == 0) {
    std::ofstream u8(dir / "xyz.raw", std::ios::binary), be(dir / "zyx_be16.raw", std::ios::binary);
    for (int k = 0; k < 7; ++k)
      for (int j = 0; j < 9; ++j)
        for (int i = 0; i < 13; ++i) u8.put(static_cast<char>(pattern(i, j, k)));
    for (int i = 0; i < 13; ++i)  // z fastest, big-endian uint16, values x 1000
      for (int j = 0; j < 9; ++j)
        for (int k = 0; k < 7; ++k) {
          const unsigned v = 1000 * pattern(i, j, k);
          be.put(static_cast<char>(v >> 8));
          be.put(static_cast<char>(v & 0xff));
        }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  expect_pattern(image_params(mesh::ImageFormat::raw, dir / "xyz.raw"), domain);
  auto be = image_params(mesh::ImageFormat::raw, dir / "zyx_be16.raw");
  be.dtype = mesh::RawDtype::uint16;
  be.big_endian = true;
  be.x_fastest = false;
  expect_pattern(be, domain, 1000);
  // Wrong size and unmapped values are errors that name the file and the problem.
  mesh::PhaseTable table;
  const mesh::Grid wrong{{13, 9, 8}, 1e-6};
  try {
    static_cast<void>(io::import_image_block(image_params(mesh::ImageFormat::raw, dir / "xyz.raw"), wrong, wrong.whole(), table, MPI_COMM_SELF));
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("819 bytes, expected 936"), std::string::npos) << e.what();
  }
  auto unmapped = image_params(mesh::ImageFormat::raw, dir / "xyz.raw");
  unmapped.label_map.pop_back();
  try {
    static_cast<void>(io::import_image_block(unmapped, grid, grid.whole(), table, MPI_COMM_SELF));
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("image value 2 at voxel (2, 0, 0)"), std::string::npos) << e.what();
  }
}

TEST(ImageImport, TiffStackAndHdf5Dataset) {
  ionpath::solver::Domain domain(grid, {});
  const fs::path dir = shared_dir("tiff_h5");
  if (rank() == 0) {
    TIFF* t = TIFFOpen((dir / "stack.tif").c_str(), "w");
    ASSERT_NE(t, nullptr);
    for (int k = 0; k < 7; ++k) {
      TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 13);
      TIFFSetField(t, TIFFTAG_IMAGELENGTH, 9);
      TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
      TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
      TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
      TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
      for (int j = 0; j < 9; ++j) {
        std::vector<unsigned char> row(13);
        for (int i = 0; i < 13; ++i) row[i] = static_cast<unsigned char>(pattern(i, j, k));
        TIFFWriteScanline(t, row.data(), static_cast<uint32_t>(j), 0);
      }
      TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    const hid_t f = H5Fcreate((dir / "labels.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims[3] = {7, 9, 13};
    const hid_t space = H5Screate_simple(3, dims, nullptr);
    const hid_t dset = H5Dcreate2(f, "labels", H5T_NATIVE_UINT16, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<std::uint16_t> v;
    for (int k = 0; k < 7; ++k)
      for (int j = 0; j < 9; ++j)
        for (int i = 0; i < 13; ++i) v.push_back(static_cast<std::uint16_t>(pattern(i, j, k)));
    H5Dwrite(dset, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Dclose(dset);
    H5Sclose(space);
    H5Fclose(f);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto tiff = image_params(mesh::ImageFormat::tiff, dir / "stack.tif");
  EXPECT_EQ(io::probe_image_shape(tiff), grid.n_cells);
  expect_pattern(tiff, domain);
  const auto h5 = image_params(mesh::ImageFormat::hdf5, dir / "labels.h5");
  EXPECT_EQ(io::probe_image_shape(h5), grid.n_cells);
  expect_pattern(h5, domain);
  mesh::PhaseTable table;
  const mesh::Grid wrong{{12, 9, 7}, 1e-6};
  try {
    static_cast<void>(io::import_image_block(tiff, wrong, wrong.whole(), table, MPI_COMM_SELF));
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("page 0 is 13 x 9, expected 12 x 9"), std::string::npos) << e.what();
  }
}
