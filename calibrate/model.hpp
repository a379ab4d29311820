#pragma once
// The calibration model (spec §7.2): per structure two conduction solves G[sigma] and G[sigma+]
// (study::run_transference_linear) give sigma_eff and the linear-shortcut t+; the targets'
// residuals follow, and their exact Jacobian: the energy identity (study/conductance_sensitivity)
// gives d sigma_eff / d sigma_{phase,axis} from the solves already done, chained through the
// closed-form phase conductivities (Donnan state, interface excess: study::label_conductivities of
// the config with the parameter moved by +-1e-6 in z, no solve). A parameter is generic: any config
// key paths. One that changes a structure's labels (geometry) gets forward differences of full
// evaluations of that structure instead (step 1e-4 in z), and says so.
#include <mpi.h>

#include <memory>
#include <string>
#include <vector>

#include "calibrate/statistics.hpp"
#include "calibrate/transform.hpp"
#include "io/calibration_config.hpp"
#include "io/params_file.hpp"
#include "study/problem.hpp"

namespace ionpath::calibrate {

struct StructureValues {
  double sigma_S_m = 0.0, sigma_plus_S_m = 0.0, t_plus = 0.0;
  double wiener_bound = 0.0;  ///< <sigma+> / sigma_eff: no arrangement of these phases has a higher t+
  std::vector<double> dsigma, dsigma_plus, dt_plus;  ///< d/dz per parameter (jacobian only)
};

struct Evaluation {
  std::vector<double> z, theta;            ///< fitting variables, SI values
  std::vector<StructureValues> structures;
  std::vector<double> model;               ///< per target
  std::vector<double> residuals;           ///< per target
  Matrix jacobian;                         ///< dr/dz, targets x parameters (if asked)
};

class CalibrationModel {
 public:
  /// Loads every structure config (with the params file's overrides, then the structure's `set`)
  /// and builds the structures at the parameters z0; finds which parameters change which labels.
  /// Collective over comm.
  CalibrationModel(const io::CalibrationConfig& config, const io::ParamsFile* params, MPI_Comm comm,
                   const std::vector<double>& z0);
  CalibrationModel(const CalibrationModel&) = delete;
  CalibrationModel& operator=(const CalibrationModel&) = delete;
  ~CalibrationModel();

  /// Collective; every rank gets the same numbers.
  [[nodiscard]] Evaluation evaluate(const std::vector<double>& z, bool jacobian);

  [[nodiscard]] const std::vector<Transform>& transforms() const noexcept { return transforms_; }
  [[nodiscard]] std::vector<double> theta(const std::vector<double>& z) const;
  [[nodiscard]] std::vector<double> z_of(const std::vector<double>& theta) const;
  [[nodiscard]] long long solves() const noexcept { return solves_; }
  /// "exact" or "finite differences of full solves (changes the labels of 'aligned')".
  [[nodiscard]] std::string derivative_method(std::size_t parameter) const;
  /// The run config of structure s with parameters theta (SI).
  [[nodiscard]] io::RunConfig config_at(std::size_t s, const std::vector<double>& theta) const;
  [[nodiscard]] const io::CalibrationConfig& config() const noexcept { return config_; }

 private:
  struct Cached;
  StructureValues solve(std::size_t s, const std::vector<double>& z, bool jacobian);
  study::Structure& structure_for(std::size_t s, const io::RunConfig& cfg, const std::vector<double>& theta);

  const io::CalibrationConfig& config_;
  const io::ParamsFile* params_;
  MPI_Comm comm_;
  std::vector<Transform> transforms_;
  std::vector<std::vector<bool>> changes_labels_;  ///< [structure][parameter]
  std::vector<std::unique_ptr<Cached>> cache_;
  long long solves_ = 0;
};

}  // namespace ionpath::calibrate
