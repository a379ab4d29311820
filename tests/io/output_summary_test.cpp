// JSON and CSV summaries: pretty JSON on rank 0 only, provenance under its member names, CSV with
// `# ` provenance lines, a unit in every column name and doubles that read back exactly.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/summary_writer.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace test = ionpath::test;

namespace {

io::Provenance sample_provenance() {
  io::Provenance p;
  p.ionpath_version = "0.1.0";
  p.git_describe = "abc123-dirty";
  p.resolved_config_yaml = "grid:\n  n_cells: [4, 4, 4]\n";
  p.date_utc = io::make_date_utc();
  p.command_line = "ionpath run x.yaml";
  p.n_ranks = 4;
  p.seed = 42;
  return p;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

}  // namespace

TEST(OutputSummary, DateIsIso8601Utc) {
  const std::string d = io::make_date_utc();
  ASSERT_EQ(d.size(), 20u) << d;
  EXPECT_EQ(d[4], '-');
  EXPECT_EQ(d[10], 'T');
  EXPECT_EQ(d[19], 'Z');
}

TEST(OutputSummary, ProvenanceJsonHasEveryMember) {
  const io::Provenance p = sample_provenance();
  const nlohmann::json j = p;
  for (const char* key : {"ionpath_version", "git_describe", "petsc_version", "hdf5_version", "vtk_version",
                          "mpi_version", "resolved_config_yaml", "date_utc", "command_line", "n_ranks", "params_file",
                          "params_sha256", "seed"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.size(), 13u);
  EXPECT_EQ(j["resolved_config_yaml"], p.resolved_config_yaml);
  EXPECT_EQ(j["seed"].get<std::uint64_t>(), 42u);
}

TEST(OutputSummary, JsonWrittenOnRankZeroOnly) {
  const fs::path dir = test::shared_dir("json");
  const nlohmann::json j = {
      {"sigma_eff_S_m", 3.1e-3}, {"converged_reason", "CONVERGED_RTOL"}, {"provenance", sample_provenance()}};
  io::write_json(dir / "sub" / "summary.json", j, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  std::ifstream in(dir / "sub" / "summary.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(nlohmann::json::parse(text.str()), j);
  EXPECT_NE(text.str().find("\n  \"converged_reason\""), std::string::npos) << "pretty-printed with 2 spaces";
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "sub")) ++n;
  EXPECT_EQ(n, 1);  // no temporaries, no per-rank copies
}

TEST(OutputSummary, ColumnNamesCarryUnits) {
  EXPECT_EQ(io::csv_column_name({"time", "s"}), "time_s");
  EXPECT_EQ(io::csv_column_name({"current_density", "A/m2"}), "current_density_A_m2");
  EXPECT_EQ(io::csv_column_name({"D_plus", "m2/s"}), "D_plus_m2_s");
  EXPECT_EQ(io::csv_column_name({"conc", "mol/m3"}), "conc_mol_m3");
  EXPECT_EQ(io::csv_column_name({"t_plus", "1"}), "t_plus_1");
  EXPECT_THROW(static_cast<void>(io::csv_column_name({"x", ""})), std::invalid_argument);
}

TEST(OutputSummary, CsvHasProvenanceCommentsAndExactNumbers) {
  const io::Provenance p = sample_provenance();
  const double t = 0.1 + 0.2, i = -1.0 / 3.0;
  const std::string text = io::csv_text(
      {{"time", "s"}, {"current_density", "A/m2"}, {"reason", "1"}, {"step", "1"}},
      {{t, i, std::string("CONVERGED, \"fast\""), 7LL}, {1e-300, 2.5, std::string("ok"), 8LL}}, p, {"axis z"});
  const auto lines = lines_of(text);
  std::size_t header = 0;
  while (header < lines.size() && lines[header].rfind("# ", 0) == 0) ++header;
  ASSERT_EQ(lines.size(), header + 3) << text;
  EXPECT_NE(text.find("# git_describe: abc123-dirty\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# seed: 42\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# resolved_config_yaml:\n#   grid:\n#     n_cells: [4, 4, 4]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# axis z\n"), std::string::npos) << text;
  EXPECT_EQ(lines[header], "time_s,current_density_A_m2,reason_1,step_1");
  const std::string& row = lines[header + 1];
  EXPECT_EQ(std::strtod(row.c_str(), nullptr), t);
  EXPECT_EQ(std::strtod(row.c_str() + row.find(',') + 1, nullptr), i);
  EXPECT_NE(row.find(",\"CONVERGED, \"\"fast\"\"\",7"), std::string::npos) << row;
  EXPECT_EQ(std::strtod(lines[header + 2].c_str(), nullptr), 1e-300);
  EXPECT_THROW(static_cast<void>(io::csv_text({{"time", "s"}}, {{1.0, 2.0}}, p)), std::invalid_argument);
}

TEST(OutputSummary, CsvFileOnRankZero) {
  const fs::path dir = test::shared_dir("csv");
  const io::Provenance p = sample_provenance();
  io::write_csv(dir / "current.csv", {{"time", "s"}, {"current_density", "A/m2"}}, {{0.0, 1.5}}, p, {}, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  std::ifstream in(dir / "current.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), io::csv_text({{"time", "s"}, {"current_density", "A/m2"}}, {{0.0, 1.5}}, p));
}
