// `ionpath validate CONFIG` and `ionpath config-reference`.
#include <iostream>

#include "app/commands.hpp"
#include "app/config_loading.hpp"
#include "io/config.hpp"

namespace ionpath::app {

void add_validate_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("validate", "check a configuration file and print the resolved configuration");
  auto opts = std::make_shared<ConfigOptions>();
  add_config_options(*cmd, *opts, false);
  cmd->callback([&action, opts] {
    action = [opts](const RunContext& ctx) {
      const auto config = load_config_or_report(*opts, ctx);
      if (!config) return exit_bad_input;
      if (ctx.rank == 0) std::cout << "# " << opts->config << ": valid\n" << config->resolved_yaml << "\n";
      return exit_ok;
    };
  });
}

void add_config_reference_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("config-reference", "print the configuration reference (docs/config.md)");
  cmd->callback([&action] {
    action = [](const RunContext& ctx) {
      if (ctx.rank == 0) std::cout << io::config_reference_markdown();
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
