#pragma once
// `ionpath tortuosity`: the conductivity experiment on a segmented image with a conductivity per
// image value -- the same solver choice, accuracy meaning and JSON keys as `ionpath run`'s
// conductivity experiment (study/conductivity.hpp), without a config file.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "study/run.hpp"

namespace ionpath::study {

struct TortuositySpec {
  mesh::ImageParams image;
  mesh::Grid grid;
  std::map<int, double> sigma_of_value;  ///< image value -> conductivity (any unit; 0 insulates)
  std::vector<int> axes{2};
  mesh::SideWalls side_walls = mesh::SideWalls::zero_flux;
  io::ExperimentConfig::ConductionSolver solver = io::ExperimentConfig::ConductionSolver::matrix_free;
  double accuracy = 1e-6;
  std::string summary_file;      ///< JSON summary; empty = none
  std::string fields_directory;  ///< potential and current density per axis; empty = none
};

/// sigma_ref = the largest mapped conductivity; eps = the volume fraction of conducting voxels.
/// Collective over options.comm; returns the summary.
nlohmann::json run_tortuosity(const TortuositySpec& spec, const StudyOptions& options);

}  // namespace ionpath::study
