#include "io/hdf5_writer.hpp"

#include <hdf5.h>

#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

// Closes an HDF5 id when leaving scope.
class Hid {
 public:
  Hid(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error("HDF5: " + what + " failed");
  }
  ~Hid() { close_(id_); }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  operator hid_t() const { return id_; }  // NOLINT

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: " + what + " failed");
}

void string_attribute(hid_t where, const std::string& name, const std::string& value) {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, "type");
  check(H5Tset_size(type, std::max<std::size_t>(1, value.size())), "string size");
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, "space");
  Hid attr(H5Acreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  check(H5Awrite(attr, type, value.empty() ? " " : value.c_str()), "attribute " + name);
}

template <typename T>
void numeric_attribute(hid_t where, const std::string& name, const std::vector<T>& values, hid_t type) {
  const hsize_t n = values.size();
  Hid space(H5Screate_simple(1, &n, nullptr), H5Sclose, "space");
  Hid attr(H5Acreate2(where, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
  check(H5Awrite(attr, type, values.data()), "attribute " + name);
}

struct Slab {
  std::vector<hsize_t> global, offset, count;
};
Slab slab_of(const FieldLayout& layout, int n_components) {
  const auto& g = layout.grid.n_cells;
  const auto& b = layout.owned;
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

hid_t open_parallel(const std::filesystem::path& file, MPI_Comm comm, bool create) {
  Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "fapl");
  check(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL), "mpio");
  return create ? H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : H5Fopen(file.c_str(), H5F_ACC_RDONLY, fapl);
}

void write_file(const std::filesystem::path& tmp, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& p, const std::map<std::string, double>& scales) {
  Hid f(open_parallel(tmp, layout.comm, true), H5Fclose, "create " + tmp.string());
  numeric_attribute(f, "voxel_size_m", std::vector<double>{layout.grid.voxel_size_m}, H5T_NATIVE_DOUBLE);
  numeric_attribute(f, "n_cells", std::vector<int>{layout.grid.n_cells[0], layout.grid.n_cells[1], layout.grid.n_cells[2]},
                    H5T_NATIVE_INT);
  string_attribute(f, "layout", "datasets are [nz][ny][nx] (C order): a[z, y, x]; components last");
  Hid group(H5Gcreate2(f, "fields", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group fields");
  Hid xfer(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "dxpl");
  check(H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE), "collective transfer");
  for (const auto& field : fields) {
    const bool u8 = std::holds_alternative<std::span<const std::uint8_t>>(field.data);
    const hid_t type = u8 ? H5T_NATIVE_UINT8 : H5T_NATIVE_DOUBLE;
    const Slab s = slab_of(layout, field.n_components);
    const int rank = static_cast<int>(s.global.size());
    Hid file_space(H5Screate_simple(rank, s.global.data(), nullptr), H5Sclose, "file space");
    Hid dset(H5Dcreate2(group, field.name.c_str(), type, file_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             "dataset " + field.name);
    string_attribute(dset, "units", field.unit);
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, s.offset.data(), nullptr, s.count.data(), nullptr), "hyperslab");
    Hid mem_space(H5Screate_simple(rank, s.count.data(), nullptr), H5Sclose, "memory space");
    const void* data = u8 ? static_cast<const void*>(std::get<std::span<const std::uint8_t>>(field.data).data())
                          : static_cast<const void*>(std::get<std::span<const double>>(field.data).data());
    check(H5Dwrite(dset, type, mem_space, file_space, xfer, data), "write " + field.name);
  }
  Hid prov(H5Gcreate2(f, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group provenance");
  string_attribute(prov, "ionpath_version", p.ionpath_version);
  string_attribute(prov, "git_describe", p.git_describe);
  string_attribute(prov, "petsc_version", p.petsc_version);
  string_attribute(prov, "hdf5_version", p.hdf5_version);
  string_attribute(prov, "vtk_version", p.vtk_version);
  string_attribute(prov, "mpi_version", p.mpi_version);
  string_attribute(prov, "resolved_config", p.resolved_config_yaml);
  string_attribute(prov, "date_utc", p.date_utc);
  string_attribute(prov, "command_line", p.command_line);
  numeric_attribute(prov, "n_ranks", std::vector<int>{p.n_ranks}, H5T_NATIVE_INT);
  numeric_attribute(prov, "seed", std::vector<unsigned long long>{p.seed}, H5T_NATIVE_ULLONG);
  if (!scales.empty()) {
    Hid sc(H5Gcreate2(f, "scales", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group scales");
    for (const auto& [k, v] : scales) numeric_attribute(sc, k, std::vector<double>{v}, H5T_NATIVE_DOUBLE);
  }
}

}  // namespace

void write_hdf5(const std::filesystem::path& file, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& provenance, const std::map<std::string, double>& scales) {
  int rank = 0;
  MPI_Comm_rank(layout.comm, &rank);
  if (rank == 0 && file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  MPI_Barrier(layout.comm);
  // All ranks share rank 0's temporary name (the pid differs per rank).
  std::string tmp = temporary_path(file).string();
  int length = static_cast<int>(tmp.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, layout.comm);
  tmp.resize(static_cast<std::size_t>(length));
  MPI_Bcast(tmp.data(), length, MPI_CHAR, 0, layout.comm);
  int ok = 1;
  std::string error;
  try {
    write_file(tmp, layout, fields, provenance, scales);
  } catch (const std::exception& e) {
    ok = 0;
    error = e.what();
  }
  int all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, layout.comm);
  if (rank == 0) {
    if (all_ok) {
      publish(tmp, file);
    } else {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
    }
  }
  MPI_Barrier(layout.comm);
  if (!all_ok) throw std::runtime_error("HDF5 output " + file.string() + " failed" + (error.empty() ? " on another rank" : ": " + error));
}

std::vector<double> read_hdf5_block(const std::filesystem::path& file, const std::string& dataset, const FieldLayout& layout) {
  Hid f(open_parallel(file, layout.comm, false), H5Fclose, "open " + file.string());
  Hid dset(H5Dopen2(f, dataset.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + dataset + " in " + file.string());
  Hid file_space(H5Dget_space(dset), H5Sclose, "space");
  const int rank = H5Sget_simple_extent_ndims(file_space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 1)));
  H5Sget_simple_extent_dims(file_space, dims.data(), nullptr);
  const auto& g = layout.grid.n_cells;
  const bool ok3 = rank == 3 && dims[0] == hsize_t(g[2]) && dims[1] == hsize_t(g[1]) && dims[2] == hsize_t(g[0]);
  const bool ok2 = rank == 2 && g[2] == 1 && dims[0] == hsize_t(g[1]) && dims[1] == hsize_t(g[0]);
  if (!ok3 && !ok2)
    throw std::runtime_error(file.string() + ":" + dataset + ": shape does not match the grid " + std::to_string(g[0]) + " x " +
                             std::to_string(g[1]) + " x " + std::to_string(g[2]) + " (expected [nz][ny][nx])");
  Slab s = slab_of(layout, 1);
  if (rank == 2) {
    s.offset.erase(s.offset.begin());
    s.count.erase(s.count.begin());
  }
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, s.offset.data(), nullptr, s.count.data(), nullptr), "hyperslab");
  Hid mem_space(H5Screate_simple(rank, s.count.data(), nullptr), H5Sclose, "memory space");
  std::vector<double> out(layout.owned.n_cells());
  Hid xfer(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "dxpl");
  check(H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE), "collective transfer");
  check(H5Dread(dset, H5T_NATIVE_DOUBLE, mem_space, file_space, xfer, out.data()), "read " + dataset);
  return out;
}

mesh::Index3 hdf5_dataset_shape(const std::filesystem::path& file, const std::string& dataset) {
  Hid f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + file.string());
  Hid dset(H5Dopen2(f, dataset.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + dataset + " in " + file.string());
  Hid space(H5Dget_space(dset), H5Sclose, "space");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank != 2 && rank != 3) throw std::runtime_error(file.string() + ":" + dataset + ": expected a 2D or 3D dataset");
  hsize_t dims[3] = {1, 1, 1};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  return rank == 3 ? mesh::Index3{int(dims[2]), int(dims[1]), int(dims[0])} : mesh::Index3{int(dims[1]), int(dims[0]), 1};
}

}  // namespace ionpath::io
