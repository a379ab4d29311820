#pragma once
// Writers of small test images (raw, TIFF stack, HDF5 dataset) for the image-import tests. Run
// them on one rank; `value(i, j, k)` gives the image value of voxel (i, j, k).
#include <hdf5.h>
#include <tiffio.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <vector>

#include "mesh/grid.hpp"

namespace ionpath::test {

using ImageValue = std::function<unsigned(int, int, int)>;

// Raw file: 1 or 2 bytes per voxel, either byte order, x fastest or z fastest.
inline void write_raw(const std::filesystem::path& path, const mesh::Index3& n, int bytes, bool big_endian,
                      bool x_fastest, const ImageValue& value) {
  std::ofstream out(path, std::ios::binary);
  auto put = [&](unsigned v) {
    if (bytes == 1) {
      out.put(static_cast<char>(v));
    } else if (big_endian) {
      out.put(static_cast<char>(v >> 8));
      out.put(static_cast<char>(v & 0xff));
    } else {
      out.put(static_cast<char>(v & 0xff));
      out.put(static_cast<char>(v >> 8));
    }
  };
  if (x_fastest) {
    for (int k = 0; k < n[2]; ++k)
      for (int j = 0; j < n[1]; ++j)
        for (int i = 0; i < n[0]; ++i) put(value(i, j, k));
  } else {
    for (int i = 0; i < n[0]; ++i)
      for (int j = 0; j < n[1]; ++j)
        for (int k = 0; k < n[2]; ++k) put(value(i, j, k));
  }
}

// Multi-page TIFF, page k = slice z = k; `width_of(k)` lets a test make one page the wrong size.
inline void write_tiff(const std::filesystem::path& path, const mesh::Index3& n, int bits, const ImageValue& value,
                       const std::function<int(int)>& width_of = {}) {
  TIFF* t = TIFFOpen(path.c_str(), "w");
  if (t == nullptr) throw std::runtime_error("cannot create " + path.string());
  for (int k = 0; k < n[2]; ++k) {
    const int w = width_of ? width_of(k) : n[0];
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, n[1]);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bits);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 2);  // several strips per page
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_DEFLATE);
    TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    for (int j = 0; j < n[1]; ++j) {
      std::vector<std::uint8_t> row8(static_cast<std::size_t>(w));
      std::vector<std::uint16_t> row16(static_cast<std::size_t>(w));
      for (int i = 0; i < w; ++i) {
        row8[i] = static_cast<std::uint8_t>(value(i, j, k));
        row16[i] = static_cast<std::uint16_t>(value(i, j, k));
      }
      void* row = bits == 8 ? static_cast<void*>(row8.data()) : static_cast<void*>(row16.data());
      if (TIFFWriteScanline(t, row, static_cast<uint32_t>(j), 0) < 0) throw std::runtime_error("TIFF write failed");
    }
    TIFFWriteDirectory(t);
  }
  TIFFClose(t);
}

// HDF5 dataset of shape dims (C order) holding value(i, j, k) at [k][j][i], stored as `type`.
inline void write_hdf5_image(const std::filesystem::path& path, const std::string& dataset, const mesh::Index3& n,
                             hid_t type, const ImageValue& value, const double* voxel_size_m = nullptr) {
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t dims[3] = {hsize_t(n[2]), hsize_t(n[1]), hsize_t(n[0])};
  const hid_t space = H5Screate_simple(3, dims, nullptr);
  const hid_t dset = H5Dcreate2(f, dataset.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<double> v;  // HDF5 converts to the stored type
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) v.push_back(value(i, j, k));
  H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  if (voxel_size_m != nullptr) {
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(dset, "voxel_size_m", H5T_NATIVE_DOUBLE, scalar, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, H5T_NATIVE_DOUBLE, voxel_size_m);
    H5Aclose(attr);
    H5Sclose(scalar);
  }
  H5Dclose(dset);
  H5Sclose(space);
  H5Fclose(f);
}

}  // namespace ionpath::test
