#pragma once
// Shared CLI options of the config-driven subcommands and config loading with error reporting.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "io/config.hpp"
#include "io/params_file.hpp"

namespace ionpath::app {

struct ConfigOptions {
  std::string config;
  std::vector<std::string> overrides;  ///< --set key.path=value
  std::string params;                  ///< --params FILE: a parameter file, applied before --set
  std::string output;                  ///< --output DIR (overrides output.directory)
};

void add_config_options(CLI::App& cmd, ConfigOptions& opts, bool with_output);

/// Adds --params FILE (a parameter file such as calibrated.yaml: overrides applied before --set).
void add_params_option(CLI::App& cmd, std::string& params);

/// Loads the parameter file (nullopt if `path` is empty); a ConfigError propagates.
[[nodiscard]] std::optional<io::ParamsFile> load_params(const std::string& path);

/// Loads the config; on a ConfigError prints it (rank 0) and returns nullopt (exit status 2).
[[nodiscard]] std::optional<io::RunConfig> load_config_or_report(const ConfigOptions& opts, const RunContext& ctx);

}  // namespace ionpath::app
