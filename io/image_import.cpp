#include "io/image_import.hpp"

#include <tiffio.h>

#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <utility>

#include "io/atomic_file.hpp"
#include "io/hdf5_writer.hpp"

namespace ionpath::io {
namespace {

constexpr int n_image_values = 65536;  // uint16 covers every supported image type

std::string voxel_text(int i, int j, int k) {
  return "(" + std::to_string(i) + ", " + std::to_string(j) + ", " + std::to_string(k) + ")";
}

std::string shape_text(const mesh::Index3& n) {
  return std::to_string(n[0]) + " x " + std::to_string(n[1]) + " x " + std::to_string(n[2]);
}

// Image value -> label for every possible value (-1 = not in the map).
std::vector<int> lookup_table(const mesh::ImageParams& image, const mesh::PhaseTable& table) {
  std::vector<int> lut(n_image_values, -1);
  for (const auto& [value, name] : image.label_map) {
    if (value < 0 || value >= n_image_values)
      throw std::runtime_error(image.path + ": label map value " + std::to_string(value) + " is outside 0..65535");
    const auto label = table.find(name);
    if (!label) throw std::runtime_error(image.path + ": label map names phase '" + name + "', which is not declared");
    lut[static_cast<std::size_t>(value)] = *label;
  }
  return lut;
}

// Adds the label map's unknown phase names as user phases, at the first undeclared labels >= 16.
void declare_phases(const mesh::ImageParams& image, mesh::PhaseTable& table) {
  for (const auto& entry : image.label_map) {
    const std::string& name = entry.second;
    if (table.find(name)) continue;
    int next = mesh::phase::first_user;
    while (next < 256 && table.name_of(static_cast<mesh::Label>(next)).rfind("label_", 0) != 0) ++next;
    if (next > 255) throw std::runtime_error(image.path + ": too many phases in the label map");
    table.add(name, static_cast<mesh::Label>(next));
  }
}

std::vector<unsigned> read_raw(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box) {
  const std::size_t bytes = image.dtype == mesh::RawDtype::uint8 ? 1 : 2;
  const auto expected = grid.n_total() * bytes;
  std::error_code ec;
  const auto actual = std::filesystem::file_size(image.path, ec);
  if (ec) throw std::runtime_error(image.path + ": cannot read the raw image (" + ec.message() + ")");
  if (actual != expected)
    throw std::runtime_error(image.path + ": raw image has " + std::to_string(actual) + " bytes, expected " +
                             std::to_string(expected) + " (" + shape_text(grid.n_cells) + " voxels x " +
                             std::to_string(bytes) + " bytes)");
  std::ifstream in(image.path, std::ios::binary);
  const auto& n = grid.n_cells;
  // One read per run of consecutive values along the file's fastest axis.
  const int fast = image.x_fastest ? 0 : 2, slow = image.x_fastest ? 2 : 0;
  const int run = box.extent(fast);
  std::vector<unsigned char> buf(static_cast<std::size_t>(run) * bytes);
  const int hi_byte = image.big_endian ? 0 : 1;
  std::vector<unsigned> values(box.n_cells());
  for (int b = box.lo[slow]; b < box.hi[slow]; ++b)
    for (int j = box.lo[1]; j < box.hi[1]; ++j) {
      std::array<int, 3> c{};
      c[fast] = box.lo[fast];
      c[1] = j;
      c[slow] = b;
      const std::size_t offset = image.x_fastest ? (static_cast<std::size_t>(c[2]) * n[1] + c[1]) * n[0] + c[0]
                                                 : (static_cast<std::size_t>(c[0]) * n[1] + c[1]) * n[2] + c[2];
      in.seekg(static_cast<std::streamoff>(offset * bytes));
      in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size()));
      if (!in) throw std::runtime_error(image.path + ": read failed at voxel " + voxel_text(c[0], c[1], c[2]));
      if (image.x_fastest && bytes == 1) {  // the common case: a contiguous row, copied as is
        std::copy(buf.begin(), buf.end(), values.begin() + static_cast<std::ptrdiff_t>(box.offset(c[0], j, b)));
        continue;
      }
      for (int t = 0; t < run; ++t) {
        auto p = c;
        p[fast] += t;
        const std::size_t s = static_cast<std::size_t>(t) * bytes;
        const unsigned v = bytes == 1 ? buf[s] : buf[s + 1 - hi_byte] | (unsigned{buf[s + hi_byte]} << 8);
        values[box.offset(p[0], p[1], p[2])] = v;
      }
    }
  return values;
}

struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffCloser>;

// libtiff reports a damaged or truncated stack only through its error handler (and then counts
// the pages it could reach: 8 of 16 read as a shorter volume). While one of these is alive,
// libtiff's errors are collected instead of printed, and check() turns them into an exception.
class TiffErrors {
 public:
  TiffErrors() : previous_(TIFFSetErrorHandler(&TiffErrors::collect)) { messages().clear(); }
  ~TiffErrors() { TIFFSetErrorHandler(previous_); }
  TiffErrors(const TiffErrors&) = delete;
  TiffErrors& operator=(const TiffErrors&) = delete;
  void check(const std::string& path) const {
    if (!messages().empty())
      throw std::runtime_error(path + ": damaged or truncated TIFF (libtiff: " + messages() + ")");
  }

 private:
  static std::string& messages() {
    static std::string m;
    return m;
  }
  static void collect(const char* module, const char* fmt, va_list ap) {
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    if (messages().size() < 400)
      messages().append(messages().empty() ? "" : "; ").append(module ? std::string(module) + ": " : "").append(buf);
  }
  TIFFErrorHandler previous_;
};

TiffPtr open_tiff(const std::string& path) {
  TIFFSetWarningHandler(nullptr);  // unknown private tags of microscope software are harmless
  TiffPtr t(TIFFOpen(path.c_str(), "r"));
  if (!t) throw std::runtime_error(path + ": cannot open as TIFF");
  return t;
}

std::vector<unsigned> read_tiff(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box) {
  const TiffErrors errors;
  const auto tif = open_tiff(image.path);
  const int pages = TIFFNumberOfDirectories(tif.get());
  errors.check(image.path);
  if (pages != grid.n_cells[2])
    throw std::runtime_error(image.path + ": TIFF stack has " + std::to_string(pages) +
                             " pages, expected nz = " + std::to_string(grid.n_cells[2]));
  std::vector<unsigned> values(box.n_cells());
  for (int k = box.lo[2]; k < box.hi[2]; ++k) {
    const bool ok = k == box.lo[2] ? TIFFSetDirectory(tif.get(), static_cast<tdir_t>(k)) : TIFFReadDirectory(tif.get());
    const std::string page = image.path + ": page " + std::to_string(k);
    if (!ok) throw std::runtime_error(page + " cannot be read");
    uint32_t w = 0, h = 0;
    uint16_t bits = 1, spp = 1, format = SAMPLEFORMAT_UINT;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &format);
    if (int(w) != grid.n_cells[0] || int(h) != grid.n_cells[1])
      throw std::runtime_error(page + " is " + std::to_string(w) + " x " + std::to_string(h) + ", expected " +
                               std::to_string(grid.n_cells[0]) + " x " + std::to_string(grid.n_cells[1]));
    if (spp != 1 || (bits != 8 && bits != 16) || format != SAMPLEFORMAT_UINT)
      throw std::runtime_error(page + " has " + std::to_string(spp) + " sample(s) of " + std::to_string(bits) +
                               " bits; expected 8- or 16-bit unsigned grayscale");
    if (TIFFIsTiled(tif.get())) throw std::runtime_error(page + " is tiled; only strip TIFFs are supported");
    std::vector<unsigned char> row(static_cast<std::size_t>(TIFFScanlineSize(tif.get())));
    for (int j = box.lo[1]; j < box.hi[1]; ++j) {
      if (TIFFReadScanline(tif.get(), row.data(), static_cast<uint32_t>(j)) < 0)
        throw std::runtime_error(page + ": cannot read row " + std::to_string(j));
      for (int i = box.lo[0]; i < box.hi[0]; ++i) {
        unsigned v = row[static_cast<std::size_t>(i)];
        if (bits == 16) {  // libtiff already converted to native byte order
          std::uint16_t v16 = 0;
          std::memcpy(&v16, row.data() + 2 * static_cast<std::size_t>(i), 2);
          v = v16;
        }
        values[box.offset(i, j, k)] = v;
      }
    }
    errors.check(page);
  }
  return values;
}

std::vector<unsigned> read_hdf5(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box,
                                MPI_Comm comm) {
  const auto raw = read_hdf5_integer_block(image.path, image.dataset, grid, box, comm);
  std::vector<unsigned> values(raw.size());
  for (std::size_t c = 0; c < raw.size(); ++c)  // out-of-range values map to "not in the map"
    values[c] =
        raw[c] < 0 || raw[c] >= n_image_values ? static_cast<unsigned>(n_image_values) : static_cast<unsigned>(raw[c]);
  return values;
}

// Every rank learns of a failure through throw_if_any_rank_failed; its message becomes an ImageError.
template <class F>
void rethrow_as_image_error(F&& agree) {
  try {
    agree();
  } catch (const std::runtime_error& e) {
    throw ImageError(e.what());
  }
}

mesh::Index3 probe_shape(const mesh::ImageParams& image);

}  // namespace

mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box,
                                    mesh::PhaseTable& table, MPI_Comm comm) {
  std::string error;
  try {
    declare_phases(image, table);
  } catch (const std::exception& e) {
    error = e.what();
  }
  rethrow_as_image_error([&] { throw_if_any_rank_failed(error, comm); });
  return import_image_block(image, grid, box, std::as_const(table), comm);
}

mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid, const mesh::Box& box,
                                    const mesh::PhaseTable& table, MPI_Comm comm) {
  std::string error;
  long long key = -1;  // errors other than an unmapped value come first
  mesh::LabelBlock block(box, mesh::phase::gel);
  try {
    const auto lut = lookup_table(image, table);
    std::vector<unsigned> values;
    if (image.format == mesh::ImageFormat::raw)
      values = read_raw(image, grid, box);
    else if (image.format == mesh::ImageFormat::tiff)
      values = read_tiff(image, grid, box);
    else
      values = read_hdf5(image, grid, box, comm);  // collective; fails alike on every rank
    for (int k = box.lo[2]; k < box.hi[2] && error.empty(); ++k)
      for (int j = box.lo[1]; j < box.hi[1] && error.empty(); ++j) {
        const std::size_t row = box.offset(box.lo[0], j, k);
        for (int i = box.lo[0]; i < box.hi[0]; ++i) {
          const unsigned v = values[row + static_cast<std::size_t>(i - box.lo[0])];
          const int label = v < n_image_values ? lut[v] : -1;
          if (label < 0) {  // the first in x-fastest order on this rank; the smallest key wins overall
            error = image.path + ": image value " +
                    (v < n_image_values ? std::to_string(v) : std::string("outside 0..65535")) + " at voxel " +
                    voxel_text(i, j, k) + " is not in the label map (" + image.label_map_name + ")";
            key = (static_cast<long long>(k) * grid.n_cells[1] + j) * grid.n_cells[0] + i;
            break;
          }
          block.labels()[row + static_cast<std::size_t>(i - box.lo[0])] = static_cast<mesh::Label>(label);
        }
      }
  } catch (const std::exception& e) {
    error = e.what();
    key = -1;
  }
  rethrow_as_image_error([&] { throw_if_any_rank_failed(error, comm, key); });
  return block;
}

mesh::Index3 probe_image_shape(const mesh::ImageParams& image) {
  try {
    return probe_shape(image);
  } catch (const ImageError&) {
    throw;
  } catch (const std::runtime_error& e) {  // every rank probes alike: bad input, not a failure
    throw ImageError(e.what());
  }
}

namespace {
mesh::Index3 probe_shape(const mesh::ImageParams& image) {
  if (image.format == mesh::ImageFormat::hdf5) return hdf5_dataset_shape(image.path, image.dataset);
  if (image.format == mesh::ImageFormat::tiff) {
    const TiffErrors errors;
    const auto tif = open_tiff(image.path);
    uint32_t w = 0, h = 0;
    TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
    const int pages = static_cast<int>(TIFFNumberOfDirectories(tif.get()));
    errors.check(image.path);
    return {int(w), int(h), pages};
  }
  throw std::runtime_error(image.path + ": raw images carry no shape; give grid.n_cells");
}
}  // namespace

std::optional<double> probe_image_voxel_size_m(const mesh::ImageParams& image) {
  if (image.format != mesh::ImageFormat::hdf5) return std::nullopt;
  return hdf5_voxel_size_m(image.path, image.dataset);
}

}  // namespace ionpath::io
