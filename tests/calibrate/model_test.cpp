// The calibration model's Jacobian: exact derivatives from the energy identity of the conduction
// solves (study/conductance_sensitivity), chained through the phase coefficients, against central
// finite differences of full evaluations (two solves per structure each), relative 1e-6 at
// rtol 1e-13; the degree-1 homogeneity of G; label-changing parameters detected.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>

#include "calibrate/model.hpp"
#include "calibrate_test_support.hpp"
#include "io/config.hpp"
#include "study/conductance_sensitivity.hpp"
#include "study/transference.hpp"

namespace {

using namespace ionpath;

TEST(ConductanceSensitivity, HomogeneousOfDegreeOne) {
  // G[lambda sigma] = lambda G[sigma], so sum_{l,a} sigma_{l,a} dsigma_eff/dsigma_{l,a} = sigma_eff.
  const auto dir = test::write_structures("ionpath_calibrate_model_test");
  for (const char* name : {"gel.yaml", "walls.yaml", "platelets.yaml"}) {
    const io::RunConfig cfg = io::load_config(dir / name);
    const study::Structure s = study::build_structure(cfg, MPI_COMM_WORLD);
    const study::TransferenceResult t = study::run_transference_linear(s, cfg, 2, true);
    for (const auto kind : {study::ConductivityKind::total, study::ConductivityKind::li_only}) {
      const auto sigma = study::cell_conductivity(s.labels.labels(), s.table, cfg, kind);
      const auto& r = kind == study::ConductivityKind::total ? t.total : t.li_only;
      const auto S = study::conductance_sensitivities(study::domain_along(s, 2), sigma, r);
      const auto L = study::label_conductivities(s.table, cfg, kind);
      double sum = 0.0;
      for (const auto& p : s.table.phases())
        for (int a = 0; a < 3; ++a) sum += S[p.label][a] * L.of_label[p.label][a];
      EXPECT_NEAR(sum, r.sigma_eff, 1e-10 * r.sigma_eff) << name;
    }
  }
}

TEST(CalibrationModel, JacobianMatchesCentralDifferencesOfFullSolves) {
  const auto dir = test::write_structures("ionpath_calibrate_model_test");
  const io::CalibrationConfig c = test::four_parameter_problem(dir);
  const std::vector<double> theta{2.0e-11, 3.0e-11, 5e-10, 0.35};
  std::vector<double> z;
  for (std::size_t j = 0; j < 4; ++j) z.push_back(calibrate::transform_of(c.parameters[j]).to_z(theta[j]));
  calibrate::CalibrationModel model(c, nullptr, MPI_COMM_WORLD, z);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(model.derivative_method(j).rfind("exact", 0), 0u) << j;
  const calibrate::Evaluation e = model.evaluate(z, true);
  const double h = 1e-4;
  for (std::size_t j = 0; j < z.size(); ++j) {
    auto zp = z, zm = z;
    zp[j] += h;
    zm[j] -= h;
    const auto ep = model.evaluate(zp, false), em = model.evaluate(zm, false);
    for (std::size_t i = 0; i < e.residuals.size(); ++i) {
      double row_scale = 0.0;
      for (const double v : e.jacobian[i]) row_scale = std::max(row_scale, std::abs(v));
      const double fd = (ep.residuals[i] - em.residuals[i]) / (2.0 * h);
      EXPECT_NEAR(e.jacobian[i][j], fd, 1e-6 * std::max(std::abs(fd), row_scale))
          << "target " << i << ", parameter " << c.parameters[j].name;
    }
  }
  // Sigma+ and chi do not enter the pure gel; chi does not enter the platelets (no wall there).
  EXPECT_EQ(e.jacobian[0][2], 0.0);
  EXPECT_EQ(e.jacobian[1][3], 0.0);
  EXPECT_EQ(e.jacobian[4][3], 0.0);
}

TEST(CalibrationModel, GeometryParametersFallBackToFiniteDifferences) {
  const auto dir = test::write_structures("ionpath_calibrate_model_test");
  io::CalibrationConfig c = test::four_parameter_problem(dir);
  c.parameters.push_back(test::parameter("wall_thickness", {"walls:geometry.aligned_walls.thickness_m"}, 0.5e-6, 2e-6));
  calibrate::CalibrationModel model(c, nullptr, MPI_COMM_WORLD,
                                    {std::log(2e-11), std::log(3e-11), std::log(5e-10), 0.0, std::log(1e-6)});
  EXPECT_NE(model.derivative_method(4).find("finite differences"), std::string::npos);
  EXPECT_NE(model.derivative_method(4).find("'walls'"), std::string::npos);
  EXPECT_EQ(model.derivative_method(4).find("'platelets'"), std::string::npos);
  const auto e = model.evaluate({std::log(2e-11), std::log(3e-11), std::log(5e-10), 0.0, std::log(1e-6)}, true);
  EXPECT_TRUE(std::isfinite(e.jacobian[2][4]));
  EXPECT_EQ(e.jacobian[0][4], 0.0);  // pure gel: no walls
}

}  // namespace
