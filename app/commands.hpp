#pragma once
// Subcommands of the ionpath executable. Each registers its CLI11 options and returns the action
// to run once PETSc is up; main() owns PETSc and maps exceptions to exit codes.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace ionpath::app {

/// What every subcommand gets at run time.
struct RunContext {
  int rank = 0;
  int n_ranks = 1;
  std::string command_line;  ///< for provenance
};

using Action = std::function<int(const RunContext&)>;

/// Each adds a subcommand to `app` and stores the action to run into `action` when it is chosen.
void add_validate_command(CLI::App& app, Action& action);
void add_geometry_command(CLI::App& app, Action& action);
void add_run_command(CLI::App& app, Action& action);
void add_tortuosity_command(CLI::App& app, Action& action);
void add_calibrate_command(CLI::App& app, Action& action);
void add_config_reference_command(CLI::App& app, Action& action);
void add_sweep_command(CLI::App& app, Action& action);

/// Exit codes: 0 success, 1 failure while running (solver, I/O), 2 bad input (usage or config).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;

}  // namespace ionpath::app
