#pragma once
/// Parallel HDF5 output: `/fields/<name>` of global shape [nz][ny][nx] (C order, so h5py gives
/// a[z, y, x]) or [nz][ny][nx][ncomp], each with a `units` attribute; root attributes
/// `voxel_size_m` and `n_cells` (x, y, z); `/provenance` and `/scales` groups of attributes.
/// Every rank writes its own hyperslab collectively; the file appears under its final name only
/// when complete.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/fields.hpp"

namespace ionpath::io {

void write_hdf5(const std::filesystem::path& file, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& provenance, const std::map<std::string, double>& scales = {});

/// Reads the owned box of a [nz][ny][nx] dataset as doubles (any numeric type), collective.
[[nodiscard]] std::vector<double> read_hdf5_block(const std::filesystem::path& file, const std::string& dataset,
                                                  const FieldLayout& layout);
/// Shape of a dataset as (nx, ny, nz) from its [nz][ny][nx] dims (2D datasets give nz = 1).
[[nodiscard]] mesh::Index3 hdf5_dataset_shape(const std::filesystem::path& file, const std::string& dataset);

}  // namespace ionpath::io
