// `ionpath run CONFIG`: build the structure and run the configured virtual experiment.
#include <petscsys.h>

#include "app/commands.hpp"
#include "app/config_loading.hpp"
#include "io/config.hpp"
#include "solver/petsc/options.hpp"
#include "study/run.hpp"

namespace ionpath::app {

void add_run_command(CLI::App& app, Action& action) {
  std::string types;
  for (const auto& name : io::experiment_names()) types += (types.empty() ? "" : ", ") + name;
  auto* cmd = app.add_subcommand("run", "build the structure and run the configured experiment (experiment.type: " +
                                            types + ")");
  auto opts = std::make_shared<ConfigOptions>();
  add_config_options(*cmd, *opts, true);
  cmd->callback([&action, opts] {
    action = [opts](const RunContext& ctx) {
      const auto config = load_config_or_report(*opts, ctx);
      if (!config) return exit_bad_input;
      solver::apply_petsc_options("", config->petsc_options);
      static_cast<void>(study::run_study(*config, {ctx.command_line, PETSC_COMM_WORLD, false}));
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
