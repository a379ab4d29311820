#pragma once
/// A results table as HDF5 (the sweep's table.h5): group /table with one 1-D dataset per column in
/// column order (float64, NaN for a missing value, or UTF-8 strings), the attribute `columns`
/// listing the names in order. Serial, written atomically by the caller's process alone.
#include <filesystem>
#include <string>
#include <vector>

namespace ionpath::io {

struct TableColumn {
  std::string name;  ///< with its unit suffix, e.g. "z.sigma_eff_S_m"; '/' is not allowed
  bool numeric = true;
  std::vector<double> numbers;     ///< numeric columns
  std::vector<std::string> texts;  ///< text columns
};

void write_table_hdf5(const std::filesystem::path& file, const std::vector<TableColumn>& columns);

}  // namespace ionpath::io
