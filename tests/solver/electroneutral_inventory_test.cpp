// Steady Bruce-Vincent cells beyond the direct-solver limit (issue 12): the iterative path (GMRES +
// BoomerAMG on the pinned matrix, inventory rows applied by the shell operator) on more than
// 20 000 cells in 3D, against the exact nonlinear steady state and against the 1D discrete
// solution, which every column of these laterally uniform cells must reproduce.
//
// Exact steady state of a uniform electrolyte (D+, fixed charge X; c in c0, mu in V_T, lengths in
// voxels) between ideal Li electrodes at mu+ = phi0 (z = 0) and 0 (z = L), anions blocked: the
// anion flux vanishes everywhere (its dissipation sum_f g-_f (d mu-)^2 = sum_K mu-_K div N-_K = 0),
// so mu- = m is uniform, c+ = c- + X and c+ c- = exp(mu+ + m). Then
//   N+ = -D+ c+ d mu+/dz = -D+ d(2 c- + X ln c-)/dz,
// so F(c-) = 2 c- + X ln c- is linear in z, and the salt content is
//   int c- dz = L (cL^2 + X cL - c0^2 - X c0) / (F(cL) - F(c0)),
// which fixes m (one scalar root) given the equilibrium content L c-_eq. X = 0 gives
// N+ = 4 D+ tanh(phi0/4) / L, i.e. the spec's I_s/I_0 = t+ tanh(u)/u.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "solver/petsc/error.hpp"
#include "solver/petsc/options.hpp"
#include "tests/solver/electroneutral_test_support.hpp"

using namespace en_test;

namespace {

constexpr double phi0 = 0.010 / VT_298;  // 10 mV step (spec §5.3)

double c_minus(double mu, double X) {
  const double e = std::exp(mu);
  return 2.0 * e / (X + std::sqrt(X * X + 4.0 * e));
}

/// Li+ flux density along +z of the exact steady state over a length of L voxels.
double exact_flux(double Dp, double X, double L) {
  const auto F = [X](double c) { return 2.0 * c + (X > 0.0 ? X * std::log(c) : 0.0); };
  const double c_eq = c_minus(0.0, X);
  const auto excess = [&](double m) {  // mean c- minus its equilibrium value; increasing in m
    const double c0 = c_minus(phi0 + m, X), cL = c_minus(m, X);
    return (cL * cL + X * cL - c0 * c0 - X * c0) / (F(cL) - F(c0)) - c_eq;
  };
  double lo = -phi0 - 1.0, hi = 1.0;
  for (int it = 0; it < 200; ++it) (excess(0.5 * (lo + hi)) > 0.0 ? hi : lo) = 0.5 * (lo + hi);
  const double m = 0.5 * (lo + hi);
  return Dp * (F(c_minus(phi0 + m, X)) - F(c_minus(m, X))) / L;
}

struct Material {
  double Dp_z, Dm_z, X;
};

solver::ElectroneutralInput bruce_vincent(const Fields& c) {
  return {c.Dp, c.Dm, c.X, {}, {solver::ElectrodeKind::ideal_li, phi0, 0.0}, {solver::ElectrodeKind::ideal_li, 0.0, 0.0}};
}

/// The same cell in 1D (1 x 1 x nz, one rank, below the direct limit: LU).
solver::ElectroneutralResult column(const Material& m, int nz) {
  const solver::Domain d(mesh::Grid{{1, 1, nz}, 1e-6}, two_dof(PETSC_COMM_SELF));
  const Fields c = fields(d, [&](int, int, int, Fields& f) {
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(m.Dp_z);
      f.Dm.push_back(m.Dm_z);
    }
    f.X.push_back(m.X);
  });
  return solver::solve_electroneutral_steady(d, bruce_vincent(c));
}

/// max over owned cells of |mu - mu_1D(material of the column, k)|, over all ranks.
template <typename MaterialOf>
double max_column_deviation(const solver::Domain& d, const solver::ElectroneutralResult& r, MaterialOf material_of,
                            const std::vector<solver::ElectroneutralResult>& reference) {
  double dev = 0.0;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const std::size_t o = b.offset(i, j, k);
        const auto& ref = reference[static_cast<std::size_t>(material_of(i))];
        const auto kk = static_cast<std::size_t>(k);
        dev = std::max({dev, std::abs(r.mu_plus[o] - ref.mu_plus[kk]), std::abs(r.mu_minus[o] - ref.mu_minus[kk])});
      }
  MPI_Allreduce(MPI_IN_PLACE, &dev, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  return dev;
}

}  // namespace

TEST(ElectroneutralInventory, ChargedGelBeyondTheDirectLimitMatchesTheExactSteadyState) {
  // 30 x 30 x 25 = 22 500 cells of gel (D+ = 0.724, D- = 1) with X = 0.5 c0, periodic sides.
  const mesh::Grid grid{{30, 30, 25}, 1e-6};
  const solver::Domain d(grid, two_dof(MPI_COMM_NULL, mesh::SideWalls::periodic));
  const Material gel{0.724, 1.0, 0.5};
  const Fields c = fields(d, [&](int, int, int, Fields& f) {
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(gel.Dp_z);
      f.Dm.push_back(gel.Dm_z);
    }
    f.X.push_back(gel.X);
  });
  const double t0 = MPI_Wtime();
  const auto r = solver::solve_electroneutral_steady(d, bruce_vincent(c));
  const double seconds = MPI_Wtime() - t0;
  EXPECT_TRUE(r.inventory_constraint);
  EXPECT_EQ(r.inventory_clusters, 1);
  EXPECT_EQ(r.converged_reason.rfind("CONVERGED_FNORM", 0), 0u) << r.converged_reason;
  EXPECT_GT(r.linear_iterations, r.newton_iterations);  // the iterative path, not a factorisation
  EXPECT_LE(r.newton_iterations, 6);

  const std::vector<solver::ElectroneutralResult> ref{column(gel, grid.n_cells[2])};
  const double deviation = max_column_deviation(d, r, [](int) { return 0; }, ref);
  const double area = static_cast<double>(grid.n_cells[0]) * grid.n_cells[1];
  const double exact = area * exact_flux(gel.Dp_z, gel.X, grid.n_cells[2]);
  const double c_eq = c_minus(0.0, gel.X);
  if (d_rank_zero())
    std::printf("charged gel 30x30x25 on %d ranks: %d Newton, %d GMRES its, %.2f s; Li flux %.12e, 1D discrete %.12e, "
                "exact %.12e (rel. %.2e); max |mu - mu_1D| %.2e\n",
                d.n_ranks(), r.newton_iterations, r.linear_iterations, seconds, r.li_flux_in_low,
                area * ref[0].li_flux_in_low, exact, r.li_flux_in_low / exact - 1.0, deviation);
  EXPECT_LT(deviation, 1e-8);
  EXPECT_NEAR(r.li_flux_in_low, area * ref[0].li_flux_in_low, 1e-9 * exact);
  EXPECT_NEAR(r.li_flux_in_low, exact, 2e-5 * exact);  // discretisation error of 25 cells along z: 2.9e-6
  EXPECT_NEAR(r.li_flux_in_high, -r.li_flux_in_low, 1e-9 * exact);
  EXPECT_NEAR(r.anion_inventory, c_eq * static_cast<double>(grid.n_total()), 1e-11 * c_eq * grid.n_total());
  // The exact reference is the spec's Bruce-Vincent formula for X = 0.
  const double u = phi0 / 4.0;
  EXPECT_NEAR(exact_flux(0.724, 0.0, 25.0) / ((0.724 + 1.0) * phi0 / 25.0), t_plus_gel * std::tanh(u) / u, 1e-13);
}

TEST(ElectroneutralInventory, WallLayersWithoutNormalTransportKeepTheirOwnSalt) {
  // 32 x 26 x 25 = 20 800 cells, periodic sides: walls two voxels thick every 8 along x (x mod 8 =
  // 6, 7) that conduct only in their plane (D_x = 0), charged (X = 2), with Li+-selective
  // galleries; gel elsewhere. No anion crosses a wall or moves between its layers, so the cell
  // holds 4 gel slabs and 8 single wall layers, each with its own salt (12 inventory rows); a
  // single global inventory left 11 directions free (the Jacobian was singular, and LU met a zero
  // pivot). Each column is then the 1D cell of its material.
  const mesh::Grid grid{{32, 26, 25}, 1e-6};
  const solver::Domain d(grid, two_dof(MPI_COMM_NULL, mesh::SideWalls::periodic));
  const Material gel{0.724, 1.0, 0.0}, wall{0.3, 0.05, 2.0};
  const auto material_of = [](int i) { return i % 8 >= 6 ? 1 : 0; };
  const Fields c = fields(d, [&](int i, int, int, Fields& f) {
    const Material& m = material_of(i) ? wall : gel;
    const bool w = material_of(i) == 1;
    f.Dp.insert(f.Dp.end(), {w ? 0.0 : m.Dp_z, m.Dp_z, m.Dp_z});
    f.Dm.insert(f.Dm.end(), {w ? 0.0 : m.Dm_z, m.Dm_z, m.Dm_z});
    f.X.push_back(m.X);
  });
  const double t0 = MPI_Wtime();
  const auto r = solver::solve_electroneutral_steady(d, bruce_vincent(c));
  const double seconds = MPI_Wtime() - t0;
  EXPECT_EQ(r.inventory_clusters, 12);
  EXPECT_EQ(r.converged_reason.rfind("CONVERGED_FNORM", 0), 0u) << r.converged_reason;
  EXPECT_GT(r.linear_iterations, r.newton_iterations);

  const std::vector<solver::ElectroneutralResult> ref{column(gel, grid.n_cells[2]), column(wall, grid.n_cells[2])};
  const double deviation = max_column_deviation(d, r, material_of, ref);
  const double ny = grid.n_cells[1];
  const double discrete = ny * (24.0 * ref[0].li_flux_in_low + 8.0 * ref[1].li_flux_in_low);
  const double exact = ny * (24.0 * exact_flux(gel.Dp_z, gel.X, 25.0) + 8.0 * exact_flux(wall.Dp_z, wall.X, 25.0));
  if (d_rank_zero())
    std::printf("walls 32x26x25 on %d ranks: %d clusters, %d Newton, %d GMRES its, %.2f s; Li flux %.12e, 1D discrete "
                "%.12e, exact %.12e (rel. %.2e); max |mu - mu_1D| %.2e\n",
                d.n_ranks(), r.inventory_clusters, r.newton_iterations, r.linear_iterations, seconds, r.li_flux_in_low,
                discrete, exact, r.li_flux_in_low / exact - 1.0, deviation);
  EXPECT_LT(deviation, 1e-8);
  EXPECT_NEAR(r.li_flux_in_low, discrete, 1e-9 * exact);
  EXPECT_NEAR(r.li_flux_in_low, exact, 2e-5 * exact);  // 3.9e-6 measured
  // Each wall layer keeps the Donnan salt content of its charge: c- at equilibrium times its cells.
  const double content = grid.n_cells[1] * grid.n_cells[2] * (24.0 * c_minus(0.0, gel.X) + 8.0 * c_minus(0.0, wall.X));
  EXPECT_NEAR(r.anion_inventory, content, 1e-11 * content);
}

TEST(ElectroneutralInventory, LinearSolverFailureIsReportedAsSuch) {
  // GMRES cut off after one iteration: the message says that the linear solve failed and why, and
  // hints at the linear solver and the transient route, not at continuation in the voltage.
  const mesh::Grid grid{{11, 11, 40}, 1e-6};  // 4 840 cells: just above the direct limit
  const solver::Domain d(grid, two_dof());
  const Fields c = uniform(d, 0.724, 1.0);
  const solver::ScopedPetscOptions cut("en_", {{"ksp_max_it", "1"}});
  std::string message;
  try {
    static_cast<void>(solver::solve_electroneutral_steady(d, bruce_vincent(c)));
  } catch (const solver::SolveError& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("DIVERGED_LINEAR_SOLVE"), std::string::npos) << message;
  EXPECT_NE(message.find("linear solve of Newton step 1 failed, not Newton: DIVERGED_ITS after 1 gmres iterations"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("-en_pc_type lu"), std::string::npos) << message;
  EXPECT_NE(message.find("bruce_vincent.route: transient"), std::string::npos) << message;
  EXPECT_EQ(message.find("ramp"), std::string::npos) << message;
}
