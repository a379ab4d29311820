// `ionpath calibrate CALIBRATION.yaml`: fit config parameters to measured sigma and t+ (spec §7.2).
#include <petscsys.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/config_loading.hpp"
#include "calibrate/calibration.hpp"
#include "io/calibration_config.hpp"

namespace ionpath::app {

void add_calibrate_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("calibrate", "fit free parameters (config key paths) to measured sigma and t+ with "
                                              "PETSc TAO (brgn | pounders: -- -calib_tao_type pounders); writes "
                                              "calibration.json and calibrated.yaml (docs/calibration.md)");
  struct Options {
    std::string file, params, output;
    std::vector<std::string> overrides;
    bool quiet = false;
    int starts = 0;  // 0: the calibration file's `starts`
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("calibration", o->file, "calibration YAML (structures, parameters, targets)")->required()->check(CLI::ExistingFile);
  add_params_option(*cmd, o->params);
  cmd->add_option("--set", o->overrides, "override a key of every structure (key=value) or of one (name:key=value), "
                                         "after the structure's own set (repeatable)")->take_all();
  cmd->add_option("--output,-o", o->output, "output directory (default: output.directory of the calibration file)");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress or table on the console");
  cmd->add_option("--starts", o->starts, "Latin-hypercube starts, instead of the file's `starts` (the first is the start point)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([&action, o] {
    action = [o](const RunContext& ctx) {
      std::optional<io::CalibrationConfig> config;
      std::optional<io::ParamsFile> params;
      try {
        params = load_params(o->params);
        config = io::load_calibration_config(o->file, params ? &*params : nullptr, o->overrides);
        if (o->starts > 0) config->starts = o->starts;
      } catch (const io::ConfigError& e) {
        if (ctx.rank == 0) std::cerr << "ionpath: configuration error: " << e.what() << "\n";
        return exit_bad_input;
      }
      static_cast<void>(calibrate::run_calibration(
          *config, {PETSC_COMM_WORLD, ctx.command_line, o->quiet, params ? &*params : nullptr, o->output}));
      return exit_ok;
    };
  });
}

}  // namespace ionpath::app
