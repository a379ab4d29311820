// `ionpath run CONFIG`: build the structure and run the configured virtual experiment.
#include <cstdio>
#include <iostream>

#include "study/bruce_vincent.hpp"
#include "app/commands.hpp"
#include "study/conductivity.hpp"
#include "app/config_loading.hpp"
#include "study/bath_cell.hpp"
#include "io/atomic_file.hpp"
#include "io/summary_writer.hpp"
#include "io/hdf5_writer.hpp"
#include "io/vtk_writer.hpp"
#include "solver/petsc/options.hpp"

namespace ionpath::app {
namespace {

using namespace ionpath::study;  // interim: cmd_run dispatches through study/registry next

int run(const ConfigOptions& opts, const RunContext& ctx) {
  auto config = load_config_or_report(opts, ctx);
  if (!config) return exit_bad_input;
  solver::apply_petsc_options("", config->petsc_options);
  const auto provenance = study::make_provenance(*config, ctx.command_line, PETSC_COMM_WORLD);
  const std::filesystem::path dir = config->output.directory;
  const std::string csv_header = "# ionpath " + provenance.ionpath_version + " (" + provenance.git_describe + "), " +
                                 config->source.string() + ", " + provenance.date_utc + "\n";
  Structure s = build_structure(*config);
  if (ctx.rank == 0) std::cout << describe(s, *config);
  write_structure(dir, s, *config, provenance);

  nlohmann::json axes = nlohmann::json::array();
  for (const int axis : config->experiment.axes) {
    if (axis >= config->grid.dimension()) continue;
    // Each driving axis needs electrodes on its faces: rebuild the (deterministic) structure on a
    // domain whose transport axis it is.
    io::RunConfig axis_config = *config;
    axis_config.geometry.transport_axis = axis;
    Structure rebuilt;
    const Structure* structure = &s;
    if (axis != config->geometry.transport_axis) structure = &(rebuilt = build_structure(axis_config));
    const Structure& sa = *structure;
    if (config->model != io::Model::conduction) {
      const NernstPlanckCellResult np = run_nernst_planck_cell(sa, axis_config, axis);
      if (ctx.rank == 0) std::cout << describe(np);
      axes.push_back(to_json(np));
      if (config->output.fields && axis == config->experiment.axes.front())
        write_fields(dir, sa, axis_config, np, provenance);
      continue;
    }
    using Type = io::ExperimentConfig::Type;
    const Type type = config->experiment.type;
    if (type == Type::transference_linear) {
      const TransferenceResult t = run_transference_linear(sa, axis_config, axis);
      if (ctx.rank == 0)
        std::printf("  axis %c: linear Bruce-Vincent t+ = %.4f (sigma_eff %.5g mS/cm; Wiener bound %.4f)\n",
                    "xyz"[axis], t.t_plus, 10.0 * t.total.sigma_eff, t.bound);
      axes.push_back(to_json(t));
      continue;
    }
    if (type == Type::bruce_vincent) {
      const BruceVincentResult b = run_bruce_vincent(sa, axis_config, axis);
      if (ctx.rank == 0) std::cout << describe(b);
      axes.push_back(to_json(b));
      if (ctx.rank == 0 && b.route == "transient")
        io::write_text_atomically(dir / (std::string("bruce_vincent_") + "xyz"[axis] + ".csv"),
                                  bruce_vincent_csv(b, csv_header));
      if (config->output.fields && axis == config->experiment.axes.front())
        write_bruce_vincent_fields(dir, sa, axis_config, b, provenance);
      continue;
    }
    if (type == Type::arrhenius) {
      const ArrheniusResult a = run_arrhenius(sa, axis_config, axis);
      if (ctx.rank == 0)
        std::printf("  axis %c: E_a = %.3f +- %.3f kJ/mol from ln(sigma) (R2 %.6f), %.3f kJ/mol from ln(sigma T)\n",
                    "xyz"[axis], 1e-3 * a.fit.activation_energy_J_mol, 1e-3 * a.fit.activation_energy_stderr_J_mol,
                    a.fit.r_squared, 1e-3 * a.fit.activation_energy_sigmaT_J_mol);
      axes.push_back(to_json(a));
      if (ctx.rank == 0)
        io::write_text_atomically(dir / (std::string("arrhenius_") + "xyz"[axis] + ".csv"),
                                  arrhenius_csv(a, csv_header));
      continue;
    }
    const bool fields = config->output.fields && axis == config->experiment.axes.front();
    const AxisResult r = run_conductivity(sa, axis_config, axis, fields);
    if (ctx.rank == 0) std::cout << describe(r);
    axes.push_back(to_json(r));
    if (fields && r.effective.percolating) {
      const io::FieldLayout layout{config->grid, sa.domain->owned(), sa.domain->comm()};
      const std::vector<double> magnitude = io::vector_magnitude(r.effective.current_density);
      const std::vector<io::CellField> f{
          {"phase", "1", 1, sa.labels.labels()},
          {"potential", "V", 1, std::span<const double>(r.effective.potential)},
          {"current_density", "A/m2", 3, std::span<const double>(r.effective.current_density)},
          {"current_density_magnitude", "A/m2", 1, std::span<const double>(magnitude)}};
      if (config->output.vtk) {
        const std::string file = io::write_vtk(dir, "fields", layout, f);
        if (ctx.rank == 0) io::write_pvd(dir, "fields", {{0.0, file}});
      }
      if (config->output.hdf5) io::write_hdf5(dir / "fields.h5", layout, f, provenance);
    }
  }
  static const char* names[] = {"conductivity",        "conductivity", "tortuosity",
                                "transference_linear", "arrhenius",    "bruce_vincent"};
  nlohmann::json summary = {{"experiment", names[static_cast<int>(config->experiment.type)]},
                            {"axes", axes},
                            {"provenance", to_json(provenance)}};
  io::write_json(dir / "summary.json", summary, PETSC_COMM_WORLD);
  if (ctx.rank == 0) std::cout << "  wrote " << dir.string() << "/summary.json\n";
  return exit_ok;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "run", "build the structure and run the configured experiment (conduction, electroneutral or pnp model)");
  auto opts = std::make_shared<ConfigOptions>();
  add_config_options(*cmd, *opts, true);
  cmd->callback([&action, opts] { action = [opts](const RunContext& ctx) { return run(*opts, ctx); }; });
}

}  // namespace ionpath::app
