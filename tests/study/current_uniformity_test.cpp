// experiment.current_uniformity (spec §5.5, §8 item 4) on structures with known face currents:
// a homogeneous slab (uniform), the parallel laminate sigma = 1 and 10 S/m at f = 1/2 (CV =
// 0.818182, max/mean = 1.818182, A50 = 0.275 exactly: harmonic face means are exact on layers
// aligned with the faces), a window of one period, interior planes; the face currents sum to the
// solver's inlet current; the numbers do not depend on the rank count (each rank also runs the
// same study alone on MPI_COMM_SELF).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "io/config.hpp"
#include "study/current_uniformity.hpp"
#include "study_test_support.hpp"

namespace {

namespace study = ionpath::study;
namespace io = ionpath::io;

using study_test::config_from;

study::UniformityResult run(const io::RunConfig& config, MPI_Comm comm = MPI_COMM_WORLD) {
  const study::Structure s = study::build_structure(config, comm);
  return study::run_current_uniformity(s, config, config.geometry.transport_axis);
}

const study::UniformityScale& scale(const study::UniformityResult& r, const std::string& name) {
  for (const auto& s : r.scales)
    if (s.name == name) return s;
  throw std::runtime_error("no scale " + name);
}

// Parallel laminate along z: layers normal to x, 4 voxels of gel (0.1 S/m) then 4 of wall (1 S/m);
// the face is 16 x 8 voxels of 0.5 um, periodic, so a 4 um window is one period.
const std::string laminate_yaml = R"(
grid: {n_cells: [16, 8, 10], voxel_size_m: 0.5e-6}
geometry:
  structure: aligned_walls
  side_walls: periodic
  transport_axis: z
  aligned_walls: {spacing_m: 4.0e-6, spacing_spread: 0.0, thickness_m: 2.0e-6}
phases:
  gel: {sigma_S_m: 0.1, t_plus: 0.42}
  wall: {sigma_S_m: 1.0, t_plus: 0.42, sheet_normal: x, normal_to_inplane_ratio: 1}
experiment:
  type: current_uniformity
  accuracy: 1e-9
  current_uniformity: {window_sizes_m: [1.0e-6, 4.0e-6, 10.0e-6], plane_distances_m: [1.0e-6, 2.5e-6]}
)";

}  // namespace

TEST(CurrentUniformityStudy, HomogeneousSlabIsUniform) {
  const io::RunConfig config = config_from("slab", R"(
grid: {n_cells: [6, 5, 8], voxel_size_m: 1.0e-6}
geometry: {structure: pure_gel, transport_axis: z}
phases: {gel: {sigma_S_m: 0.0632, t_plus: 0.42}}
experiment: {type: current_uniformity, accuracy: 1e-9, current_uniformity: {voltage_V: 0.02}}
)");
  const study::UniformityResult r = run(config);
  // i = sigma V / L on every face cell.
  const double i_exact = 0.0632 * 0.02 / 8e-6;
  for (const auto& sc : r.scales) {
    SCOPED_TRACE(sc.name);
    EXPECT_NEAR(sc.stats.full.mean, i_exact, 1e-10 * i_exact);
    EXPECT_NEAR(sc.stats.full.cv, 0.0, 1e-12);
    EXPECT_NEAR(sc.stats.full.max_over_mean, 1.0, 1e-12);
    EXPECT_NEAR(sc.stats.full.min_over_mean, 1.0, 1e-12);
    EXPECT_NEAR(sc.stats.full.a50, 0.5, 1e-10);
    EXPECT_EQ(sc.stats.conducting.n_cells, 30u);
  }
  EXPECT_NEAR(r.current_A, r.current_solver_A, 1e-10 * r.current_solver_A);
  // Windows of 1, 2, 5 um fit the 6 x 5 um face; 10 and 20 um are skipped with a note each.
  EXPECT_EQ(r.scales.size(), 1u + 3u + 2u);  // face, 3 windows, planes at 1 and 5 um (20 um is outside)
  EXPECT_EQ(r.notes.size(), 3u);
  // Wa = sigma (V_T / i0) / l with l = the larger face side (6 um) for a pure gel.
  EXPECT_NEAR(r.wagner_length_m, 6e-6, 1e-18);
  EXPECT_NEAR(r.wagner_number, 0.0632 * (0.025692579 / 0.5) / 6e-6, 1e-6 * r.wagner_number);
}

TEST(CurrentUniformityStudy, ElectroneutralSourceOnAHomogeneousBoxIsUniform) {
  const io::RunConfig config = config_from("slab_en", R"(
grid: {n_cells: [4, 3, 6], voxel_size_m: 1.0e-6}
geometry: {structure: pure_gel, transport_axis: z}
experiment: {type: current_uniformity, current_uniformity: {source: electroneutral, window_sizes_m: [2.0e-6]}}
)");
  const study::UniformityResult r = run(config);
  EXPECT_EQ(r.source, "electroneutral");
  for (const auto& sc : r.scales) {
    SCOPED_TRACE(sc.name);
    EXPECT_NEAR(sc.stats.full.cv, 0.0, 1e-10);
    EXPECT_NEAR(sc.stats.full.max_over_mean, 1.0, 1e-10);
  }
  EXPECT_NEAR(r.current_A, r.current_solver_A, 1e-10 * r.current_solver_A);
  // Li+ only at the ideal electrodes: the steady current is about t+ of the conduction current.
  const double I0 = r.sigma_eff_S_m * 0.010 / 6e-6 * 12e-12;
  EXPECT_NEAR(r.current_A / I0, 0.42, 0.01);
  // Every plane carries the same current (steady, conservative).
  for (const auto& sc : r.scales) EXPECT_NEAR(sc.plane_current_A, r.current_A, 1e-9 * r.current_A);
}

TEST(CurrentUniformityStudy, ParallelLaminateClosedForms) {
  const study::UniformityResult r = run(config_from("laminate", laminate_yaml));
  const double cv = 0.5 * 0.9 / 0.55, max = 1.0 / 0.55, a50 = 0.5 * 0.5 / (0.5 / 0.55);
  const auto& face = scale(r, "face").stats;
  EXPECT_NEAR(face.full.cv, 0.818181818181818, 1e-9);
  EXPECT_NEAR(face.full.cv, cv, 1e-9);
  EXPECT_NEAR(face.full.max_over_mean, 1.818181818181818, 1e-9);
  EXPECT_NEAR(face.full.max_over_mean, max, 1e-9);
  EXPECT_NEAR(face.full.min_over_mean, 0.1 / 0.55, 1e-9);
  EXPECT_NEAR(face.full.a50, a50, 1e-9);
  EXPECT_NEAR(face.full.mean, 0.55 * 0.010 / 5e-6, 1e-9 * face.full.mean);  // sigma_eff V / L
  EXPECT_NEAR(r.sigma_eff_S_m, 0.55, 1e-9);
  EXPECT_NEAR(r.current_A, r.current_solver_A, 1e-10 * r.current_solver_A);
  // A window of one period (4 um = 8 voxels), wrapped across the periodic sides, flattens it.
  const auto& period = scale(r, "window_4um");
  EXPECT_EQ(period.window_voxels, 8);
  EXPECT_NEAR(period.stats.full.cv, 0.0, 1e-12);
  EXPECT_NEAR(period.stats.full.max_over_mean, 1.0, 1e-12);
  EXPECT_GT(scale(r, "window_1um").stats.full.cv, 0.3);  // half of a layer: still stripes
  // 10 um does not fit the 8 x 4 um face.
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("window 10um"), std::string::npos);
  // Interior planes: the same current in every layer, the same statistics.
  for (const std::string p : {"plane_1um", "plane_2.5um"}) {
    const auto& s = scale(r, p).stats;
    EXPECT_NEAR(s.full.cv, face.full.cv, 1e-9);
    EXPECT_NEAR(s.full.max_over_mean, face.full.max_over_mean, 1e-9);
    EXPECT_NEAR(s.full.a50, face.full.a50, 1e-9);
    EXPECT_NEAR(scale(r, p).plane_current_A, r.current_A, 1e-9 * r.current_A);
  }
  EXPECT_EQ(scale(r, "plane_2.5um").plane, 5);
  // Wa uses the wall spacing.
  EXPECT_NEAR(r.wagner_length_m, 4e-6, 1e-18);
}

// A random structure on all ranks and on each rank alone: the same numbers to 1e-10.
TEST(CurrentUniformityStudy, RankCountIndependent) {
  const io::RunConfig config = config_from("random", R"(
grid: {n_cells: [20, 16, 14], voxel_size_m: 0.5e-6}
seed: 3
geometry:
  structure: random_platelets
  side_walls: periodic
  random_platelets: {volume_fraction: 0.08, diameter_m: 3.0e-6, thickness_m: 1.0e-6, placement: poisson}
experiment:
  type: current_uniformity
  accuracy: 1e-10
  current_uniformity: {window_sizes_m: [1.0e-6, 3.0e-6], plane_distances_m: [2.0e-6]}
)");
  const study::UniformityResult all = run(config, MPI_COMM_WORLD);
  const study::UniformityResult alone = run(config, MPI_COMM_SELF);
  ASSERT_EQ(all.scales.size(), alone.scales.size());
  EXPECT_GT(all.scales.front().stats.full.cv, 0.05);  // the platelets make it non-uniform
  const auto close = [](double a, double b) { EXPECT_NEAR(a, b, 1e-10 * std::max(1.0, std::abs(b))); };
  close(all.current_A / alone.current_A, 1.0);
  close(all.wagner_number / alone.wagner_number, 1.0);
  for (std::size_t i = 0; i < all.scales.size(); ++i) {
    SCOPED_TRACE(all.scales[i].name);
    for (const auto& [a, b] : {std::pair{&all.scales[i].stats.full, &alone.scales[i].stats.full},
                               std::pair{&all.scales[i].stats.conducting, &alone.scales[i].stats.conducting}}) {
      EXPECT_EQ(a->n_cells, b->n_cells);
      close(a->mean / b->mean, 1.0);
      close(a->cv, b->cv);
      close(a->max_over_mean, b->max_over_mean);
      close(a->min_over_mean, b->min_over_mean);
      close(a->a50, b->a50);
    }
  }
}
