#pragma once
// `ionpath calibrate` as a library call (spec §7.2, §7.3): the Wiener feasibility diagnostics at
// the start point, a Latin-hypercube multi-start of bounded least squares (calibrate/optimiser),
// then at the best optimum: fitted values in SI with standard errors (transformed and SI scales),
// correlations, condition number, identifiability flag, parameters at a bound, distinct minima,
// every target's model value and residual, chi2, reduced chi2, k, AIC = chi2 + 2k, solves and wall
// time. Writes <output>/calibration.json and <output>/calibrated.yaml (a parameter file for
// --params). Collective over options.comm; only its rank 0 prints and writes.
#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/calibration_config.hpp"
#include "io/params_file.hpp"

namespace ionpath::calibrate {

struct CalibrationOptions {
  MPI_Comm comm = MPI_COMM_NULL;
  std::string command_line;
  bool quiet = false;
  const io::ParamsFile* params = nullptr;  ///< --params: fixed values, and the first start where it names a parameter
  std::string output_directory;            ///< empty: the calibration file's output.directory
};

/// Returns the content of calibration.json.
nlohmann::json run_calibration(const io::CalibrationConfig& config, const CalibrationOptions& options);

}  // namespace ionpath::calibrate
