#pragma once
/// The run configuration: YAML parsed once, at the edge, into plain structs (SI units; the unit is
/// in every dimensional key's name). Nothing below io/ sees YAML. docs/config.md is generated from
/// the same reader code (config_reference_markdown), so the reference cannot drift.
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "physics/material.hpp"

namespace ionpath::io {

/// Transport model of the conductivity experiment (spec §1): conduction (Ohm's law per phase),
/// electroneutral Nernst-Planck with fixed charge, or Poisson-Nernst-Planck.
enum class Model { conduction, electroneutral, pnp };

/// experiment.conductivity: sigma_eff, tortuosity factor and MacMullin number per axis. With a
/// Nernst-Planck model the structure sits between two gel baths held `voltage_V` apart.
struct ConductivitySpec {
  Model model = Model::conduction;
  double voltage_V = 0.010;               ///< electroneutral / pnp: potential difference of the baths
  double wall_surface_charge_C_m2 = 0.0;  ///< pnp: surface charge of the non-periodic side walls
};

/// experiment.transference: the linear Bruce-Vincent limit t+ = G[sigma+] / G[sigma] (spec §1.6).
struct TransferenceSpec {};

/// experiment.arrhenius: sigma_eff at each temperature, with activation-energy fits (spec §5.4).
struct ArrheniusSpec {
  std::vector<double> temperatures_K;  ///< default 273.15, 278.15, ..., 338.15 K
};

/// experiment.bruce_vincent: Li | cell | Li potentiostatic polarisation (spec §5.3).
struct BruceVincentSpec {
  enum class Route { steady, transient } route = Route::steady;
  double voltage_V = 0.010;                    ///< step between the Li electrodes
  double exchange_current_density_A_m2 = 0.0;  ///< transient: Butler-Volmer i0 at c0; 0 = ideal Li
  /// transient, instead of i0: the measured interfacial resistance of the cell (two Li interfaces
  /// in series) over electrode_area_m2; i0 = 2 V_T / (R A) (physics::exchange_current_from_resistance).
  double interfacial_resistance_ohm = 0.0;
  double electrode_area_m2 = 0.0;
  double end_time_s = 0.0;                     ///< transient: polarisation time; 0 = until steady
};

/// experiment.current_uniformity: normal current density on the electrode faces and on interior
/// cross-sections, its statistics at several averaging scales and the Wagner number (spec §5.5).
struct CurrentUniformitySpec {
  /// conduction: the conduction solution at voltage_V; electroneutral: the steady Nernst-Planck
  /// state of the steady Bruce-Vincent route (ideal Li electrodes, anion blocked) at voltage_V.
  enum class Source { conduction, electroneutral } source = Source::conduction;
  double voltage_V = 0.010;
  std::vector<double> window_sizes_m{1e-6, 2e-6, 5e-6, 10e-6, 20e-6};
  std::vector<double> plane_distances_m{1e-6, 5e-6, 20e-6};  ///< from the low electrode
  int histogram_bins = 64;
  double exchange_current_density_A_m2 = 0.5;  ///< i0 of the Wagner number (spec §7.1)
  double wagner_length_m = 0.0;                ///< l of the Wagner number; 0 = from the geometry
};

/// experiment.fields_under_current: Li | cell | Li under a constant current, the fields of the
/// paper's Fig. 5 at equilibrium, at snapshot times and at steady state (spec §5.6).
struct FieldsUnderCurrentSpec {
  double current_density_A_m2 = 1.0;  ///< over the full electrode face (the paper's 0.1 mA/cm2)
  double exchange_current_density_A_m2 = 0.0;  ///< Butler-Volmer i0 at c0; 0 (and no resistance) = ideal Li
  double interfacial_resistance_ohm = 0.0, electrode_area_m2 = 0.0;  ///< as in BruceVincentSpec
  std::vector<double> snapshot_times_tau{0.1, 1.0, 10.0};  ///< in tau_d of the gel over the cell length
};

/// One spec per experiment; the alternative held names the experiment (experiment_name).
using ExperimentSpec =
    std::variant<ConductivitySpec, TransferenceSpec, ArrheniusSpec, BruceVincentSpec, CurrentUniformitySpec,
                 FieldsUnderCurrentSpec>;

/// Virtual experiment run by `ionpath run`: `experiment.type` picks one, `experiment.<type>`
/// holds its parameters; the keys below are common to all.
struct ExperimentConfig {
  ExperimentSpec spec;
  std::vector<int> axes{2};       ///< driving axes (0 = x, 1 = y, 2 = z)
  double accuracy = 1e-6;         ///< requested relative accuracy of every sigma_eff
  std::string reference_phase = "gel";
  /// Conduction solves: auto = matrix-free multigrid from study::matrix_free_min_cells cells up
  /// (faster there, measured), assembled AIJ + GAMG below; or either one forced.
  enum class ConductionSolver { automatic, assembled, matrix_free } conduction_solver = ConductionSolver::automatic;
};

/// "conductivity", "transference", "arrhenius" or "bruce_vincent": the registry's names.
[[nodiscard]] std::string experiment_name(const ExperimentSpec& spec);
/// The names in variant order (experiment.type's choices).
[[nodiscard]] const std::vector<std::string>& experiment_names();
/// Model of the conductivity experiment; conduction for every other experiment.
[[nodiscard]] Model experiment_model(const ExperimentSpec& spec);

struct OutputConfig {
  std::string directory = "out";
  bool vtk = true;
  bool hdf5 = true;
  bool fields = true;             ///< write solution fields (not only the structure and summary)
  /// Checkpoints of transients (output.checkpoint): restart points every N accepted steps (0: no
  /// checkpoints), written at the first restart point this many seconds after the last write.
  int checkpoint_every_steps = 20;
  double checkpoint_every_seconds = 60.0;
};

struct RunConfig {
  std::filesystem::path source;   ///< the YAML file
  mesh::Grid grid;
  mesh::GeometryParams geometry;
  physics::Electrolyte electrolyte;
  std::vector<physics::PhaseMaterial> phases;  ///< gel, wall, clay, interface, void, clay_shell (+ user phases)
  ExperimentConfig experiment;
  OutputConfig output;
  std::vector<std::pair<std::string, std::string>> petsc_options;  ///< in file order, no leading '-'
  std::map<std::string, std::string> petsc_option_locations;  ///< key -> "file:line:col" (for errors)
  std::string resolved_yaml;      ///< the full configuration after defaults and overrides
  std::string params_file, params_sha256;  ///< --params file applied (io/params_file.hpp), "" if none
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

/// One "key.path=value" override and where it came from ("in calibrated.yaml:12"; empty = --set),
/// named in every error about that key. Applied in order: later ones win.
struct Override {
  std::string assignment;
  std::string origin;
};
[[nodiscard]] RunConfig load_config(const std::filesystem::path& file, const std::vector<Override>& overrides);

/// Markdown reference of every key (type, unit, default, range, meaning): docs/config.md.
[[nodiscard]] std::string config_reference_markdown();

}  // namespace ionpath::io
