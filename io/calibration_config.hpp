#pragma once
/// The calibration file of `ionpath calibrate` (spec §7.2): structures (run configs + overrides),
/// free parameters (config key paths, bounds, scale), measured targets with uncertainties, the
/// multi-start and the TAO solver. Parsed and checked here, before any work; errors read
/// "file:line:col: key 'parameters[1].bounds': message" as for run configs.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/params_file.hpp"

namespace ionpath::io {

struct CalibrationStructure {
  std::string name;
  std::filesystem::path config;         ///< resolved against the calibration file's folder
  std::vector<std::string> overrides;   ///< "key.path=value", applied before the parameters
  std::vector<std::string> command_line;  ///< `calibrate --set`, after `overrides`, before the parameters
};

/// Fitted in a transformed variable z: linear z = v, log z = ln v, logit z = ln((v - lo)/(hi - v)).
enum class ParameterScale { linear, log, logit };

struct CalibrationParameter {
  std::string name;
  /// Config key paths that all receive the value (SI); "name:key.path" applies to structure
  /// `name` only (e.g. a geometry key that only one structure has).
  std::vector<std::string> keys;
  double lower = 0.0, upper = 0.0;
  ParameterScale scale = ParameterScale::log;
  std::optional<double> start;    ///< first start of the multi-start (else a Latin-hypercube point)
};

enum class TargetQuantity { sigma_S_m, t_plus };

/// Residual: sigma r = ln(model/measured)/u (u relative, default 0.05); t_plus r = (model -
/// measured)/u (u absolute, default 0.03), spec §7.2.
struct CalibrationTarget {
  std::size_t structure = 0;  ///< index into structures
  TargetQuantity quantity = TargetQuantity::sigma_S_m;
  double value = 0.0;
  double uncertainty = 0.0;
};

struct CalibrationConfig {
  std::filesystem::path source;
  std::string sha256;  ///< of the file's bytes
  std::vector<CalibrationStructure> structures;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  int starts = 8;               ///< Latin-hypercube starts (the `start` point counts as one)
  std::uint64_t seed = 1;
  std::string tao_type = "brgn";  ///< brgn or pounders; -calib_tao_type wins
  std::vector<std::pair<std::string, std::string>> petsc_options;  ///< no leading '-'
  std::string output_directory = "out/calibration";
  double max_condition = 1e8;     ///< identifiability flag above this condition number of J^T J
  double max_correlation = 0.99;  ///< ... or above this |correlation| of two parameters
  double cluster_tolerance = 1e-3;  ///< optima closer than this (relative, transformed) are one minimum
};

/// Parses and checks `file`, then loads every structure's config with `params`, its `set` and
/// every parameter at its start (or mid-range) value, so that a bad key path fails here, before
/// any work, naming the calibration file. Throws ConfigError.
/// `overrides` (`ionpath calibrate --set`): "key=value" for every structure, or
/// "name:key=value" for structure `name` only.
[[nodiscard]] CalibrationConfig load_calibration_config(const std::filesystem::path& file,
                                                        const ParamsFile* params = nullptr,
                                                        const std::vector<std::string>& overrides = {});

/// "name:key.path" -> {"name", "key.path"}; an unscoped key -> {"", key}.
[[nodiscard]] std::pair<std::string, std::string> split_scoped_key(const std::string& key);

/// The overrides that make structure s's config at parameter values theta (SI): the parameter
/// file's, then the structure's `set`, then each parameter on each of its keys.
[[nodiscard]] std::vector<Override> calibration_overrides(const CalibrationConfig& c, std::size_t s,
                                                          const ParamsFile* params, const std::vector<double>& theta);

[[nodiscard]] const char* quantity_name(TargetQuantity q);
[[nodiscard]] const char* scale_name(ParameterScale s);

}  // namespace ionpath::io
