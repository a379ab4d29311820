// `ionpath run CONFIG`: build the structure and run the configured virtual experiment.
#include <petscsys.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/config_loading.hpp"
#include "io/config.hpp"
#include "solver/petsc/options.hpp"
#include "study/run.hpp"
#include "study/run_plan.hpp"

namespace ionpath::app {

void add_run_command(CLI::App& app, Action& action) {
  std::string types;
  for (const auto& name : io::experiment_names()) types += (types.empty() ? "" : ", ") + name;
  auto* cmd = app.add_subcommand("run", "build the structure and run the configured experiment (experiment.type: " +
                                            types + ")");
  auto opts = std::make_shared<ConfigOptions>();
  add_config_options(*cmd, *opts, true);
  auto dry_run = std::make_shared<bool>(false);
  cmd->add_flag("--dry-run", *dry_run,
                "print the memory estimate, the decomposition and the solver, then stop (exit 2 if it would not fit)");
  auto quiet = std::make_shared<bool>(false);
  cmd->add_flag("--quiet", *quiet, "no console output (results, progress lines of long runs)");
  auto restart = std::make_shared<bool>(false);
  cmd->add_flag("--restart", *restart,
                "continue an interrupted transient from the checkpoints in its output folder (none: start from the "
                "beginning; another configuration's: exit 2)");
  cmd->callback([&action, opts, dry_run, quiet, restart] {
    action = [opts, dry_run, quiet, restart](const RunContext& ctx) {
      const auto config = load_config_or_report(*opts, ctx);
      if (!config) return exit_bad_input;
      if (*dry_run) {
        const study::RunPlan plan = study::plan_run(*config, PETSC_COMM_WORLD);
        if (ctx.rank == 0) std::cout << study::describe(plan);
        return plan.fits() ? exit_ok : exit_bad_input;
      }
      solver::apply_petsc_options("", config->petsc_options);
      static_cast<void>(study::run_study(*config, {ctx.command_line, PETSC_COMM_WORLD, *quiet, *restart}));
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
