#include "io/hdf5_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "io/atomic_file.hpp"
#include "io/vtk_writer.hpp"

namespace ionpath::io {
namespace {

namespace fs = std::filesystem;

// Closes an HDF5 id when leaving scope.
class Hid {
 public:
  Hid(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error("HDF5: " + what + " failed");
  }
  ~Hid() { close_(id_); }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  operator hid_t() const { return id_; }  // NOLINT(google-explicit-constructor): used as the C id

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Our errors carry the file and the cause; HDF5's own stack print would only repeat them per rank.
class QuietHdf5Errors {
 public:
  QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: " + what + " failed");
}

void string_attribute(hid_t where, const std::string& name, const std::string& value) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(type, H5T_VARIABLE), "string size");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "string character set");  // h5py then returns str, not bytes
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Hid attr(H5Acreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  const char* text = value.c_str();
  check(H5Awrite(attr, type, &text), "attribute " + name);
}

template <typename T>
void numeric_attribute(hid_t where, const std::string& name, const std::vector<T>& values, hid_t type) {
  const hsize_t n = values.size();
  Hid space(n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose, "space");
  Hid attr(H5Acreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  check(H5Awrite(attr, type, values.data()), "attribute " + name);
}

// Hyperslab of a box in a [nz][ny][nx](+[ncomp]) dataset.
struct Slab {
  std::vector<hsize_t> global, offset, count;
};
Slab slab_of(const mesh::Grid& grid, const mesh::Box& b, int n_components) {
  const auto& g = grid.n_cells;
  Slab s;
  s.global = {hsize_t(g[2]), hsize_t(g[1]), hsize_t(g[0])};
  s.offset = {hsize_t(b.lo[2]), hsize_t(b.lo[1]), hsize_t(b.lo[0])};
  s.count = {hsize_t(b.extent(2)), hsize_t(b.extent(1)), hsize_t(b.extent(0))};
  if (n_components > 1) {
    s.global.push_back(hsize_t(n_components));
    s.offset.push_back(0);
    s.count.push_back(hsize_t(n_components));
  }
  return s;
}

hid_t open_parallel(const fs::path& file, MPI_Comm comm, bool create) {
  Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access list");
  check(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), "MPI-IO driver");
  return create ? H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl)
                : H5Fopen(file.c_str(), H5F_ACC_RDONLY, fapl);
}

hid_t collective_transfer() {
  const hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
  if (xfer >= 0 && H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE) < 0) {
    H5Pclose(xfer);
    return -1;
  }
  return xfer;
}

void write_provenance(hid_t file, const Provenance& p) {
  Hid g(H5Gcreate2(file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /provenance");
  string_attribute(g, "ionpath_version", p.ionpath_version);
  string_attribute(g, "git_describe", p.git_describe);
  string_attribute(g, "petsc_version", p.petsc_version);
  string_attribute(g, "hdf5_version", p.hdf5_version);
  string_attribute(g, "vtk_version", p.vtk_version);
  string_attribute(g, "mpi_version", p.mpi_version);
  string_attribute(g, "resolved_config_yaml", p.resolved_config_yaml);
  string_attribute(g, "date_utc", p.date_utc);
  string_attribute(g, "command_line", p.command_line);
  string_attribute(g, "params_file", p.params_file);
  string_attribute(g, "params_sha256", p.params_sha256);
  numeric_attribute(g, "n_ranks", std::vector<int>{p.n_ranks}, H5T_NATIVE_INT);
  numeric_attribute(g, "seed", std::vector<std::uint64_t>{p.seed}, H5T_NATIVE_UINT64);
}

// Scalar datasets are written collectively with the same value on every rank (metadata writes are
// collective in parallel HDF5); only rank 0's selection transfers data.
void write_results(hid_t file, const std::vector<ScalarResult>& results) {
  Hid lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "link creation list");
  check(H5Pset_create_intermediate_group(lcpl, 1), "intermediate groups");
  Hid group(H5Gcreate2(file, "results", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /results");
  for (const auto& r : results) {
    Hid space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
    Hid dset(H5Dcreate2(group, r.name.c_str(), H5T_NATIVE_DOUBLE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             "dataset /results/" + r.name);
    string_attribute(dset, "units", r.unit);
    check(H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &r.value), "write /results/" + r.name);
  }
}

void write_file(const fs::path& tmp, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& p, const Hdf5Metadata& meta) {
  Hid f(open_parallel(tmp, layout.comm, true), H5Fclose, "create " + tmp.string());
  numeric_attribute(f, "voxel_size_m", std::vector<double>{layout.grid.voxel_size_m}, H5T_NATIVE_DOUBLE);
  const auto& n = layout.grid.n_cells;
  numeric_attribute(f, "n_cells", std::vector<int>{n[0], n[1], n[2]}, H5T_NATIVE_INT);
  string_attribute(f, "layout",
                   "datasets are [nz][ny][nx] (C order): a[z, y, x]; components last; n_cells is (nx, ny, nz)");
  Hid group(H5Gcreate2(f, "fields", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /fields");
  Hid xfer(collective_transfer(), H5Pclose, "collective transfer list");
  for (const auto& field : fields) {
    const bool u8 = std::holds_alternative<std::span<const std::uint8_t>>(field.data);
    const hid_t type = u8 ? H5T_NATIVE_UINT8 : H5T_NATIVE_DOUBLE;
    const Slab s = slab_of(layout.grid, layout.owned, field.n_components);
    const int rank = static_cast<int>(s.global.size());
    Hid file_space(H5Screate_simple(rank, s.global.data(), nullptr), H5Sclose, "file space");
    Hid dset(H5Dcreate2(group, field.name.c_str(), type, file_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             "dataset /fields/" + field.name);
    string_attribute(dset, "units", field.unit);
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, s.offset.data(), nullptr, s.count.data(), nullptr),
          "hyperslab");
    Hid mem_space(H5Screate_simple(rank, s.count.data(), nullptr), H5Sclose, "memory space");
    const void* data = std::visit([](const auto& span) { return static_cast<const void*>(span.data()); }, field.data);
    check(H5Dwrite(dset, type, mem_space, file_space, xfer, data), "write /fields/" + field.name);
  }
  write_provenance(f, p);
  if (!meta.scales.empty()) {
    Hid sc(H5Gcreate2(f, "scales", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /scales");
    for (const auto& [k, v] : meta.scales) numeric_attribute(sc, k, std::vector<double>{v}, H5T_NATIVE_DOUBLE);
  }
  if (!meta.phase_labels.empty()) {
    Hid g(H5Gcreate2(f, "phase_labels", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group /phase_labels");
    for (const auto& [name, label] : meta.phase_labels) numeric_attribute(g, name, std::vector<int>{label}, H5T_NATIVE_INT);
  }
  if (!meta.results.empty()) write_results(f, meta.results);
}

std::string dims_text(const std::vector<hsize_t>& dims) {
  std::string s;
  for (const auto d : dims) s.append("[").append(std::to_string(d)).append("]");
  return s;
}

// Reads `box` of a dataset shaped like `grid`, converted to `mem_type`; collective over comm.
template <typename T>
std::vector<T> read_block(const fs::path& file, const std::string& dataset, const mesh::Grid& grid,
                          const mesh::Box& box, MPI_Comm comm, hid_t mem_type, bool integer_only) {
  const QuietHdf5Errors quiet;
  Hid f(open_parallel(file, comm, false), H5Fclose, "open " + file.string());
  Hid dset(H5Dopen2(f, dataset.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + dataset + " in " + file.string());
  if (integer_only) {
    Hid type(H5Dget_type(dset), H5Tclose, "dataset type");
    if (H5Tget_class(type) != H5T_INTEGER)
      throw std::runtime_error(file.string() + ":" + dataset + ": expected an integer dataset of labels");
  }
  Hid file_space(H5Dget_space(dset), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(file_space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(file_space, dims.data(), nullptr);
  const auto& g = grid.n_cells;
  const std::vector<hsize_t> expected{hsize_t(g[2]), hsize_t(g[1]), hsize_t(g[0])};
  const bool is3 = rank >= 3 && std::equal(expected.begin(), expected.end(), dims.begin());
  const bool is4 = is3 && rank == 4 && !integer_only;
  const bool is2 = rank == 2 && g[2] == 1 && dims[0] == expected[1] && dims[1] == expected[2];
  if (!(is2 || (is3 && rank == 3) || is4))
    throw std::runtime_error(file.string() + ":" + dataset + ": dataset shape " + dims_text(dims) +
                             " does not match the grid: expected [nz][ny][nx] = " + dims_text(expected) +
                             (integer_only ? "" : " (optionally [ncomp] last)"));
  const int n_components = is4 ? static_cast<int>(dims[3]) : 1;
  Slab s = slab_of(grid, box, n_components);
  if (is2) {
    s.offset.erase(s.offset.begin());
    s.count.erase(s.count.begin());
  }
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, s.offset.data(), nullptr, s.count.data(), nullptr),
        "hyperslab");
  Hid mem_space(H5Screate_simple(rank, s.count.data(), nullptr), H5Sclose, "memory space");
  std::vector<T> out(box.n_cells() * static_cast<std::size_t>(n_components));
  Hid xfer(collective_transfer(), H5Pclose, "collective transfer list");
  check(H5Dread(dset, mem_type, mem_space, file_space, xfer, out.data()), "read " + dataset + " from " + file.string());
  return out;
}

}  // namespace

void write_hdf5(const fs::path& file, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& provenance, const Hdf5Metadata& metadata) {
  int rank = 0;
  MPI_Comm_rank(layout.comm, &rank);
  std::string error;
  try {
    check_field_sizes(fields, layout.owned);
    if (rank == 0 && file.has_parent_path()) fs::create_directories(file.parent_path());
  } catch (const std::exception& e) {
    error = "HDF5 output " + file.string() + " failed on rank " + std::to_string(rank) + ": " + e.what();
  }
  // Agree before the first collective HDF5 call: a rank that left early would hang the others.
  throw_if_any_rank_failed(error, layout.comm);
  const std::string tag = collective_tag(layout.comm);  // all ranks create the same temporary
  std::unique_ptr<AtomicFile> owner;
  if (rank == 0) owner = std::make_unique<AtomicFile>(file, tag);
  try {
    const QuietHdf5Errors quiet;
    write_file(temporary_path(file, tag), layout, fields, provenance, metadata);
  } catch (const std::exception& e) {
    error = "HDF5 output " + file.string() + " failed on rank " + std::to_string(rank) + ": " + e.what();
  }
  std::vector<AtomicFile*> mine;
  if (owner) mine.push_back(owner.get());
  commit_collectively(mine, error, layout.comm);
}

std::vector<double> read_hdf5_block(const fs::path& file, const std::string& dataset, const mesh::Grid& grid,
                                    const mesh::Box& box, MPI_Comm comm) {
  return read_block<double>(file, dataset, grid, box, comm, H5T_NATIVE_DOUBLE, false);
}

std::vector<double> read_hdf5_block(const fs::path& file, const std::string& dataset, const FieldLayout& layout) {
  return read_hdf5_block(file, dataset, layout.grid, layout.owned, layout.comm);
}

std::vector<std::int64_t> read_hdf5_integer_block(const fs::path& file, const std::string& dataset,
                                                  const mesh::Grid& grid, const mesh::Box& box, MPI_Comm comm) {
  return read_block<std::int64_t>(file, dataset, grid, box, comm, H5T_NATIVE_INT64, true);
}

mesh::Index3 hdf5_dataset_shape(const fs::path& file, const std::string& dataset) {
  const QuietHdf5Errors quiet;
  Hid f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + file.string());
  Hid dset(H5Dopen2(f, dataset.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + dataset + " in " + file.string());
  Hid space(H5Dget_space(dset), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank != 2 && rank != 3)
    throw std::runtime_error(file.string() + ":" + dataset +
                             ": expected a [nz][ny][nx] or [ny][nx] dataset, got rank " + std::to_string(rank));
  hsize_t dims[3] = {1, 1, 1};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  return rank == 3 ? mesh::Index3{int(dims[2]), int(dims[1]), int(dims[0])}
                   : mesh::Index3{int(dims[1]), int(dims[0]), 1};
}

std::optional<double> hdf5_voxel_size_m(const fs::path& file, const std::string& dataset) {
  const QuietHdf5Errors quiet;
  Hid f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + file.string());
  for (const std::string& object : {dataset, std::string("/")}) {
    if (H5Aexists_by_name(f, object.c_str(), "voxel_size_m", H5P_DEFAULT) <= 0) continue;
    Hid attr(H5Aopen_by_name(f, object.c_str(), "voxel_size_m", H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
             "attribute voxel_size_m of " + object);
    Hid space(H5Aget_space(attr), H5Sclose, "attribute space");
    if (H5Sget_simple_extent_npoints(space) != 1)
      throw std::runtime_error(file.string() + ":" + object + ": attribute voxel_size_m must be one number");
    double value = 0.0;
    check(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), "read voxel_size_m");
    return value;
  }
  return std::nullopt;
}

}  // namespace ionpath::io
