#pragma once
/// The run configuration: YAML parsed once, at the edge, into plain structs (SI units; the unit is
/// in every dimensional key's name). Nothing below io/ sees YAML. docs/config.md is generated from
/// the same reader code (config_reference_markdown), so the reference cannot drift.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "physics/material.hpp"

namespace ionpath::io {

enum class Model { conduction, electroneutral, pnp };

/// Virtual experiment run by `ionpath run`.
struct ExperimentConfig {
  enum class Type { none, conductivity, tortuosity, transference_linear, arrhenius, bruce_vincent } type = Type::none;
  std::vector<int> axes{2};       ///< driving axes (0 = x, 1 = y, 2 = z)
  double accuracy = 1e-6;         ///< requested relative accuracy of sigma_eff
  std::string reference_phase = "gel";
  std::vector<double> temperatures_K;  ///< arrhenius sweep (default 273.15, 278.15, ..., 338.15 K)
  double voltage_V = 0.010;       ///< bruce_vincent, Nernst-Planck conductivity: applied potential step
  enum class BruceVincentRoute { steady, transient } bruce_vincent_route = BruceVincentRoute::steady;
  double exchange_current_density_A_m2 = 0.0;  ///< bruce_vincent transient: Butler-Volmer i0 at c0; 0 = ideal Li
  double end_time_s = 0.0;        ///< bruce_vincent transient: polarisation time; 0 = until steady
  double wall_surface_charge_C_m2 = 0.0;  ///< pnp: surface charge of the non-periodic side walls
};

struct OutputConfig {
  std::string directory = "out";
  bool vtk = true;
  bool hdf5 = true;
  bool fields = true;             ///< write solution fields (not only the structure and summary)
};

struct RunConfig {
  std::filesystem::path source;   ///< the YAML file
  mesh::Grid grid;
  mesh::GeometryParams geometry;
  physics::Electrolyte electrolyte;
  std::vector<physics::PhaseMaterial> phases;  ///< gel, wall, clay, interface, void (+ user phases)
  Model model = Model::conduction;
  ExperimentConfig experiment;
  OutputConfig output;
  std::vector<std::pair<std::string, std::string>> petsc_options;  ///< in file order, no leading '-'
  std::string resolved_yaml;      ///< the full configuration after defaults and overrides
  /// Material of a named phase; throws std::out_of_range when absent.
  [[nodiscard]] const physics::PhaseMaterial& phase(const std::string& name) const;
};

/// A configuration error: what() is "file:line:col: key 'a.b.c': message (did you mean 'x'?)".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Loads and validates `file`; `overrides` are "key.path=value" strings from --set (YAML values).
[[nodiscard]] RunConfig load_config(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

/// Markdown reference of every key (type, unit, default, range, meaning): docs/config.md.
[[nodiscard]] std::string config_reference_markdown();

}  // namespace ionpath::io
