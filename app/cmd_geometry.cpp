// `ionpath geometry CONFIG`: build the microstructure, print its report, write it for ParaView/h5py.
#include <petscsys.h>

#include "app/commands.hpp"
#include "app/config_loading.hpp"
#include "study/run.hpp"

namespace ionpath::app {

void add_geometry_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("geometry", "build the microstructure and write structure.{vti,pvti,h5} + geometry.json");
  auto opts = std::make_shared<ConfigOptions>();
  add_config_options(*cmd, *opts, true);
  cmd->callback([&action, opts] {
    action = [opts](const RunContext& ctx) {
      const auto config = load_config_or_report(*opts, ctx);
      if (!config) return exit_bad_input;
      study::run_geometry(*config, {ctx.command_line, PETSC_COMM_WORLD, false});
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
