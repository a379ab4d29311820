#include "study/current_uniformity.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "physics/constants.hpp"
#include "solver/conduction/conduction.hpp"
#include "solver/electroneutral/electroneutral.hpp"
#include "study/coefficients.hpp"
#include "study/conductivity.hpp"

namespace ionpath::study {
namespace {

using Source = io::CurrentUniformitySpec::Source;

std::string micrometres(double m) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%gum", 1e6 * m);
  return buf;
}

// Face currents of the requested planes (A per face), from the solve the spec names.
struct SolvedPlanes {
  solver::PlaneCurrentMaps maps;
  double to_A = 1.0;              // solver unit -> A
  double current_solver_A = 0.0;  // the solver's own inlet current
  double sigma_eff_S_m = 0.0;
  double seconds = 0.0;
};

SolvedPlanes solve_planes(const Structure& s, const io::RunConfig& config, int axis, const std::vector<int>& planes) {
  const auto& spec = std::get<io::CurrentUniformitySpec>(config.experiment.spec);
  const solver::Domain& d = domain_along(s, axis);
  const CellConductivity sigma = cell_conductivity(s.labels.labels(), s.table, config, ConductivityKind::total);
  SolvedPlanes out;
  const double t0 = MPI_Wtime();
  solver::ConductivityOptions opt = conduction_options(config.experiment, config.grid, axis, false);
  if (spec.source == Source::conduction) opt.current_planes = planes;
  const ConductionMeasurement m = measure_conductivity(d, sigma, 0.0, opt);
  out.sigma_eff_S_m = m.result.sigma_eff;
  if (spec.source == Source::conduction) {
    // The problem is linear: face currents at Delta V = 1 (A/V) times the voltage.
    out.maps = m.result.plane_currents;
    out.to_A = spec.voltage_V;
    out.current_solver_A = m.result.current * spec.voltage_V;
  } else {
    const SpeciesCoefficients k = species_coefficients(s.labels.labels(), s.table, config);
    const solver::Domain d2 = domain_with_dof(d, 2);
    solver::ElectroneutralInput in{k.D_plus,
                                   k.D_minus,
                                   k.X,
                                   {},
                                   {solver::ElectrodeKind::ideal_li, spec.voltage_V / k.scales.VT, 0.0},
                                   {solver::ElectrodeKind::ideal_li, 0.0, 0.0}};
    in.current_planes = planes;
    const solver::ElectroneutralResult r = solver::solve_electroneutral_steady(d2, in);
    out.maps = r.plane_currents;
    out.to_A = k.scales.current_A(1.0);
    out.current_solver_A = k.scales.current_A(r.current_in_low);
  }
  if (out.maps.empty())
    throw std::runtime_error(std::string("current_uniformity: axis ") + axis_name(axis) +
                             " does not conduct between the electrodes (no current to analyse)");
  out.seconds = MPI_Wtime() - t0;
  return out;
}

physics::FaceMap face_map(const solver::Domain& d, int axis, const solver::PlaneCurrentMaps& maps, std::size_t q,
                          double to_A_m2) {
  const auto [b, c] = solver::transverse_axes(axis);
  physics::FaceMap m;
  m.n0 = d.grid().n_cells[b];
  m.n1 = d.grid().n_cells[c];
  m.periodic0 = d.periodic(b);
  m.periodic1 = c < d.dimension() && d.periodic(c);
  m.values = maps.current[q];
  for (double& v : m.values) v *= to_A_m2;
  m.conducting = maps.conducting[q];
  return m;
}

nlohmann::json to_json(const physics::UniformityStats& s) {
  return {{"n_cells", s.n_cells},          {"mean_A_m2", finite_or_null(s.mean)},
          {"std_dev_A_m2", finite_or_null(s.std_dev)}, {"cv", finite_or_null(s.cv)},
          {"max_over_mean", finite_or_null(s.max_over_mean)}, {"min_over_mean", finite_or_null(s.min_over_mean)},
          {"a50", finite_or_null(s.a50)}};
}

}  // namespace

std::pair<double, std::string> default_wagner_length(const io::RunConfig& config, int axis) {
  const auto& st = config.geometry.structure;
  if (const auto* w = std::get_if<mesh::AlignedWallsParams>(&st)) return {w->spacing_m, "geometry.aligned_walls.spacing_m"};
  if (const auto* p = std::get_if<mesh::RandomPlateletsParams>(&st)) {
    if (p->placement == mesh::PlacementKind::clustered)
      return {2.0 * p->cluster_radius_m, "2 x geometry.random_platelets.cluster_radius_m"};
    return {p->diameter_m, "geometry.random_platelets.diameter_m"};
  }
  const auto [b, c] = solver::transverse_axes(axis);
  const double h = config.grid.voxel_size_m;
  return {h * std::max(config.grid.n_cells[b], config.grid.n_cells[c]), "larger side of the electrode face"};
}

UniformityResult run_current_uniformity(const Structure& s, const io::RunConfig& config, int axis) {
  const auto& spec = std::get<io::CurrentUniformitySpec>(config.experiment.spec);
  const solver::Domain& d = domain_along(s, axis);
  const double h = config.grid.voxel_size_m;
  const int n_a = config.grid.n_cells[axis];
  UniformityResult r;
  r.axis = axis;
  r.source = spec.source == Source::conduction ? "conduction" : "electroneutral";
  r.voltage_V = spec.voltage_V;

  // Face plane 0 (the low electrode) and the interior planes nearest to each distance.
  std::vector<int> planes{0};
  std::vector<double> distances{0.0};
  for (const double dist : spec.plane_distances_m) {
    const int p = static_cast<int>(std::lround(dist / h));
    if (p < 1 || p >= n_a) {
      r.notes.push_back("plane at " + micrometres(dist) + " skipped: outside the cell (" + std::to_string(n_a) +
                        " voxels of " + micrometres(h) + ")");
      continue;
    }
    if (std::find(planes.begin(), planes.end(), p) != planes.end()) continue;
    planes.push_back(p);
    distances.push_back(dist);
  }
  const SolvedPlanes solved = solve_planes(s, config, axis, planes);
  r.current_solver_A = solved.current_solver_A;
  r.sigma_eff_S_m = solved.sigma_eff_S_m;
  r.solve_time_s = solved.seconds;
  const double to_A_m2 = solved.to_A / (h * h);

  r.exchange_current_density_A_m2 = spec.exchange_current_density_A_m2;
  r.charge_transfer_resistance_ohm_m2 =
      physics::thermal_voltage_V(config.electrolyte.temperature_K) / spec.exchange_current_density_A_m2;
  if (spec.wagner_length_m > 0.0) {
    r.wagner_length_m = spec.wagner_length_m;
    r.wagner_length_source = "experiment.current_uniformity.wagner_length_m";
  } else {
    std::tie(r.wagner_length_m, r.wagner_length_source) = default_wagner_length(config, axis);
  }
  r.wagner_number = r.sigma_eff_S_m * r.charge_transfer_resistance_ohm_m2 / r.wagner_length_m;

  const int bins = spec.histogram_bins;
  const auto plane_current = [&](const physics::FaceMap& m) {
    return std::accumulate(m.values.begin(), m.values.end(), 0.0) * h * h;
  };
  r.face = face_map(d, axis, solved.maps, 0, to_A_m2);
  r.current_A = plane_current(r.face);
  r.scales.push_back({"face", h, 1, 0.0, 0, r.current_A, physics::plane_stats(r.face, bins)});
  for (const double w : spec.window_sizes_m) {
    const int wv = std::max(1, static_cast<int>(std::lround(w / h)));
    if (wv > r.face.n0 || (r.face.n1 > 1 && wv > r.face.n1)) {
      r.notes.push_back("window " + micrometres(w) + " (" + std::to_string(wv) + " voxels) skipped: larger than the " +
                        std::to_string(r.face.n0) + " x " + std::to_string(r.face.n1) + " face");
      continue;
    }
    r.scales.push_back({"window_" + micrometres(w), wv * h, wv, 0.0, 0, r.current_A,
                        physics::plane_stats(physics::box_average(r.face, wv), bins)});
  }
  for (std::size_t q = 1; q < planes.size(); ++q) {
    physics::FaceMap m = face_map(d, axis, solved.maps, q, to_A_m2);
    r.scales.push_back({"plane_" + micrometres(distances[q]), h, 1, planes[q] * h, planes[q], plane_current(m),
                        physics::plane_stats(m, bins)});
    r.plane_maps.push_back(std::move(m));
  }
  return r;
}

nlohmann::json to_json(const UniformityResult& r) {
  const std::string a = axis_name(r.axis);
  nlohmann::json scales = nlohmann::json::array();
  for (const auto& sc : r.scales)
    scales.push_back({{"scale", sc.name},
                      {"window_m", sc.window_m},
                      {"window_voxels", sc.window_voxels},
                      {"distance_m", sc.distance_m},
                      {"plane", sc.plane},
                      {"plane_current_A", sc.plane_current_A},
                      {"wagner_number", r.wagner_number},
                      {"full_face", to_json(sc.stats.full)},
                      {"conducting_faces", to_json(sc.stats.conducting)}});
  const double balance = std::abs(r.current_A - r.current_solver_A) / std::abs(r.current_solver_A);
  return {
      {"axis", a},
      {"source", r.source},
      {"voltage_V", r.voltage_V},
      {"current_A", r.current_A},
      {"current_solver_A", r.current_solver_A},
      {"face_current_balance", finite_or_null(balance)},
      {"sigma_eff_S_m", r.sigma_eff_S_m},
      {"wagner_number", r.wagner_number},
      {"wagner_length_m", r.wagner_length_m},
      {"wagner_length_source", r.wagner_length_source},
      {"exchange_current_density_A_m2", r.exchange_current_density_A_m2},
      {"charge_transfer_resistance_ohm_m2", r.charge_transfer_resistance_ohm_m2},
      {"solve_time_s", r.solve_time_s},
      {"scales", scales},
      {"notes", r.notes},
      {"files",
       {{"histogram", "uniformity_" + a + "_histogram.csv"},
        {"scales", "uniformity_" + a + "_scales.csv"},
        {"map", "uniformity_map_" + a + ".pvd / .h5"}}},
      {"definitions",
       {{"i_n", "normal current density into the cell on a face cell (A/m2): the discrete face flux of the solve "
                "(conduction: 2 sigma_cell (phi_electrode - phi_cell) / h at the electrode, harmonic-mean faces "
                "inside; electroneutral: N+ - N-, Li+ only at the ideal Li electrode) times F, per face area h^2"},
        {"full_face", "every face cell of the plane; mean = I / A"},
        {"conducting_faces", "face cells whose face conductance is non-zero (both cells carry current)"},
        {"mean_A_m2", "arithmetic mean over the set (equal cells)"},
        {"std_dev_A_m2", "population standard deviation over the set"},
        {"cv", "std_dev / mean"},
        {"max_over_mean", "max i_n / mean"},
        {"min_over_mean", "min i_n / mean"},
        {"a50", "smallest area fraction of the set carrying half its current (cells sorted descending; the cell "
                "crossing half counts with the fraction of its area that carries the missing part)"},
        {"window", "i_n box-averaged over w x w face cells (wrapped along periodic side axes, truncated at the "
                   "others) before the statistics; conducting_faces keeps the unaveraged mask"},
        {"plane", "the face plane nearest to distance_m from the low electrode (face currents through it)"},
        {"face_current_balance", "|sum of electrode face currents - solver inlet current| / solver inlet current"},
        {"wagner_number", "Wa = sigma_eff R_ct,area / l, R_ct,area = V_T / i0 (ohm m2); Wa >> 1: kinetics flatten the "
                          "current at scales below l"}}}};
}

}  // namespace ionpath::study
