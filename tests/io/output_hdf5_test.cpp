// Parallel HDF5 round trip at 1, 2, 4 ranks: fields written from one decomposition are read back
// with read_hdf5_block under another and, on rank 0, with the plain serial HDF5 API; the
// layout, units and provenance attributes are checked by value.
#include <gtest/gtest.h>
#include <hdf5.h>

#include "io/hdf5_writer.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;
namespace test = ionpath::test;

namespace {

const mesh::Grid grid{{13, 9, 7}, 0.25e-6};

long long global_index(int i, int j, int k) {
  return (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i;
}
std::uint8_t label_of(long long g) { return static_cast<std::uint8_t>(g % 251); }
double scalar_of(long long g) { return 0.1 * static_cast<double>(g) - 3.0; }
double vector_of(long long g, int c) { return 1e-3 * static_cast<double>(3 * g + c); }

struct Pattern {
  std::vector<std::uint8_t> labels;
  std::vector<double> scalar, vector;
};
Pattern make_pattern(const mesh::Box& b) {
  Pattern p;
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const long long g = global_index(i, j, k);
        p.labels.push_back(label_of(g));
        p.scalar.push_back(scalar_of(g));
        for (int c = 0; c < 3; ++c) p.vector.push_back(vector_of(g, c));
      }
  return p;
}

io::Provenance sample_provenance() {
  io::Provenance p;
  p.ionpath_version = "0.1.0";
  p.git_describe = "v0.1.0-3-gabcdef-dirty";
  p.petsc_version = "3.18.5";
  p.hdf5_version = "1.10.8";
  p.vtk_version = "9.1.0";
  p.mpi_version = "Open MPI 4.1";
  p.resolved_config_yaml = "grid:\n  n_cells: [13, 9, 7]\n  voxel_size_m: 2.5e-07\n";
  p.date_utc = io::make_date_utc();
  p.command_line = "ionpath run gel.yaml --set grid.n_cells=[13,9,7]";
  p.n_ranks = test::size();
  p.seed = 18446744073709551557ull;  // needs all 64 bits
  return p;
}

std::string string_attribute(hid_t file, const char* object, const char* name) {
  const hid_t attr = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
  if (attr < 0) return "<missing>";
  const hid_t type = H5Aget_type(attr);
  std::string value = "<not a variable-length string>";
  if (H5Tis_variable_str(type) > 0) {
    char* text = nullptr;
    const hid_t mem = H5Tget_native_type(type, H5T_DIR_ASCEND);
    if (H5Aread(attr, mem, &text) >= 0 && text != nullptr) value = text;
    H5free_memory(text);
    H5Tclose(mem);
  }
  H5Tclose(type);
  H5Aclose(attr);
  return value;
}

template <typename T>
std::vector<T> numeric_attribute(hid_t file, const char* object, const char* name, hid_t type) {
  const hid_t attr = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
  if (attr < 0) return {};
  const hid_t space = H5Aget_space(attr);
  std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Aread(attr, type, v.data());
  H5Sclose(space);
  H5Aclose(attr);
  return v;
}

std::vector<hsize_t> dataset_dims(hid_t file, const char* name) {
  const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t s = H5Dget_space(d);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s)));
  H5Sget_simple_extent_dims(s, dims.data(), nullptr);
  H5Sclose(s);
  H5Dclose(d);
  return dims;
}

}  // namespace

TEST(OutputHdf5, RoundTripAcrossDecompositions) {
  const fs::path dir = test::shared_dir("h5");
  const auto decomps = test::decompositions();
  for (std::size_t w = 0; w < decomps.size(); ++w) {
    const auto& write_with = decomps[w];
    const auto& read_with = decomps[1 - w];
    SCOPED_TRACE(write_with.name);
    const mesh::Box box = test::split_box(grid, write_with.procs, test::rank());
    const Pattern p = make_pattern(box);
    const fs::path file = dir / (write_with.name + ".h5");
    io::write_hdf5(file, {grid, box, MPI_COMM_WORLD},
                   {{"phase", "1", 1, std::span<const std::uint8_t>(p.labels)},
                    {"potential", "V", 1, std::span<const double>(p.scalar)},
                    {"current_density", "A/m2", 3, std::span<const double>(p.vector)}},
                   sample_provenance(), io::Hdf5Metadata{.scales = {{"c0_mol_m3", 390.0}, {"debye_length_m", 9.6e-9}}});
    // Parallel read of another rank's layout.
    const mesh::Box other = test::split_box(grid, read_with.procs, test::rank());
    const Pattern q = make_pattern(other);
    const auto scalar = io::read_hdf5_block(file, "/fields/potential", grid, other, MPI_COMM_WORLD);
    ASSERT_EQ(scalar.size(), q.scalar.size());
    for (std::size_t c = 0; c < scalar.size(); ++c) ASSERT_EQ(scalar[c] - q.scalar[c], 0.0) << c;
    const auto vec = io::read_hdf5_block(file, "/fields/current_density", grid, other, MPI_COMM_WORLD);
    ASSERT_EQ(vec.size(), q.vector.size());
    for (std::size_t c = 0; c < vec.size(); ++c) ASSERT_EQ(vec[c] - q.vector[c], 0.0) << c;
    const auto labels = io::read_hdf5_integer_block(file, "/fields/phase", grid, other, MPI_COMM_WORLD);
    ASSERT_EQ(labels.size(), q.labels.size());
    for (std::size_t c = 0; c < labels.size(); ++c) ASSERT_EQ(labels[c], q.labels[c]) << c;
    EXPECT_EQ(io::hdf5_dataset_shape(file, "/fields/phase"), grid.n_cells);
  }
}

TEST(OutputHdf5, SerialReaderSeesLayoutUnitsAndProvenance) {
  const fs::path dir = test::shared_dir("h5_attrs");
  const auto d = test::decompositions().back();
  const mesh::Box box = test::split_box(grid, d.procs, test::rank());
  const Pattern p = make_pattern(box);
  const io::Provenance prov = sample_provenance();
  io::write_hdf5(dir / "f.h5", {grid, box, MPI_COMM_WORLD},
                 {{"phase", "1", 1, std::span<const std::uint8_t>(p.labels)},
                  {"current_density", "A/m2", 3, std::span<const double>(p.vector)}},
                 prov,
                 io::Hdf5Metadata{.scales = {{"c0_mol_m3", 390.0}},
                                  .phase_labels = {{"gel", 0}, {"wall", 1}},
                                  .results = {{"z/sigma_eff", "S/m", 0.0632}, {"anisotropy", "1", 2.5}}});
  if (test::rank() != 0) return;
  const hid_t f = H5Fopen((dir / "f.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  EXPECT_EQ(dataset_dims(f, "/fields/phase"), (std::vector<hsize_t>{7, 9, 13}));
  EXPECT_EQ(dataset_dims(f, "/fields/current_density"), (std::vector<hsize_t>{7, 9, 13, 3}));
  // C order [z][y][x]: the whole dataset read serially is the global x-fastest array.
  std::vector<std::uint8_t> all(grid.n_total());
  const hid_t dset = H5Dopen2(f, "/fields/phase", H5P_DEFAULT);
  ASSERT_GE(H5Dread(dset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data()), 0);
  H5Dclose(dset);
  for (std::size_t g = 0; g < all.size(); ++g) ASSERT_EQ(all[g], label_of(static_cast<long long>(g))) << g;
  EXPECT_EQ(string_attribute(f, "/fields/phase", "units"), "1");
  EXPECT_EQ(string_attribute(f, "/fields/current_density", "units"), "A/m2");
  EXPECT_EQ(numeric_attribute<double>(f, "/", "voxel_size_m", H5T_NATIVE_DOUBLE),
            std::vector<double>{grid.voxel_size_m});
  EXPECT_EQ(numeric_attribute<int>(f, "/", "n_cells", H5T_NATIVE_INT), (std::vector<int>{13, 9, 7}));
  EXPECT_EQ(string_attribute(f, "/provenance", "ionpath_version"), prov.ionpath_version);
  EXPECT_EQ(string_attribute(f, "/provenance", "git_describe"), prov.git_describe);
  EXPECT_EQ(string_attribute(f, "/provenance", "petsc_version"), prov.petsc_version);
  EXPECT_EQ(string_attribute(f, "/provenance", "hdf5_version"), prov.hdf5_version);
  EXPECT_EQ(string_attribute(f, "/provenance", "vtk_version"), prov.vtk_version);
  EXPECT_EQ(string_attribute(f, "/provenance", "mpi_version"), prov.mpi_version);
  EXPECT_EQ(string_attribute(f, "/provenance", "resolved_config_yaml"), prov.resolved_config_yaml);
  EXPECT_EQ(string_attribute(f, "/provenance", "date_utc"), prov.date_utc);
  EXPECT_EQ(string_attribute(f, "/provenance", "command_line"), prov.command_line);
  EXPECT_EQ(numeric_attribute<int>(f, "/provenance", "n_ranks", H5T_NATIVE_INT), std::vector<int>{test::size()});
  EXPECT_EQ(numeric_attribute<std::uint64_t>(f, "/provenance", "seed", H5T_NATIVE_UINT64),
            std::vector<std::uint64_t>{prov.seed});
  EXPECT_EQ(numeric_attribute<double>(f, "/scales", "c0_mol_m3", H5T_NATIVE_DOUBLE), std::vector<double>{390.0});
  EXPECT_EQ(numeric_attribute<int>(f, "/phase_labels", "wall", H5T_NATIVE_INT), std::vector<int>{1});
  EXPECT_EQ(string_attribute(f, "/results/z/sigma_eff", "units"), "S/m");
  EXPECT_EQ(string_attribute(f, "/results/anisotropy", "units"), "1");
  double sigma = 0.0;
  const hid_t result = H5Dopen2(f, "/results/z/sigma_eff", H5P_DEFAULT);
  ASSERT_GE(result, 0);
  ASSERT_GE(H5Dread(result, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &sigma), 0);
  H5Dclose(result);
  EXPECT_EQ(sigma, 0.0632);
  H5Fclose(f);
}

TEST(OutputHdf5, ReaderRejectsAShapeThatDoesNotMatchTheGrid) {
  const fs::path dir = test::shared_dir("h5_shape");
  const mesh::Box box = test::split_box(grid, test::decompositions().front().procs, test::rank());
  const Pattern p = make_pattern(box);
  io::write_hdf5(dir / "f.h5", {grid, box, MPI_COMM_WORLD}, {{"potential", "V", 1, std::span<const double>(p.scalar)}},
                 {});
  const mesh::Grid wrong{{12, 9, 7}, grid.voxel_size_m};
  try {
    static_cast<void>(io::read_hdf5_block(dir / "f.h5", "/fields/potential", wrong, wrong.whole(), MPI_COMM_SELF));
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("f.h5:/fields/potential"), std::string::npos) << m;
    EXPECT_NE(m.find("shape [7][9][13] does not match the grid: expected [nz][ny][nx] = [7][9][12]"), std::string::npos)
        << m;
  }
}
