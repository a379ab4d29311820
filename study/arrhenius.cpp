#include "study/arrhenius.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/summary_writer.hpp"
#include "study/transference.hpp"

namespace ionpath::study {

namespace {
constexpr int min_points_for_vtf = 5;  // 3 parameters + 2 residual degrees of freedom (AICc needs n > k + 1)
}  // namespace

ArrheniusResult run_arrhenius(const Structure& s, const io::RunConfig& config, int axis) {
  ArrheniusResult r;
  r.axis = axis;
  for (const double T : std::get<io::ArrheniusSpec>(config.experiment.spec).temperatures_K) {
    io::RunConfig at_T = config;
    at_T.electrolyte.temperature_K = T;
    const TransferenceResult t = run_transference_linear(s, at_T, axis);
    r.T_K.push_back(T);
    r.sigma_S_m.push_back(t.total.sigma_eff);
    r.t_plus.push_back(t.t_plus);
  }
  r.fit = physics::fit_arrhenius(r.T_K, r.sigma_S_m);
  if (static_cast<int>(r.T_K.size()) >= min_points_for_vtf) {
    r.vtf = physics::fit_vtf(r.T_K, r.sigma_S_m);
    r.comparison = physics::compare_temperature_fits(r.T_K, r.sigma_S_m, *r.vtf);
  }
  return r;
}

nlohmann::json to_json(const ArrheniusResult& r) {
  nlohmann::json j = {{"axis", axis_name(r.axis)},
                      {"T_K", r.T_K},
                      {"sigma_S_m", r.sigma_S_m},
                      {"t_plus_linear", r.t_plus},
                      {"E_a_ln_sigma_kJ_mol", r.fit.activation_energy_J_mol * 1e-3},
                      {"E_a_ln_sigma_stderr_kJ_mol", r.fit.activation_energy_stderr_J_mol * 1e-3},
                      {"r_squared_ln_sigma", r.fit.r_squared},
                      {"E_a_ln_sigmaT_kJ_mol", r.fit.activation_energy_sigmaT_J_mol * 1e-3},
                      {"E_a_ln_sigmaT_stderr_kJ_mol", r.fit.activation_energy_sigmaT_stderr_J_mol * 1e-3},
                      {"r_squared_ln_sigmaT", r.fit.r_squared_sigmaT},
                      {"table", std::string("arrhenius_") + axis_name(r.axis) + ".csv"},
                      {"definitions",
                       {{"sigma", "sigma_eff along the axis from a conduction solve at each T (spec 5.1)"},
                        {"t_plus_linear", "G[sigma+]/G[sigma+ + sigma-], linear Bruce-Vincent limit (spec 1.6)"},
                        {"E_a_ln_sigma", "-R d ln(sigma)/d(1/T), least-squares line; apparent, = E_a(D) - R T_mean "
                                         "for an Arrhenius D"},
                        {"E_a_ln_sigmaT", "-R d ln(sigma T)/d(1/T), least-squares line"},
                        {"vtf", "sigma = A T^-1/2 exp(-B/(T - T0)), least squares of ln(sigma), T0 < min T - 20 K"},
                        {"aicc", "n ln(SSE/n) + 2k + 2k(k+1)/(n-k-1), SSE of ln(sigma); lower is better, a "
                                 "difference above ~2 is support"},
                        {"curvature_t", "quadratic coefficient / standard error of the better Arrhenius line's "
                                        "data in 1000/T; |t| > 2: curved"},
                        {"runs_z", "Wald-Wolfowitz runs test of that line's residual signs; z < -2: systematic"}}}};
  if (!r.vtf) {
    j["vtf"] = nullptr;
    j["preferred_law"] = nullptr;
    j["note"] = "VTF fit and law comparison need at least 5 temperatures";
    return j;
  }
  const auto& v = *r.vtf;
  j["vtf"] = {{"A_S_m_K0.5", v.A},       {"A_stderr_S_m_K0.5", v.A_stderr}, {"B_K", v.B_K},
              {"B_stderr_K", v.B_stderr_K}, {"T0_K", v.T0_K},              {"T0_stderr_K", v.T0_stderr_K},
              {"r_squared", v.r_squared}, {"T0_search_K", {v.T0_min_K, v.T0_max_K}},
              {"T0_at_bound", v.T0_at_bound}};
  const auto& c = *r.comparison;
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& k : c.candidates)
    cands.push_back({{"law", k.name}, {"parameters", k.parameters}, {"sse_ln_sigma", k.sse}, {"aic", k.aic}, {"aicc", k.aicc}});
  j["law_comparison"] = {{"criterion", "AICc"},
                         {"candidates", cands},
                         {"preferred", c.preferred},
                         {"delta_aicc_to_next", c.delta_aicc},
                         {"residual_checks_on", c.arrhenius_line},
                         {"curvature_per_1000K_inv_sq", c.curvature},
                         {"curvature_stderr", c.curvature_stderr},
                         {"curvature_t", c.curvature_t},
                         {"runs", c.runs},
                         {"runs_expected", c.runs_expected},
                         {"runs_z", c.runs_z}};
  j["preferred_law"] = c.preferred;
  return j;
}

void write_arrhenius_csv(const Outputs& out, const ArrheniusResult& r) {
  std::vector<std::vector<io::CsvCell>> rows;
  for (std::size_t i = 0; i < r.T_K.size(); ++i)
    rows.push_back({r.T_K[i], r.T_K[i] - 273.15, 1000.0 / r.T_K[i], r.sigma_S_m[i], 10.0 * r.sigma_S_m[i],
                    std::log10(r.sigma_S_m[i]), r.t_plus[i]});
  io::write_csv(out.directory / (std::string("arrhenius_") + axis_name(r.axis) + ".csv"),
                {{"T", "K"}, {"T", "C"}, {"invT", "1000/K"}, {"sigma", "S/m"}, {"sigma", "mS/cm"},
                 {"log10_sigma", "S/m"}, {"t_plus_linear", "1"}},
                rows, out.provenance,
                {"T_C in degrees Celsius; invT_1000_K = 1000/T; log10_sigma_S_m = log10 of sigma in S/m",
                 "t_plus_linear = G[sigma+]/G[sigma+ + sigma-] (linear Bruce-Vincent limit, spec 1.6)"},
                out.comm);
}

AxisReport arrhenius_experiment(const ExperimentContext& ctx, int axis) {
  const ArrheniusResult a = run_arrhenius(ctx.structure, ctx.config, axis);
  write_arrhenius_csv(ctx.out, a);
  AxisReport out;
  out.json = to_json(a);
  const std::string n = axis_name(axis);
  const auto [t_lo, t_hi] = std::minmax_element(a.t_plus.begin(), a.t_plus.end());
  out.scalars = {{n + "/E_a_ln_sigma", "kJ/mol", a.fit.activation_energy_J_mol * 1e-3},
                 {n + "/E_a_ln_sigma_stderr", "kJ/mol", a.fit.activation_energy_stderr_J_mol * 1e-3},
                 {n + "/E_a_ln_sigmaT", "kJ/mol", a.fit.activation_energy_sigmaT_J_mol * 1e-3},
                 {n + "/E_a_ln_sigmaT_stderr", "kJ/mol", a.fit.activation_energy_sigmaT_stderr_J_mol * 1e-3},
                 {n + "/t_plus_linear_min", "1", *t_lo},
                 {n + "/t_plus_linear_max", "1", *t_hi}};
  std::string text;
  char buf[320];
  std::snprintf(buf, sizeof buf, "  axis %s:    T (C)   sigma (mS/cm)   t+ (linear)\n", n.c_str());
  text += buf;
  for (std::size_t i = 0; i < a.T_K.size(); ++i) {
    std::snprintf(buf, sizeof buf, "            %7.2f   %13.6g   %11.5f\n", a.T_K[i] - 273.15, 10.0 * a.sigma_S_m[i],
                  a.t_plus[i]);
    text += buf;
  }
  std::snprintf(buf, sizeof buf,
                "    Arrhenius: E_a = %.3f +- %.3f kJ/mol from ln(sigma) (R2 %.6f), %.3f +- %.3f kJ/mol from "
                "ln(sigma T) (R2 %.6f)\n",
                1e-3 * a.fit.activation_energy_J_mol, 1e-3 * a.fit.activation_energy_stderr_J_mol, a.fit.r_squared,
                1e-3 * a.fit.activation_energy_sigmaT_J_mol, 1e-3 * a.fit.activation_energy_sigmaT_stderr_J_mol,
                a.fit.r_squared_sigmaT);
  text += buf;
  if (a.vtf) {
    const auto& v = *a.vtf;
    const auto& c = *a.comparison;
    out.scalars.insert(out.scalars.end(), {{n + "/vtf_A", "S/m K^0.5", v.A},
                                           {n + "/vtf_A_stderr", "S/m K^0.5", v.A_stderr},
                                           {n + "/vtf_B", "K", v.B_K},
                                           {n + "/vtf_B_stderr", "K", v.B_stderr_K},
                                           {n + "/vtf_T0", "K", v.T0_K},
                                           {n + "/vtf_T0_stderr", "K", v.T0_stderr_K},
                                           {n + "/aicc_arrhenius_ln_sigma", "1", c.candidates[0].aicc},
                                           {n + "/aicc_arrhenius_ln_sigmaT", "1", c.candidates[1].aicc},
                                           {n + "/aicc_vtf", "1", c.candidates[2].aicc},
                                           {n + "/arrhenius_curvature_t", "1", c.curvature_t},
                                           {n + "/arrhenius_runs_z", "1", c.runs_z}});
    std::snprintf(buf, sizeof buf,
                  "    VTF sigma = A T^-1/2 exp(-B/(T-T0)): A = %.5g +- %.2g S/m K^0.5, B = %.2f +- %.2f K, "
                  "T0 = %.2f +- %.2f K%s\n",
                  v.A, v.A_stderr, v.B_K, v.B_stderr_K, v.T0_K, v.T0_stderr_K,
                  v.T0_at_bound ? " (T0 at its search bound: standard errors not meaningful)" : "");
    text += buf;
    std::snprintf(buf, sizeof buf,
                  "    AICc: ln sigma line %.2f, ln(sigma T) line %.2f, VTF %.2f -> %s supported (by %.2f); %s "
                  "residuals: curvature t = %.2f, runs %d (expected %.1f, z = %.2f)\n",
                  c.candidates[0].aicc, c.candidates[1].aicc, c.candidates[2].aicc, c.preferred.c_str(), c.delta_aicc,
                  c.arrhenius_line.c_str(), c.curvature_t, c.runs, c.runs_expected, c.runs_z);
    text += buf;
  }
  out.text = text;
  return out;
}

}  // namespace ionpath::study
