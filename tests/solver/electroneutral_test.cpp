// Steady electroneutral Nernst-Planck: Bruce-Vincent steady state against the exact nonlinear
// solution, the Donnan slab (well-balanced, exact Donnan values), analytic Jacobian against finite
// differences for every boundary condition, independence of the rank count, and the linear solver
// defaults (direct limit, BoomerAMG options only when no preconditioner was chosen).
#include <gtest/gtest.h>
#include <petscsnes.h>

#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "solver/electroneutral/electroneutral.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/handles.hpp"
#include "solver/petsc/options.hpp"

namespace solver = ionpath::solver;
namespace mesh = ionpath::mesh;

namespace {

struct Coefficients {
  std::vector<double> Dp, Dm, X;
};

// Uniform coefficients over the owned box; `X_of(k)` gives the fixed charge by z index.
template <typename Fx>
Coefficients uniform(const solver::Domain& d, double Dp, double Dm, Fx X_of) {
  Coefficients c;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        for (int a = 0; a < 3; ++a) {
          c.Dp.push_back(Dp);
          c.Dm.push_back(Dm);
        }
        c.X.push_back(X_of(k));
      }
  return c;
}

solver::DomainOptions two_dof(MPI_Comm comm = MPI_COMM_NULL, mesh::SideWalls sides = mesh::SideWalls::zero_flux) {
  solver::DomainOptions o;
  o.dof = 2;
  o.side_walls = sides;
  o.comm = comm;
  return o;
}

// spec §8.2: D+ = 0.724, D- = 1, i.e. t+ = 0.724 / 1.724 = 0.41995 (the spec rounds it to 0.42).
constexpr double t_plus = 0.724 / 1.724;

// Bruce-Vincent with ideal Li electrodes, X = 0: I_s / I_0 with I_0 = (D+ + D-) dV / L.
double bv_ratio(const mesh::Grid& grid, double dV_hat, MPI_Comm comm, mesh::SideWalls sides = mesh::SideWalls::zero_flux) {
  solver::Domain d(grid, two_dof(comm, sides));
  const double Dp = 0.724, Dm = 1.0;
  const auto c = uniform(d, Dp, Dm, [](int) { return 0.0; });
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {solver::ElectrodeKind::ideal_li, dV_hat, 0.0},
                                 {solver::ElectrodeKind::ideal_li, 0.0, 0.0}};
  const auto r = solver::solve_electroneutral_steady(d, in);
  EXPECT_TRUE(r.inventory_constraint);
  const double area = static_cast<double>(grid.n_cells[0]) * grid.n_cells[1];
  EXPECT_NEAR(r.li_flux_in_low, -r.li_flux_in_high, 1e-10 * std::abs(r.li_flux_in_low));  // steady: in = out
  const double I0 = (Dp + Dm) * dV_hat / grid.n_cells[2] * area;
  return r.li_flux_in_low / I0;
}

}  // namespace

TEST(ElectroneutralSteady, BruceVincentHomogeneousMatchesExactNonlinearSteadyState) {
  // spec §8 item 6: I_s/I_0 = t+ tanh(u)/u, u = dV/(4 V_T); 10 mV at 298.15 K -> 0.418679.
  const double VT = 8.314462618 * 298.15 / 96485.33212;
  for (const double dV : {0.010, 0.100}) {
    const double u = dV / (4 * VT);
    const double exact = t_plus * std::tanh(u) / u;
    const double ratio = bv_ratio(mesh::Grid{{1, 1, 64}, 1e-6}, dV / VT, MPI_COMM_NULL);
    EXPECT_NEAR(ratio, exact, 2e-4 * exact) << "dV = " << dV;
    if (dV == 0.010) {
      EXPECT_NEAR(exact, 0.418679, 5e-5);  // spec value, quoted for t+ = 0.42
    }
  }
  // 3D box with periodic sides gives the same (the problem is 1D).
  const double u = 0.010 / (4 * VT);
  EXPECT_NEAR(bv_ratio(mesh::Grid{{4, 3, 32}, 1e-6}, 0.010 / VT, MPI_COMM_NULL, mesh::SideWalls::periodic),
              t_plus * std::tanh(u) / u, 2e-4);
}

TEST(ElectroneutralSteady, DiscretisationConvergesAtSecondOrder) {
  // 100 mV: u = 0.97, the salt concentration varies by a factor 4.5 across the cell.
  const double VT = 8.314462618 * 298.15 / 96485.33212, dV = 0.1, u = dV / (4 * VT);
  const double exact = t_plus * std::tanh(u) / u;
  std::vector<double> e;
  for (const int n : {32, 64, 128}) e.push_back(std::abs(bv_ratio(mesh::Grid{{1, 1, n}, 1e-6}, dV / VT, MPI_COMM_NULL) - exact));
  std::printf("BV 100 mV: |I_s/I_0 - exact| = %.3e %.3e %.3e (orders %.3f %.3f)\n", e[0], e[1], e[2], std::log2(e[0] / e[1]),
              std::log2(e[1] / e[2]));
  EXPECT_LT(e[2], 1e-4 * exact);
  EXPECT_GE(std::log2(e[1] / e[2]), 1.8);
  EXPECT_LE(std::log2(e[1] / e[2]), 2.2);
}

TEST(ElectroneutralSteady, DonnanSlabIsExactAndWellBalanced) {
  // spec §8 item 3: reservoir (c = 1, psi = 0) at z = 0, fixed charge X = 2 on 0.4 < z < 0.6,
  // blocking wall at z = 1.
  const mesh::Grid grid{{1, 1, 50}, 1e-6};
  solver::Domain d(grid, two_dof());
  const auto c = uniform(d, 1.0, 1.0, [](int k) { return k >= 20 && k < 30 ? 2.0 : 0.0; });
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {solver::ElectrodeKind::reservoir, 0.0, 0.0}, {}};
  const auto r = solver::solve_electroneutral_steady(d, in);
  EXPECT_FALSE(r.inventory_constraint);
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k) {
    const std::size_t o = b.offset(0, 0, k);
    const bool slab = k >= 20 && k < 30;
    EXPECT_NEAR(r.c_plus[o], slab ? 1.0 + std::sqrt(2.0) : 1.0, 1e-12);
    EXPECT_NEAR(r.c_minus[o], slab ? std::sqrt(2.0) - 1.0 : 1.0, 1e-12);
    EXPECT_NEAR(r.psi[o], slab ? -std::asinh(1.0) : 0.0, 1e-12);
  }
  EXPECT_LT(std::abs(r.li_flux_in_low), 1e-14);
}

TEST(ElectroneutralSteady, AnalyticJacobianMatchesFiniteDifferences) {
  const mesh::Grid grid{{4, 3, 5}, 1e-6};
  for (const auto sides : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    solver::Domain d(grid, two_dof(MPI_COMM_NULL, sides));
    std::mt19937 rng(7 + d.rank());
    std::uniform_real_distribution<double> U(0.2, 1.5);
    Coefficients c;
    std::vector<double> mu;
    for (std::size_t cell = 0; cell < d.owned().n_cells(); ++cell) {
      for (int a = 0; a < 3; ++a) {
        c.Dp.push_back(U(rng));
        c.Dm.push_back(U(rng));
      }
      c.X.push_back(U(rng) - 0.2);
      mu.push_back(0.3 * (U(rng) - 0.8));
      mu.push_back(0.3 * (U(rng) - 0.8));
    }
    using K = solver::ElectrodeKind;
    const std::vector<std::pair<solver::ElectrodeBC, solver::ElectrodeBC>> cases{
        {{K::ideal_li, 0.4, 0}, {K::ideal_li, 0.0, 0}},  // inventory row
        {{K::reservoir, 0.1, -0.2}, {K::blocking, 0, 0}},
        {{K::reservoir, 0.0, 0.0}, {K::ideal_li, 0.3, 0}}};
    for (const auto& [lo, hi] : cases) {
      const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, lo, hi};
      EXPECT_LT(solver::electroneutral_jacobian_mismatch(d, in, mu), 1e-6);
    }
  }
}

TEST(ElectroneutralSteady, RankCountIndependent) {
  // A 3D box with a charged slab and ideal electrodes; compared with a serial solve on rank 0.
  const mesh::Grid grid{{5, 4, 12}, 1e-6};
  auto solve = [&](MPI_Comm comm) {
    solver::Domain d(grid, two_dof(comm));
    const auto c = uniform(d, 0.724, 1.0, [](int k) { return k >= 4 && k < 8 ? 2.0 : 0.0; });
    const solver::ElectroneutralInput in{c.Dp, c.Dm, c.X, {}, {solver::ElectrodeKind::ideal_li, 0.4, 0},
                                         {solver::ElectrodeKind::ideal_li, 0.0, 0}};
    return solver::solve_electroneutral_steady(d, in).li_flux_in_low;
  };
  const double parallel = solve(MPI_COMM_NULL);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  double serial = 0.0;
  if (rank == 0) serial = solve(PETSC_COMM_SELF);
  MPI_Bcast(&serial, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  EXPECT_NEAR(parallel, serial, 1e-8 * std::abs(serial));
}

// A recipe that sets -en_pc_type (configs/petsc/electroneutral_gamg.yaml) must not get the
// BoomerAMG defaults written as options: SNESSetFromOptions picks the recipe's PC, and
// -options_left then reported the defaults unused (app_petsc_recipes).
TEST(ElectroneutralSteady, BoomerAmgDefaultsOnlyWithoutAChosenPcType) {
  PetscBool hypre = PETSC_FALSE;
  PetscHasExternalPackage("hypre", &hypre);
  if (!hypre) GTEST_SKIP() << "PETSc without hypre";
  const mesh::Grid grid{{16, 16, 20}, 1e-6};  // 5120 cells: between the electroneutral and PNP limits
  const solver::Domain d(grid, two_dof());
  // Defaults as the steady solver sets them; returns the PC type and whether a BoomerAMG option was written.
  auto configure = [&](std::size_t direct_limit) {
    solver::PetscHandle<SNES, SNESDestroy> snes;
    SNESCreate(d.comm(), snes.out());
    SNESSetOptionsPrefix(snes, "entest_");
    solver::set_newton_defaults(snes, d, 1e-10, 1e-12, direct_limit);
    solver::use_boomeramg(snes);
    KSP ksp = nullptr;
    PC pc = nullptr;
    SNESGetKSP(snes, &ksp);
    KSPGetPC(ksp, &pc);
    PCType type = nullptr;
    PCGetType(pc, &type);
    PetscBool written = PETSC_FALSE;
    PetscOptionsHasName(nullptr, nullptr, "-entest_pc_hypre_boomeramg_coarsen_type", &written);
    for (const char* key : {"coarsen_type", "interp_type", "strong_threshold", "P_max", "agg_nl"})
      PetscOptionsClearValue(nullptr, ("-entest_pc_hypre_boomeramg_" + std::string(key)).c_str());
    return std::pair{std::string(type), written == PETSC_TRUE};
  };
  EXPECT_EQ(configure(solver::direct_limit_3d).first, "lu");  // PNP's limit still factorises
  EXPECT_EQ(configure(solver::electroneutral_direct_limit_3d), std::pair(std::string("hypre"), true));
  {
    const solver::ScopedPetscOptions recipe("entest_", {{"pc_type", "gamg"}});
    EXPECT_EQ(configure(solver::electroneutral_direct_limit_3d), std::pair(std::string("gamg"), false));
  }
}
