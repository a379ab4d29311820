#include "app/config_loading.hpp"

#include <algorithm>
#include <iostream>

#include "solver/petsc/option_check.hpp"

namespace ionpath::app {

void add_config_options(CLI::App& cmd, ConfigOptions& opts, bool with_output) {
  cmd.add_option("config", opts.config, "YAML configuration file")->required()->check(CLI::ExistingFile);
  cmd.add_option("--set", opts.overrides, "override a key: --set grid.n_cells=[32,32,32] (repeatable)")->take_all();
  add_params_option(cmd, opts.params);
  if (with_output) cmd.add_option("--output,-o", opts.output, "output directory (default: output.directory)");
}

void add_params_option(CLI::App& cmd, std::string& params) {
  cmd.add_option("--params", params, "parameter file (e.g. calibrated.yaml from `ionpath calibrate`): its key paths "
                                     "are applied before --set; results record its path and SHA-256")
      ->check(CLI::ExistingFile);
}

std::optional<io::ParamsFile> load_params(const std::string& path) {
  if (path.empty()) return std::nullopt;
  return io::load_params_file(path);
}

std::optional<io::RunConfig> load_config_or_report(const ConfigOptions& opts, const RunContext& ctx) {
  try {
    const auto params = load_params(opts.params);
    auto config = io::load_config(opts.config, params ? &*params : nullptr, opts.overrides);
    if (!opts.output.empty()) config.output.directory = opts.output;
    if (const auto problem = solver::check_petsc_options(config.petsc_options)) {
      const auto at = config.petsc_option_locations.find(problem->key);
      const std::string where = at != config.petsc_option_locations.end() ? at->second : opts.config;
      const bool set = std::any_of(opts.overrides.begin(), opts.overrides.end(), [&](const std::string& o) {
        return o.rfind("petsc_options." + problem->key + "=", 0) == 0;
      });
      throw io::ConfigError(where + ": key 'petsc_options." + problem->key + "': " + problem->message +
                            (set ? " (value given with --set)" : ""));
    }
    return config;
  } catch (const io::ConfigError& e) {
    if (ctx.rank == 0) std::cerr << "ionpath: configuration error: " << e.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace ionpath::app
