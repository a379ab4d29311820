#include "calibrate/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "study/conductance_sensitivity.hpp"
#include "study/transference.hpp"

namespace ionpath::calibrate {

struct CalibrationModel::Cached {
  std::unique_ptr<study::Structure> structure;
  std::vector<double> label_theta;  ///< values of the label-changing parameters it was built with
};

namespace {

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// z-step of the central differences of the closed-form phase conductivities (no solve).
double coefficient_step(const Transform& t, double z) {
  return t.scale == io::ParameterScale::linear ? 1e-6 * std::max(std::abs(z), 1e-3 * (t.hi - t.lo)) : 1e-6;
}

/// z-step of the forward differences of full evaluations (spec §7.2: 1e-4 in log space).
double full_step(const Transform& t, double z) {
  const double h = t.scale == io::ParameterScale::linear ? 1e-4 * std::max(std::abs(z), 1e-3 * (t.hi - t.lo)) : 1e-4;
  return z + h > t.z_bounds().second ? -h : h;  // stay inside the bounds
}

bool same_labels(const study::Structure& a, const study::Structure& b, MPI_Comm comm) {
  const auto la = a.labels.labels(), lb = b.labels.labels();
  int same = la.size() == lb.size() && std::equal(la.begin(), la.end(), lb.begin()) ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &same, 1, MPI_INT, MPI_LAND, comm);
  return same == 1;
}

}  // namespace

CalibrationModel::CalibrationModel(const io::CalibrationConfig& config, const io::ParamsFile* params, MPI_Comm comm,
                                   const std::vector<double>& z0)
    : config_(config), params_(params), comm_(comm) {
  for (const auto& p : config.parameters) transforms_.push_back(transform_of(p));
  const std::size_t k = transforms_.size(), n = config.structures.size();
  changes_labels_.assign(n, std::vector<bool>(k, false));
  const auto theta0 = theta(z0);
  for (std::size_t s = 0; s < n; ++s) {
    cache_.push_back(std::make_unique<Cached>());
    const io::RunConfig cfg = config_at(s, theta0);
    cache_[s]->structure = std::make_unique<study::Structure>(study::build_structure(cfg, comm_));
    // Which parameters move labels: rebuild once with each moved by 5 % of its z range.
    for (std::size_t j = 0; j < k; ++j) {
      std::vector<double> z = z0;
      const auto [lo, hi] = transforms_[j].z_bounds();
      z[j] = z[j] + 0.05 * (hi - lo) <= hi ? z[j] + 0.05 * (hi - lo) : z[j] - 0.05 * (hi - lo);
      const study::Structure moved = study::build_structure(config_at(s, theta(z)), comm_);
      changes_labels_[s][j] = !same_labels(*cache_[s]->structure, moved, comm_);
    }
    for (std::size_t j = 0; j < k; ++j)
      if (changes_labels_[s][j]) cache_[s]->label_theta.push_back(theta0[j]);
  }
}

CalibrationModel::~CalibrationModel() = default;

std::vector<double> CalibrationModel::theta(const std::vector<double>& z) const {
  std::vector<double> v(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) v[j] = transforms_[j].from_z(z[j]);
  return v;
}

std::vector<double> CalibrationModel::z_of(const std::vector<double>& theta) const {
  std::vector<double> z(theta.size());
  for (std::size_t j = 0; j < theta.size(); ++j) z[j] = transforms_[j].to_z(theta[j]);
  return z;
}

std::string CalibrationModel::derivative_method(std::size_t j) const {
  std::string which;
  for (std::size_t s = 0; s < changes_labels_.size(); ++s)
    if (changes_labels_[s][j]) which += (which.empty() ? "'" : ", '") + config_.structures[s].name + "'";
  if (which.empty()) return "exact (energy identity of the conduction solves, chained through the phase coefficients)";
  return "finite differences of full evaluations (changes the labels of " + which + ")";
}

io::RunConfig CalibrationModel::config_at(std::size_t s, const std::vector<double>& theta) const {
  return io::load_config(config_.structures[s].config, io::calibration_overrides(config_, s, params_, theta));
}

study::Structure& CalibrationModel::structure_for(std::size_t s, const io::RunConfig& cfg, const std::vector<double>& theta) {
  std::vector<double> label_theta;
  for (std::size_t j = 0; j < theta.size(); ++j)
    if (changes_labels_[s][j]) label_theta.push_back(theta[j]);
  Cached& c = *cache_[s];
  if (label_theta != c.label_theta) {
    c.structure.reset();  // free the old labels before building the new ones
    c.structure = std::make_unique<study::Structure>(study::build_structure(cfg, comm_));
    c.label_theta = label_theta;
  }
  return *c.structure;
}

StructureValues CalibrationModel::solve(std::size_t s, const std::vector<double>& z, bool jacobian) {
  const auto th = theta(z);
  const io::RunConfig cfg = config_at(s, th);
  study::Structure& st = structure_for(s, cfg, th);
  const int axis = cfg.geometry.transport_axis;
  const study::TransferenceResult t = study::run_transference_linear(st, cfg, axis, jacobian);
  solves_ += 2;
  if (!t.total.percolating || !(t.li_only.sigma_eff > 0.0)) {
    std::string at;
    for (std::size_t j = 0; j < th.size(); ++j) at += (j ? ", " : "") + config_.parameters[j].name + " = " + number(th[j]);
    throw std::runtime_error("structure '" + config_.structures[s].name + "' has no conducting path between the electrodes at " +
                             at + ": sigma_eff = 0, no residual can be formed (hint: check the phases' conductivities and bounds)");
  }
  StructureValues v{t.total.sigma_eff, t.li_only.sigma_eff, t.t_plus, t.bound, {}, {}, {}};
  if (!jacobian) return v;
  const std::size_t k = z.size();
  v.dsigma.assign(k, 0.0);
  v.dsigma_plus.assign(k, 0.0);
  const solver::Domain& d = study::domain_along(st, axis);
  const auto labels = st.labels.labels();
  using study::ConductivityKind;
  const study::LabelSensitivities S_total =
      study::conductance_sensitivities(d, study::cell_conductivity(labels, st.table, cfg, ConductivityKind::total), t.total);
  const study::LabelSensitivities S_plus =
      study::conductance_sensitivities(d, study::cell_conductivity(labels, st.table, cfg, ConductivityKind::li_only), t.li_only);
  for (std::size_t j = 0; j < k; ++j) {
    if (changes_labels_[s][j]) continue;  // below, from full evaluations
    const double h = coefficient_step(transforms_[j], z[j]);
    std::vector<double> zp = z, zm = z;
    zp[j] += h;
    zm[j] -= h;
    const io::RunConfig cp = config_at(s, theta(zp)), cm = config_at(s, theta(zm));
    const auto chain = [&](ConductivityKind kind, const study::LabelSensitivities& S) {
      const auto p = study::label_conductivities(st.table, cp, kind), m = study::label_conductivities(st.table, cm, kind);
      double sum = 0.0;
      for (const auto& phase : st.table.phases())
        for (int a = 0; a < 3; ++a)
          sum += S[phase.label][a] * (p.of_label[phase.label][a] - m.of_label[phase.label][a]) / (2.0 * h);
      return sum;
    };
    v.dsigma[j] = chain(ConductivityKind::total, S_total);
    v.dsigma_plus[j] = chain(ConductivityKind::li_only, S_plus);
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (!changes_labels_[s][j]) continue;
    std::vector<double> zh = z;
    const double h = full_step(transforms_[j], z[j]);
    zh[j] += h;
    const StructureValues moved = solve(s, zh, false);
    v.dsigma[j] = (moved.sigma_S_m - v.sigma_S_m) / h;
    v.dsigma_plus[j] = (moved.sigma_plus_S_m - v.sigma_plus_S_m) / h;
  }
  v.dt_plus.resize(k);
  for (std::size_t j = 0; j < k; ++j) v.dt_plus[j] = (v.dsigma_plus[j] - v.t_plus * v.dsigma[j]) / v.sigma_S_m;
  return v;
}

Evaluation CalibrationModel::evaluate(const std::vector<double>& z, bool jacobian) {
  Evaluation e;
  e.z = z;
  e.theta = theta(z);
  for (std::size_t s = 0; s < config_.structures.size(); ++s) e.structures.push_back(solve(s, z, jacobian));
  for (const auto& t : config_.targets) {
    const StructureValues& v = e.structures[t.structure];
    const bool sigma = t.quantity == io::TargetQuantity::sigma_S_m;
    const double model = sigma ? v.sigma_S_m : v.t_plus;
    e.model.push_back(model);
    e.residuals.push_back(sigma ? std::log(model / t.value) / t.uncertainty : (model - t.value) / t.uncertainty);
    if (!jacobian) continue;
    std::vector<double> row(z.size());
    for (std::size_t j = 0; j < z.size(); ++j)
      row[j] = sigma ? v.dsigma[j] / (v.sigma_S_m * t.uncertainty) : v.dt_plus[j] / t.uncertainty;
    e.jacobian.push_back(row);
  }
  return e;
}

}  // namespace ionpath::calibrate
