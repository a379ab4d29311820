// Options plumbing (style guide §4.4) and the geometric multigrid recipe (spec §9.1): the command
// line wins over YAML maps; `-cond_pc_type mg` with Galerkin coarse operators solves the same
// problem as the GAMG default.
#include <gtest/gtest.h>
#include <petscsys.h>

#include <string>
#include <utility>
#include <vector>

#include "solver/conduction/conduction.hpp"
#include "solver/petsc/options.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

std::string option_value(const char* name) {
  char buf[256] = {0};
  PetscBool set = PETSC_FALSE;
  PetscOptionsGetString(nullptr, nullptr, name, buf, sizeof buf, &set);
  return set ? std::string(buf) : std::string("<unset>");
}

TEST(PetscOptions, YamlDoesNotOverrideCommandLine) {
  PetscOptionsSetValue(nullptr, "-ioptest_ksp_type", "gmres");  // as if given on the command line
  const auto set = apply_petsc_options("ioptest_", {{"ksp_type", "cg"}, {"-pc_type", "jacobi"}, {"ksp_monitor", ""}});
  EXPECT_EQ(option_value("-ioptest_ksp_type"), "gmres");
  EXPECT_EQ(option_value("-ioptest_pc_type"), "jacobi");
  PetscBool has = PETSC_FALSE;
  PetscOptionsHasName(nullptr, nullptr, "-ioptest_ksp_monitor", &has);
  EXPECT_TRUE(has);
  EXPECT_EQ(set.size(), 2u);
  for (const char* n : {"-ioptest_ksp_type", "-ioptest_pc_type", "-ioptest_ksp_monitor"}) PetscOptionsClearValue(nullptr, n);
}

TEST(PetscOptions, ScopedOptionsAreRemoved) {
  {
    const ScopedPetscOptions scoped("ioptest_", {{"pc_type", "none"}});
    EXPECT_EQ(option_value("-ioptest_pc_type"), "none");
  }
  EXPECT_EQ(option_value("-ioptest_pc_type"), "<unset>");
}

// A sweep point's petsc_options: set for the point unless the command line holds them, and only
// those removed afterwards (the command line's value survives the point).
TEST(PetscOptions, PointScopedDefaultsLeaveTheCommandLineAlone) {
  PetscOptionsSetValue(nullptr, "-ioptest_ksp_type", "gmres");  // as if given on the command line
  {
    const ScopedDefaultPetscOptions point("ioptest_", {{"ksp_type", "cg"}, {"pc_type", "jacobi"}});
    EXPECT_EQ(option_value("-ioptest_ksp_type"), "gmres");
    EXPECT_EQ(option_value("-ioptest_pc_type"), "jacobi");
  }
  EXPECT_EQ(option_value("-ioptest_pc_type"), "<unset>");
  EXPECT_EQ(option_value("-ioptest_ksp_type"), "gmres");
  PetscOptionsClearValue(nullptr, "-ioptest_ksp_type");
}

// Q1 coarsening (N - 1 divisible by 8) and cell-centred Q0 coarsening (N divisible by 8), 2D and 3D.
TEST(ConductionMultigrid, GeometricMgMatchesGamg) {
  const OptionList mg{{"pc_type", "mg"},
                      {"pc_mg_levels", "4"},
                      {"pc_mg_galerkin", "both"},
                      {"mg_coarse_pc_type", "redundant"}};
  const std::vector<std::pair<mesh::Grid, mesh::SideWalls>> cases{
      {mesh::Grid{{33, 33, 33}, 1e-6}, mesh::SideWalls::zero_flux},  // Q1
      {mesh::Grid{{32, 24, 40}, 1e-6}, mesh::SideWalls::periodic},   // Q0
      {mesh::Grid{{64, 64, 1}, 1e-6}, mesh::SideWalls::zero_flux}};  // Q0, 2D
  for (const auto& [grid, walls] : cases) {
    const Domain domain(grid, test::domain_options(grid.dimension() - 1, walls));
    // 2D site percolation needs a larger gel fraction (threshold 0.59 instead of 0.31).
    const auto structure = grid.dimension() == 2 ? test::random_clay(grid, 3, 0.1, 0.1) : test::random_clay(grid, 3);
    const auto sigma = test::tensor_field(domain, structure);
    ConductivityOptions opt;
    opt.axis = grid.dimension() - 1;
    opt.ksp.rtol = 1e-12;
    const ConductivityResult amg = solve_conductivity(domain, sigma, opt);
    ConductivityResult gmg;
    {
      const ScopedPetscOptions scoped("cond_", mg);
      gmg = solve_conductivity(domain, sigma, opt);
    }
    EXPECT_EQ(amg.solve.pc_type, "gamg");
    EXPECT_EQ(gmg.solve.pc_type, "mg");
    EXPECT_NEAR(gmg.sigma_eff / amg.sigma_eff, 1.0, 1e-9);
    EXPECT_LT(amg.solve.iterations, 100) << grid.n_cells[0];
    EXPECT_LT(gmg.solve.iterations, 100) << grid.n_cells[0];
    EXPECT_LT(gmg.flux_balance, 1e-9);
  }
}

TEST(ConductionMultigrid, DivergenceThrowsWithReasonAndHint) {
  const mesh::Grid grid{{16, 16, 16}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  const auto sigma = test::tensor_field(domain, test::random_clay(grid, 4));
  const ScopedPetscOptions scoped("cond_", {{"ksp_max_it", "2"}, {"pc_type", "jacobi"}});
  try {
    static_cast<void>(solve_conductivity(domain, sigma, {}));
    FAIL() << "expected SolveError";
  } catch (const SolveError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("DIVERGED_ITS"), std::string::npos) << what;
    EXPECT_NE(what.find("-cond_pc_type hypre"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace ionpath::solver
