// fields_under_current (spec §5.6, §8 items 2 and 14) on small grids: the homogeneous gel under
// half its limiting current matches the exact 1D steady state (profile, cell voltage 2 ln 3 V_T)
// and its numerical limiting current 4 F D+ c0 / L; charged walls hold more Li+ than the gel and
// sit at a Donnan offset in phi; the snapshots land on their times and the files exist.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/config.hpp"
#include "physics/conductivity.hpp"
#include "physics/constants.hpp"
#include "study/fields_under_current.hpp"
#include "study_test_support.hpp"

namespace study = ionpath::study;
namespace io = ionpath::io;
namespace ph = ionpath::physics;
namespace fs = std::filesystem;

namespace {

using study_test::world_rank;

// One folder for all ranks: rank 0's pid names it.
fs::path work_dir(const std::string& name) {
  int pid = static_cast<int>(::getpid());
  MPI_Bcast(&pid, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return fs::temp_directory_path() / ("ionpath_fields_" + name + "_" + std::to_string(pid));
}

using study_test::config_from;

struct FieldsRun {
  io::RunConfig config;
  study::FieldsUnderCurrentResult r;
};

FieldsRun run(const std::string& name, const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  FieldsRun out{config_from(name, yaml, overrides), {}};
  const fs::path dir = work_dir(name);
  out.config.output.directory = dir.string();
  if (world_rank() == 0) fs::create_directories(dir);
  MPI_Barrier(MPI_COMM_WORLD);
  const study::Structure s = study::build_structure(out.config, MPI_COMM_WORLD);
  const study::Outputs o{dir, out.config.output, study::make_provenance(out.config, "test", MPI_COMM_WORLD),
                         MPI_COMM_WORLD};
  const study::ExperimentContext ctx{out.config, s, o, true};
  out.r = study::run_fields_under_current(ctx, 2);
  return out;
}

const char* gel_box = R"(
grid: {n_cells: [2, 2, 40], voxel_size_m: 0.5e-6}
geometry: {structure: pure_gel, side_walls: zero_flux, transport_axis: z}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
experiment: {type: fields_under_current}
)";

}  // namespace

TEST(FieldsUnderCurrent, HomogeneousGelMatchesExact1DSolutionAndLimitingCurrent) {
  // i_lim = 4 F D+ c0 / L with D+ = sigma t+ R T / (F^2 c0): i = 0.5 i_lim gives c(0)/c(L) = 3.
  const double F = ph::faraday_C_mol, R = ph::gas_constant_J_mol_K, T = 298.15, c0 = 390.0, L = 20e-6;
  const double Dp = 0.0632 * 0.42 * R * T / (F * F * c0), i_lim = 4 * F * Dp * c0 / L;
  char set[96];
  std::snprintf(set, sizeof set, "experiment.fields_under_current.current_density_A_m2=%.17g", 0.5 * i_lim);
  const FieldsRun g = run("gel", gel_box, {set});
  const auto& r = g.r;
  EXPECT_NEAR(r.i_lim_gel_exact_A_m2, i_lim, 1e-12 * i_lim);
  EXPECT_NEAR(r.i_lim_gel_ohmic_A_m2, i_lim * (1 - 0.42), 1e-9 * i_lim);  // misses it by 1/(1 - t+)
  // Steady profile c = c0 (1 + (L/2 - z)/L) and V = 2 ln 3 V_T: second order in h, measured
  // 5.8e-5 and 3.5e-5 relative at 40 cells (tests/solver/electroneutral_equipotential_*).
  const double VT = R * T / F;
  EXPECT_NEAR(r.steady_voltage_V, 2 * std::log(3.0) * VT, 3e-4 * 2 * std::log(3.0) * VT);
  double err = 0.0;
  const auto& st = r.steady;
  const auto structure = study::build_structure(g.config, MPI_COMM_WORLD);  // outlives `own` (ASan: use after free)
  const auto& own = structure.domain->owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int j = own.lo[1]; j < own.hi[1]; ++j)
      for (int i = own.lo[0]; i < own.hi[0]; ++i) {
        const double z = (k + 0.5) / 40.0;
        err = std::max(err, std::abs(st.c_plus[own.offset(i, j, k)] - (1.0 + (0.5 - z))));
      }
  MPI_Allreduce(MPI_IN_PLACE, &err, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_LT(err, 3e-4);
  // The limiting current from the cathode face concentration, c_f / c0 = 1 - i / i_lim exactly in
  // the continuum: the grid's error is the profile's (h^2 at 40 cells, < 3e-4 above).
  EXPECT_NEAR(r.i_lim_A_m2, i_lim, 6e-4 * i_lim);
  EXPECT_NEAR(r.i_lim_local_A_m2, r.i_lim_A_m2, 1e-9 * i_lim);  // uniform face
  // Snapshots: equilibrium, 0.1, 1, 10 tau_d, steady, in time order, landing on their times.
  ASSERT_EQ(r.snapshots.size(), 5u);
  EXPECT_EQ(r.snapshots.front().tag, "equilibrium");
  EXPECT_EQ(r.snapshots.back().tag, "steady");
  EXPECT_NEAR(r.snapshots[2].t_tau, 1.0, 1e-9);
  EXPECT_EQ(r.snapshots[0].voltage_V, 0.0);
  for (std::size_t s = 1; s < r.snapshots.size(); ++s) EXPECT_GT(r.snapshots[s].voltage_V, r.snapshots[s - 1].voltage_V);
  const fs::path dir = work_dir("gel");
  if (world_rank() == 0) {
    std::printf("gel at 0.5 i_lim: V_steady / (2 ln3 V_T) - 1 = %.2e, max |c/c0 - exact| = %.2e, i_lim %.6g vs %.6g "
                "(%.2e); V at 0.1/1/10 tau_d %.5g %.5g %.5g mV\n",
                r.steady_voltage_V / (2 * std::log(3.0) * VT) - 1, err, r.i_lim_A_m2, i_lim, r.i_lim_A_m2 / i_lim - 1,
                1e3 * r.snapshots[1].voltage_V, 1e3 * r.snapshots[2].voltage_V, 1e3 * r.snapshots[3].voltage_V);
    for (const char* f : {"fields_under_current_z.pvd", "fields_under_current_z_equilibrium.h5",
                          "fields_under_current_z_t1tau.h5", "fields_under_current_z_steady.h5",
                          "fields_under_current_z_voltage.csv"})
      EXPECT_TRUE(fs::exists(dir / f)) << f;
    fs::remove_all(dir);
  }
}

TEST(FieldsUnderCurrent, ChargedWallsHoldLiAndSitAtADonnanOffset) {
  // Walls along z (transport axis) with X = 627 mol/m3 across x: c+ at wall cells above the gel's,
  // phi in the walls below the gel's by about V_T asinh(X / (2 c)) (spec §5.6, §8 item 14).
  const FieldsRun w = run("walls", R"(
grid: {n_cells: [16, 1, 12], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 1.0e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {sigma_S_m: 0.0316, t_plus: 0.42, sheet_normal: x, normal_to_inplane_ratio: 0.0, fixed_charge_mol_m3: 627, capacity: 0.5}
experiment: {type: fields_under_current, fields_under_current: {snapshot_times_tau: [1.0]}}
)");
  const auto& st = w.r.steady;
  const study::Structure s = study::build_structure(w.config, MPI_COMM_WORLD);
  double sums[6] = {0, 0, 0, 0, 0, 0};  // wall: c+, phi, n; gel: c+, phi, n (middle layers)
  const auto& own = s.domain->owned();
  for (int k = own.lo[2]; k < own.hi[2]; ++k)
    for (int i = own.lo[0]; i < own.hi[0]; ++i) {
      if (k < 4 || k >= 8) continue;
      const std::size_t o = own.offset(i, 0, k);
      const bool wall = s.table.name_of(s.labels.labels()[o]) == "wall";
      double* acc = sums + (wall ? 0 : 3);
      acc[0] += st.c_plus[o];
      acc[1] += st.psi[o];
      acc[2] += 1.0;
    }
  MPI_Allreduce(MPI_IN_PLACE, sums, 6, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  ASSERT_GT(sums[2], 0.0);
  ASSERT_GT(sums[5], 0.0);
  const double cw = sums[0] / sums[2], cg = sums[3] / sums[5];
  const double offset = (sums[1] / sums[2] - sums[4] / sums[5]);  // in V_T
  const double donnan = -std::asinh(627.0 / 390.0 / 2.0);
  const fs::path dir = work_dir("walls");
  if (world_rank() == 0) {
    std::printf("walls: c+ wall %.4f gel %.4f (c0); phi offset %.4f V_T, Donnan at c0 %.4f; steady V %.5g mV\n", cw, cg,
                offset, donnan, 1e3 * w.r.steady_voltage_V);
    fs::remove_all(dir);
  }
  EXPECT_GT(cw, 1.5 * cg);
  EXPECT_LT(offset, 0.0);
  EXPECT_NEAR(offset, donnan, 0.2 * std::abs(donnan));
  EXPECT_GT(w.r.steady_voltage_V, 0.0);
}

TEST(FieldsUnderCurrent, AlignedPaperSectionAtHalfMicronReachesSteadyState) {
  // One wall period of examples/paper_electrolytes/aligned_mmt.yaml as the reproduction's Fig. 5
  // x-z section (n_y = 1) at 0.5 um, 100 um electrode to electrode. Counted as a 3D grid, its
  // Newton solves went to GAMG + BiCGStab, which stalled at 200 cells along z: the first
  // backward-Euler step failed 21 times (BiCGStab at 2000 iterations here; with the example's wall
  // jitter it broke down instead, DIVERGED_DTOL, residual 8.6e-3 -> 3.9e10).
  // A section is 2D for the solver choice (direct LU), and then runs like the 2 um section.
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1) GTEST_SKIP() << "one rank is enough for the solver choice (8 s per run; MUMPS on 2 ranks: the reproduction)";
  const FieldsRun a = run("aligned_section", R"(
grid: {n_cells: [40, 1, 200], voxel_size_m: 0.5e-6}
seed: 7
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 20.0e-6, spacing_spread: 0.0, thickness_m: 3.0e-6, waviness_amplitude_m: 1.0e-6,
                  waviness_wavelength_m: 30.0e-6}
  interface_shell: {thickness_m: 0.5e-6}
phases:
  gel: {sigma_S_m: 0.0632, t_plus: 0.42}
  wall: {normal_to_inplane_ratio: 0.0, sheet_normal: x, excess_li_sheet_conductance_S: 4.0e-10,
         internal_interface_area_1_m: 9.0e8, fixed_charge_mol_m3: 627, capacity: 0.5}
experiment: {type: fields_under_current, fields_under_current: {snapshot_times_tau: []}}
)");
  const auto& r = a.r;
  EXPECT_TRUE(r.reached_steady);
  EXPECT_LT(r.rejected_steps, 10);  // the adaptor's (0 to 5 measured); the failure was 21 of the first step
  EXPECT_GT(r.steady_voltage_V, 0.0);
  // The walls' fixed charge holds Li+ above the gel value, under current too (spec §8 item 14).
  double c_max = 0.0;
  for (std::size_t c = 0; c < r.steady.c_plus.size(); ++c)
    if (r.steady.active[c]) c_max = std::max(c_max, r.steady.c_plus[c]);
  MPI_Allreduce(MPI_IN_PLACE, &c_max, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_GT(c_max, 1.5);
  if (world_rank() == 0) {
    std::printf("aligned section 40 x 1 x 200 at 0.5 um: %d steps, %d rejected, steady V %.5g mV, max c+ %.3f c0\n",
                r.steps, r.rejected_steps, 1e3 * r.steady_voltage_V, c_max);
    fs::remove_all(work_dir("aligned_section"));
  }
}
