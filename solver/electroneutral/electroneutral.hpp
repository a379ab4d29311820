#pragma once
/// Electroneutral Nernst-Planck with fixed charge (spec §1.5, §3.4, §3.7, §3.8, §4): unknowns
/// (mu+, mu-) per cell on a dof-2 DMDA, dimensionless (c in c0, mu in R T / F, D in D0, voxel
/// lengths, time in t0 = L0^2/D0). Residual and analytic Jacobian come from one face loop; SNES
/// (steady) or TS (transient, IFunction/IJacobian) with options prefix `en_`. Electrode faces are
/// the two faces normal to the Domain's transport axis; the other faces are zero-flux or periodic.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "physics/butler_volmer.hpp"
#include "solver/nonlinear/checkpoint.hpp"
#include "solver/grid/domain.hpp"
#include "solver/grid/plane_currents.hpp"

namespace ionpath::solver {

enum class ElectrodeKind {
  blocking,       ///< no species crosses (stainless steel without double layer)
  ideal_li,       ///< Li metal without kinetic resistance: mu+ = mu_plus on the face, anion blocked
  reservoir,      ///< mu+ and mu- fixed on the face (bath of known composition)
  butler_volmer,  ///< Li metal at potential mu_plus (= Phi_s / V_T) with Butler-Volmer kinetics, anion blocked
  uniform_flux,   ///< galvanostatic 1-D verification variant: Li+ flux li_flux_in on every face cell
};

struct ElectrodeBC {
  ElectrodeKind kind = ElectrodeKind::blocking;
  double mu_plus = 0.0;     ///< ideal_li, reservoir: mu+ on the face; butler_volmer: metal potential / V_T
  double mu_minus = 0.0;    ///< reservoir
  double li_flux_in = 0.0;  ///< uniform_flux: Li+ flux into the domain per face cell (units N0 = D0 c0 / L0)
  physics::ButlerVolmerParams kinetics{};  ///< butler_volmer (i0_ref in units of N0)
};

struct ElectroneutralInput {
  std::span<const double> D_plus = {};   ///< 3 per owned cell: diagonal of the Li+ diffusivity (in D0)
  std::span<const double> D_minus = {};  ///< 3 per owned cell: anion diffusivity (in D0)
  std::span<const double> X = {};      ///< 1 per owned cell: fixed charge (in c0)
  std::span<const double> capacity = {}; ///< 1 per owned cell: kappa (storage weight); empty = 1
  ElectrodeBC low{}, high{};        ///< faces at the start and end of the transport axis
  double rtol = 1e-12;              ///< SNES relative tolerance (code default; -en_snes_rtol wins)
  std::span<const double> initial_mu = {};  ///< 2 per owned cell (mu+, mu-); empty = equilibrium mu = 0
  /// 2 per owned cell: (s+, s-) production of Li+ and anion (in c0 / t0, cell volume 1) added to
  /// the species balances, steady and transient alike (manufactured solutions); empty = none. With
  /// a source the anion inventory and the cross-section currents are no longer conserved.
  std::span<const double> source = {};
  /// Cross-sections normal to the transport axis (face planes 0..N) whose face currents N+ - N-
  /// are returned in ElectroneutralResult::plane_currents (current uniformity); empty = none.
  std::vector<int> current_planes = {};
  /// Equipotential galvanostatic low electrode (spec §4.4), transients only: the total current
  /// into the domain there, sum_f A_f i_n,f (units F N0 L0^2), is prescribed and the metal
  /// potential low.mu_plus (here the first guess) becomes one global unknown. low must be ideal_li
  /// or butler_volmer and high must fix the potential level (ideal_li or butler_volmer at 0).
  /// Results report the potential as electrode_potential_low. Empty: potentiostatic.
  std::optional<double> galvanostatic_current = {};
};

struct ElectroneutralResult {
  std::vector<double> mu_plus, mu_minus, c_plus, c_minus, psi;  ///< per owned cell (0 in inactive cells)
  std::vector<double> current;        ///< 3 per owned cell: cell average of the face currents N+ - N-
  std::vector<double> li_flux;        ///< 3 per owned cell: cell average of the face Li+ fluxes N+
  std::vector<std::uint8_t> active;   ///< per owned cell
  /// Li+ flux and current (N+ - N-) into the domain through the low / high electrode face, summed
  /// over face cells (multiply by F N0 L0^2 for amperes).
  double li_flux_in_low = 0.0, li_flux_in_high = 0.0;
  double current_in_low = 0.0, current_in_high = 0.0;
  /// Current in +axis direction through every cross-section normal to the transport axis: entry
  /// k is the face below cell layer k (0 = low electrode, N = high electrode).
  std::vector<double> cross_section_current;
  /// Face currents N+ - N- (units F N0 L0^2 per face) on input.current_planes, from the final
  /// state's face fluxes; at an ideal_li or butler_volmer electrode the Li+ flux alone.
  PlaneCurrentMaps plane_currents;
  /// Metal potential / V_T of each electrode: prescribed for ideal_li / butler_volmer, the mean
  /// face value of mu+ for uniform_flux (ideal kinetics), 0 otherwise.
  double electrode_potential_low = 0.0, electrode_potential_high = 0.0;
  /// Small-signal kinetic conductance sum_f (alpha_a + alpha_c) i0_f of a butler_volmer electrode
  /// (units N0 L0^2 per V_T); the interfacial resistance is its inverse.
  double kinetic_conductance_low = 0.0, kinetic_conductance_high = 0.0;
  double anion_inventory = 0.0;       ///< sum_K kappa_K c-_K (cell volume 1)
  double inactive_fraction = 0.0;     ///< cells left out: no transport, or not connected to the electrodes
  bool inventory_constraint = false;  ///< steady only: true when no face fixes mu-: anion content held
  /// Steady, with the inventory constraint: anion clusters (active cells joined by faces that carry
  /// anions), each holding its own anion content (no anion crosses between them).
  int inventory_clusters = 0;
  int newton_iterations = 0;
  int linear_iterations = 0;
  std::string converged_reason;
  double residual_norm = 0.0;
};

/// Domain must have dof = 2. Throws SolveError (solver/petsc/error.hpp) on divergence.
[[nodiscard]] ElectroneutralResult solve_electroneutral_steady(const Domain& domain, const ElectroneutralInput& input);

/// Steady galvanostatic cell with an equipotential low electrode (spec §4.4): input.low must be
/// ideal_li or butler_volmer; its metal potential (mu_plus, the start value) is adjusted by a
/// secant iteration until current_in_low equals `current` (units F N0 L0^2) to `rtol`. The
/// result's electrode_potential_low is that potential. (Transients carry the potential as a global
/// unknown instead: ElectroneutralInput::galvanostatic_current.)
[[nodiscard]] ElectroneutralResult solve_electroneutral_galvanostatic_steady(const Domain& domain,
                                                                             const ElectroneutralInput& input,
                                                                             double current, double rtol = 1e-10);

struct CurrentSample {
  double t;                             ///< dimensionless time (t0)
  double current_in_low, current_in_high;  ///< as in ElectroneutralResult
  double electrode_potential_low, electrode_potential_high;
  double anion_inventory;
  double kinetic_conductance_low, kinetic_conductance_high;  ///< Butler-Volmer electrodes, else 0
};

/// What the per-step hook of a transient sees (progress reports, checkpoints).
struct StepReport {
  int step = 0;              ///< accepted steps so far (both phases)
  double t = 0.0, dt = 0.0;  ///< time reached and the last step (t0)
  double tau_d = 0.0;
  double t_end = 0.0;        ///< t_final, or 0 when running until steady
  const CurrentSample* sample = nullptr;  ///< the record of this step
};

struct TransientOptions {
  double t_final = 0.0;     ///< dimensionless end time; 0 = run until steady (spec §3.8 criterion)
  double tau_d = 0.0;       ///< diffusion time; 0 = N^2 / (pi^2 D_amb), D_amb from the mean D of active cells
  double dt_initial = 0.0;  ///< 0 = 1e-6 tau_d
  double steady_tol = 1e-5; ///< |dI/I| / (dt/tau_d) below this: steady
  double max_time_in_tau = 1000.0;  ///< guard when t_final = 0
  int max_steps = 100000;
  double rtol = 1e-4, atol = 1e-6;  ///< code defaults (-en_ts_rtol / -en_ts_atol win)
  /// Increasing dimensionless times the steps land on exactly (the step before one is shortened);
  /// on_snapshot receives the state there (collect_result's fields). Times past the end are skipped.
  std::vector<double> snapshot_times = {};
  std::function<void(double t, const ElectroneutralResult& state)> on_snapshot = {};
  /// Called on every rank after every accepted step (collective work is allowed).
  std::function<void(const StepReport&)> on_step = {};
  /// Checkpoints during the adaptive phase (solver/nonlinear/checkpoint.hpp): the state, the next
  /// step, the history and the counters, written only at the restart points (every
  /// checkpoint.every_steps steps, where BDF restarts), so a resumed run takes the same steps as
  /// the uninterrupted one.
  CheckpointPolicy checkpoint = {};
  /// Resume from checkpoint.file (its run key must equal checkpoint.run_key) instead of starting
  /// from input.initial_mu. Snapshots at or before the checkpoint's time are not delivered again.
  bool restart = false;
  /// The caller's own records of the run so far (what it made of the snapshots delivered), saved
  /// in every checkpoint and handed back to restore_caller_records before a resumed run goes on.
  std::function<std::vector<double>()> caller_records = {};
  std::function<void(std::span<const double>)> restore_caller_records = {};
};

struct TransientResult {
  ElectroneutralResult final_state;
  std::vector<CurrentSample> history;  ///< after every accepted step (adaptive, roughly log-spaced)
  bool reached_steady = false;
  double tau_d = 0.0;
  int steps = 0, rejected_steps = 0, snes_failures = 0;
  std::string converged_reason;
  std::string ts_type;
  double initial_inventory = 0.0;
};

/// Integrates from input.initial_mu (default: equilibrium mu = 0) with the boundary conditions
/// applied from t = 0+. TSBDF (default, order 2) integrates the stored concentrations as
/// transient variables, so the anion inventory is conserved to solver tolerance; other TS types
/// use the M(u) u' form. Throws SolveError on divergence.
[[nodiscard]] TransientResult solve_electroneutral_transient(const Domain& domain, const ElectroneutralInput& input,
                                                            const TransientOptions& options);

/// ||J - J_fd||_F / ||J||_F at the state mu (2 per owned cell) for the given problem (testing).
/// shift > 0 tests the transient IJacobian dF/du + shift dF/dC' dC/du at C' = 0 instead.
[[nodiscard]] double electroneutral_jacobian_mismatch(const Domain& domain, const ElectroneutralInput& input,
                                                      std::span<const double> mu, double shift = 0.0);

}  // namespace ionpath::solver
