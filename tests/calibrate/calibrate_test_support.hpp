#pragma once
// Small structures for the calibration tests (<= 1728 cells each, assembled solves at rtol 1e-13):
// pure gel; tilted anisotropic walls with an interface shell, fixed charge from active sites and
// the interface excess; random insulating platelets with a charged interface shell.
#include <mpi.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/calibration_config.hpp"

namespace ionpath::test {

inline const char* gel_yaml = R"(grid: {n_cells: [4, 4, 4], voxel_size_m: 0.5e-6}
geometry: {structure: pure_gel, transport_axis: z}
phases:
  gel: {D_plus_m2_s: 1.8e-11, D_minus_m2_s: 2.5e-11}
experiment: {type: transference, accuracy: 1.0e-10, conduction_solver: assembled}
)";

inline const char* walls_yaml = R"(grid: {n_cells: [16, 4, 16], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6, tilt_deg: 25}
  interface_shell: {thickness_m: 0.5e-6}
phases:
  gel: {D_plus_m2_s: 1.8e-11, D_minus_m2_s: 2.5e-11}
  wall:
    sheet_normal: x
    normal_to_inplane_ratio: 0.05
    excess_li_sheet_conductance_S: 4.0e-10
    internal_interface_area_1_m: 9.0e8
    active_sites: {fraction: 0.3}
  interface: {internal_interface_area_1_m: 1.0e8, excess_li_sheet_conductance_S: 4.0e-10}
experiment: {type: transference, accuracy: 1.0e-10, conduction_solver: assembled}
)";

inline const char* platelets_yaml = R"(grid: {n_cells: [12, 12, 12], voxel_size_m: 0.5e-6}
seed: 3
geometry:
  structure: random_platelets
  transport_axis: z
  random_platelets: {diameter_m: 3.0e-6, thickness_m: 0.5e-6, volume_fraction: 0.08, placement: poisson}
  interface_shell: {thickness_m: 0.5e-6}
phases:
  gel: {D_plus_m2_s: 1.8e-11, D_minus_m2_s: 2.5e-11}
  interface:
    internal_interface_area_1_m: 1.0e8
    excess_li_sheet_conductance_S: 4.0e-10
    fixed_charge_mol_m3: 200
experiment: {type: transference, accuracy: 1.0e-10, conduction_solver: assembled}
)";

/// Writes the three configs into `dir` (rank 0) and returns their folder.
inline std::filesystem::path write_structures(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "gel.yaml") << gel_yaml;
    std::ofstream(dir / "walls.yaml") << walls_yaml;
    std::ofstream(dir / "platelets.yaml") << platelets_yaml;
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return dir;
}

inline io::CalibrationParameter parameter(const std::string& name, std::vector<std::string> keys, double lo, double hi,
                                          io::ParameterScale scale = io::ParameterScale::log) {
  io::CalibrationParameter p;
  p.name = name;
  p.keys = std::move(keys);
  p.lower = lo;
  p.upper = hi;
  p.scale = scale;
  return p;
}

/// gel, walls and platelets with theta = (D+ gel, D- gel, Sigma+ of wall and interface, chi of the
/// wall), and a sigma and a t+ target per structure (values to be filled).
inline io::CalibrationConfig four_parameter_problem(const std::filesystem::path& dir) {
  io::CalibrationConfig c;
  c.source = dir / "calibration.yaml";
  c.structures = {{"gel", dir / "gel.yaml", {}, {}}, {"walls", dir / "walls.yaml", {}, {}}, {"platelets", dir / "platelets.yaml", {}, {}}};
  c.parameters = {parameter("D_plus", {"phases.gel.D_plus_m2_s"}, 0.9e-11, 3.6e-11),
                  parameter("D_minus", {"phases.gel.D_minus_m2_s"}, 1.25e-11, 5e-11),
                  parameter("Sigma_plus", {"phases.wall.excess_li_sheet_conductance_S", "phases.interface.excess_li_sheet_conductance_S"},
                            1e-11, 1e-8),
                  parameter("chi", {"phases.wall.active_sites.fraction"}, 0.001, 0.999, io::ParameterScale::logit)};
  for (std::size_t s = 0; s < 3; ++s) {
    c.targets.push_back({s, io::TargetQuantity::sigma_S_m, 0.05, 0.05});
    c.targets.push_back({s, io::TargetQuantity::t_plus, 0.4, 0.03});
  }
  return c;
}

}  // namespace ionpath::test
