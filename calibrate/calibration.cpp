#include "calibrate/calibration.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <sstream>

#include "calibrate/latin_hypercube.hpp"
#include "calibrate/model.hpp"
#include "calibrate/optimiser.hpp"
#include "calibrate/statistics.hpp"
#include "io/atomic_file.hpp"
#include "io/provenance.hpp"
#include "io/sha256.hpp"
#include "io/summary_writer.hpp"
#include "solver/petsc/options.hpp"
#include "ionpath/build_info.hpp"

namespace ionpath::calibrate {
namespace {

nlohmann::json finite(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

/// Start points in z: the first from the `start` values (or the params file), the rest a Latin
/// hypercube over the bounds in each parameter's natural measure.
std::vector<std::vector<double>> start_points(const io::CalibrationConfig& c, const io::ParamsFile* params) {
  const std::size_t k = c.parameters.size();
  const auto u = latin_hypercube(c.starts, static_cast<int>(k), c.seed);
  std::vector<std::vector<double>> out;
  for (int s = 0; s < c.starts; ++s) {
    std::vector<double> z(k);
    for (std::size_t j = 0; j < k; ++j) {
      const Transform t = transform_of(c.parameters[j]);
      double v = t.at_fraction(u[static_cast<std::size_t>(s)][j]);
      if (s == 0) {
        if (c.parameters[j].start) v = *c.parameters[j].start;
        if (params)  // a parameter file naming the parameter's first key gives its start
          for (const auto& o : params->overrides)
            if (o.assignment.rfind(c.parameters[j].keys.front() + "=", 0) == 0)
              v = std::clamp(std::stod(o.assignment.substr(o.assignment.find('=') + 1)), t.lo, t.hi);
      }
      z[j] = t.to_z(v);
    }
    out.push_back(z);
  }
  return out;
}

/// Groups optima closer than `tol` into minima: max-norm of the position in each range, in ln v
/// (log) or v (linear, logit; a saturated logit z would split one point at a bound in two).
std::vector<std::vector<std::size_t>> cluster(const std::vector<StartOutcome>& starts, const std::vector<Transform>& t,
                                              double tol) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t s = 0; s < starts.size(); ++s) {
    bool placed = false;
    for (auto& g : groups) {
      double d = 0.0;
      for (std::size_t j = 0; j < t.size(); ++j) {
        const auto at = [&](const StartOutcome& o) {
          const double v = t[j].from_z(o.z[j]);
          return t[j].scale == io::ParameterScale::log ? std::log(v / t[j].lo) / std::log(t[j].hi / t[j].lo)
                                                       : (v - t[j].lo) / (t[j].hi - t[j].lo);
        };
        d = std::max(d, std::abs(at(starts[s]) - at(starts[g.front()])));
      }
      if (d < tol) {
        g.push_back(s);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({s});
  }
  std::sort(groups.begin(), groups.end(),
            [&](const auto& a, const auto& b) { return starts[a.front()].chi2 < starts[b.front()].chi2; });
  return groups;
}

std::string feasibility_text(const io::CalibrationConfig& c, const Evaluation& e) {
  std::ostringstream os;
  os << "Feasibility (spec §7.3) at the first start: t+ <= <sigma+>/sigma_eff (Wiener bound) per structure\n";
  for (std::size_t s = 0; s < c.structures.size(); ++s) {
    const auto& v = e.structures[s];
    os << "  " << c.structures[s].name << ": sigma_eff " << fmt("%.4g", v.sigma_S_m) << " S/m, t+ " << fmt("%.4f", v.t_plus)
       << ", bound " << fmt("%.4f", v.wiener_bound);
    for (const auto& t : c.targets)
      if (t.structure == s && t.quantity == io::TargetQuantity::t_plus && t.value > v.wiener_bound) {
        const double gap = (t.value - v.wiener_bound) / t.uncertainty;
        os << "  -- target t+ " << fmt("%.3f", t.value) << " lies " << fmt("%.2f", gap) << " uncertainties above it"
           << (gap > 1.0 ? ": out of reach unless the fit raises the bound (wall sigma+, volume of the pathways)" : "");
      }
    os << "\n";
  }
  return os.str();
}

}  // namespace

nlohmann::json run_calibration(const io::CalibrationConfig& c, const CalibrationOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  int rank = 0, n_ranks = 1;
  MPI_Comm_rank(opt.comm, &rank);
  MPI_Comm_size(opt.comm, &n_ranks);
  const bool talk = rank == 0 && !opt.quiet;
  const std::size_t k = c.parameters.size();
  std::vector<std::string> names;
  for (const auto& p : c.parameters) names.push_back(p.name);

  // PETSc options: the calibration file's (calib_ prefix), then each structure's; command line wins.
  solver::apply_petsc_options("", c.petsc_options);
  for (std::size_t s = 0; s < c.structures.size(); ++s)
    solver::apply_petsc_options("", io::load_config(c.structures[s].config, io::calibration_overrides(c, s, opt.params, {})).petsc_options);
  const auto starts = start_points(c, opt.params);
  CalibrationModel model(c, opt.params, opt.comm, starts.front());
  if (talk) {
    std::cout << "ionpath calibrate " << c.source.string() << ": " << c.structures.size() << " structures, " << k
              << " parameters, " << c.targets.size() << " targets, " << c.starts << " starts\n";
    for (std::size_t j = 0; j < k; ++j)
      std::cout << "  " << names[j] << ": derivative " << model.derivative_method(j) << "\n";
  }
  const Evaluation first = model.evaluate(starts.front(), false);
  const std::string feasibility = feasibility_text(c, first);
  if (talk) std::cout << feasibility << std::flush;

  std::vector<StartOutcome> outcomes;
  for (std::size_t s = 0; s < starts.size(); ++s) {
    outcomes.push_back(minimise(model, starts[s], c.tao_type, talk));
    const auto& o = outcomes.back();
    if (talk)
      std::printf("  start %zu/%zu: chi2 %.6g -> %.6g, %d iterations, %lld solves, %s (%.1f s)\n", s + 1, starts.size(),
                  o.chi2_start, o.chi2, o.iterations, o.solves, o.reason.c_str(), o.seconds);
  }
  std::fflush(stdout);
  const auto groups = cluster(outcomes, model.transforms(), c.cluster_tolerance);
  const StartOutcome& best = outcomes[groups.front().front()];
  const Evaluation at = model.evaluate(best.z, true);
  // A parameter at a bound is held there: the statistics are those of the others (its SE is
  // undefined; a logit variable at its bound has a vanishing Jacobian column anyway).
  std::vector<bool> bound_low(k), bound_high(k);
  std::vector<std::size_t> free;
  for (std::size_t j = 0; j < k; ++j) {
    const Transform& t = model.transforms()[j];
    const auto [zlo, zhi] = t.z_bounds();
    const double z = best.z[j];
    if (t.scale == io::ParameterScale::logit) {  // |z| > 9: within 1.2e-4 of the range of a bound
      bound_low[j] = z < -9.0;
      bound_high[j] = z > 9.0;
    } else {
      bound_low[j] = z - zlo <= 1e-6 * (zhi - zlo);
      bound_high[j] = zhi - z <= 1e-6 * (zhi - zlo);
    }
    if (!bound_low[j] && !bound_high[j]) free.push_back(j);
  }
  Matrix J_free;
  std::vector<std::string> free_names;
  for (const std::size_t j : free) free_names.push_back(names[j]);
  for (const auto& row : at.jacobian) {
    std::vector<double> r;
    for (const std::size_t j : free) r.push_back(row[j]);
    J_free.push_back(r);
  }
  // AIC and the reduced chi2 count every fitted parameter, at a bound or not.
  const FitStatistics st =
      fit_statistics(at.residuals, J_free, c.max_condition, c.max_correlation, free_names, static_cast<int>(k));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Parameters: SI values, SEs on both scales (delta method: SE_v = |dv/dz| SE_z), bounds.
  nlohmann::json params = nlohmann::json::array();
  std::vector<std::string> at_bound;
  for (std::size_t j = 0; j < k; ++j) {
    const Transform& t = model.transforms()[j];
    const double z = best.z[j], v = at.theta[j];
    const auto pos = std::find(free.begin(), free.end(), j);
    const double se_z = pos == free.end() ? std::numeric_limits<double>::quiet_NaN()
                                          : st.standard_error[static_cast<std::size_t>(pos - free.begin())];
    const double se_si = std::abs(t.dv_dz(z)) * se_z;
    const bool low = bound_low[j], high = bound_high[j];
    if (low || high) at_bound.push_back(names[j] + (low ? " (lower)" : " (upper)"));
    params.push_back({{"name", names[j]},
                      {"keys", c.parameters[j].keys},
                      {"value", v},
                      {"standard_error", finite(se_si)},
                      {"relative_standard_error", finite(se_si / std::abs(v))},
                      {"scale", io::scale_name(t.scale)},
                      {"z", z},
                      {"standard_error_z", finite(se_z)},
                      {"bounds", {t.lo, t.hi}},
                      {"at_bound", low ? "lower" : high ? "upper" : "no"},
                      {"derivative", model.derivative_method(j)}});
  }
  nlohmann::json targets = nlohmann::json::array();
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const auto& t = c.targets[i];
    targets.push_back({{"structure", c.structures[t.structure].name},
                       {"quantity", io::quantity_name(t.quantity)},
                       {"measured", t.value},
                       {"uncertainty", t.uncertainty},
                       {"model", at.model[i]},
                       {"residual", at.residuals[i]},
                       {"relative_error", (at.model[i] - t.value) / t.value}});
  }
  nlohmann::json structures = nlohmann::json::array();
  for (std::size_t s = 0; s < c.structures.size(); ++s)
    structures.push_back({{"name", c.structures[s].name},
                          {"config", c.structures[s].config.string()},
                          {"config_sha256", io::sha256_file_hex(c.structures[s].config)},
                          {"set", c.structures[s].overrides},
                          {"command_line_set", c.structures[s].command_line},
                          {"sigma_eff_S_m", at.structures[s].sigma_S_m},
                          {"t_plus_linear", at.structures[s].t_plus},
                          {"wiener_bound_t_plus", at.structures[s].wiener_bound},
                          {"wiener_bound_t_plus_at_start", first.structures[s].wiener_bound}});
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& o : outcomes) {
    runs.push_back({{"theta_start", model.theta(o.z_start)},
                    {"theta", model.theta(o.z)},
                    {"chi2_start", o.chi2_start},
                    {"chi2", o.chi2},
                    {"iterations", o.iterations},
                    {"evaluations", o.evaluations},
                    {"solves", o.solves},
                    {"tao_type", o.tao_type},
                    {"reason", o.reason},
                    {"converged", o.converged},
                    {"seconds", o.seconds}});
  }
  nlohmann::json minima = nlohmann::json::array();
  for (const auto& g : groups)
    minima.push_back({{"theta", model.theta(outcomes[g.front()].z)}, {"chi2", outcomes[g.front()].chi2}, {"starts", g}});
  nlohmann::json correlation = nlohmann::json::array();
  for (const auto& row : st.correlation) {
    nlohmann::json r = nlohmann::json::array();
    for (const double x : row) r.push_back(finite(x));
    correlation.push_back(r);
  }
  nlohmann::json provenance = {{"ionpath_version", build_info::version},
                               {"git_describe", build_info::git_describe},
                               {"date_utc", io::make_date_utc()},
                               {"command_line", opt.command_line},
                               {"n_ranks", n_ranks},
                               {"calibration_file", c.source.string()},
                               {"calibration_sha256", c.sha256}};
  if (opt.params) {
    provenance["params_file"] = opt.params->path.string();
    provenance["params_sha256"] = opt.params->sha256;
  }
  nlohmann::json j = {
      {"parameters", params},
      {"targets", targets},
      {"structures", structures},
      {"chi2", st.chi2},
      {"reduced_chi2", finite(st.reduced_chi2)},
      {"n_targets", st.m},
      {"k", st.k},
      {"aic", st.aic},
      {"covariance_scaled_by_reduced_chi2", st.scaled},
      {"correlation", correlation},
      {"correlation_parameters", free_names},
      {"condition_number", finite(st.condition_number)},
      {"eigenvalues_JtJ", st.eigenvalues},
      {"identifiable", st.identifiable},
      {"identifiability_reasons", st.reasons},
      {"parameters_at_bound", at_bound},
      {"distinct_minima", minima},
      {"starts", runs},
      {"tao_type", best.tao_type},
      {"solves", model.solves()},
      {"wall_time_s", seconds},
      {"feasibility", feasibility},
      {"provenance", provenance},
      {"definitions",
       "residuals: sigma r = ln(model/measured)/u (u relative), t_plus r = (model - measured)/u (u absolute); chi2 = sum r^2; "
       "reduced chi2 = chi2/(n_targets - k); AIC = chi2 + 2k; standard errors from (J^T J)^-1 scaled by the reduced chi2 "
       "(unscaled when n_targets = k), J = dr/dz in the fitting variables z (log/logit/linear), SI by the delta method; "
       "identifiable unless cond(J^T J) > max_condition or a |correlation| > max_correlation; t+ is the linear "
       "Bruce-Vincent shortcut G[sigma+]/G[sigma] (spec 1.6)"}};

  // Console table.
  if (talk) {
    std::printf("\nBest fit (%s, start %zu): chi2 %.6g, reduced chi2 %.6g, k %zu, AIC %.6g\n", best.tao_type.c_str(),
                groups.front().front() + 1, st.chi2, st.reduced_chi2, k, st.aic);
    std::printf("  %-22s %14s %12s %10s  %s\n", "parameter", "value (SI)", "SE (SI)", "SE %", "bound");
    for (const auto& p : params)
      std::printf("  %-22s %14.6g %12.4g %10.3g  %s\n", p["name"].get<std::string>().c_str(), p["value"].get<double>(),
                  p["standard_error"].is_null() ? NAN : p["standard_error"].get<double>(),
                  p["relative_standard_error"].is_null() ? NAN : 100.0 * p["relative_standard_error"].get<double>(),
                  p["at_bound"].get<std::string>().c_str());
    std::printf("  %-14s %-10s %10s %10s %10s %9s\n", "structure", "quantity", "measured", "model", "residual", "rel.err");
    for (const auto& t : targets)
      std::printf("  %-14s %-10s %10.4g %10.4g %10.3f %8.2f%%\n", t["structure"].get<std::string>().c_str(),
                  t["quantity"].get<std::string>().c_str(), t["measured"].get<double>(), t["model"].get<double>(),
                  t["residual"].get<double>(), 100.0 * t["relative_error"].get<double>());
    std::printf("  condition number %.3g; %s\n", st.condition_number,
                st.identifiable ? "identifiable" : ("NOT identifiable: " + st.reasons.front()).c_str());
    if (!at_bound.empty()) {
      std::string b;
      for (const auto& x : at_bound) b += (b.empty() ? "" : ", ") + x;
      std::printf("  at a bound: %s\n", b.c_str());
    }
    std::printf("  distinct minima: %zu; %lld solves, %.1f s\n", groups.size(), model.solves(), seconds);
  }

  // Files: calibration.json and the parameter file, written atomically by rank 0.
  const std::filesystem::path dir = opt.output_directory.empty() ? c.output_directory : opt.output_directory;
  if (rank == 0) {
    std::filesystem::create_directories(dir);
    io::write_json(dir / "calibration.json", j, MPI_COMM_SELF);
    std::vector<io::ParamsEntry> entries;
    for (std::size_t p = 0; p < k; ++p) {
      const auto& pj = params[p];
      const std::string se = pj["standard_error"].is_null() ? "undefined" : fmt("%.3g", pj["standard_error"].get<double>());
      const std::string rel = pj["relative_standard_error"].is_null() ? "" : fmt(" (%.2g %%)", 100.0 * pj["relative_standard_error"].get<double>());
      for (const auto& key : c.parameters[p].keys)
        if (io::split_scoped_key(key).first.empty()) entries.push_back({key, at.theta[p], names[p] + ": SE " + se + rel + (pj["at_bound"] == "no" ? "" : ", at the " + pj["at_bound"].get<std::string>() + " bound")});
    }
    std::vector<std::string> header = {"ionpath calibrated parameters (ionpath calibrate): config key path -> SI value.",
                                       "Apply with --params calibrated.yaml (before --set). chi2 " + fmt("%.6g", st.chi2) +
                                           ", AIC " + fmt("%.6g", st.aic) + ", k " + std::to_string(k) +
                                           (st.identifiable ? ", identifiable" : ", NOT identifiable")};
    for (std::size_t p = 0; p < k; ++p)
      for (const auto& key : c.parameters[p].keys)
        if (!io::split_scoped_key(key).first.empty())
          header.push_back("structure-only key (not applied by --params): " + key + " = " + fmt("%.17g", at.theta[p]));
    io::write_text_atomically(dir / "calibrated.yaml",
                              io::params_file_text(header, entries,
                                                   {{"calibration_file", c.source.string()},
                                                    {"calibration_sha256", c.sha256},
                                                    {"git_describe", build_info::git_describe},
                                                    {"date_utc", provenance["date_utc"].get<std::string>()},
                                                    {"command_line", opt.command_line}}));
    if (talk) std::cout << "  wrote " << (dir / "calibration.json").string() << " and " << (dir / "calibrated.yaml").string() << "\n";
  }
  MPI_Barrier(opt.comm);
  return j;
}

}  // namespace ionpath::calibrate
