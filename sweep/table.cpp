#include "sweep/table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/summary_writer.hpp"
#include "sweep/point_files.hpp"

namespace ionpath::sweep {
namespace fs = std::filesystem;
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(v);
}

io::TableColumn text_column(std::string name) { return {std::move(name), false, {}, {}}; }
io::TableColumn number_column(std::string name) { return {std::move(name), true, {}, {}}; }

double number_or_nan(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : nan;
}
std::string text_or_empty(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// "z/sigma_eff" in S/m -> "z.sigma_eff_S_m" (HDF5 dataset names cannot hold '/').
std::string result_column_name(const std::string& name, const std::string& unit) {
  std::string n = io::csv_column_name({name, unit.empty() ? "1" : unit});
  std::replace(n.begin(), n.end(), '/', '.');
  return n;
}

std::string csv_cell(const io::TableColumn& c, std::size_t row) {
  if (c.numeric) {
    if (std::isnan(c.numbers[row])) return "";
    char buf[32];  // shortest text that reads back to the same double
    const auto r = std::to_chars(buf, buf + sizeof buf, c.numbers[row]);
    return std::string(buf, r.ptr);
  }
  const std::string& t = c.texts[row];
  if (t.find_first_of(",\"\n") == std::string::npos) return t;
  std::string q = "\"";
  for (char ch : t) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::size_t rows_of(const io::TableColumn& c) { return c.numeric ? c.numbers.size() : c.texts.size(); }

}  // namespace

double student_t95(int dof) {
  static const double t[] = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                             2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                             2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof < 1) return nan;
  if (dof <= 30) return t[dof];
  // Cornish-Fisher expansion in 1/dof (error < 1e-4 from dof 30 on).
  const double z = 1.959964, v = dof;
  return z + (z * z * z + z) / (4 * v) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

std::vector<io::TableColumn> sweep_table(const io::SweepFile& sweep, const std::vector<PlannedPoint>& plan,
                                         const fs::path& output) {
  std::vector<io::TableColumn> cols;
  cols.push_back(text_column("point_id"));
  cols.push_back(number_column("index"));
  cols.push_back(text_column("status"));
  // Parameters: numeric when every value is a number (the unit is the key's own suffix).
  for (std::size_t a = 0; a < sweep.axis_keys.size(); ++a) {
    bool numeric = true;
    double v = 0.0;
    for (const auto& p : plan) numeric = numeric && parse_number(p.spec.parameters[a].second, v);
    auto c = numeric ? number_column(sweep.axis_keys[a]) : text_column(sweep.axis_keys[a]);
    for (const auto& p : plan) {
      if (numeric && parse_number(p.spec.parameters[a].second, v)) c.numbers.push_back(v);
      if (!numeric) c.texts.push_back(p.spec.parameters[a].second);
    }
    cols.push_back(std::move(c));
  }
  const std::size_t first_result = cols.size();
  std::map<std::string, std::size_t> result_col;  // column name -> index in cols
  const std::vector<std::pair<const char*, bool>> meta{
      {"exit_status", true},  {"failure_kind", false}, {"reason", false},      {"wall_time_s", true},
      {"study_time_s", true}, {"ranks", true},         {"host", false},        {"started_utc", false},
      {"finished_utc", false}, {"ionpath_version", false}, {"git_describe", false}, {"petsc_version", false},
      {"mpi_version", false}};
  std::vector<io::TableColumn> meta_cols;
  for (const auto& [name, numeric] : meta) meta_cols.push_back(numeric ? number_column(name) : text_column(name));

  for (std::size_t row = 0; row < plan.size(); ++row) {
    const auto& p = plan[row];
    const fs::path dir = point_dir(output, p.id);
    const nlohmann::json st = read_status(dir);
    const Status s = status_of(st);
    cols[0].texts.push_back(p.id);
    cols[1].numbers.push_back(static_cast<double>(p.spec.index));
    cols[2].texts.push_back(status_name(s));
    for (std::size_t c = first_result; c < cols.size(); ++c) cols[c].numbers.push_back(nan);
    if (s == Status::done) {
      const nlohmann::json summary = read_summary(dir);
      if (summary.is_object() && summary.contains("results"))
        for (const auto& r : summary["results"]) {
          const std::string name = result_column_name(r.value("name", "?"), r.value("unit", "1"));
          auto it = result_col.find(name);
          if (it == result_col.end()) {
            it = result_col.emplace(name, cols.size()).first;
            cols.push_back(number_column(name));
            cols.back().numbers.assign(row + 1, nan);
          }
          cols[it->second].numbers[row] = r["value"].is_number() ? r["value"].get<double>() : nan;
        }
    }
    for (std::size_t m = 0; m < meta.size(); ++m) {
      if (meta[m].second) meta_cols[m].numbers.push_back(number_or_nan(st, meta[m].first));
      else meta_cols[m].texts.push_back(text_or_empty(st, meta[m].first));
    }
  }
  for (auto& c : meta_cols) cols.push_back(std::move(c));
  return cols;
}

std::vector<io::TableColumn> ensemble_table(const io::SweepFile& sweep, const std::vector<io::TableColumn>& table) {
  // Columns: 0 id, 1 index, 2 status, 3.. parameters (seed last), then results up to exit_status.
  const std::size_t n_params = sweep.axis_keys.size();
  const std::size_t first_result = 3 + n_params;
  std::size_t end_result = first_result;
  while (end_result < table.size() && table[end_result].name != "exit_status") ++end_result;
  const std::size_t n_rows = rows_of(table[0]);
  std::vector<io::TableColumn> out;
  for (std::size_t a = 0; a + 1 < n_params; ++a) out.push_back({table[3 + a].name, table[3 + a].numeric, {}, {}});
  out.push_back(number_column("n_seeds"));
  const std::size_t first_stat = out.size();
  for (std::size_t c = first_result; c < end_result; ++c)
    for (const char* stat : {" mean", " std", " ci95"}) out.push_back(number_column(table[c].name + stat));
  // Group rows by the text of their non-seed parameters, in order of first appearance.
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> group_of;
  for (std::size_t r = 0; r < n_rows; ++r) {
    std::string key;
    for (std::size_t a = 0; a + 1 < n_params; ++a) key += csv_cell(table[3 + a], r) + "\x1f";
    auto [it, fresh] = group_of.emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    if (table[2].texts[r] == "done") groups[it->second].push_back(r);
    if (fresh)
      for (std::size_t a = 0; a + 1 < n_params; ++a) {
        if (table[3 + a].numeric) out[a].numbers.push_back(table[3 + a].numbers[r]);
        else out[a].texts.push_back(table[3 + a].texts[r]);
      }
  }
  for (const auto& rows : groups) {
    out[first_stat - 1].numbers.push_back(static_cast<double>(rows.size()));
    std::size_t o = first_stat;
    for (std::size_t c = first_result; c < end_result; ++c) {
      std::vector<double> v;
      for (std::size_t r : rows)
        if (!std::isnan(table[c].numbers[r])) v.push_back(table[c].numbers[r]);
      double mean = nan, sd = nan, ci = nan;
      if (!v.empty()) {
        mean = 0.0;
        for (double x : v) mean += x;
        mean /= static_cast<double>(v.size());
      }
      if (v.size() >= 2) {
        double ss = 0.0;
        for (double x : v) ss += (x - mean) * (x - mean);
        sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
        ci = student_t95(static_cast<int>(v.size()) - 1) * sd / std::sqrt(static_cast<double>(v.size()));
      }
      out[o++].numbers.push_back(mean);
      out[o++].numbers.push_back(sd);
      out[o++].numbers.push_back(ci);
    }
  }
  return out;
}

std::string table_csv(const std::vector<io::TableColumn>& columns) {
  std::ostringstream os;
  for (std::size_t c = 0; c < columns.size(); ++c) os << (c ? "," : "") << columns[c].name;
  os << "\n";
  const std::size_t n = columns.empty() ? 0 : rows_of(columns[0]);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) os << (c ? "," : "") << csv_cell(columns[c], r);
    os << "\n";
  }
  return os.str();
}

void write_sweep_tables(const io::SweepFile& sweep, const std::vector<PlannedPoint>& plan, const fs::path& output) {
  const auto table = sweep_table(sweep, plan, output);
  io::write_text_atomically(output / "table.csv", table_csv(table));
  io::write_table_hdf5(output / "table.h5", table);
  if (sweep.has_seeds) io::write_text_atomically(output / "table_ensemble.csv", table_csv(ensemble_table(sweep, table)));
}

}  // namespace ionpath::sweep
