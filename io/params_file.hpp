#pragma once
/// Parameter files (`--params calibrated.yaml`): a flat map of config key paths to values, written
/// by `ionpath calibrate` and applied by every command as overrides before `--set`. The file's
/// path and SHA-256 go into the provenance of every result it produced.
#include <filesystem>
#include <string>
#include <vector>

#include "io/config.hpp"

namespace ionpath::io {

/// A parameter file as loaded: one override per entry of `parameters`, each naming file:line.
struct ParamsFile {
  std::filesystem::path path;
  std::string sha256;
  std::vector<Override> overrides;
};

/// Reads `parameters: {key.path: value, ...}`; throws ConfigError (file:line:col: key '...') for a
/// file that is not such a map. The keys themselves are checked when a config applies them.
[[nodiscard]] ParamsFile load_params_file(const std::filesystem::path& file);

/// Loads `file` with the parameter file's overrides first, then `overrides` (--set wins).
[[nodiscard]] RunConfig load_config(const std::filesystem::path& file, const ParamsFile* params,
                                    const std::vector<std::string>& overrides);

/// One entry of a parameter file being written.
struct ParamsEntry {
  std::string key;      ///< config key path
  double value = 0.0;   ///< SI, written with 17 significant digits
  std::string comment;  ///< written after the value as `# ...`
};

/// Text of a parameter file: `# ` header lines, `parameters:` and a `provenance:` map of strings.
[[nodiscard]] std::string params_file_text(const std::vector<std::string>& header, const std::vector<ParamsEntry>& entries,
                                           const std::vector<std::pair<std::string, std::string>>& provenance);

}  // namespace ionpath::io
