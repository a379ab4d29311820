#pragma once
/// Import of segmented images (spec §6.4). Formats:
///   raw   n_cells from the config, uint8 or uint16, little- or big-endian, x fastest ([z][y][x]
///         C order) or z fastest ([x][y][z] C order); the file size must be exactly nx*ny*nz*bytes.
///   tiff  multi-page stack, page k = slice z = k, every page nx x ny, 8- or 16-bit unsigned
///         grayscale, one sample per pixel, stored in strips (not tiles).
///   hdf5  integer dataset (e.g. `/labels`) of shape [nz][ny][nx]; optional attribute
///         `voxel_size_m` on the dataset or the file root.
/// Each rank reads only its box: raw seeks per row, TIFF reads the pages of its z range and their
/// rows in its y range, HDF5 reads a hyperslab. Image values map to phases through
/// ImageParams::label_map (value -> phase name) and the PhaseTable (name -> mesh::Label).
#include <mpi.h>

#include <optional>
#include <stdexcept>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "mesh/label_block.hpp"

namespace ionpath::io {

/// A bad input image (missing, short, damaged, wrong shape or type, unmapped value): the user's
/// input, not a failure of the run (`ionpath` exits 2).
class ImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads `box` of the image. Collective over `comm` (use MPI_COMM_SELF for a private read): if
/// any rank fails, every rank throws the same ImageError, which names the file and either
/// the expected vs actual size (bytes, pages, page size, dataset shape) or the first offending
/// value and its voxel (i, j, k) in global x-fastest order. Phase names in the label map that the
/// table lacks are added as user phases (labels >= 16).
[[nodiscard]] mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid,
                                                  const mesh::Box& box, mesh::PhaseTable& table, MPI_Comm comm);

/// As above, but every phase name in the label map must already be in `table`.
[[nodiscard]] mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid,
                                                  const mesh::Box& box, const mesh::PhaseTable& table,
                                                  MPI_Comm comm);

/// Image dimensions (nx, ny, nz) from TIFF/HDF5 headers, so a config can omit n_cells for them;
/// throws for raw images, which carry no shape.
[[nodiscard]] mesh::Index3 probe_image_shape(const mesh::ImageParams& image);

/// Voxel size recorded in an HDF5 image (attribute `voxel_size_m`); nullopt otherwise.
[[nodiscard]] std::optional<double> probe_image_voxel_size_m(const mesh::ImageParams& image);

}  // namespace ionpath::io
