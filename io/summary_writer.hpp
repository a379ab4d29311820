#pragma once
/// Small summaries for tests and spreadsheets: pretty JSON and CSV, written atomically by rank 0.
/// CSV files start with `# ` comment lines (provenance, then free notes) and every column name
/// carries its unit as a suffix, e.g. `time_s,current_density_A_m2`.
#include <mpi.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "io/provenance.hpp"

namespace ionpath::io {

/// Writes `j` pretty-printed (2 spaces) on rank 0 of `comm`, atomically. Collective: a failure
/// on rank 0 is thrown on every rank of `comm` (rank 0 alone passes MPI_COMM_SELF).
void write_json(const std::filesystem::path& file, const nlohmann::json& j, MPI_Comm comm);

/// A CSV column: its quantity name and unit; the header is `<name>_<unit suffix>`.
struct CsvColumn {
  std::string name;  ///< e.g. "current_density"
  std::string unit;  ///< e.g. "A/m2", "s", "S/m", "1" (dimensionless)
};

/// Column name with the unit as suffix: "A/m2" -> "current_density_A_m2", "mol/m3" -> "_mol_m3",
/// "m2/s" -> "_m2_s", "1" -> "_1". Throws std::invalid_argument for an empty unit.
[[nodiscard]] std::string csv_column_name(const CsvColumn& column);

using CsvCell = std::variant<double, long long, std::string>;

/// Text of a CSV table: `# ` lines for every provenance member (the resolved YAML indented, one
/// line each) then each line of `notes`, then the header and the rows. Doubles are written with 17
/// significant digits (exact round trip); strings with a comma, quote or newline are quoted.
/// Throws std::invalid_argument if a row does not have one cell per column.
[[nodiscard]] std::string csv_text(const std::vector<CsvColumn>& columns, const std::vector<std::vector<CsvCell>>& rows,
                                   const Provenance& provenance, const std::vector<std::string>& notes = {});

/// Writes csv_text(...) atomically on rank 0 of `comm`; collective like write_json.
void write_csv(const std::filesystem::path& file, const std::vector<CsvColumn>& columns,
               const std::vector<std::vector<CsvCell>>& rows, const Provenance& provenance,
               const std::vector<std::string>& notes, MPI_Comm comm);

}  // namespace ionpath::io
