#include "study/problem.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/provenance.hpp"
#include "io/summary_writer.hpp"
#include "io/hdf5_writer.hpp"
#include "io/image_import.hpp"
#include "io/versions.hpp"
#include "io/vtk_writer.hpp"
#include "ionpath/build_info.hpp"
#include "solver/petsc/versions.hpp"

namespace ionpath::study {
namespace {

const char* axis_name(int a) { return a == 0 ? "x" : a == 1 ? "y" : "z"; }

}  // namespace

std::unique_ptr<solver::Domain> make_domain(const io::RunConfig& config, MPI_Comm comm) {
  solver::DomainOptions opt;
  opt.comm = comm;
  opt.transport_axis = config.geometry.transport_axis;
  opt.side_walls = config.geometry.side_walls;
  return std::make_unique<solver::Domain>(config.grid, opt);
}

const solver::Domain& domain_along(const Structure& s, int axis) {
  if (axis == s.domain->transport_axis()) return *s.domain;
  auto& d = s.along_axis.at(static_cast<std::size_t>(axis));
  if (!d) {
    solver::DomainOptions opt = s.domain->options();
    opt.transport_axis = axis;
    d = std::make_unique<solver::Domain>(s.domain->grid(), opt);
    if (d->owned() != s.domain->owned())
      throw std::logic_error("domain_along: the decomposition changed with the transport axis");
  }
  return *d;
}

solver::Domain domain_with_dof(const solver::Domain& d, int dof) {
  solver::DomainOptions opt = d.options();
  opt.dof = dof;
  opt.field_names.clear();
  return solver::Domain(d.grid(), opt);
}

Structure build_structure(const io::RunConfig& config, MPI_Comm comm) {
  const auto t0 = std::chrono::steady_clock::now();
  Structure s;
  s.domain = make_domain(config, comm);
  const auto& domain = *s.domain;
  if (const auto* image = std::get_if<mesh::ImageParams>(&config.geometry.structure)) {
    // Images: read the owned box grown by the shell halo, then derive the shell like generators do.
    const int halo = mesh::shell_halo(config.grid, config.geometry);
    mesh::Box grown = mesh::grow_box(config.grid, domain.owned(), halo, config.geometry);
    for (int a = 0; a < 3; ++a) {  // images are not periodic copies: clip instead of wrapping
      grown.lo[a] = std::max(grown.lo[a], 0);
      grown.hi[a] = std::min(grown.hi[a], config.grid.n_cells[a]);
    }
    const mesh::LabelBlock block = io::import_image_block(*image, config.grid, grown, s.table, domain.comm());
    s.labels = mesh::apply_shells(config.grid, block, domain.owned(), config.geometry);
    s.info.structure = "image";
  } else {
    auto generated = mesh::generate_block(config.grid, config.geometry, domain.owned(), solver::mpi_sum_in_place(domain.comm()));
    s.labels = std::move(generated.labels);
    s.info = generated.info;
  }
  s.report = solver::report_structure(domain, s.labels, s.table);
  s.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

io::Provenance make_provenance(const io::RunConfig& config, const std::string& command_line, MPI_Comm comm) {
  io::Provenance p;
  p.ionpath_version = build_info::version;
  p.git_describe = build_info::git_describe;
  p.petsc_version = solver::petsc_version();
  p.hdf5_version = io::hdf5_version();
  p.vtk_version = io::vtk_version();
  p.mpi_version = solver::mpi_library_version();
  p.resolved_config_yaml = config.resolved_yaml;
  p.date_utc = io::make_date_utc();
  p.command_line = command_line;
  p.params_file = config.params_file;
  p.params_sha256 = config.params_sha256;
  MPI_Comm_size(comm, &p.n_ranks);
  p.seed = config.geometry.seed;
  return p;
}

nlohmann::json to_json(const io::Provenance& p) {
  nlohmann::json j = p;  // io/provenance.hpp: one key per member, as in the HDF5 attributes
  return j;
}

nlohmann::json to_json(const Structure& s, const io::RunConfig& config) {
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : s.report.phases)
    phases.push_back({{"name", p.name},
                      {"label", p.label},
                      {"n_cells", p.n_cells},
                      {"volume_fraction", p.volume_fraction},
                      {"percolates", {{"x", p.percolates[0]}, {"y", p.percolates[1]}, {"z", p.percolates[2]}}}});
  const auto& o = s.info.orientation;
  nlohmann::json j = {
      {"structure", s.info.structure},
      {"grid", {{"n_cells", config.grid.n_cells}, {"voxel_size_m", config.grid.voxel_size_m},
                {"size_m", {config.grid.length_m(0), config.grid.length_m(1), config.grid.length_m(2)}}}},
      {"transport_axis", axis_name(config.geometry.transport_axis)},
      {"side_walls", config.geometry.side_walls == mesh::SideWalls::periodic ? "periodic" : "zero_flux"},
      {"n_cells", s.report.n_cells},
      {"phases", phases},
      {"interface_area_per_volume_1_m", s.report.interface_area_per_volume_1_m},
      {"electrolyte_percolates",
       {{"x", s.report.electrolyte_percolates[0]}, {"y", s.report.electrolyte_percolates[1]}, {"z", s.report.electrolyte_percolates[2]}}},
      {"clay_fraction", {{"target", s.info.target_clay_fraction}, {"achieved_before_shell", s.info.achieved_clay_fraction}}},
      {"n_objects", s.info.n_objects},
      {"build_time_s", s.build_seconds}};
  if (s.info.weight_fraction >= 0.0)
    j["weight_to_volume"] = {{"weight_fraction", s.info.weight_fraction}, {"volume_fraction", s.info.converted_volume_fraction}};
  if (s.info.structure == "aligned_walls") j["wall_thickness_m"] = s.info.wall_thickness_m;
  if (s.info.structure == "random_platelets")
    j["orientation"] = {{"mean_P2", o.mean_P2}, {"order_tensor_eigenvalues", o.order_eigenvalues},
                        {"aggregation_index", o.aggregation_index}};
  return j;
}

std::string describe(const Structure& s, const io::RunConfig& config) {
  std::ostringstream os;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: %d x %d x %d voxels of %.3g um (%s), built in %.2f s\n", s.info.structure.c_str(),
                config.grid.n_cells[0], config.grid.n_cells[1], config.grid.n_cells[2], config.grid.voxel_size_m * 1e6,
                config.source.filename().c_str(), s.build_seconds);
  os << buf;
  for (const auto& p : s.report.phases) {
    std::snprintf(buf, sizeof buf, "  %-10s %8.4f %%   percolates x:%s y:%s z:%s\n", p.name.c_str(), 100.0 * p.volume_fraction,
                  p.percolates[0] ? "yes" : "no", p.percolates[1] ? "yes" : "no", p.percolates[2] ? "yes" : "no");
    os << buf;
  }
  std::snprintf(buf, sizeof buf, "  interface area %.4g 1/um; electrolyte (gel+shells) percolates along %s: %s\n",
                s.report.interface_area_per_volume_1_m * 1e-6, axis_name(config.geometry.transport_axis),
                s.report.electrolyte_percolates[config.geometry.transport_axis] ? "yes" : "NO");
  os << buf;
  if (s.info.weight_fraction >= 0.0) {
    std::snprintf(buf, sizeof buf, "  %.2f wt %% clay -> %.3f vol %% (target), %.3f vol %% achieved, %zu platelets\n",
                  100 * s.info.weight_fraction, 100 * s.info.converted_volume_fraction, 100 * s.info.achieved_clay_fraction,
                  s.info.n_objects);
    os << buf;
  }
  if (config.geometry.clay_shell.thickness_m > 0.0)
    for (const auto& p : s.report.phases)
      if (p.label == mesh::phase::clay && p.percolates[config.geometry.transport_axis]) {
        std::snprintf(buf, sizeof buf, "  note: clay percolates along %s; clay_shell (M-a) surrounds every clay cluster, "
                      "spanning ones included\n", axis_name(config.geometry.transport_axis));
        os << buf;
      }
  if (s.info.structure == "random_platelets") {
    std::snprintf(buf, sizeof buf, "  orientation <P2> = %.3f, aggregation index %.3f (1 = uniform random)\n",
                  s.info.orientation.mean_P2, s.info.orientation.aggregation_index);
    os << buf;
  }
  if (s.info.structure == "aligned_walls") {
    std::snprintf(buf, sizeof buf, "  %zu walls of %.3g um, wall fraction %.3f %% (target %.3f %%)\n", s.info.n_objects,
                  s.info.wall_thickness_m * 1e6, 100 * s.info.achieved_clay_fraction, 100 * s.info.target_clay_fraction);
    os << buf;
  }
  return os.str();
}

}  // namespace ionpath::study
