// Calibration end to end on small structures: synthetic targets made with known parameters are
// recovered to 1e-3 from several Latin-hypercube starts (brgn, pounders); a pair that enters only
// through its product is flagged unidentifiable; a parameter pushed past its bound stops there and
// is reported; the fit on 2 ranks equals the fit on 1 rank (1e-8).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "calibrate/calibration.hpp"
#include "calibrate/model.hpp"
#include "calibrate_test_support.hpp"
#include "io/params_file.hpp"

namespace {

using namespace ionpath;
namespace fs = std::filesystem;

const std::vector<double> truth{2.1e-11, 2.8e-11, 7e-10, 0.4};

/// Targets = the model at `theta` (uncertainties as in spec §7.2).
void synthesise(io::CalibrationConfig& c, const std::vector<double>& theta, MPI_Comm comm) {
  std::vector<double> z;
  for (std::size_t j = 0; j < theta.size(); ++j) z.push_back(calibrate::transform_of(c.parameters[j]).to_z(theta[j]));
  calibrate::CalibrationModel model(c, nullptr, comm, z);
  const auto e = model.evaluate(z, false);
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const auto& v = e.structures[c.targets[i].structure];
    c.targets[i].value = c.targets[i].quantity == io::TargetQuantity::sigma_S_m ? v.sigma_S_m : v.t_plus;
  }
}

/// The fits themselves run on one rank; on two, only the rank comparison runs (it repeats a fit).
bool serial_only() {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size > 1;
}

io::CalibrationConfig problem(const std::string& out, int starts, MPI_Comm comm = MPI_COMM_WORLD) {
  const auto dir = test::write_structures("ionpath_calibrate_fit_test");
  io::CalibrationConfig c = test::four_parameter_problem(dir);
  c.starts = starts;
  c.seed = 5;
  c.output_directory = (dir / out).string();
  synthesise(c, truth, comm);
  return c;
}

double value(const nlohmann::json& j, std::size_t p) { return j["parameters"][p]["value"].get<double>(); }

TEST(Calibration, RecoversSyntheticParametersFromEveryStartWithBrgn) {
  if (serial_only()) GTEST_SKIP() << "serial fit; the 2-rank run compares ranks";
  const io::CalibrationConfig c = problem("brgn", 3);
  const auto j = calibrate::run_calibration(c, {MPI_COMM_WORLD, "fit_test", true, nullptr, ""});
  for (std::size_t p = 0; p < 4; ++p) EXPECT_NEAR(value(j, p), truth[p], 1e-3 * truth[p]) << p;
  for (const auto& s : j["starts"]) {
    for (std::size_t p = 0; p < 4; ++p) EXPECT_NEAR(s["theta"][p].get<double>(), truth[p], 1e-3 * truth[p]) << p;
    EXPECT_TRUE(s["converged"].get<bool>()) << s["reason"];
  }
  EXPECT_LT(j["chi2"].get<double>(), 1e-8);
  EXPECT_EQ(j["distinct_minima"].size(), 1u);
  EXPECT_TRUE(j["identifiable"].get<bool>());
  EXPECT_DOUBLE_EQ(j["aic"].get<double>(), j["chi2"].get<double>() + 8.0);
  EXPECT_EQ(j["k"].get<int>(), 4);
  // The parameter file round-trips: every key path with the fitted value.
  const io::ParamsFile params = io::load_params_file(fs::path(c.output_directory) / "calibrated.yaml");
  ASSERT_EQ(params.overrides.size(), 5u);  // Sigma_plus has two keys
  EXPECT_EQ(params.overrides[2].assignment.rfind("phases.wall.excess_li_sheet_conductance_S=", 0), 0u);
  EXPECT_EQ(params.sha256.size(), 64u);
}

TEST(Calibration, RecoversSyntheticParametersWithPounders) {
  if (serial_only()) GTEST_SKIP() << "serial fit; the 2-rank run compares ranks";
  io::CalibrationConfig c = problem("pounders", 2);
  c.tao_type = "pounders";
  const auto j = calibrate::run_calibration(c, {MPI_COMM_WORLD, "fit_test", true, nullptr, ""});
  EXPECT_EQ(j["tao_type"], "pounders");
  for (std::size_t p = 0; p < 4; ++p) EXPECT_NEAR(value(j, p), truth[p], 1e-3 * truth[p]) << p;
}

TEST(Calibration, FlagsAPairThatEntersOnlyThroughItsProduct) {
  if (serial_only()) GTEST_SKIP() << "serial fit; the 2-rank run compares ranks";
  // Sigma+ and the interface area a_v enter only as Sigma+ a_v: equal columns of J in log space.
  io::CalibrationConfig c = problem("product", 1);
  c.parameters.push_back(test::parameter("area", {"phases.wall.internal_interface_area_1_m", "phases.interface.internal_interface_area_1_m"},
                                         1e7, 1e10));
  c.parameters[4].start = 9e8;
  const auto j = calibrate::run_calibration(c, {MPI_COMM_WORLD, "fit_test", true, nullptr, ""});
  EXPECT_FALSE(j["identifiable"].get<bool>());
  EXPECT_FALSE(j["identifiability_reasons"].empty());
}

TEST(Calibration, StopsAtABoundAndSaysSo) {
  if (serial_only()) GTEST_SKIP() << "serial fit; the 2-rank run compares ranks";
  io::CalibrationConfig c = problem("bound", 1);
  c.parameters[0].upper = 1.9e-11;  // the truth, 2.1e-11, lies beyond
  const auto j = calibrate::run_calibration(c, {MPI_COMM_WORLD, "fit_test", true, nullptr, ""});
  for (const auto& s : j["starts"]) EXPECT_LE(s["theta"][0].get<double>(), 1.9e-11 * (1 + 1e-12));
  EXPECT_EQ(j["parameters"][0]["at_bound"], "upper");
  // chi may run to its own bound to make up for D+ (a different optimum): D+ must be listed.
  bool listed = false;
  for (const auto& b : j["parameters_at_bound"]) listed = listed || b == "D_plus (upper)";
  EXPECT_TRUE(listed) << j["parameters_at_bound"];
  EXPECT_GT(j["chi2"].get<double>(), 1e-3);
}

TEST(Calibration, TwoRanksGiveTheFitOfOneRank) {
  int size = 1, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (size < 2) GTEST_SKIP() << "needs 2 ranks";
  io::CalibrationConfig c = problem("ranks_all", 1);
  c.targets[3].value += 0.02;  // a non-zero minimum: the optimum depends on every solve
  const auto all = calibrate::run_calibration(c, {MPI_COMM_WORLD, "fit_test", true, nullptr, ""});
  std::vector<double> one(4, 0.0);
  if (rank == 0) {
    c.output_directory += "_one";
    const auto j = calibrate::run_calibration(c, {MPI_COMM_SELF, "fit_test", true, nullptr, ""});
    for (std::size_t p = 0; p < 4; ++p) one[p] = value(j, p);
  }
  MPI_Bcast(one.data(), 4, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  for (std::size_t p = 0; p < 4; ++p) EXPECT_NEAR(value(all, p), one[p], 1e-8 * std::abs(one[p])) << p;
}

}  // namespace
