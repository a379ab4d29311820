// `ionpath sweep SWEEP.yaml`: run (or list, or collect) a parameter sweep (docs/sweeps.md).
#include <petscsys.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "app/commands.hpp"
#include "io/sweep_file.hpp"
#include "sweep/runner.hpp"

namespace ionpath::app {
namespace {

struct SweepArgs {
  std::string file;
  sweep::SweepOptions options;
  std::string output;
  std::optional<int> task_index, task_count;
  std::string schedule = "dynamic";
};

std::optional<long> env_long(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (*end != '\0') return std::nullopt;
  return x;
}

// A SLURM job array: task i of n from SLURM_ARRAY_TASK_ID relative to _MIN (and _STEP), n from
// _COUNT or (_MAX - _MIN) / _STEP + 1. Explicit --task-index/--task-count win.
void apply_slurm_array(SweepArgs& a) {
  const auto id = env_long("SLURM_ARRAY_TASK_ID");
  if (!id) return;
  const long min = env_long("SLURM_ARRAY_TASK_MIN").value_or(0);
  const long step = std::max(1L, env_long("SLURM_ARRAY_TASK_STEP").value_or(1));
  std::optional<long> count = env_long("SLURM_ARRAY_TASK_COUNT");
  if (const auto max = env_long("SLURM_ARRAY_TASK_MAX"); !count && max) count = (*max - min) / step + 1;
  if (!a.task_index) a.task_index = static_cast<int>((*id - min) / step);
  if (!a.task_count && count) a.task_count = static_cast<int>(*count);
}

int run(const SweepArgs& args, const RunContext& ctx) {
  SweepArgs a = args;
  apply_slurm_array(a);
  sweep::SweepOptions o = a.options;
  o.task_index = a.task_index.value_or(0);
  o.task_count = a.task_count.value_or(1);
  o.static_schedule = a.schedule == "static";
  o.command_line = ctx.command_line;
  if (o.task_count < 1 || o.task_index < 0 || o.task_index >= o.task_count) {
    if (ctx.rank == 0)
      std::cerr << "ionpath sweep: --task-index " << o.task_index << " must lie in [0, --task-count " << o.task_count << ")\n";
    return exit_bad_input;
  }
  std::optional<io::SweepFile> file;
  try {
    file = io::load_sweep_file(a.file);
  } catch (const io::ConfigError& e) {
    if (ctx.rank == 0) std::cerr << "ionpath: sweep file error: " << e.what() << "\n";
    return exit_bad_input;
  }
  o.output = a.output.empty() ? std::filesystem::path(a.file).replace_extension("").string() + "_out" : a.output;
  return sweep::run_sweep(*file, o, PETSC_COMM_WORLD);
}

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("sweep", "run a parameter sweep: points on groups of ranks, resumable, with tables and plots");
  auto a = std::make_shared<SweepArgs>();
  cmd->add_option("sweep", a->file, "sweep file (YAML: base, axes, seeds, output)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", a->output, "results folder (default: <sweep file without .yaml>_out)");
  cmd->add_option("--ranks-per-point", a->options.ranks_per_point, "MPI ranks per point (groups of this size)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--dry-run", a->options.dry_run, "list the points (id, parameters, status, estimated cost); run nothing");
  cmd->add_flag("--collect", a->options.collect, "rebuild table.csv/.h5 (and plots) from the point files; run nothing");
  cmd->add_flag("--plot", a->options.plot, "write PNG plots into <output>/plots after the run");
  cmd->add_flag("--retry-failed", a->options.retry_failed, "run only the points recorded as failed or timeout");
  cmd->add_option("--point-timeout", a->options.point_timeout_s, "seconds a point may run before it is stopped (0: none)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--task-index", a->task_index, "job-array task i of n (default from SLURM_ARRAY_TASK_*)");
  cmd->add_option("--task-count", a->task_count, "job-array task count n");
  cmd->add_option("--schedule", a->schedule, "dynamic (shared counter, default) or static (round-robin; for benchmarks)")
      ->check(CLI::IsMember({"dynamic", "static"}));
  cmd->add_flag("--quiet,-q", a->options.quiet, "no progress lines on the console (sweep.log still has them)");
  cmd->callback([&action, a] {
    if (a->options.dry_run && a->options.collect) throw CLI::ValidationError("--dry-run and --collect exclude each other");
    action = [a](const RunContext& ctx) { return run(*a, ctx); };
  });
}

}  // namespace ionpath::app
