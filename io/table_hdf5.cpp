#include "io/table_hdf5.hpp"

#include <hdf5.h>

#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5 table: " + what + " failed");
}

hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5 table: " + what + " failed");
  return id;
}

hid_t utf8_string_type() {
  const hid_t type = checked(H5Tcopy(H5T_C_S1), "string type");
  check(H5Tset_size(type, H5T_VARIABLE), "string size");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "string character set");
  return type;
}

void write_column(hid_t group, const TableColumn& c, hid_t text_type) {
  if (c.name.find('/') != std::string::npos) throw std::invalid_argument("table column '" + c.name + "' contains '/'");
  const hsize_t n = c.numeric ? c.numbers.size() : c.texts.size();
  const hid_t space = checked(H5Screate_simple(1, &n, nullptr), "dataspace");
  const hid_t type = c.numeric ? H5T_NATIVE_DOUBLE : text_type;
  const hid_t dset = H5Dcreate2(group, c.name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t status = dset < 0 ? -1 : 0;
  if (status == 0 && n > 0) {
    if (c.numeric) {
      status = H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.numbers.data());
    } else {
      std::vector<const char*> ptrs;
      for (const auto& t : c.texts) ptrs.push_back(t.c_str());
      status = H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
    }
  }
  if (dset >= 0) H5Dclose(dset);
  H5Sclose(space);
  check(status, "column " + c.name);
}

void write_file(const std::filesystem::path& tmp, const std::vector<TableColumn>& columns) {
  const hid_t file = checked(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create " + tmp.string());
  const hid_t text_type = utf8_string_type();
  try {
    const hid_t group = checked(H5Gcreate2(file, "table", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "group /table");
    std::string names;
    for (const auto& c : columns) {
      write_column(group, c, text_type);
      names += (names.empty() ? "" : "\n") + c.name;
    }
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(group, "columns", text_type, scalar, H5P_DEFAULT, H5P_DEFAULT);
    const char* text = names.c_str();
    const herr_t status = attr < 0 ? -1 : H5Awrite(attr, text_type, &text);
    if (attr >= 0) H5Aclose(attr);
    H5Sclose(scalar);
    H5Gclose(group);
    check(status, "attribute columns");
  } catch (...) {
    H5Tclose(text_type);
    H5Fclose(file);
    throw;
  }
  H5Tclose(text_type);
  check(H5Fclose(file), "close " + tmp.string());
}

}  // namespace

void write_table_hdf5(const std::filesystem::path& file, const std::vector<TableColumn>& columns) {
  write_atomically(file, [&](const std::filesystem::path& tmp) { write_file(tmp, columns); });
}

}  // namespace ionpath::io
