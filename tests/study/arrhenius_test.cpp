// experiment.arrhenius through the conduction solves (spec §5.4, §8 item 12): a homogeneous gel
// follows the closed forms of its D(T) law exactly, the fits return the law's parameters, and the
// linear-shortcut t+ is temperature independent when D+ and D- share one law (also in a charged
// composite) and follows D+(T)/(D+(T) + D-(T)) when they do not.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "physics/constants.hpp"
#include "study/run.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ionpath;

const char* gel_yaml = R"(grid: {n_cells: [4, 4, 8], voxel_size_m: 0.5e-6}
geometry: {structure: pure_gel, side_walls: periodic, transport_axis: z}
phases:
  gel: {D_plus_m2_s: 1.81e-11, D_minus_m2_s: 2.50e-11}
experiment: {type: arrhenius, axes: [z], accuracy: 1.0e-12}
)";

// Straight charged walls normal to x, continuous along z (gel and walls in parallel).
const char* walls_yaml = R"(grid: {n_cells: [16, 4, 8], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6}
phases:
  gel: {D_plus_m2_s: 1.81e-11, D_minus_m2_s: 2.50e-11}
  wall: {fixed_charge_mol_m3: 600, sheet_normal: x, normal_to_inplane_ratio: 0,
         excess_li_sheet_conductance_S: 4.0e-10, internal_interface_area_1_m: 9.0e8}
experiment: {type: arrhenius, axes: [z], accuracy: 1.0e-12}
)";

nlohmann::json run(const std::string& name, const char* yaml, std::vector<std::string> sets) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const fs::path dir = fs::temp_directory_path() / "ionpath_arrhenius_test";
  if (rank == 0) {
    fs::create_directories(dir);
    std::ofstream(dir / (name + ".yaml")) << yaml;
  }
  MPI_Barrier(MPI_COMM_WORLD);
  sets.push_back("output.directory=" + (dir / name).string());
  sets.push_back("output.vtk=false");
  return study::run_study(io::load_config(dir / (name + ".yaml"), sets), {"arrhenius_test", MPI_COMM_WORLD, true})["axes"][0];
}

std::vector<double> numbers(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

constexpr double R = physics::gas_constant_J_mol_K, F = physics::faraday_C_mol;

}  // namespace

TEST(ArrheniusExperiment, ArrheniusGelReturnsActivationEnergy) {
  // spec §8 item 12 with the conduction solves in the loop.
  const auto a = run("arrhenius_gel", gel_yaml, {"phases.gel.temperature.law=arrhenius",
                                                  "phases.gel.temperature.activation_energy_J_mol=20000"});
  EXPECT_NEAR(a["E_a_ln_sigmaT_kJ_mol"].get<double>(), 20.0, 20.0 * 1e-8);
  double T_mean = 0.0;
  const auto T = numbers(a["T_K"]);
  for (const double t : T) T_mean += t / static_cast<double>(T.size());
  EXPECT_NEAR(a["E_a_ln_sigma_kJ_mol"].get<double>(), 20.0 - 1e-3 * R * T_mean, 0.1);
  EXPECT_EQ(a["preferred_law"].get<std::string>(), "arrhenius_ln_sigmaT");
  for (const double t : numbers(a["t_plus_linear"])) EXPECT_NEAR(t, 1.81 / (1.81 + 2.50), 1e-10);
}

TEST(ArrheniusExperiment, VtfGelFollowsClosedFormAndFitReturnsLaw) {
  const auto a = run("vtf_gel", gel_yaml, {"phases.gel.temperature.law=vtf", "phases.gel.temperature.vtf_B_K=700",
                                            "phases.gel.temperature.vtf_T0_K=170",
                                            "phases.gel.temperature.prefactor_T_power=0.5"});
  const auto T = numbers(a["T_K"]), s = numbers(a["sigma_S_m"]);
  ASSERT_EQ(T.size(), 14u);
  for (std::size_t i = 0; i < T.size(); ++i) {
    const double f = std::sqrt(T[i] / 298.15) * std::exp(-700.0 * (1.0 / (T[i] - 170.0) - 1.0 / (298.15 - 170.0)));
    const double closed = F * F / (R * T[i]) * (1.81e-11 + 2.50e-11) * f * 390.0;
    EXPECT_NEAR(s[i], closed, 1e-9 * closed) << "T = " << T[i];
  }
  // sigma ~ T^-1/2 exp(-B/(T - T0)): the VTF fit's own form.
  EXPECT_NEAR(a["vtf"]["B_K"].get<double>(), 700.0, 1e-4 * 700.0);
  EXPECT_NEAR(a["vtf"]["T0_K"].get<double>(), 170.0, 1e-4 * 170.0);
  EXPECT_EQ(a["preferred_law"].get<std::string>(), "vtf");
}

TEST(ArrheniusExperiment, TransferenceIsTemperatureIndependentUnderOneLaw) {
  // Charged walls with the interface excess: every species conductivity scales by the same
  // D(T)/T factor (X and the Donnan concentrations do not depend on T), so G[sigma+]/G[sigma] is
  // the same at every temperature although sigma changes by a factor ~3.
  const std::string law = "{law: vtf, vtf_B_K: 666.9, vtf_T0_K: 112.8, prefactor_T_power: 0.5}";
  const auto a = run("one_law_walls", walls_yaml, {"phases.gel.temperature=" + law, "phases.wall.temperature=" + law});
  const auto t = numbers(a["t_plus_linear"]), s = numbers(a["sigma_S_m"]);
  EXPECT_GT(s.back() / s.front(), 2.5);
  EXPECT_GT(t[5], 1.81 / (1.81 + 2.50) + 0.05);  // the walls raise t+ (not a trivial case)
  for (const double v : t) EXPECT_NEAR(v, t[5], 1e-10);
}

TEST(ArrheniusExperiment, TransferenceFollowsSpeciesLawsWhenTheyDiffer) {
  const auto a = run("two_laws_gel", gel_yaml,
                     {"phases.gel.temperature={law: arrhenius, activation_energy_J_mol: 15000}",
                      "phases.gel.anion_temperature={law: arrhenius, activation_energy_J_mol: 25000}"});
  const auto T = numbers(a["T_K"]), t = numbers(a["t_plus_linear"]);
  for (std::size_t i = 0; i < T.size(); ++i) {
    const double dp = 1.81e-11 * std::exp(-15000.0 / R * (1.0 / T[i] - 1.0 / 298.15));
    const double dm = 2.50e-11 * std::exp(-25000.0 / R * (1.0 / T[i] - 1.0 / 298.15));
    EXPECT_NEAR(t[i], dp / (dp + dm), 1e-10) << "T = " << T[i];
  }
  EXPECT_GT(t.front() - t.back(), 0.05);  // Li+ (the lower E_a) loses share on heating
}
