#pragma once
/// Parallel HDF5 output (collective hyperslab writes through MPI-IO).
///
/// Layout: `/fields/<name>` of global shape [nz][ny][nx], or [nz][ny][nx][ncomp] for vectors, in
/// C order, so h5py gives `f["fields/phase"][z, y, x]`; labels are uint8, everything else
/// float64; every dataset has a string attribute `units`. Root attributes: `voxel_size_m`
/// (double) and `n_cells` (int[3], x, y, z order). Group `/provenance` holds one attribute per
/// io::Provenance member under the member's name (strings as variable-length UTF-8, `n_ranks` int,
/// `seed` uint64). Optional groups (Hdf5Metadata): `/scales` holds one double attribute per entry;
/// `/phase_labels` one int attribute per phase name (its label value in /fields/phase);
/// `/results/<name>` one float64 scalar dataset per result with a string attribute `units`
/// (names may contain '/', e.g. "z/sigma_eff": groups are created).
/// The file appears under its final name only when every rank has written its part.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/fields.hpp"

namespace ionpath::io {

/// A scalar result with its unit, e.g. {"z/sigma_eff", "S/m", 0.0632}.
struct ScalarResult {
  std::string name;
  std::string unit;
  double value = 0.0;
};

/// What a file carries besides fields and provenance.
struct Hdf5Metadata {
  std::map<std::string, double> scales{};
  std::map<std::string, int> phase_labels{};  ///< phase name -> label value
  std::vector<ScalarResult> results{};
};

/// Collective over layout.comm. Throws std::runtime_error on every rank if any rank fails
/// (e.g. a field span that does not cover its owned box); no file or temporary remains then.
void write_hdf5(const std::filesystem::path& file, const FieldLayout& layout, const std::vector<CellField>& fields,
                const Provenance& provenance, const Hdf5Metadata& metadata = {});

/// Collective over comm: this rank's `box` of a [nz][ny][nx] (or [nz][ny][nx][ncomp]) dataset
/// whose global shape must match `grid`, as doubles, x fastest, components interleaved. A 2D
/// [ny][nx] dataset is accepted for a grid with nz = 1.
[[nodiscard]] std::vector<double> read_hdf5_block(const std::filesystem::path& file, const std::string& dataset,
                                                  const mesh::Grid& grid, const mesh::Box& box,
                                                  MPI_Comm comm);
[[nodiscard]] std::vector<double> read_hdf5_block(const std::filesystem::path& file, const std::string& dataset,
                                                  const FieldLayout& layout);

/// As read_hdf5_block for scalar datasets of an integer type (labels); throws for other types.
[[nodiscard]] std::vector<std::int64_t> read_hdf5_integer_block(const std::filesystem::path& file,
                                                                const std::string& dataset, const mesh::Grid& grid,
                                                                const mesh::Box& box, MPI_Comm comm);

/// Shape of a dataset as (nx, ny, nz) from its [nz][ny][nx] dims (2D datasets give nz = 1).
/// Not collective (opens the file serially).
[[nodiscard]] mesh::Index3 hdf5_dataset_shape(const std::filesystem::path& file, const std::string& dataset);

/// The `voxel_size_m` attribute of the dataset, else of the file root, if either exists.
[[nodiscard]] std::optional<double> hdf5_voxel_size_m(const std::filesystem::path& file, const std::string& dataset);

}  // namespace ionpath::io
