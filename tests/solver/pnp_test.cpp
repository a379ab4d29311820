// Poisson-Nernst-Planck verification (spec §8 items 3, 7, 8, 9, 10, 11): Gouy-Chapman double layer,
// Donnan slab with resolved double layers, the electroneutral limit, transient relaxation against
// the exact discrete diffusion mode, conservation, analytic Jacobian, rank-count independence.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include "pnp_test_support.hpp"
#include "solver/electroneutral/electroneutral.hpp"

using namespace pnp_test;

namespace {

bool rank_zero() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank == 0;
}

// Max |psi - exact| of the Gouy-Chapman layer with lambda_D = `debye` voxels, psi0 = -2, the
// charged wall at z = 0 and a reservoir at 30 lambda_D.
double gouy_chapman_error(int debye) {
  const int n = 30 * debye;
  const mesh::Grid grid{{1, 1, n}, 1e-9};
  solver::Domain d(grid, three_dof());
  Fields f = fields(d, 0.724, 1.0, [](int, int, int) { return 0.0; });
  const double lambda = debye, psi0 = -2.0;
  solver::PnpInput in = f.input(2.0 * lambda * lambda);
  in.low = wall(4.0 * lambda * std::sinh(psi0 / 2.0));  // Grahame
  in.high = reservoir(0.0);
  const solver::PnpResult r = solver::solve_pnp_steady(d, in);
  double err = 0.0, boltzmann = 0.0;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k) {
    const std::size_t o = b.offset(0, 0, k);
    const double x = k + 0.5;
    const double exact = 4.0 * std::atanh(std::tanh(psi0 / 4.0) * std::exp(-x / lambda));
    err = std::max(err, std::abs(r.psi[o] - exact));
    boltzmann = std::max({boltzmann, std::abs(r.c_plus[o] * std::exp(r.psi[o]) - 1.0),
                          std::abs(r.c_minus[o] * std::exp(-r.psi[o]) - 1.0)});
  }
  MPI_Allreduce(MPI_IN_PLACE, &err, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, &boltzmann, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  EXPECT_LT(boltzmann, 1e-9) << "discrete Boltzmann distribution (SG fluxes vanish at equilibrium)";
  EXPECT_LT(std::abs(r.net_charge), 1e-8 * std::abs(in.low.surface_charge)) << "Gauss: diffuse charge = -wall charge";
  EXPECT_LT(std::abs(r.current_in_high), 1e-10);
  return err;
}

}  // namespace

TEST(PnpSteady, GouyChapmanDoubleLayerConvergesAtSecondOrder) {
  const double e20 = gouy_chapman_error(20), e40 = gouy_chapman_error(40);
  const double order = std::log2(e20 / e40);
  if (rank_zero()) std::printf("Gouy-Chapman psi0=-2: max err h=lD/20 %.3e, lD/40 %.3e, order %.3f\n", e20, e40, order);
  EXPECT_LT(e20, 5e-3);
  EXPECT_GE(order, 1.8);
}

namespace {

struct SlabResult {
  double c_plus_centre, c_minus_centre, psi_centre, width;
};

// Donnan slab (spec §8.3): reservoir at z = 0, X = 2 on [0.4, 0.6] of n cells, insulating wall at
// the end; lambda_D = `debye` voxels. Width = distance over which psi goes from 10 % to 90 % of
// the Donnan potential at the slab's left edge.
SlabResult donnan_slab(int n, double debye) {
  const mesh::Grid grid{{1, 1, n}, 1e-9};
  solver::Domain d(grid, three_dof());
  const int lo = 2 * n / 5, hi = 3 * n / 5;
  Fields f = fields(d, 0.724, 1.0, [&](int, int, int k) { return k >= lo && k < hi ? 2.0 : 0.0; });
  solver::PnpInput in = f.input(2.0 * debye * debye);
  in.low = reservoir(0.0);
  in.high = wall();
  const solver::PnpResult r = solver::solve_pnp_steady(d, in);
  const int mid = n / 2;
  SlabResult s{at_cell(d, r.c_plus, 0, 0, mid), at_cell(d, r.c_minus, 0, 0, mid), at_cell(d, r.psi, 0, 0, mid), 0.0};
  // Edge profile: psi is monotone across the left edge; interpolate the 10 % and 90 % crossings.
  std::vector<double> psi(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) psi[static_cast<std::size_t>(k)] = at_cell(d, r.psi, 0, 0, k);
  auto crossing = [&](double level) {
    for (int k = lo - n / 10; k < mid; ++k) {
      const double a = psi[static_cast<std::size_t>(k)], b = psi[static_cast<std::size_t>(k) + 1];
      if ((a - level) * (b - level) <= 0.0 && a != b) return k + (level - a) / (b - a);
    }
    return -1.0;
  };
  s.width = crossing(0.9 * s.psi_centre) - crossing(0.1 * s.psi_centre);
  return s;
}

}  // namespace

TEST(PnpSteady, DonnanSlabMatchesTheElectroneutralValuesAndWidthScalesWithDebyeLength) {
  const SlabResult fine = donnan_slab(2000, 10.0);  // lambda_D = 0.005 of the domain, h = lambda_D / 10
  EXPECT_NEAR(fine.c_plus_centre, 1.0 + std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(fine.c_minus_centre, std::sqrt(2.0) - 1.0, 1e-6);
  EXPECT_NEAR(fine.psi_centre, -std::asinh(1.0), 1e-6);
  const SlabResult thin = donnan_slab(2000, 5.0);
  const double ratio = fine.width / thin.width;
  if (rank_zero())
    std::printf("Donnan slab: centre c+ %.9f c- %.9f psi %.9f; 10-90%% width %.3f (lD=10) %.3f (lD=5), ratio %.3f\n",
                fine.c_plus_centre, fine.c_minus_centre, fine.psi_centre, fine.width, thin.width, ratio);
  EXPECT_NEAR(ratio, 2.0, 0.1);
}

namespace {

struct CellComparison {
  double current_pnp, current_en, slab_c_plus_pnp, slab_c_plus_en;
};

// Charged slab between two reservoirs at psi = 0 and psi = V, PNP vs electroneutral on one grid.
CellComparison slab_with_current(int n, double debye, double V) {
  const mesh::Grid grid{{1, 1, n}, 1e-9};
  const int lo = 2 * n / 5, hi = 3 * n / 5;
  auto X_of = [&](int, int, int k) { return k >= lo && k < hi ? 2.0 : 0.0; };
  CellComparison out{};
  auto slab_mean = [&](const solver::Domain& d, const std::vector<double>& c) {
    double s = 0.0;
    for (int k = std::max(lo, d.owned().lo[2]); k < std::min(hi, d.owned().hi[2]); ++k) s += c[d.owned().offset(0, 0, k)];
    MPI_Allreduce(MPI_IN_PLACE, &s, 1, MPI_DOUBLE, MPI_SUM, d.comm());
    return s / (hi - lo);
  };
  {
    solver::Domain d(grid, three_dof());
    Fields f = fields(d, 0.724, 1.0, X_of);
    solver::PnpInput in = f.input(2.0 * debye * debye);
    in.low = reservoir(0.0);
    in.high = reservoir(V);
    const solver::PnpResult r = solver::solve_pnp_steady(d, in);
    out.current_pnp = r.current_in_low;
    out.slab_c_plus_pnp = slab_mean(d, r.c_plus);
    // Discrete conservation: every cross-section carries the same current, up to the sum of the
    // species residuals between them (<= sqrt(n) ||F||_2).
    for (const double i : r.cross_section_current)
      EXPECT_NEAR(i, r.current_in_low, 1e-10 * std::abs(r.current_in_low) + std::sqrt(n) * r.residual_norm);
  }
  {
    solver::DomainOptions o;
    o.dof = 2;
    solver::Domain d(grid, o);
    Fields f = fields(d, 0.724, 1.0, X_of);
    solver::ElectroneutralInput in;
    in.D_plus = f.Dp;
    in.D_minus = f.Dm;
    in.X = f.X;
    in.low = {solver::ElectrodeKind::reservoir, 0.0, 0.0};
    in.high = {solver::ElectrodeKind::reservoir, V, -V};  // mu+ = ln c + psi, mu- = ln c - psi
    const solver::ElectroneutralResult r = solver::solve_electroneutral_steady(d, in);
    out.current_en = r.current_in_low;
    out.slab_c_plus_en = slab_mean(d, r.c_plus);
  }
  return out;
}

}  // namespace

TEST(PnpSteady, ApproachesTheElectroneutralModelLinearlyInTheDebyeLength) {
  // Slab width l = 0.2 n; lambda_D / l = 0.01 and 0.005 with h = lambda_D / 20 and / 10.
  const int n = 10000;
  const CellComparison a = slab_with_current(n, 20.0, 1.0), b = slab_with_current(n, 10.0, 1.0);
  const double di_a = std::abs(a.current_pnp / a.current_en - 1.0), di_b = std::abs(b.current_pnp / b.current_en - 1.0);
  const double dc_a = std::abs(a.slab_c_plus_pnp / a.slab_c_plus_en - 1.0);
  const double dc_b = std::abs(b.slab_c_plus_pnp / b.slab_c_plus_en - 1.0);
  if (rank_zero())
    std::printf("EN limit: current rel. diff %.3e (lD/l=0.01) %.3e (0.005) ratio %.3f; slab c+ %.3e %.3e ratio %.3f\n",
                di_a, di_b, di_a / di_b, dc_a, dc_b, dc_a / dc_b);
  EXPECT_NEAR(a.current_en, b.current_en, 1e-12 * std::abs(a.current_en));
  EXPECT_LT(di_a, 0.05);
  EXPECT_NEAR(di_a / di_b, 2.0, 0.3);
  EXPECT_NEAR(dc_a / dc_b, 2.0, 0.3);
}

namespace {

// Cosine salt mode relaxing between an electrode (psi = 0) and an insulating wall: with X = 0 the
// discrete mode cos(pi (k + 1/2) / n) decays exactly as exp(-lambda_h D t), lambda_h = 4 sin^2(pi / 2n).
struct Relaxation {
  double amplitude_error, inventory_drift_plus, inventory_drift_minus;
  int steps;
};

Relaxation relax(double Dp, double Dm, double debye, double D_expected) {
  const int n = 40;
  const mesh::Grid grid{{1, 1, n}, 1e-9};
  solver::Domain d(grid, three_dof());
  Fields f = fields(d, Dp, Dm, [](int, int, int) { return 0.0; });
  const double a = 0.1;
  auto mode = [&](int k) { return std::cos(std::numbers::pi * (k + 0.5) / n); };
  for (int k = d.owned().lo[2]; k < d.owned().hi[2]; ++k) {
    const double c = 1.0 + a * mode(k);
    f.u.insert(f.u.end(), {std::log(c), std::log(c), 0.0});
  }
  solver::PnpInput in = f.input(2.0 * debye * debye);
  in.low = electrode(0.0);
  in.high = wall();
  in.initial = f.u;
  const double lambda_h = 4.0 * std::pow(std::sin(std::numbers::pi / (2.0 * n)), 2);
  solver::PnpTransientOptions opt;
  opt.t_final = 1.0 / (lambda_h * D_expected);  // one e-fold
  opt.dt_initial = 1e-3 * opt.t_final;
  opt.rtol = 1e-7;
  opt.atol = 1e-10;
  const solver::PnpTransientResult r = solver::solve_pnp_transient(d, in, opt);
  const double decay = std::exp(-lambda_h * D_expected * opt.t_final);
  double err = 0.0;
  for (int k = d.owned().lo[2]; k < d.owned().hi[2]; ++k) {
    const double salt = 0.5 * (r.final_state.c_plus[d.owned().offset(0, 0, k)] + r.final_state.c_minus[d.owned().offset(0, 0, k)]);
    err = std::max(err, std::abs(salt - 1.0 - a * decay * mode(k)) / (a * decay));
  }
  MPI_Allreduce(MPI_IN_PLACE, &err, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  const auto& h0 = r.history.front();
  const auto& h1 = r.history.back();
  return {err, std::abs(h1.inventory_plus / h0.inventory_plus - 1.0),
          std::abs(h1.inventory_minus / h0.inventory_minus - 1.0), r.steps};
}

}  // namespace

TEST(PnpTransient, EqualDiffusivitiesRelaxAsTheExactDiscreteDiffusionMode) {
  const Relaxation r = relax(1.0, 1.0, 2.0, 1.0);
  if (rank_zero())
    std::printf("PNP relaxation D+=D-: amplitude error %.2e, inventory drift %.1e %.1e, %d steps\n", r.amplitude_error,
                r.inventory_drift_plus, r.inventory_drift_minus, r.steps);
  EXPECT_LT(r.amplitude_error, 1e-4);
  EXPECT_LT(r.inventory_drift_plus, 1e-12);
  EXPECT_LT(r.inventory_drift_minus, 1e-12);
}

TEST(PnpTransient, UnequalDiffusivitiesRelaxWithTheAmbipolarDiffusivityInTheElectroneutralLimit) {
  // lambda_D = 0.05 voxel << mode length: the salt diffuses with D_amb = 2 D+ D- / (D+ + D-).
  const double Dp = 0.724, Dm = 1.0;
  const Relaxation r = relax(Dp, Dm, 0.05, 2.0 * Dp * Dm / (Dp + Dm));
  if (rank_zero())
    std::printf("PNP relaxation D+ != D-: amplitude error vs ambipolar %.2e, inventory drift %.1e %.1e\n",
                r.amplitude_error, r.inventory_drift_plus, r.inventory_drift_minus);
  EXPECT_LT(r.amplitude_error, 1e-3);
  EXPECT_LT(r.inventory_drift_plus, 1e-12);
  EXPECT_LT(r.inventory_drift_minus, 1e-12);
}

TEST(PnpSteady, AnalyticJacobianMatchesFiniteDifferences) {
  const mesh::Grid grid{{6, 5, 4}, 1e-9};
  const solver::PnpFace faces[][2] = {{reservoir(0.0), reservoir(0.7, 1.3)},
                                      {wall(-0.4), reservoir(0.2)},
                                      {electrode(0.3), reservoir(-0.1, 0.8)}};
  for (const auto sides : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic})
    for (const auto& bc : faces)
      for (const double shift : {0.0, 3.0}) {
        solver::Domain d(grid, three_dof(MPI_COMM_NULL, sides));
        // Clay column (no species), fixed charge, smooth random-looking state.
        Fields f = fields(d, 0.724, 1.0, [](int i, int j, int k) { return 0.3 * ((i + 2 * j + 3 * k) % 4); });
        const mesh::Box& b = d.owned();
        for (int k = b.lo[2]; k < b.hi[2]; ++k)
          for (int j = b.lo[1]; j < b.hi[1]; ++j)
            for (int i = b.lo[0]; i < b.hi[0]; ++i) {
              const std::size_t o = b.offset(i, j, k);
              if (i == 2 && j == 2)
                for (int a = 0; a < 3; ++a) f.Dp[3 * o + a] = f.Dm[3 * o + a] = 0.0;
              f.Dm[3 * o] *= 0.5;  // anisotropic anion
              f.eps[o] = 1.0 + 0.5 * ((i + j) % 2);
              f.u.insert(f.u.end(), {0.2 * std::sin(i + 0.3 * k), -0.1 * std::cos(j + k), 0.4 * std::sin(0.7 * i * j + k)});
            }
        solver::PnpInput in = f.input(3.0);
        in.low = bc[0];
        in.high = bc[1];
        in.side_surface_charge = -0.2;
        EXPECT_LT(solver::pnp_jacobian_mismatch(d, in, f.u, shift), 1e-6)
            << "faces " << static_cast<int>(bc[0].kind) << '/' << static_cast<int>(bc[1].kind) << " shift " << shift;
      }
}

TEST(PnpSteady, RankCountIndependentOnA3dBoxWithClay) {
  const mesh::Grid grid{{6, 5, 16}, 1e-9};
  auto solve = [&](MPI_Comm comm) {
    solver::Domain d(grid, three_dof(comm, mesh::SideWalls::periodic));
    Fields f = fields(d, 0.724, 1.0, [](int i, int, int k) { return k >= 6 && k < 10 && i < 3 ? 1.5 : 0.0; });
    const mesh::Box& b = d.owned();
    for (int k = b.lo[2]; k < b.hi[2]; ++k)
      for (int j = b.lo[1]; j < b.hi[1]; ++j)
        for (int i = b.lo[0]; i < b.hi[0]; ++i)
          if (k >= 6 && k < 10 && i == 3) {  // clay wall: dielectric, no ions
            const std::size_t o = b.offset(i, j, k);
            for (int a = 0; a < 3; ++a) f.Dp[3 * o + a] = f.Dm[3 * o + a] = 0.0;
            f.eps[o] = 0.25;
          }
    solver::PnpInput in = f.input(2.0 * 1.5 * 1.5);
    in.low = reservoir(0.0);
    in.high = reservoir(0.5);
    const solver::PnpResult r = solver::solve_pnp_steady(d, in);
    return r.current_in_low;
  };
  const double parallel = solve(MPI_COMM_NULL);
  double serial = 0.0;
  if (rank_zero()) serial = solve(PETSC_COMM_SELF);
  MPI_Bcast(&serial, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  EXPECT_NEAR(parallel, serial, 1e-8 * std::abs(serial));
}

TEST(PnpSteady, RejectsIllPosedInput) {
  const mesh::Grid grid{{1, 1, 8}, 1e-9};
  solver::Domain d(grid, three_dof());
  Fields f = fields(d, 1.0, 1.0, [](int, int, int) { return 0.0; });
  solver::PnpInput in = f.input(1.0);
  in.low = wall();
  in.high = wall();
  EXPECT_THROW((void)solver::solve_pnp_steady(d, in), std::invalid_argument);  // nothing fixes psi
  in.high = electrode(0.0);
  EXPECT_THROW((void)solver::solve_pnp_steady(d, in), std::invalid_argument);  // steady without reservoir
  in.high = reservoir(0.0);
  f.eps[0] = 0.0;
  EXPECT_THROW((void)solver::solve_pnp_steady(d, in), std::invalid_argument);  // zero permittivity
}
