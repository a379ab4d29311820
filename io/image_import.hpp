#pragma once
/// Import of segmented images (spec §6.4): raw binary (uint8/uint16, either byte order, x- or
/// z-fastest), multi-page TIFF (one page per z slice) and HDF5 datasets ([nz][ny][nx]). Each
/// rank reads only its box. Image values map to phases through ImageParams::label_map; phase
/// names not in `table` are added as user phases.
#include <mpi.h>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "mesh/label_block.hpp"

namespace ionpath::io {

/// Reads `box` of the image (collective for HDF5). Throws std::runtime_error naming the file on a
/// size mismatch, an unreadable file or a value missing from the label map (with its position).
[[nodiscard]] mesh::LabelBlock import_image_block(const mesh::ImageParams& image, const mesh::Grid& grid,
                                                  const mesh::Box& box, mesh::PhaseTable& table, MPI_Comm comm);

/// Image dimensions (nx, ny, nz) from TIFF/HDF5 headers; raw files need them from the config.
[[nodiscard]] mesh::Index3 probe_image_shape(const mesh::ImageParams& image);

}  // namespace ionpath::io
