#pragma once
/// Provenance recorded in every output (style guide §5.1): filled once by app/, written by every
/// writer under the member names below (HDF5 `/provenance` attributes, JSON object, `# ` CSV lines).
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace ionpath::io {

struct Provenance {
  std::string ionpath_version;  ///< project version, e.g. "0.1.0"
  std::string git_describe;     ///< `git describe --dirty` at build time
  std::string petsc_version, hdf5_version, vtk_version, mpi_version;
  std::string resolved_config_yaml;  ///< YAML after defaults, overrides and command line
  std::string date_utc;              ///< ISO 8601, from make_date_utc()
  std::string command_line;
  int n_ranks = 1;
  std::string params_file;    ///< --params file that set parameters ("" if none)
  std::string params_sha256;  ///< its SHA-256
  std::uint64_t seed = 0;
};

/// Current UTC time as ISO 8601 with seconds, e.g. "2024-05-01T12:00:00Z".
[[nodiscard]] std::string make_date_utc();

/// nlohmann-json hook: `nlohmann::json j = provenance;` gives one key per member, same names.
void to_json(nlohmann::json& j, const Provenance& p);

}  // namespace ionpath::io
