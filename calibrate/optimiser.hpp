#pragma once
// One bounded least-squares solve with PETSc TAO (options prefix `calib_`): brgn (Gauss-Newton
// with the model's exact Jacobian, TaoSetJacobianResidualRoutine) or pounders (derivative-free);
// -calib_tao_type and the other -calib_tao_* options win over the calibration file. TAO runs
// redundantly on every rank (PETSC_COMM_SELF, a handful of unknowns); the model's solves are
// collective, and every rank sees the same residuals, so the ranks stay in step.
#include <string>
#include <vector>

#include "calibrate/model.hpp"

namespace ionpath::calibrate {

struct StartOutcome {
  std::vector<double> z_start, z;  ///< fitting variables at the start and the optimum
  double chi2_start = 0.0, chi2 = 0.0;
  int iterations = 0;
  int evaluations = 0;
  long long solves = 0;
  std::string tao_type, reason;  ///< TAO's converged reason, e.g. CONVERGED_GATOL
  bool converged = false;
  double seconds = 0.0;
};

/// progress: print "evaluation N: chi2 ..." at most every 5 s (rank 0 of the caller decides).
[[nodiscard]] StartOutcome minimise(CalibrationModel& model, const std::vector<double>& z_start, const std::string& tao_type,
                                    bool progress = false);

}  // namespace ionpath::calibrate
