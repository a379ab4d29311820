#include "app/config_loading.hpp"

#include <algorithm>
#include <iostream>

#include "solver/petsc/option_check.hpp"

namespace ionpath::app {

void add_config_options(CLI::App& cmd, ConfigOptions& opts, bool with_output) {
  cmd.add_option("config", opts.config, "YAML configuration file")->required()->check(CLI::ExistingFile);
  cmd.add_option("--set", opts.overrides, "override a key: --set grid.n_cells=[32,32,32] (repeatable)")->take_all();
  if (with_output) cmd.add_option("--output,-o", opts.output, "output directory (default: output.directory)");
}

std::optional<io::RunConfig> load_config_or_report(const ConfigOptions& opts, const RunContext& ctx) {
  try {
    auto config = io::load_config(opts.config, opts.overrides);
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
