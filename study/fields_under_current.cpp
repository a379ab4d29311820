#include "study/fields_under_current.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <utility>

#include "io/summary_writer.hpp"
#include "physics/butler_volmer.hpp"
#include "physics/conductivity.hpp"
#include "physics/constants.hpp"
#include "study/checkpoints.hpp"
#include "study/coefficients.hpp"
#include "study/conductivity.hpp"
#include "study/progress.hpp"

namespace ionpath::study {
namespace {

// The fields of one snapshot in SI (spec §5.6), NaN in inactive cells; the writers get spans.
struct FieldArrays {
  std::vector<double> cp, cm, ct, phi, mp, mm, i, i_mag, tp;
  std::vector<std::uint8_t> inactive;

  [[nodiscard]] std::vector<io::CellField> fields() const {
    using D = std::span<const double>;
    return {{"c_plus", "mol/m3", 1, D(cp)},        {"c_minus", "mol/m3", 1, D(cm)},
            {"c_salt", "mol/m3", 1, D(cm)},        {"c_total", "mol/m3", 1, D(ct)},
            {"phi", "V", 1, D(phi)},               {"mu_plus_V", "V", 1, D(mp)},
            {"mu_minus_V", "V", 1, D(mm)},         {"i", "A/m2", 3, D(i)},
            {"i_mag", "A/m2", 1, D(i_mag)},        {"t_plus_local", "1", 1, D(tp)},
            {"inactive", "1", 1, std::span<const std::uint8_t>(inactive)}};
  }
};

// t_plus_local = i+ . i / |i|^2 where current flows; at equilibrium (no current) the small-signal
// value sigma+ / (sigma+ + sigma-) along the axis instead (a field that is defined everywhere).
FieldArrays field_arrays(const solver::ElectroneutralResult& s, const SpeciesCoefficients& k, double c0, int axis,
                         bool equilibrium) {
  const physics::Scales& sc = k.scales;
  const double VT = sc.VT;
  const std::size_t n = s.c_plus.size();
  FieldArrays f;
  f.inactive.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    f.cp.push_back(c0 * s.c_plus[c]);
    f.cm.push_back(c0 * s.c_minus[c]);
    f.ct.push_back(c0 * (s.c_plus[c] + s.c_minus[c]));
    f.phi.push_back(VT * s.psi[c]);  // the high electrode's metal is the zero of mu+ and psi
    f.mp.push_back(VT * s.mu_plus[c]);
    f.mm.push_back(VT * s.mu_minus[c]);
    double i2 = 0.0, ip = 0.0;
    for (std::size_t a = 0; a < 3; ++a) {
      const double ia = equilibrium ? 0.0 : s.current[3 * c + a];
      f.i.push_back(sc.current_density_A_m2(ia));
      i2 += ia * ia;
      ip += (equilibrium ? 0.0 : s.li_flux[3 * c + a]) * ia;
    }
    const auto ax = static_cast<std::size_t>(axis);
    const double sp = k.D_plus[3 * c + ax] * s.c_plus[c], sm = k.D_minus[3 * c + ax] * s.c_minus[c];
    f.tp.push_back(i2 > 0.0 ? ip / i2 : (sp + sm > 0.0 ? sp / (sp + sm) : 0.0));
    f.inactive[c] = s.active[c] ? 0 : 1;
  }
  f.i_mag = io::vector_magnitude(f.i);
  for (auto* v : {&f.cp, &f.cm, &f.ct, &f.phi, &f.mp, &f.mm, &f.i_mag, &f.tp}) *v = with_inactive_as_nan(*v, s.active, 1);
  f.i = with_inactive_as_nan(f.i, s.active, 3);
  return f;
}

// The Donnan state of every cell (mu = 0), with the activity of `like`.
solver::ElectroneutralResult equilibrium_state(const SpeciesCoefficients& k, const std::vector<std::uint8_t>& active) {
  solver::ElectroneutralResult e;
  const std::size_t n = k.X.size();
  for (std::size_t c = 0; c < n; ++c) {
    const bool on = active[c] != 0;
    const auto st = physics::electroneutral_cell(0.0, 0.0, k.X[c]);
    e.c_plus.push_back(on ? st.c_plus : 0.0);
    e.c_minus.push_back(on ? st.c_minus : 0.0);
    e.psi.push_back(on ? st.psi : 0.0);
  }
  e.mu_plus.assign(n, 0.0);
  e.mu_minus.assign(n, 0.0);
  e.current.assign(3 * n, 0.0);
  e.li_flux.assign(3 * n, 0.0);
  e.active = active;
  return e;
}

// Depletion 1 - c_f / c_f,eq of the Li+ concentration on the high (cathode) electrode face, mean
// and maximum over its conducting face cells. The face value: anion blocked, so mu- there is the
// face cell's; mu+ is the metal's (ideal) or the Butler-Volmer face value. For a homogeneous
// binary salt c_f / c0 = 1 - i / i_lim exactly (spec §8.2), so i / depletion is i_lim.
std::pair<double, double> cathode_depletion(const solver::Domain& d, const solver::ElectroneutralInput& in,
                                            const solver::ElectroneutralResult& st) {
  const int ta = d.transport_axis(), last = d.grid().n_cells[ta] - 1;
  const mesh::Box& own = d.owned();
  double sums[2] = {0.0, 0.0}, dmax = 0.0;
  for (int kk = own.lo[2]; kk < own.hi[2]; ++kk)
    for (int jj = own.lo[1]; jj < own.hi[1]; ++jj)
      for (int ii = own.lo[0]; ii < own.hi[0]; ++ii) {
        const mesh::Index3 idx{ii, jj, kk};
        const std::size_t o = own.offset(ii, jj, kk);
        if (idx[ta] != last || !st.active[o]) continue;
        const double X = in.X[o], mp = st.mu_plus[o], mm = st.mu_minus[o];
        double mu_face = st.electrode_potential_high;
        if (in.high.kind == solver::ElectrodeKind::butler_volmer)
          mu_face = physics::butler_volmer_face(physics::electroneutral_cell(mp, mm, X), mp, mm, X,
                                                in.D_plus[3 * o + static_cast<std::size_t>(ta)], 1.0,
                                                st.electrode_potential_high, in.high.kinetics)
                        .mu_face;
        const double c = physics::electroneutral_cell(mu_face, mm, X).c_plus;
        const double c_eq = physics::electroneutral_cell(0.0, 0.0, X).c_plus;
        const double dep = 1.0 - c / c_eq;
        sums[0] += dep;
        sums[1] += 1.0;
        dmax = std::max(dmax, dep);
      }
  MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, &dmax, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  return {sums[1] > 0.0 ? sums[0] / sums[1] : 0.0, dmax};
}

std::string tag_of(double t_tau) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "t%gtau", t_tau);
  return buf;
}

// The snapshots delivered so far as flat numbers (they ride in the checkpoints): per snapshot
// t_s, t_tau, voltage_V, then tag and file as a length and one number per character.
void append_text(std::vector<double>& out, const std::string& text) {
  out.push_back(static_cast<double>(text.size()));
  for (const char ch : text) out.push_back(static_cast<unsigned char>(ch));
}

std::vector<double> snapshot_records(const std::vector<FieldsSnapshot>& snapshots) {
  std::vector<double> out;
  for (const auto& sn : snapshots) {
    out.insert(out.end(), {sn.t_s, sn.t_tau, sn.voltage_V});
    append_text(out, sn.tag);
    append_text(out, sn.file);
  }
  return out;
}

std::vector<FieldsSnapshot> snapshots_from(std::span<const double> rec) {
  std::vector<FieldsSnapshot> out;
  std::size_t i = 0;
  auto text = [&] {
    if (i >= rec.size() || i + 1 + static_cast<std::size_t>(rec[i]) > rec.size())
      throw std::runtime_error("restart: the checkpoint's snapshot records are truncated");
    const auto n = static_cast<std::size_t>(rec[i++]);
    std::string t;
    for (std::size_t c = 0; c < n; ++c) t.push_back(static_cast<char>(static_cast<unsigned char>(rec[i++])));
    return t;
  };
  while (i < rec.size()) {
    if (i + 3 > rec.size()) throw std::runtime_error("restart: the checkpoint's snapshot records are truncated");
    FieldsSnapshot sn;
    sn.t_s = rec[i];
    sn.t_tau = rec[i + 1];
    sn.voltage_V = rec[i + 2];
    i += 3;
    sn.tag = text();
    sn.file = text();
    out.push_back(std::move(sn));
  }
  return out;
}

void write_voltage_history(const ExperimentContext& ctx, const FieldsUnderCurrentResult& r) {
  std::vector<std::vector<io::CsvCell>> rows;
  for (std::size_t i = 0; i < r.time_s.size(); ++i)
    rows.push_back({r.time_s[i], r.time_s[i] / r.tau_d_s, r.voltage_V[i], r.current_A});
  char note[400];
  std::snprintf(note, sizeof note,
                "fields under current, axis %s: %.6g A/m2 (%.6g A) into the cell at the low electrode from t = 0, "
                "%s electrodes (i0 %.6g A/m2); voltage = low minus high metal potential; tau_d = %.6g s",
                axis_name(r.axis), r.current_density_A_m2, r.current_A,
                r.exchange_current_density_A_m2 > 0.0 ? "Butler-Volmer" : "ideal Li", r.exchange_current_density_A_m2,
                r.tau_d_s);
  io::write_csv(ctx.out.directory / (std::string("fields_under_current_") + axis_name(r.axis) + "_voltage.csv"),
                {{"t", "s"}, {"t_tau", "1"}, {"voltage", "V"}, {"current", "A"}}, rows, ctx.out.provenance, {note},
                ctx.out.comm);
}

}  // namespace

FieldsUnderCurrentResult run_fields_under_current(const ExperimentContext& ctx, int axis) {
  const io::RunConfig& config = ctx.config;
  const Structure& s = ctx.structure;
  const auto& x = std::get<io::FieldsUnderCurrentSpec>(config.experiment.spec);
  FieldsUnderCurrentResult r;
  r.axis = axis;
  const SpeciesCoefficients k = species_coefficients(s.labels.labels(), s.table, config);
  const physics::Scales& sc = k.scales;
  const double VT = sc.VT, c0 = config.electrolyte.salt_concentration_mol_m3, h = config.grid.voxel_size_m;
  const solver::Domain domain2 = domain_with_dof(domain_along(s, axis), 2);
  const double face_cells = config.grid.n_total() / static_cast<double>(config.grid.n_cells[axis]);
  r.length_m = config.grid.length_m(axis);
  r.area_m2 = face_cells * h * h;
  r.current_density_A_m2 = x.current_density_A_m2;
  r.current_A = x.current_density_A_m2 * r.area_m2;
  r.interfacial_resistance_ohm = x.interfacial_resistance_ohm;
  r.electrode_area_m2 = x.electrode_area_m2;
  r.exchange_current_density_A_m2 = physics::li_exchange_current(VT, x.exchange_current_density_A_m2,
                                                                 x.interfacial_resistance_ohm, x.electrode_area_m2);
  // Homogeneous-gel references (spec §8.2) and tau_d of the gel over the cell length.
  const auto gel = physics::nernst_planck_diffusivities(config.phase("gel"), config.electrolyte);
  const auto ax = static_cast<std::size_t>(axis);
  const double Dp = gel.plus[ax], Dm = gel.minus[ax], D_amb = 2.0 * Dp * Dm / (Dp + Dm);
  const double F = physics::faraday_C_mol;
  r.t_plus_gel = Dp / (Dp + Dm);
  r.i_lim_gel_exact_A_m2 = 4.0 * F * Dp * c0 / r.length_m;
  r.i_lim_gel_ohmic_A_m2 = 2.0 * F * D_amb * c0 / r.length_m;
  r.tau_d_s = r.length_m * r.length_m / (std::numbers::pi * std::numbers::pi * D_amb);

  solver::ElectroneutralInput in{k.D_plus, k.D_minus, k.X};
  const bool bv = r.exchange_current_density_A_m2 > 0.0;
  const solver::ElectrodeKind kind = bv ? solver::ElectrodeKind::butler_volmer : solver::ElectrodeKind::ideal_li;
  const physics::ButlerVolmerParams kinetics{sc.current_density(r.exchange_current_density_A_m2), 0.5, 0.5};
  in.low = {kind, 0.0, 0.0, 0.0, kinetics};
  in.high = {kind, 0.0, 0.0, 0.0, kinetics};
  std::vector<double> kappa;
  for (const mesh::Label l : s.labels.labels()) kappa.push_back(config.phase(s.table.name_of(l)).capacity);
  in.capacity = kappa;
  in.galvanostatic_current = sc.current_density(x.current_density_A_m2) * face_cells;

  const std::string stem = std::string("fields_under_current_") + axis_name(axis);
  std::vector<std::pair<double, std::string>> series;  // written in time order at the end
  auto write = [&](const std::string& tag, double t_s, const solver::ElectroneutralResult& st, bool equilibrium) {
    const FieldArrays f = field_arrays(st, k, c0, axis, equilibrium);
    FieldsSnapshot snap{tag, t_s, t_s / r.tau_d_s, VT * (st.electrode_potential_low - st.electrode_potential_high), ""};
    if (config.output.fields)
      snap.file = write_snapshot(ctx.out, s, stem, tag, f.fields(), st.active,
                                 {{"t", "s", t_s}, {"voltage", "V", snap.voltage_V}, {"tau_d", "s", r.tau_d_s}});
    r.snapshots.push_back(snap);
  };
  solver::TransientOptions opt;
  opt.tau_d = sc.time(r.tau_d_s);
  for (const double t : x.snapshot_times_tau) opt.snapshot_times.push_back(t * opt.tau_d);
  opt.on_snapshot = [&](double t, const solver::ElectroneutralResult& st) {
    write(tag_of(t / opt.tau_d), sc.time_s(t), st, false);
  };
  Progress progress(ctx.out.comm, ctx.quiet, std::string("fields_under_current ") + axis_name(axis));
  opt.on_step = transient_progress(progress, sc.time_s(1.0), VT);
  use_checkpoints(config, axis, ctx.resume ? Checkpoints::resume : Checkpoints::write, ctx.out.comm, opt);
  opt.caller_records = [&r] { return snapshot_records(r.snapshots); };  // a resumed run lists them too
  opt.restore_caller_records = [&r](std::span<const double> rec) { r.snapshots = snapshots_from(rec); };
  const solver::TransientResult tr = solver::solve_electroneutral_transient(domain2, in, opt);
  if (!tr.reached_steady)
    throw solver::SolveError("fields_under_current: no steady state within " + std::to_string(opt.max_time_in_tau) +
                             " tau_d (" + tr.converged_reason + "). Hint: the current may exceed the limiting current");
  const auto& fs = tr.final_state;
  r.reached_steady = tr.reached_steady;
  r.steps = tr.steps;
  r.rejected_steps = tr.rejected_steps;
  r.inactive_fraction = fs.inactive_fraction;
  for (const auto& h_sample : tr.history) {
    r.time_s.push_back(sc.time_s(h_sample.t));
    r.voltage_V.push_back(VT * (h_sample.electrode_potential_low - h_sample.electrode_potential_high));
  }
  write("steady", sc.time_s(tr.history.back().t), fs, false);
  r.steady_voltage_V = r.snapshots.back().voltage_V;
  r.steady = fs;
  // Equilibrium: the Donnan state (no current), the t = 0 member of the series.
  const solver::ElectroneutralResult eq = equilibrium_state(k, fs.active);
  write("equilibrium", 0.0, eq, true);
  std::rotate(r.snapshots.rbegin(), r.snapshots.rbegin() + 1, r.snapshots.rend());  // equilibrium first
  for (const auto& sn : r.snapshots)
    if (!sn.file.empty()) series.emplace_back(sn.t_s, sn.file);
  if (config.output.fields) write_series(ctx.out, stem, series);
  write_voltage_history(ctx, r);

  // Limiting current: the steady cathode face concentration extrapolated linearly to zero.
  const auto [depletion_mean, depletion_max] = cathode_depletion(domain2, in, fs);
  if (depletion_mean > 0.0) {
    r.i_lim_A_m2 = x.current_density_A_m2 / depletion_mean;
    r.i_lim_local_A_m2 = x.current_density_A_m2 / depletion_max;
  }
  return r;
}

nlohmann::json to_json(const FieldsUnderCurrentResult& r) {
  nlohmann::json snaps = nlohmann::json::array();
  for (const auto& s : r.snapshots)
    snaps.push_back({{"tag", s.tag}, {"t_s", s.t_s}, {"t_tau", s.t_tau}, {"voltage_V", s.voltage_V}, {"file", s.file}});
  nlohmann::json j = {
      {"axis", axis_name(r.axis)},
      {"current_density_A_m2", r.current_density_A_m2},
      {"current_A", r.current_A},
      {"electrode_area_m2_simulated", r.area_m2},
      {"length_m", r.length_m},
      {"electrodes", r.exchange_current_density_A_m2 > 0.0
                         ? "Butler-Volmer Li, alpha_a = alpha_c = 0.5, i0 at c0 = exchange_current_density_A_m2"
                         : "ideal reversible Li"},
      {"exchange_current_density_A_m2", r.exchange_current_density_A_m2},
      {"tau_d_s", r.tau_d_s},
      {"tau_d_definition", "L^2 / (pi^2 D_amb) with D_amb = 2 D+ D- / (D+ + D-) of the gel"},
      {"snapshots", snaps},
      {"steady_voltage_V", r.steady_voltage_V},
      {"reached_steady", r.reached_steady},
      {"steps", r.steps},
      {"rejected_steps", r.rejected_steps},
      {"inactive_fraction", r.inactive_fraction},
      {"i_lim_gel_exact_A_m2", r.i_lim_gel_exact_A_m2},
      {"i_lim_gel_ohmic_A_m2", r.i_lim_gel_ohmic_A_m2},
      {"t_plus_gel", r.t_plus_gel},
      {"i_lim_definition",
       "i_lim_A_m2 = i / <1 - c_f / c_f,eq>: the steady Li+ concentration on the cathode face extrapolated linearly "
       "to zero (mean over conducting face cells; exact for a homogeneous binary salt, a linear-response estimate for "
       "a structure); i_lim_local_A_m2 the same with the most depleted face cell (where depletion starts); per full "
       "face area; i_lim_gel_exact_A_m2 = 4 F D+ c0 / L (homogeneous gel, ideal Li, spec §8.2); "
       "i_lim_gel_ohmic_A_m2 = 2 F D_amb c0 / L = exact (1 - t+), the estimate without migration, low by 1/(1 - t+)"},
      {"voltage_history", std::string("fields_under_current_") + axis_name(r.axis) + "_voltage.csv"},
      {"fields", std::string("fields_under_current_") + axis_name(r.axis) + ".pvd"},
      {"definition",
       "Li | cell | Li, electroneutral Nernst-Planck with fixed charge, constant current from t = 0 (equipotential "
       "electrodes: the low electrode's metal potential is a global unknown, the high electrode at 0 V); fields "
       "c_plus, c_minus, c_salt = c_minus, c_total (mol/m3), phi, mu_plus_V, mu_minus_V (V), i (A/m2), i_mag, "
       "t_plus_local = i+ . i / |i|^2 (at equilibrium sigma+ / sigma along the axis), inactive"}};
  if (r.interfacial_resistance_ohm > 0.0) {
    j["interfacial_resistance_ohm"] = r.interfacial_resistance_ohm;
    j["electrode_area_m2"] = r.electrode_area_m2;
  }
  j["i_lim_A_m2"] = finite_or_null(r.i_lim_A_m2);
  j["i_lim_local_A_m2"] = finite_or_null(r.i_lim_local_A_m2);
  return j;
}

AxisReport fields_under_current_experiment(const ExperimentContext& ctx, int axis) {
  const FieldsUnderCurrentResult r = run_fields_under_current(ctx, axis);
  AxisReport out;
  out.json = to_json(r);
  const std::string a = axis_name(axis);
  out.scalars = {{a + "/tau_d", "s", r.tau_d_s},
                 {a + "/steady_voltage", "V", r.steady_voltage_V},
                 {a + "/i_lim_gel_exact", "A/m2", r.i_lim_gel_exact_A_m2},
                 {a + "/i_lim_gel_ohmic", "A/m2", r.i_lim_gel_ohmic_A_m2}};
  for (const auto& s : r.snapshots) out.scalars.push_back({a + "/voltage_" + s.tag, "V", s.voltage_V});
  out.scalars.push_back({a + "/i_lim", "A/m2", r.i_lim_A_m2});
  out.scalars.push_back({a + "/i_lim_local", "A/m2", r.i_lim_local_A_m2});
  char buf[700];
  std::string snaps;
  for (const auto& s : r.snapshots) {
    char one[96];
    std::snprintf(one, sizeof one, "%s%s %.4g mV", snaps.empty() ? "" : ", ", s.tag.c_str(), 1e3 * s.voltage_V);
    snaps += one;
  }
  char kin[160] = "";
  if (r.interfacial_resistance_ohm > 0.0)
    std::snprintf(kin, sizeof kin, "  axis %s: i0 = %.4g A/m2 per Li electrode from R = %.4g ohm over %.4g m2 (R_ct = R/2)\n",
                  a.c_str(), r.exchange_current_density_A_m2, r.interfacial_resistance_ohm, r.electrode_area_m2);
  std::snprintf(buf, sizeof buf,
                "%s  axis %s: fields under %.4g A/m2 (%s): V = %s; tau_d %.4g s, %d steps\n"
                "  axis %s: i_lim %.4g A/m2 (structure; %.4g where the cathode depletes first), gel exact 4FD+c0/L %.4g A/m2, conduction-only estimate %.4g "
                "A/m2 (x (1 - t+) = %.3f)\n",
                kin, a.c_str(), r.current_density_A_m2, r.exchange_current_density_A_m2 > 0.0 ? "Butler-Volmer" : "ideal Li",
                snaps.c_str(), r.tau_d_s, r.steps, a.c_str(), r.i_lim_A_m2, r.i_lim_local_A_m2,
                r.i_lim_gel_exact_A_m2, r.i_lim_gel_ohmic_A_m2, 1.0 - r.t_plus_gel);
  out.text = buf;
  return out;
}

}  // namespace ionpath::study
