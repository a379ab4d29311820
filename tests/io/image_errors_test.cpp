// Image import errors at 1, 2, 4 ranks: a wrong file size, page count, page size, dataset shape
// or type, or a value missing from the label map fails on every rank with the same message,
// which names the file and the expected vs actual size, or the value and its first voxel.
#include <gtest/gtest.h>

#include "image_test_support.hpp"
#include "io/image_import.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;
namespace test = ionpath::test;

namespace {

const mesh::Grid grid{{13, 9, 7}, 0.5e-6};

mesh::ImageParams params(mesh::ImageFormat format, const fs::path& path) {
  mesh::ImageParams im;
  im.format = format;
  im.path = path.string();
  im.label_map = {{0, "gel"}, {1, "clay"}};
  return im;
}

unsigned zero_one(int i, int j, int k) { return static_cast<unsigned>((i + j + k) % 2); }

// Imports under every decomposition and expects every rank to throw a message with all `parts`.
void expect_error(const mesh::ImageParams& im, const mesh::Grid& g, const std::vector<std::string>& parts) {
  for (const auto& d : test::decompositions()) {
    SCOPED_TRACE(d.name);
    std::string message;
    try {
      mesh::PhaseTable table;
      static_cast<void>(
          io::import_image_block(im, g, test::split_box(g, d.procs, test::rank()), table, MPI_COMM_WORLD));
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
    ASSERT_FALSE(message.empty()) << "no exception";
    for (const auto& p : parts)
      EXPECT_NE(message.find(p), std::string::npos) << "'" << p << "' not in '" << message << "'";
  }
}

}  // namespace

TEST(ImageErrors, RawFileSizeMismatch) {
  const fs::path dir = test::shared_dir("err_raw");
  if (test::rank() == 0) test::write_raw(dir / "a.raw", grid.n_cells, 1, false, true, zero_one);
  MPI_Barrier(MPI_COMM_WORLD);
  const mesh::Grid taller{{13, 9, 8}, grid.voxel_size_m};
  expect_error(params(mesh::ImageFormat::raw, dir / "a.raw"), taller,
               {(dir / "a.raw").string(), "raw image has " + std::to_string(13 * 9 * 7) + " bytes, expected " +
                                              std::to_string(13 * 9 * 8) + " (13 x 9 x 8 voxels x 1 bytes)"});
  auto wide = params(mesh::ImageFormat::raw, dir / "a.raw");
  wide.dtype = mesh::RawDtype::uint16;
  expect_error(wide, grid, {"expected " + std::to_string(2 * 13 * 9 * 7)});
}

TEST(ImageErrors, UnknownValueReportsTheGloballyFirstVoxel) {
  const fs::path dir = test::shared_dir("err_value");
  // Two unmapped values; (2, 7, 1) comes first in x-fastest order, whichever rank owns it.
  auto value = [](int i, int j, int k) -> unsigned {
    if (i == 5 && j == 4 && k == 6) return 8;
    if (i == 2 && j == 7 && k == 1) return 9;
    return zero_one(i, j, k);
  };
  if (test::rank() == 0) {
    test::write_raw(dir / "a.raw", grid.n_cells, 1, false, false, value);
    test::write_tiff(dir / "a.tif", grid.n_cells, 8, value);
    test::write_hdf5_image(dir / "a.h5", "labels", grid.n_cells, H5T_NATIVE_UINT8, value);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto raw = params(mesh::ImageFormat::raw, dir / "a.raw");
  raw.x_fastest = false;
  for (const auto& im :
       {raw, params(mesh::ImageFormat::tiff, dir / "a.tif"), params(mesh::ImageFormat::hdf5, dir / "a.h5")})
    expect_error(im, grid, {im.path + ": image value 9 at voxel (2, 7, 1) is not in the label map"});
}

TEST(ImageErrors, TiffPageCountAndPageSize) {
  const fs::path dir = test::shared_dir("err_tiff");
  if (test::rank() == 0) {
    test::write_tiff(dir / "narrow_page.tif", grid.n_cells, 8, zero_one, [](int k) { return k == 5 ? 12 : 13; });
    test::write_tiff(dir / "short.tif", {13, 9, 6}, 16, zero_one);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  expect_error(params(mesh::ImageFormat::tiff, dir / "narrow_page.tif"), grid,
               {(dir / "narrow_page.tif").string() + ": page 5 is 12 x 9, expected 13 x 9"});
  expect_error(params(mesh::ImageFormat::tiff, dir / "short.tif"), grid, {"TIFF stack has 6 pages, expected nz = 7"});
}

TEST(ImageErrors, Hdf5ShapeAndType) {
  const fs::path dir = test::shared_dir("err_h5");
  if (test::rank() == 0) {
    test::write_hdf5_image(dir / "shape.h5", "labels", {12, 9, 7}, H5T_NATIVE_UINT8, zero_one);
    test::write_hdf5_image(dir / "float.h5", "labels", grid.n_cells, H5T_NATIVE_FLOAT, zero_one);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  auto shape = params(mesh::ImageFormat::hdf5, dir / "shape.h5");
  shape.dataset = "labels";
  expect_error(shape, grid,
               {(dir / "shape.h5").string() + ":labels: dataset shape [7][9][12] does not match the grid: "
                                              "expected [nz][ny][nx] = [7][9][13]"});
  expect_error(params(mesh::ImageFormat::hdf5, dir / "float.h5"), grid, {"expected an integer dataset of labels"});
  expect_error(params(mesh::ImageFormat::hdf5, dir / "missing.h5"), grid, {"open " + (dir / "missing.h5").string()});
}

TEST(ImageErrors, ProbeNeedsAHeader) {
  EXPECT_THROW(static_cast<void>(io::probe_image_shape(params(mesh::ImageFormat::raw, "x.raw"))), std::runtime_error);
  EXPECT_THROW(static_cast<void>(io::probe_image_shape(params(mesh::ImageFormat::tiff, "/nonexistent/x.tif"))),
               std::runtime_error);
}
