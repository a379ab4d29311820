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
  cmd->callback([&action, opts, dry_run, quiet] {
    action = [opts, dry_run, quiet](const RunContext& ctx) {
      const auto config = load_config_or_report(*opts, ctx);
      if (!config) return exit_bad_input;
      if (*dry_run) {
        const study::RunPlan plan = study::plan_run(*config, PETSC_COMM_WORLD);
        if (ctx.rank == 0) std::cout << study::describe(plan);
        return plan.fits() ? exit_ok : exit_bad_input;
      }
      solver::apply_petsc_options("", config->petsc_options);
      static_cast<void>(study::run_study(*config, {ctx.command_line, PETSC_COMM_WORLD, *quiet}));
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
