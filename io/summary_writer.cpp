#include "io/summary_writer.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

// Multi-line values (the resolved YAML) become one comment line each.
void comment(std::ostringstream& out, const std::string& key, const std::string& value) {
  if (value.find('\n') == std::string::npos) {
    out << "# " << key << ": " << value << "\n";
    return;
  }
  out << "# " << key << ":\n";
  std::istringstream lines(value);
  for (std::string line; std::getline(lines, line);) out << "#   " << line << "\n";
}

std::string cell_text(const CsvCell& cell) {
  if (const auto* d = std::get_if<double>(&cell)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const auto* i = std::get_if<long long>(&cell)) return std::to_string(*i);
  const auto& s = std::get<std::string>(cell);
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string quoted = "\"";
  for (const char c : s) quoted.append(c == '"' ? 2 : 1, c);  // RFC 4180: a quote is doubled
  return quoted + "\"";
}

}  // namespace

void write_json(const std::filesystem::path& file, const nlohmann::json& j, MPI_Comm comm) {
  on_rank0_collectively(comm, [&] { write_text_atomically(file, j.dump(2) + "\n"); });
}

std::string csv_column_name(const CsvColumn& column) {
  if (column.unit.empty())
    throw std::invalid_argument("CSV column " + column.name + " has no unit (use \"1\" if dimensionless)");
  std::string suffix;
  for (const char c : column.unit) {
    if (c == '/' || c == ' ' || c == '*' || c == '.') {
      if (!suffix.empty() && suffix.back() != '_') suffix += '_';
    } else if (c != '^') {
      suffix += c;
    }
  }
  return column.name + "_" + suffix;
}

std::string csv_text(const std::vector<CsvColumn>& columns, const std::vector<std::vector<CsvCell>>& rows,
                     const Provenance& p, const std::vector<std::string>& notes) {
  std::ostringstream out;
  comment(out, "ionpath_version", p.ionpath_version);
  comment(out, "git_describe", p.git_describe);
  comment(out, "petsc_version", p.petsc_version);
  comment(out, "hdf5_version", p.hdf5_version);
  comment(out, "vtk_version", p.vtk_version);
  comment(out, "mpi_version", p.mpi_version);
  comment(out, "date_utc", p.date_utc);
  comment(out, "command_line", p.command_line);
  if (!p.params_file.empty()) comment(out, "params_file", p.params_file + " (sha256 " + p.params_sha256 + ")");
  comment(out, "n_ranks", std::to_string(p.n_ranks));
  comment(out, "seed", std::to_string(p.seed));
  comment(out, "resolved_config_yaml", p.resolved_config_yaml);
  for (const auto& note : notes) {
    std::istringstream lines(note);
    for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
  }
  for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << csv_column_name(columns[c]);
  out << "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != columns.size())
      throw std::invalid_argument("CSV row " + std::to_string(r) + " has " + std::to_string(rows[r].size()) +
                                  " cells, expected " + std::to_string(columns.size()));
    for (std::size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << cell_text(rows[r][c]);
    out << "\n";
  }
  return out.str();
}

void write_csv(const std::filesystem::path& file, const std::vector<CsvColumn>& columns,
               const std::vector<std::vector<CsvCell>>& rows, const Provenance& provenance,
               const std::vector<std::string>& notes, MPI_Comm comm) {
  on_rank0_collectively(comm, [&] { write_text_atomically(file, csv_text(columns, rows, provenance, notes)); });
}

}  // namespace ionpath::io
