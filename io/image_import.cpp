#include "io/image_import.hpp"

#include <tiffio.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "io/hdf5_writer.hpp"

namespace ionpath::io {
namespace {

std::string where(int i, int j, int k) {
  return "(" + std::to_string(i) + ", " + std::to_string(j) + ", " + std::to_string(k) + ")";
}

// Image value -> label lookup for all 65536 values (unmapped = -1).
std::vector<int> lookup_table(const mesh::ImageParams& image, mesh::PhaseTable& table) {
  std::vector<int> lut(65536, -1);
  for (const auto& [value, name] : image.label_map) {
    auto label = table.find(name);
    if (!label) {
      int next = mesh::phase::first_user;
      while (table.name_of(static_cast<mesh::Label>(next)).rfind("label_", 0) != 0) ++next;
      if (next > 255) throw std::runtime_error("too many phases in the label map of " + image.path);
      table.add(name, static_cast<mesh::Label>(next));
      label = static_cast<mesh::Label>(next);
    }
    lut[static_cast<std::size_t>(value)] = *label;
  }
  return lut;
}

void read_raw(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box, std::vector<unsigned>& values) {
  const std::size_t bytes = image.dtype == mesh::RawDtype::uint8 ? 1 : 2;
  const auto expected = grid.n_total() * bytes;
  std::error_code ec;
  const auto actual = std::filesystem::file_size(image.path, ec);
  if (ec) throw std::runtime_error(image.path + ": cannot read the raw image (" + ec.message() + ")");
  if (actual != expected)
    throw std::runtime_error(image.path + ": raw image has " + std::to_string(actual) + " bytes, expected " +
                             std::to_string(expected) + " (" + std::to_string(grid.n_cells[0]) + " x " +
                             std::to_string(grid.n_cells[1]) + " x " + std::to_string(grid.n_cells[2]) + " x " +
                             std::to_string(bytes) + " bytes)");
  std::ifstream in(image.path, std::ios::binary);
  const auto& n = grid.n_cells;
  // Runs of consecutive values along the fastest file axis are read in one go.
  const int fast = image.x_fastest ? 0 : 2;
  const int run = box.extent(fast);
  std::vector<unsigned char> buf(static_cast<std::size_t>(run) * bytes);
  auto value_at = [&](std::size_t idx) -> unsigned {
    if (bytes == 1) return buf[idx];
    const unsigned lo = buf[2 * idx + (image.big_endian ? 1 : 0)], hi = buf[2 * idx + (image.big_endian ? 0 : 1)];
    return lo | (hi << 8);
  };
  values.assign(box.n_cells(), 0);
  const int s1 = image.x_fastest ? 1 : 1, s2 = image.x_fastest ? 2 : 0;  // the two slower axes
  for (int b = box.lo[s2]; b < box.hi[s2]; ++b)
    for (int a = box.lo[s1]; a < box.hi[s1]; ++a) {
      std::array<int, 3> c{};
      c[fast] = box.lo[fast];
      c[s1] = a;
      c[s2] = b;
      const std::size_t offset = image.x_fastest
                                     ? (static_cast<std::size_t>(c[2]) * n[1] + c[1]) * n[0] + c[0]
                                     : (static_cast<std::size_t>(c[0]) * n[1] + c[1]) * n[2] + c[2];
      in.seekg(static_cast<std::streamoff>(offset * bytes));
      in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
      if (!in) throw std::runtime_error(image.path + ": read failed at voxel " + where(c[0], c[1], c[2]));
      for (int t = 0; t < run; ++t) {
        auto p = c;
        p[fast] += t;
        values[box.offset(p[0], p[1], p[2])] = value_at(static_cast<std::size_t>(t));
      }
    }
}

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffCloser>;

TiffPtr open_tiff(const std::string& path) {
  TIFFSetWarningHandler(nullptr);
  TiffPtr t(TIFFOpen(path.c_str(), "r"));
  if (!t) throw std::runtime_error(path + ": cannot open as TIFF");
  return t;
}

void read_tiff(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box, std::vector<unsigned>& values) {
  const auto tif = open_tiff(image.path);
  const int pages = TIFFNumberOfDirectories(tif.get());
  if (pages != grid.n_cells[2])
    throw std::runtime_error(image.path + ": TIFF stack has " + std::to_string(pages) + " pages, expected nz = " +
                             std::to_string(grid.n_cells[2]));
  values.assign(box.n_cells(), 0);
  for (int k = box.lo[2]; k < box.hi[2]; ++k) {
    if (!TIFFSetDirectory(tif.get(), static_cast<tdir_t>(k))) throw std::runtime_error(image.path + ": cannot read page " + std::to_string(k));
    uint32_t w = 0, h = 0;
    uint16_t bits = 8, spp = 1;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &spp);
    if (int(w) != grid.n_cells[0] || int(h) != grid.n_cells[1])
      throw std::runtime_error(image.path + ": page " + std::to_string(k) + " is " + std::to_string(w) + " x " + std::to_string(h) +
                               ", expected " + std::to_string(grid.n_cells[0]) + " x " + std::to_string(grid.n_cells[1]));
    if (spp != 1 || (bits != 8 && bits != 16))
      throw std::runtime_error(image.path + ": page " + std::to_string(k) + " must be 8- or 16-bit grayscale");
    std::vector<unsigned char> row(static_cast<std::size_t>(TIFFScanlineSize(tif.get())));
    for (int j = box.lo[1]; j < box.hi[1]; ++j) {
      if (TIFFReadScanline(tif.get(), row.data(), static_cast<uint32_t>(j)) < 0)
        throw std::runtime_error(image.path + ": cannot read row " + std::to_string(j) + " of page " + std::to_string(k));
      for (int i = box.lo[0]; i < box.hi[0]; ++i)
        values[box.offset(i, j, k)] = bits == 8 ? row[static_cast<std::size_t>(i)] : reinterpret_cast<const uint16_t*>(row.data())[i];
    }
  }
}

}  // namespace

mesh::Index3 probe_image_shape(const mesh::ImageParams& image) {
  if (image.format == mesh::ImageFormat::hdf5) return hdf5_dataset_shape(image.path, image.dataset);
  if (image.format == mesh::ImageFormat::tiff) {
    const auto tif = open_tiff(image.path);
    uint32_t w = 0, h = 0;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    return {int(w), int(h), static_cast<int>(TIFFNumberOfDirectories(tif.get()))};
  }
  throw std::runtime_error(image.path + ": raw images carry no shape; give grid.n_cells");
}

mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box,
                                    mesh::PhaseTable& table, MPI_Comm comm) {
  const auto lut = lookup_table(image, table);
  std::vector<unsigned> values;
  if (image.format == mesh::ImageFormat::raw) {
    read_raw(image, grid, box, values);
  } else if (image.format == mesh::ImageFormat::tiff) {
    read_tiff(image, grid, box, values);
  } else {
    const auto d = read_hdf5_block(image.path, image.dataset, FieldLayout{grid, box, comm});
    values.resize(d.size());
    for (std::size_t c = 0; c < d.size(); ++c) {
      if (d[c] < 0 || d[c] > 65535 || d[c] != static_cast<double>(static_cast<unsigned>(d[c])))
        throw std::runtime_error(image.path + ":" + image.dataset + ": value " + std::to_string(d[c]) + " is not a label (0..65535)");
      values[c] = static_cast<unsigned>(d[c]);
    }
  }
  mesh::LabelBlock block(box, mesh::phase::gel);
  for (int k = box.lo[2]; k < box.hi[2]; ++k)
    for (int j = box.lo[1]; j < box.hi[1]; ++j)
      for (int i = box.lo[0]; i < box.hi[0]; ++i) {
        const unsigned v = values[box.offset(i, j, k)];
        const int l = lut[v];
        if (l < 0)
          throw std::runtime_error(image.path + ": image value " + std::to_string(v) + " at voxel " + where(i, j, k) +
                                   " is not in the label map (geometry.image.labels)");
        block.at(i, j, k) = static_cast<mesh::Label>(l);
      }
  return block;
}

}  // namespace ionpath::io
