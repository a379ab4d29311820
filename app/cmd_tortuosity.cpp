// `ionpath tortuosity IMAGE`: effective conductivity, tortuosity factor and MacMullin number of a
// segmented image, with a label -> conductivity map (spec §5.2; the speed-and-scale workflow).
#include <cmath>
#include <iostream>
#include <utility>

#include <petscsys.h>

#include "app/commands.hpp"
#include "io/image_import.hpp"
#include "study/tortuosity.hpp"

namespace ionpath::app {
namespace {

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

// "value=conductivity" with an integer image value in 0..65535 and a finite conductivity >= 0.
std::pair<int, double> parse_sigma(const std::string& entry) {
  const auto eq = entry.find('=');
  const auto bad = [&](const std::string& why) {
    return CLI::ValidationError("--sigma", "'" + entry + "': " + why + " (expected VALUE=CONDUCTIVITY, e.g. 0=1)");
  };
  if (eq == std::string::npos) throw bad("no '='");
  std::size_t used = 0;
  int v = -1;
  double s = 0.0;
  try {
    v = std::stoi(entry.substr(0, eq), &used);
    if (used != eq) throw std::invalid_argument("trailing characters");
    const std::string rest = entry.substr(eq + 1);
    s = std::stod(rest, &used);
    if (used != rest.size()) throw std::invalid_argument("trailing characters");
  } catch (const std::logic_error&) {
    throw bad("not an integer image value and a number");
  }
  if (v < 0 || v > 65535) throw bad("image value outside 0..65535");
  if (!std::isfinite(s) || s < 0) throw bad("conductivity must be finite and >= 0");
  return {v, s};
}

int run(const TortuosityOptions& o, const RunContext& ctx) {
  study::TortuositySpec t;
  t.image.path = o.image;
  t.image.format = o.format == "tiff" ? mesh::ImageFormat::tiff : o.format == "hdf5" ? mesh::ImageFormat::hdf5 : mesh::ImageFormat::raw;
  t.image.dtype = o.dtype == "uint16" ? mesh::RawDtype::uint16 : mesh::RawDtype::uint8;
  t.image.big_endian = o.byte_order == "big";
  t.image.x_fastest = o.axis_order == "xyz";
  t.image.dataset = o.dataset;
  t.image.label_map_name = "--sigma";
  for (const auto& entry : o.sigma) {
    const auto [v, s] = parse_sigma(entry);
    if (t.sigma_of_value.count(v))
      throw CLI::ValidationError("--sigma", "image value " + std::to_string(v) + " is given twice");
    t.sigma_of_value[v] = s;
    t.image.label_map.emplace_back(v, "value_" + std::to_string(v));
  }
  t.grid.voxel_size_m = o.voxel_size_m;
  if (t.image.format == mesh::ImageFormat::raw) {
    if (o.shape.size() != 3) {
      if (ctx.rank == 0) std::cerr << "ionpath tortuosity: raw images need --shape NX NY NZ\n";
      return exit_bad_input;
    }
    t.grid.n_cells = {o.shape[0], o.shape[1], o.shape[2]};
  } else {
    t.grid.n_cells = io::probe_image_shape(t.image);
  }
  t.axes.clear();
  if (o.axis == "all") {
    for (int a = 0; a < t.grid.dimension(); ++a) t.axes.push_back(a);
  } else {
    t.axes.push_back(o.axis == "x" ? 0 : o.axis == "y" ? 1 : 2);
  }
  t.side_walls = o.sides == "periodic" ? mesh::SideWalls::periodic : mesh::SideWalls::zero_flux;
  using Choice = io::ExperimentConfig::ConductionSolver;
  t.solver = o.solver == "assembled" ? Choice::assembled : o.solver == "auto" ? Choice::automatic : Choice::matrix_free;
  t.accuracy = o.accuracy;
  t.summary_file = o.output;
  t.fields_directory = o.fields;
  static_cast<void>(study::run_tortuosity(t, {ctx.command_line, PETSC_COMM_WORLD, false}));
  return exit_ok;
}

}  // namespace

void add_tortuosity_command(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("tortuosity", "effective conductivity and tortuosity of a segmented image");
  auto o = std::make_shared<TortuosityOptions>();
  cmd->add_option("image", o->image, "segmented image (raw, TIFF stack or HDF5)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", o->format, "raw | tiff | hdf5")->check(CLI::IsMember({"raw", "tiff", "hdf5"}));
  cmd->add_option("--shape", o->shape, "raw: NX NY NZ")->expected(3)->check(CLI::Range(1, 1 << 30));
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
  cmd->add_option("--solver", o->solver,
                  "matrix_free (geometric multigrid, fast) | assembled (AIJ + GAMG reference) | auto (as `ionpath run`)")
      ->check(CLI::IsMember({"matrix_free", "assembled", "auto"}));
  cmd->callback([&action, o] { action = [o](const RunContext& ctx) { return run(*o, ctx); }; });
}

}  // namespace ionpath::app
