// Image import at 1, 2, 4 ranks: raw (uint8/uint16, both byte orders, both axis orders), TIFF
// stacks (8/16-bit, compressed strips) and HDF5 datasets are read block-wise under two
// decompositions; every rank's block must hold exactly the labels of the known pattern.
#include "io/image_import.hpp"

#include <gtest/gtest.h>

#include "image_test_support.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;
namespace test = ionpath::test;

namespace {

const mesh::Grid grid{{13, 9, 7}, 0.5e-6};

// Phase index 0..3 of a voxel; the image stores scale * index (+ offset for 16-bit byte order).
int phase_index(int i, int j, int k) { return (i + 2 * j + 3 * k + i * j * k) % 4; }

// Image values chosen so both bytes of a uint16 differ (0x0103 vs 0x0301 etc.).
unsigned value_of(int index, bool wide) { return wide ? 259u + 514u * static_cast<unsigned>(index) : 10u * index + 1; }

mesh::ImageParams params(mesh::ImageFormat format, const fs::path& path, bool wide) {
  mesh::ImageParams im;
  im.format = format;
  im.path = path.string();
  im.label_map = {{static_cast<int>(value_of(0, wide)), "gel"},
                  {static_cast<int>(value_of(1, wide)), "clay"},
                  {static_cast<int>(value_of(2, wide)), "void"},
                  {static_cast<int>(value_of(3, wide)), "binder"}};
  return im;
}

// Imports with both decompositions and compares every voxel with the pattern.
void expect_pattern(const mesh::ImageParams& im) {
  for (const auto& d : test::decompositions()) {
    SCOPED_TRACE(d.name + " " + im.path);
    mesh::PhaseTable table;
    const mesh::Box box = test::split_box(grid, d.procs, test::rank());
    const mesh::LabelBlock block = io::import_image_block(im, grid, box, table, MPI_COMM_WORLD);
    ASSERT_EQ(block.box(), box);
    const auto binder = table.find("binder");
    ASSERT_TRUE(binder.has_value());
    EXPECT_GE(*binder, mesh::phase::first_user);
    const mesh::Label expected[4] = {mesh::phase::gel, mesh::phase::clay, *table.find("void"), *binder};
    long long mismatches = 0;
    for (int k = box.lo[2]; k < box.hi[2]; ++k)
      for (int j = box.lo[1]; j < box.hi[1]; ++j)
        for (int i = box.lo[0]; i < box.hi[0]; ++i) mismatches += block.at(i, j, k) != expected[phase_index(i, j, k)];
    EXPECT_EQ(mismatches, 0);
  }
}

}  // namespace

TEST(ImageImport, RawAllTypesByteOrdersAndAxisOrders) {
  const fs::path dir = test::shared_dir("image_raw");
  struct Case {
    int bytes;
    bool big_endian, x_fastest;
  };
  std::vector<Case> cases;
  for (int bytes : {1, 2})
    for (bool be : {false, true})
      for (bool xf : {true, false}) cases.push_back({bytes, be, xf});
  auto name = [](const Case& c) {
    return std::string("u") + (c.bytes == 1 ? "8" : "16") + (c.big_endian ? "_be" : "_le") +
           (c.x_fastest ? "_x" : "_z") + ".raw";
  };
  if (test::rank() == 0)
    for (const auto& c : cases)
      test::write_raw(dir / name(c), grid.n_cells, c.bytes, c.big_endian, c.x_fastest,
                      [&](int i, int j, int k) { return value_of(phase_index(i, j, k), c.bytes == 2); });
  MPI_Barrier(MPI_COMM_WORLD);
  for (const auto& c : cases) {
    auto im = params(mesh::ImageFormat::raw, dir / name(c), c.bytes == 2);
    im.dtype = c.bytes == 1 ? mesh::RawDtype::uint8 : mesh::RawDtype::uint16;
    im.big_endian = c.big_endian;
    im.x_fastest = c.x_fastest;
    expect_pattern(im);
  }
}

TEST(ImageImport, TiffStacks8And16Bit) {
  const fs::path dir = test::shared_dir("image_tiff");
  if (test::rank() == 0)
    for (int bits : {8, 16})
      test::write_tiff(dir / ("stack" + std::to_string(bits) + ".tif"), grid.n_cells, bits,
                       [&](int i, int j, int k) { return value_of(phase_index(i, j, k), bits == 16); });
  MPI_Barrier(MPI_COMM_WORLD);
  for (int bits : {8, 16}) {
    const auto im = params(mesh::ImageFormat::tiff, dir / ("stack" + std::to_string(bits) + ".tif"), bits == 16);
    EXPECT_EQ(io::probe_image_shape(im), grid.n_cells);
    EXPECT_FALSE(io::probe_image_voxel_size_m(im).has_value());
    expect_pattern(im);
  }
}

TEST(ImageImport, Hdf5IntegerDatasets) {
  const fs::path dir = test::shared_dir("image_h5");
  const double h = 0.75e-6;
  if (test::rank() == 0) {
    test::write_hdf5_image(
        dir / "u16.h5", "labels", grid.n_cells, H5T_STD_U16LE,
        [&](int i, int j, int k) { return value_of(phase_index(i, j, k), true); }, &h);
    test::write_hdf5_image(dir / "i32.h5", "labels", grid.n_cells, H5T_STD_I32BE,
                           [&](int i, int j, int k) { return value_of(phase_index(i, j, k), false); });
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto u16 = params(mesh::ImageFormat::hdf5, dir / "u16.h5", true);
  EXPECT_EQ(io::probe_image_shape(u16), grid.n_cells);
  EXPECT_EQ(io::probe_image_voxel_size_m(u16), h);
  expect_pattern(u16);
  const auto i32 = params(mesh::ImageFormat::hdf5, dir / "i32.h5", false);
  EXPECT_FALSE(io::probe_image_voxel_size_m(i32).has_value());
  expect_pattern(i32);
}

TEST(ImageImport, ConstTableUsesDeclaredPhasesOnly) {
  const fs::path dir = test::shared_dir("image_const");
  if (test::rank() == 0)
    test::write_raw(dir / "a.raw", grid.n_cells, 1, false, true, [](int i, int, int) { return i % 2 ? 11u : 1u; });
  MPI_Barrier(MPI_COMM_WORLD);
  auto im = params(mesh::ImageFormat::raw, dir / "a.raw", false);
  im.label_map.resize(2);  // gel and clay: built in
  const mesh::PhaseTable table;
  const mesh::Box box = test::split_box(grid, test::decompositions().back().procs, test::rank());
  const auto block = io::import_image_block(im, grid, box, table, MPI_COMM_WORLD);
  EXPECT_EQ(block.at(box.lo[0], box.lo[1], box.lo[2]), box.lo[0] % 2 ? mesh::phase::clay : mesh::phase::gel);
  im.label_map.emplace_back(21, "binder");
  try {
    static_cast<void>(io::import_image_block(im, grid, box, table, MPI_COMM_WORLD));
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("label map names phase 'binder', which is not declared"), std::string::npos)
        << e.what();
  }
}
