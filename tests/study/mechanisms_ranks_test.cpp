// The optional mechanisms (spec §7.3) through the conduction solves of `transference`: the same
// t+ and sigma on all ranks as on one (each rank also solves the whole structure alone on
// MPI_COMM_SELF), and the exact parallel laminate along straight walls, where t+ equals its
// Wiener bound <sigma+>/sigma_eff and porous walls change nothing.
#include <gtest/gtest.h>
#include <mpi.h>

#include <string>
#include <vector>

#include "io/config.hpp"
#include "study/transference.hpp"

namespace {

using namespace ionpath;

const std::string examples = std::string(IONPATH_SOURCE_DIR) + "/examples/paper_electrolytes/";

study::TransferenceResult transference(const std::string& name, std::vector<std::string> set, MPI_Comm comm) {
  set.insert(set.begin(), "experiment.accuracy=1e-11");
  const io::RunConfig c = io::load_config(examples + name + ".yaml", set);
  const study::Structure s = study::build_structure(c, comm);
  return study::run_transference_linear(s, c, c.geometry.transport_axis);
}

void expect_rank_independent(const std::string& name, const std::vector<std::string>& set) {
  const auto all = transference(name, set, MPI_COMM_WORLD);
  const auto one = transference(name, set, MPI_COMM_SELF);
  EXPECT_NEAR(all.t_plus, one.t_plus, 1e-9) << name;
  EXPECT_NEAR(all.total.sigma_eff, one.total.sigma_eff, 1e-9 * one.total.sigma_eff) << name;
  EXPECT_NEAR(all.bound, one.bound, 1e-12) << name;
}

TEST(MechanismRanks, ClayShellAndSodiumOnTheRandomComposite) {
  expect_rank_independent("random_mmt", {"grid.n_cells=[24,24,24]", "geometry.clay_shell.thickness_m=0.5e-6",
                                         "phases.clay_shell.li_mobility_factor=0.3",
                                         "electrolyte.sodium.exchanged_fraction=0.2"});
}

TEST(MechanismRanks, ThickInterphaseAndPorousWallsOnTheAlignedComposite) {
  expect_rank_independent("aligned_mmt", {"grid.n_cells=[40,8,24]", "geometry.interface_shell.thickness_m=1.0e-6",
                                          "phases.interface.li_mobility_factor=4", "geometry.aligned_walls.porosity=0.4"});
}

TEST(MechanismLaminate, StraightWallsGiveTheWienerBoundAndPorosityChangesNothing) {
  const std::vector<std::string> straight{"grid.n_cells=[40,4,12]", "geometry.aligned_walls.waviness_amplitude_m=0",
                                          "geometry.aligned_walls.spacing_spread=0",
                                          "electrolyte.sodium.exchanged_fraction=0.3",
                                          "geometry.interface_shell.thickness_m=1.0e-6",
                                          "phases.interface.li_mobility_factor=3"};
  auto porous = straight;
  porous.push_back("geometry.aligned_walls.porosity=0.4");  // 6 dense wall voxels -> 10 porous
  const auto d = transference("aligned_mmt", straight, MPI_COMM_WORLD);
  const auto p = transference("aligned_mmt", porous, MPI_COMM_WORLD);
  // Parallel laminate along z: G[s] = <s_zz>, so t+ = <sigma+>/<sigma> = the Wiener bound.
  EXPECT_NEAR(d.t_plus, d.bound, 1e-9);
  EXPECT_NEAR(p.t_plus, p.bound, 1e-9);
  EXPECT_NEAR(d.mean_sigma_plus_S_m, d.li_only.sigma_eff, 1e-9 * d.li_only.sigma_eff);
  EXPECT_NEAR(p.total.sigma_eff, d.total.sigma_eff, 1e-9 * d.total.sigma_eff);
  EXPECT_NEAR(p.t_plus, d.t_plus, 1e-9);
}

}  // namespace
