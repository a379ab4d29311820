// `ionpath tortuosity IMAGE`: effective conductivity, tortuosity factor and MacMullin number of a
// segmented image, with a label -> conductivity map (spec §5.2; the speed-and-scale workflow).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "app/commands.hpp"
#include "study/problem.hpp"
#include "io/atomic_file.hpp"
#include "io/summary_writer.hpp"
#include "io/hdf5_writer.hpp"
#include "io/image_import.hpp"
#include "io/vtk_writer.hpp"
#include "solver/conduction/conduction.hpp"

namespace ionpath::app {
namespace {

using namespace ionpath::study;  // interim: cmd_run dispatches through study/registry next

struct TortuosityOptions {
  std::string image;
  std::string format = "raw";
  std::vector<int> shape;
  std::string dtype = "uint8", byte_order = "little", axis_order = "xyz", dataset = "/labels";
  double voxel_size_m = 1e-6;
  std::vector<std::string> sigma;  ///< "label=conductivity"
  std::string axis = "z";
  std::string sides = "zero_flux";
  double accuracy = 1e-6;
  std::string output;
  std::string fields;
  std::string solver = "matrix_free";  ///< matrix_free (fast path) | assembled (reference)
};

double peak_rss_bytes(MPI_Comm comm) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  double bytes = static_cast<double>(u.ru_maxrss) * 1024.0;
  MPI_Allreduce(MPI_IN_PLACE, &bytes, 1, MPI_DOUBLE, MPI_SUM, comm);
  return bytes;
}

int run(const TortuosityOptions& o, const RunContext& ctx) {
  const auto t_start = std::chrono::steady_clock::now();
  mesh::ImageParams image;
  image.path = o.image;
  image.format = o.format == "tiff" ? mesh::ImageFormat::tiff : o.format == "hdf5" ? mesh::ImageFormat::hdf5 : mesh::ImageFormat::raw;
  image.dtype = o.dtype == "uint16" ? mesh::RawDtype::uint16 : mesh::RawDtype::uint8;
  image.big_endian = o.byte_order == "big";
  image.x_fastest = o.axis_order == "xyz";
  image.dataset = o.dataset;
  std::map<int, double> sigma_of_value;
  for (const auto& entry : o.sigma) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos) throw CLI::ValidationError("--sigma", "expected value=conductivity, got '" + entry + "'");
    const int v = std::stoi(entry.substr(0, eq));
    const double s = std::stod(entry.substr(eq + 1));
    if (v < 0 || v > 65535 || s < 0) throw CLI::ValidationError("--sigma", "bad entry '" + entry + "'");
    sigma_of_value[v] = s;
    image.label_map.emplace_back(v, "value_" + std::to_string(v));
  }
  mesh::Grid grid;
  grid.voxel_size_m = o.voxel_size_m;
  if (image.format == mesh::ImageFormat::raw) {
    if (o.shape.size() != 3) {
      if (ctx.rank == 0) std::cerr << "ionpath tortuosity: raw images need --shape NX NY NZ\n";
      return exit_bad_input;
    }
    grid.n_cells = {o.shape[0], o.shape[1], o.shape[2]};
  } else {
    grid.n_cells = io::probe_image_shape(image);
  }
  std::vector<int> axes;
  if (o.axis == "all") {
    for (int a = 0; a < grid.dimension(); ++a) axes.push_back(a);
  } else {
    axes.push_back(o.axis == "x" ? 0 : o.axis == "y" ? 1 : 2);
  }
  const double sigma_ref = [&] {
    double m = 0.0;
    for (const auto& [v, s] : sigma_of_value) m = std::max(m, s);
    return m;
  }();

  nlohmann::json results = nlohmann::json::array();
  for (const int axis : axes) {
    io::RunConfig cfg;
    cfg.grid = grid;
    cfg.geometry.structure = image;
    cfg.geometry.transport_axis = axis;
    cfg.geometry.side_walls = o.sides == "periodic" ? mesh::SideWalls::periodic : mesh::SideWalls::zero_flux;
    const auto t_read = std::chrono::steady_clock::now();
    Structure s;
    s.domain = make_domain(cfg);
    const mesh::LabelBlock labels = io::import_image_block(image, grid, s.domain->owned(), s.table, s.domain->comm());
    const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_read).count();
    // The solver reads the labels and this table directly (no 24 B/voxel tensor).
    solver::LabelledSigma sigma;
    sigma.labels = labels.labels();
    for (const auto& [v, sg] : sigma_of_value) sigma.of_label[*s.table.find("value_" + std::to_string(v))] = sg;
    double conducting = 0.0;
    for (const mesh::Label l : sigma.labels) conducting += sigma.of_label[l] > 0.0 ? 1.0 : 0.0;
    MPI_Allreduce(MPI_IN_PLACE, &conducting, 1, MPI_DOUBLE, MPI_SUM, s.domain->comm());
    const double eps = conducting / static_cast<double>(grid.n_total());
    solver::ConductivityOptions opt;
    opt.axis = axis;
    opt.ksp.rtol = std::min(1e-10, 1e-2 * o.accuracy);
    opt.keep_fields = !o.fields.empty();
    if (o.solver == "matrix_free") {
      opt.op = solver::ConductionOperator::matrix_free;
      opt.accuracy = o.accuracy;
    }
    const auto r = solver::solve_conductivity(*s.domain, sigma, opt);
    const double tau = solver::tortuosity_factor(eps, sigma_ref, r.sigma_eff);
    const char* name = axis == 0 ? "x" : axis == 1 ? "y" : "z";
    auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    results.push_back({{"axis", name},
                       {"percolating", r.percolating},
                       {"sigma_eff", r.sigma_eff},
                       {"sigma_rel", sigma_ref > 0 ? r.sigma_eff / sigma_ref : 0.0},
                       {"tortuosity_factor", finite(tau)},
                       {"macmullin_number", finite(solver::macmullin_number(sigma_ref, r.sigma_eff))},
                       {"conducting_volume_fraction", eps},
                       {"inactive_fraction", r.inactive_fraction()},
                       {"non_percolating_conducting_fraction", r.components.removed_conducting_fraction()},
                       {"flux_balance", r.flux_balance},
                       {"solver", o.solver},
                       {"ksp_iterations", r.solve.iterations},
                       {"converged_reason", r.solve.converged_reason},
                       {"read_time_s", read_s},
                       {"setup_time_s", r.solve.setup_time_s},
                       {"solve_time_s", r.solve.solve_time_s}});
    if (ctx.rank == 0) {
      if (!r.percolating)
        std::printf("tortuosity %s: no conducting path between the faces normal to %s: sigma_eff = 0, tau = inf\n",
                    o.image.c_str(), name);
      else
        std::printf("tortuosity %s axis %s: sigma_rel %.6g  tau %.6g  N_M %.6g  eps %.4f  inactive %.4f  its %d  solve %.2f s\n",
                    o.image.c_str(), name, r.sigma_eff / sigma_ref, tau, solver::macmullin_number(sigma_ref, r.sigma_eff), eps,
                    r.inactive_fraction(), r.solve.iterations, r.solve.setup_time_s + r.solve.solve_time_s);
    }
    if (!o.fields.empty() && r.percolating) {
      const io::FieldLayout layout{grid, s.domain->owned(), s.domain->comm()};
      const std::vector<io::CellField> f{{"label", "1", 1, labels.labels()},
                                         {"potential", "V", 1, std::span<const double>(r.potential)},
                                         {"current_density", "A/m2 per (S/m)", 3, std::span<const double>(r.current_density)}};
      const std::string stem = std::string("fields_") + name;
      io::write_vtk(o.fields, stem, layout, f);
      io::Provenance p;
      p.command_line = ctx.command_line;
      p.n_ranks = ctx.n_ranks;
      io::write_hdf5(std::filesystem::path(o.fields) / (stem + ".h5"), layout, f, p);
    }
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  const double rss = peak_rss_bytes(MPI_COMM_WORLD);
  nlohmann::json j = {{"image", o.image},
                      {"n_cells", grid.n_cells},
                      {"voxel_size_m", grid.voxel_size_m},
                      {"side_walls", o.sides},
                      {"reference_sigma", sigma_ref},
                      {"results", results},
                      {"total_time_s", total_s},
                      {"peak_memory_bytes", rss},
                      {"bytes_per_voxel", rss / static_cast<double>(grid.n_total())},
                      {"n_ranks", ctx.n_ranks},
                      {"definitions", "tau = eps * sigma_ref / sigma_eff with sigma_ref the largest mapped conductivity; "
                                      "N_M = sigma_ref / sigma_eff; cell-centred FV, harmonic face means, potential on the end faces"}};
  if (!o.output.empty()) io::write_json(o.output, j, PETSC_COMM_WORLD);
  return exit_ok;
}

}  // namespace

void add_tortuosity_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("tortuosity", "effective conductivity and tortuosity of a segmented image");
  auto o = std::make_shared<TortuosityOptions>();
  cmd->add_option("image", o->image, "segmented image (raw, TIFF stack or HDF5)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", o->format, "raw | tiff | hdf5")->check(CLI::IsMember({"raw", "tiff", "hdf5"}));
  cmd->add_option("--shape", o->shape, "raw: NX NY NZ")->expected(3);
  cmd->add_option("--dtype", o->dtype, "raw: uint8 | uint16")->check(CLI::IsMember({"uint8", "uint16"}));
  cmd->add_option("--byte-order", o->byte_order, "raw: little | big")->check(CLI::IsMember({"little", "big"}));
  cmd->add_option("--axis-order", o->axis_order, "raw: xyz (x fastest) | zyx")->check(CLI::IsMember({"xyz", "zyx"}));
  cmd->add_option("--dataset", o->dataset, "HDF5 dataset");
  cmd->add_option("--voxel-size-m", o->voxel_size_m, "voxel edge (m)")->check(CLI::PositiveNumber);
  cmd->add_option("--sigma", o->sigma, "label=conductivity, e.g. --sigma 0=1 255=0 (0 = insulating)")->required()->take_all();
  cmd->add_option("--axis", o->axis, "x | y | z | all")->check(CLI::IsMember({"x", "y", "z", "all"}));
  cmd->add_option("--sides", o->sides, "zero_flux | periodic")->check(CLI::IsMember({"zero_flux", "periodic"}));
  cmd->add_option("--accuracy", o->accuracy, "relative accuracy of sigma_eff")->check(CLI::Range(1e-12, 0.1));
  cmd->add_option("--output,-o", o->output, "JSON summary file");
  cmd->add_option("--fields", o->fields, "directory for potential and current density (ParaView, HDF5)");
  cmd->add_option("--solver", o->solver, "matrix_free (geometric multigrid, fast) | assembled (AIJ + GAMG reference)")
      ->check(CLI::IsMember({"matrix_free", "assembled"}));
  cmd->callback([&action, o] { action = [o](const RunContext& ctx) { return run(*o, ctx); }; });
}

}  // namespace ionpath::app
