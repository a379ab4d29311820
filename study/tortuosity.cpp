#include "study/tortuosity.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "io/image_import.hpp"
#include "io/summary_writer.hpp"
#include "study/conductivity.hpp"

namespace ionpath::study {
namespace {

double peak_rss_bytes(MPI_Comm comm) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  double bytes = static_cast<double>(u.ru_maxrss) * 1024.0;
  MPI_Allreduce(MPI_IN_PLACE, &bytes, 1, MPI_DOUBLE, MPI_SUM, comm);
  return bytes;
}

// What provenance records as the "configuration" of a run without a config file.
std::string describe_spec(const TortuositySpec& t) {
  std::ostringstream os;
  os << "image: " << t.image.path << "\nn_cells: [" << t.grid.n_cells[0] << ", " << t.grid.n_cells[1] << ", "
     << t.grid.n_cells[2] << "]\nvoxel_size_m: " << t.grid.voxel_size_m << "\nsigma:";
  for (const auto& [v, s] : t.sigma_of_value) os << " " << v << "=" << s;
  os << "\naxes: [";
  for (std::size_t i = 0; i < t.axes.size(); ++i) os << (i ? ", " : "") << axis_name(t.axes[i]);
  os << "]\nside_walls: " << (t.side_walls == mesh::SideWalls::periodic ? "periodic" : "zero_flux")
     << "\naccuracy: " << t.accuracy << "\n";
  return os.str();
}

}  // namespace

nlohmann::json run_tortuosity(const TortuositySpec& t, const StudyOptions& options) {
  const auto t_start = std::chrono::steady_clock::now();
  io::RunConfig cfg;
  cfg.grid = t.grid;
  cfg.geometry.structure = t.image;
  cfg.geometry.side_walls = t.side_walls;
  cfg.geometry.transport_axis = t.axes.front();
  cfg.experiment.accuracy = t.accuracy;
  cfg.experiment.conduction_solver = t.solver;
  cfg.resolved_yaml = describe_spec(t);
  Outputs out{t.fields_directory, cfg.output, make_provenance(cfg, options.command_line, options.comm), options.comm};
  const bool print = out.is_root() && !options.quiet;

  const auto t_read = std::chrono::steady_clock::now();
  Structure s;
  s.domain = make_domain(cfg, options.comm);
  s.labels = io::import_image_block(t.image, t.grid, s.domain->owned(), s.table, options.comm);
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_read).count();
  // The solver reads the labels and this table directly (no 24 B/voxel tensor).
  CellConductivity sigma;
  sigma.labels = s.labels.labels();
  double sigma_ref = 0.0;
  for (const auto& [v, sg] : t.sigma_of_value) {
    sigma.of_label[*s.table.find("value_" + std::to_string(v))] = sg;
    sigma_ref = std::max(sigma_ref, sg);
  }
  nlohmann::json axes = nlohmann::json::array();
  for (const int axis : t.axes) {
    const bool fields = !t.fields_directory.empty();
    const auto m = measure_conductivity(domain_along(s, axis), sigma, sigma_ref,
                                        conduction_options(cfg.experiment, t.grid, axis, fields));
    const auto& r = m.result;
    axes.push_back({{"axis", axis_name(axis)}, {"read_time_s", read_s}, {"effective", to_json(m)}});
    if (print) {
      if (!r.percolating)
        std::printf("tortuosity %s: no conducting path between the faces normal to %s: sigma_eff = 0, tau = inf\n",
                    t.image.path.c_str(), axis_name(axis));
      else
        std::printf("tortuosity %s axis %s: sigma_rel %.6g  tau %.6g  N_M %.6g  eps %.4f  inactive %.4f  its %d  solve %.2f s\n",
                    t.image.path.c_str(), axis_name(axis), r.sigma_eff / sigma_ref, m.tortuosity_factor(),
                    m.macmullin_number(), m.eps, r.inactive_fraction(), r.solve.iterations,
                    r.solve.setup_time_s + r.solve.solve_time_s);
      std::fflush(stdout);
    }
    if (fields && r.percolating) {
      // Unit potential drop: potential in V per V, current density in A/m2 per (V x [sigma] m/S).
      const auto phi = with_inactive_as_nan(r.potential, r.active, 1);
      const auto j = with_inactive_as_nan(r.current_density, r.active, 3);
      using D = std::span<const double>;
      const std::string a = axis_name(axis);
      write_fields(out, s, "fields_" + a,
                   {{"potential", "V/V", 1, D(phi)}, {"current_density", "A/m2 per (V S/m)", 3, D(j)}}, r.active,
                   {{a + "/sigma_eff", "[sigma]", r.sigma_eff}, {a + "/tortuosity_factor", "1", m.tortuosity_factor()}});
    }
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  const double rss = peak_rss_bytes(options.comm);
  nlohmann::json j = {{"experiment", "conductivity"},
                      {"image", t.image.path},
                      {"n_cells", t.grid.n_cells},
                      {"voxel_size_m", t.grid.voxel_size_m},
                      {"side_walls", t.side_walls == mesh::SideWalls::periodic ? "periodic" : "zero_flux"},
                      {"axes", axes},
                      {"total_time_s", total_s},
                      {"peak_memory_bytes", rss},
                      {"bytes_per_voxel", rss / static_cast<double>(t.grid.n_total())},
                      {"definitions", "sigma_ref = the largest mapped conductivity; eps = volume fraction of "
                                      "conducting voxels; tau = eps sigma_ref / sigma_eff; N_M = sigma_ref / sigma_eff; "
                                      "cell-centred FV, harmonic face means, potential on the end faces"},
                      {"provenance", to_json(out.provenance)}};
  if (!t.summary_file.empty()) io::write_json(t.summary_file, j, options.comm);
  return j;
}

}  // namespace ionpath::study
