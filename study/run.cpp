#include "study/run.hpp"

#include <algorithm>
#include <iostream>
#include <limits>
#include <stdexcept>

#include "io/result_folder.hpp"
#include "io/summary_writer.hpp"
#include "solver/petsc/deadline.hpp"
#include "study/checkpoints.hpp"
#include "study/conductivity.hpp"
#include "study/experiment.hpp"
#include "study/run_plan.hpp"

namespace ionpath::study {
namespace {

Outputs outputs_for(const io::RunConfig& config, const StudyOptions& options, bool resuming = false) {
  if (options.comm == MPI_COMM_NULL) throw std::invalid_argument("run_study: no communicator");
  const auto moved = io::retire_earlier_results(config.output.directory, options.comm, resuming);
  if (!moved.empty() && !options.quiet)
    std::cout << "  moved " << moved.size() << " result(s) of an earlier run to "
              << config.output.directory << "/stale/\n";
  return {config.output.directory, config.output, make_provenance(config, options.command_line, options.comm),
          options.comm};
}

Structure build_and_write(const io::RunConfig& config, const StudyOptions& options, const Outputs& out) {
  Structure s = build_structure(config, options.comm);
  if (out.is_root() && !options.quiet) std::cout << describe(s, config);
  write_structure(out, s, config);
  return s;
}

// sigma_max / sigma_min over the measured axes (infinite when an axis does not conduct).
void add_anisotropy(nlohmann::json& summary, std::vector<io::ScalarResult>& scalars,
                    const std::vector<std::pair<int, double>>& sigma_by_axis) {
  if (sigma_by_axis.size() < 2) return;
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (const auto& [axis, sigma] : sigma_by_axis) {
    lo = std::min(lo, sigma);
    hi = std::max(hi, sigma);
  }
  const double ratio = lo > 0.0 ? hi / lo : std::numeric_limits<double>::infinity();
  summary["anisotropy_ratio"] = finite_or_null(ratio);
  summary["anisotropy_definition"] = "sigma_max / sigma_min over the measured axes (null: an axis does not conduct)";
  scalars.push_back({"anisotropy_ratio", "1", ratio});
}

// Every scalar result with its unit, as summary.h5's /results holds them (the sweep table's columns).
nlohmann::json scalar_results_json(const std::vector<io::ScalarResult>& scalars) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& sc : scalars) out.push_back({{"name", sc.name}, {"unit", sc.unit}, {"value", finite_or_null(sc.value)}});
  return out;
}

}  // namespace


void run_geometry(const io::RunConfig& config, const StudyOptions& options) {
  refuse_if_too_big(plan_run(config, options.comm, true));
  const Outputs out = outputs_for(config, options);
  static_cast<void>(build_and_write(config, options, out));
  if (out.is_root() && !options.quiet)
    std::cout << "  wrote " << out.directory.string() << "/{structure.*, geometry.json}\n";
}

nlohmann::json run_study(const io::RunConfig& config, const StudyOptions& options) {
  refuse_if_too_big(plan_run(config, options.comm));
  const bool resuming = options.restart && resumable_checkpoints(config, options.comm) > 0;
  const Outputs out = outputs_for(config, options, resuming);
  if (out.is_root() && !options.quiet && options.restart)
    std::cout << (resuming ? "  resuming from the checkpoints in " : "  no checkpoint in ")
              << config.output.directory << (resuming ? "\n" : ": starting from the beginning\n");
  const ExperimentEntry& experiment = find_experiment(io::experiment_name(config.experiment.spec));
  const Structure s = build_and_write(config, options, out);
  const ExperimentContext ctx{config, s, out, options.quiet, resuming};
  nlohmann::json axes = nlohmann::json::array();
  std::vector<io::ScalarResult> scalars;
  std::vector<std::pair<int, double>> sigma_by_axis;
  for (const int axis : config.experiment.axes) {
    if (axis >= config.grid.dimension()) continue;
    solver::check_deadline(options.comm);  // a sweep point past its timeout stops between axes
    AxisReport r = experiment.run_axis(ctx, axis);
    if (out.is_root() && !options.quiet) std::cout << r.text << std::flush;
    for (const auto& sc : r.scalars)
      if (sc.name == std::string(axis_name(axis)) + "/sigma_eff") sigma_by_axis.emplace_back(axis, sc.value);
    scalars.insert(scalars.end(), r.scalars.begin(), r.scalars.end());
    axes.push_back(std::move(r.json));
  }
  nlohmann::json summary = {{"experiment", experiment.name}, {"axes", axes}};
  add_anisotropy(summary, scalars, sigma_by_axis);
  summary["results"] = scalar_results_json(scalars);
  summary["provenance"] = to_json(out.provenance);
  const io::FieldLayout layout{config.grid, s.domain->owned(), out.comm};
  if (config.output.hdf5)
    io::write_hdf5(out.directory / "summary.h5", layout, {}, out.provenance,
                   io::Hdf5Metadata{.scales = {}, .phase_labels = phase_labels(s), .results = scalars});
  io::write_json(out.directory / "summary.json", summary, out.comm);
  remove_checkpoints(config, out.comm);  // the run is complete: nothing left to resume
  if (out.is_root() && !options.quiet) std::cout << "  wrote " << out.directory.string() << "/summary.json\n";
  return summary;
}

}  // namespace ionpath::study
