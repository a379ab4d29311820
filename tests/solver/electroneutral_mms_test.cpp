// Manufactured solutions for the electroneutral model (spec §8 item 1), 2D and 3D: smooth mu+,
// mu- and fixed charge X on the unit box, c+-, psi from the solver's own Donnan kernel, variable
// anisotropic D+- (diagonal tensors), periodic across the transport axis x, reservoir faces (mu+ and
// mu- fixed) at x = 0 and x = 1. The sources are the exact divergences of the analytic fluxes
// N_i = -D_i c_i grad mu_i, taken by nested 4th-order central differences (truncation ~1e-12, far
// below the discretisation error). Pass: L2 order between the two finest grids in [1.8, 2.2] and
// max-norm order >= 1.7 for mu+-, c+-, psi.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>
#include <span>
#include <stdexcept>
#include <vector>

#include "electroneutral_test_support.hpp"
#include "mms_support.hpp"
#include "physics/electroneutral_kernels.hpp"

using namespace en_test;

namespace {

using P = mms::UnitPoint;
using Field = mms::UnitField;
constexpr double pi = std::numbers::pi;
constexpr int n_fields = 5;  // mu+, mu-, c+, c-, psi

// Exact fields: mu+- constant on the reservoir faces x = 0 and x = 1 (one value per face), periodic
// in y and z; X > 0 everywhere so c+ != c- and psi carries a Donnan part.
double mu_plus(const P& p) {
  return 0.4 * p[0] + 0.5 * std::sin(pi * p[0]) * std::cos(2 * pi * p[1]) * std::cos(2 * pi * p[2]);
}
double mu_minus(const P& p) { return -0.3 * p[0] + 0.3 * std::sin(pi * p[0]) * std::sin(2 * pi * (p[1] + p[2])); }
double fixed_charge(const P& p) {
  return 0.6 + 0.4 * std::cos(pi * p[0]) * std::sin(2 * pi * p[1]) * std::cos(2 * pi * p[2]);
}
// Axis component a of the diagonal tensors: anisotropic, so a wrong axis pick shows as an O(1) error.
double D_plus(const P& p, int a) { return (1.0 + 0.25 * a) * (1.0 + 0.3 * p[0] * std::pow(std::cos(pi * p[1]), 2)); }
double D_minus(const P& p, int a) {
  return (1.5 - 0.2 * a) * (1.0 + 0.2 * p[0] * std::pow(std::sin(pi * (p[1] + p[2])), 2));
}

ionpath::physics::ElectroneutralCell state(const P& p) {
  return ionpath::physics::electroneutral_cell(mu_plus(p), mu_minus(p), fixed_charge(p));
}

// Unit-box divergence of the flux of species sp (0 = Li+, 1 = anion).
double flux_divergence(int sp, const P& p, int dim) {
  const Field mu = sp == 0 ? Field(mu_plus) : Field(mu_minus);
  return mms::fd_divergence(
      [&](const P& q, int a) {
        const auto st = state(q);
        return -(sp == 0 ? D_plus(q, a) * st.c_plus : D_minus(q, a) * st.c_minus) * mms::fd_derivative(mu, q, a);
      },
      p, dim);
}

solver::DomainOptions periodic_x_axis() {
  solver::DomainOptions o = two_dof(MPI_COMM_NULL, mesh::SideWalls::periodic);
  o.transport_axis = 0;
  return o;
}

struct Problem {
  Fields f;
  std::vector<double> source, exact;  // 2 and n_fields per owned cell
  [[nodiscard]] solver::ElectroneutralInput input() const {
    solver::ElectroneutralInput in;
    in.D_plus = f.Dp;
    in.D_minus = f.Dm;
    in.X = f.X;
    in.low = {solver::ElectrodeKind::reservoir, mu_plus({0, 0, 0}), mu_minus({0, 0, 0})};
    in.high = {solver::ElectrodeKind::reservoir, mu_plus({1, 0, 0}), mu_minus({1, 0, 0})};
    in.source = source;
    in.rtol = 1e-12;
    return in;
  }
};

Problem manufacture(const solver::Domain& d, int n, int dim) {
  Problem pr;
  const auto N = static_cast<double>(n);
  mms::for_each_cell_centre(d.owned(), n, dim, [&](const P& p) {
    for (int a = 0; a < 3; ++a) {
      pr.f.Dp.push_back(D_plus(p, a));
      pr.f.Dm.push_back(D_minus(p, a));
    }
    pr.f.X.push_back(fixed_charge(p));
    // Cell units: d/dX = (1/N) d/dx, so divergences scale with 1/N^2.
    for (int sp = 0; sp < 2; ++sp) pr.source.push_back(flux_divergence(sp, p, dim) / (N * N));
    const auto st = state(p);
    pr.exact.insert(pr.exact.end(), {mu_plus(p), mu_minus(p), st.c_plus, st.c_minus, st.psi});
  });
  return pr;
}

mms::ErrorNorms solve_mms(int n, int dim) {
  const mesh::Grid grid{{n, n, dim == 3 ? n : 1}, 1e-9};
  solver::Domain d(grid, periodic_x_axis());
  const Problem pr = manufacture(d, n, dim);
  const solver::ElectroneutralResult r = solver::solve_electroneutral_steady(d, pr.input());
  EXPECT_EQ(r.inactive_fraction, 0.0);
  mms::ErrorNorms e(n_fields);
  for (std::size_t c = 0; c < d.owned().n_cells(); ++c) {
    const double got[n_fields] = {r.mu_plus[c], r.mu_minus[c], r.c_plus[c], r.c_minus[c], r.psi[c]};
    for (std::size_t q = 0; q < n_fields; ++q) e.add(q, got[q], pr.exact[n_fields * c + q]);
  }
  e.reduce(d.comm(), grid.n_total());
  return e;
}

void check_orders(int dim, std::array<int, 3> sizes) {
  std::array<mms::ErrorNorms, 3> e;
  for (std::size_t q = 0; q < 3; ++q) e[q] = solve_mms(sizes[q], dim);
  mms::expect_second_order("EN MMS " + std::to_string(dim) + "D", {"mu+", "mu-", "c+", "c-", "psi"}, e, sizes);
}

}  // namespace

TEST(ElectroneutralManufactured, SecondOrderIn2d) { check_orders(2, {16, 32, 64}); }

TEST(ElectroneutralManufactured, SecondOrderIn3d) { check_orders(3, {8, 12, 16}); }

TEST(ElectroneutralManufactured, RejectsMisSizedSource) {
  const mesh::Grid grid{{4, 4, 1}, 1e-9};
  solver::Domain d(grid, periodic_x_axis());
  const Problem pr = manufacture(d, 4, 2);
  solver::ElectroneutralInput in = pr.input();
  in.source = std::span(pr.source).first(pr.source.size() - 1);
  EXPECT_THROW((void)solver::solve_electroneutral_steady(d, in), std::invalid_argument);
}

// The transient residual carries the source too: started from the discrete steady state with the
// source, the transient stays there; without the source the same start relaxes by O(0.1).
TEST(ElectroneutralManufactured, TransientKeepsTheSourcedSteadyState) {
  const int n = 12;
  const mesh::Grid grid{{n, n, 1}, 1e-9};
  solver::Domain d(grid, periodic_x_axis());
  const Problem pr = manufacture(d, n, 2);
  solver::ElectroneutralInput in = pr.input();
  const solver::ElectroneutralResult steady = solver::solve_electroneutral_steady(d, in);
  std::vector<double> mu;
  for (std::size_t c = 0; c < steady.mu_plus.size(); ++c) mu.insert(mu.end(), {steady.mu_plus[c], steady.mu_minus[c]});
  in.initial_mu = mu;
  solver::TransientOptions opt;
  opt.t_final = 2.0 * n * n / (pi * pi);  // a few slowest relaxation times
  auto drift = [&](const solver::ElectroneutralInput& run) {
    const auto r = solver::solve_electroneutral_transient(d, run, opt);
    double m = 0.0;
    for (std::size_t c = 0; c < mu.size() / 2; ++c)
      m = std::max(
          {m, std::abs(r.final_state.mu_plus[c] - mu[2 * c]), std::abs(r.final_state.mu_minus[c] - mu[2 * c + 1])});
    MPI_Allreduce(MPI_IN_PLACE, &m, 1, MPI_DOUBLE, MPI_MAX, d.comm());
    return m;
  };
  const double with_source = drift(in);
  in.source = {};
  const double without_source = drift(in);
  if (d_rank_zero())
    std::printf("EN MMS transient drift: with source %.3e, without %.3e\n", with_source, without_source);
  EXPECT_LT(with_source, 1e-6);
  EXPECT_GT(without_source, 1e-2);
}
