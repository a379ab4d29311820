// Manufactured solutions for the PNP model (spec §8 item 1), 2D and 3D: smooth c+, c-, psi,
// variable D+-, permittivity and fixed charge on the unit box (periodic across the transport axis,
// reservoir faces along it). The source terms are the exact divergences of the analytic fluxes,
// taken by nested 4th-order central differences (truncation ~1e-12, far below the discretisation
// error). Pass: L2 order between the two finest grids in [1.8, 2.2] and max-norm order >= 1.7 for
// every unknown, at Lambda^2 = 1 and 1e-2 (in unit-box lengths).
#include <gtest/gtest.h>
#include <mpi.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>
#include <vector>

#include "mms_support.hpp"
#include "pnp_test_support.hpp"

using namespace pnp_test;

namespace {

using P = mms::UnitPoint;
constexpr double pi = std::numbers::pi;

// Exact fields: constant on the reservoir faces x = 0 and x = 1, periodic in y and z.
double c_plus(const P& p) {
  return 1.0 + 0.3 * std::sin(pi * p[0]) * std::sin(2 * pi * p[1]) * std::cos(2 * pi * p[2]);
}
double c_minus(const P& p) { return 1.0 + 0.2 * std::sin(pi * p[0]) * std::cos(2 * pi * p[1]); }
double psi(const P& p) {
  return 0.5 * std::sin(pi * p[0]) * std::cos(2 * pi * p[1]) * std::cos(2 * pi * p[2]) + 0.4 * p[0];
}
double D_plus(const P& p) { return 1.0 + 0.3 * p[0] * std::pow(std::cos(pi * p[1]), 2); }
double D_minus(const P& p) { return 1.5 + 0.2 * p[0] * std::pow(std::sin(pi * (p[1] + p[2])), 2); }
double eps(const P& p) { return 1.0 + 0.2 * p[0] * std::pow(std::cos(pi * p[2] + pi * p[1]), 2); }
double fixed_charge(const P& p) {
  return 0.3 * std::pow(std::sin(pi * p[0]), 2) * (0.5 + 0.5 * std::cos(2 * pi * p[1]));
}

mms::ErrorNorms solve_mms(int n, int dim, double lambda2_unit) {
  const mesh::Grid grid{{n, n, dim == 3 ? n : 1}, 1e-9};
  solver::Domain d(grid, three_dof(MPI_COMM_NULL, mesh::SideWalls::periodic, 0));
  Fields f;
  std::vector<double> source, exact;
  const auto N = static_cast<double>(n);
  const double lambda2 = lambda2_unit * N * N;  // Lambda^2 in cell units
  auto species_flux = [](int z, std::function<double(const P&)> c, std::function<double(const P&)> D) {
    return [c, D, z](const P& p, int a) {
      return -D(p) * (mms::fd_derivative(c, p, a) + z * c(p) * mms::fd_derivative(psi, p, a));
    };
  };
  const auto flux_plus = species_flux(1, c_plus, D_plus), flux_minus = species_flux(-1, c_minus, D_minus);
  const auto displacement = [&](const P& p, int a) { return -lambda2_unit * eps(p) * mms::fd_derivative(psi, p, a); };
  mms::for_each_cell_centre(d.owned(), n, dim, [&](const P& p) {
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(D_plus(p));
      f.Dm.push_back(D_minus(p));
    }
    f.eps.push_back(eps(p));
    f.X.push_back(fixed_charge(p));
    // Cell units: d/dX = (1/N) d/dx, so divergences scale with 1/N^2.
    source.push_back(mms::fd_divergence(flux_plus, p, dim) / (N * N));
    source.push_back(mms::fd_divergence(flux_minus, p, dim) / (N * N));
    // Poisson: Lambda^2 = Lambda2_unit N^2 in cell units, so its divergence needs no scaling.
    source.push_back(mms::fd_divergence(displacement, p, dim) - (c_plus(p) - c_minus(p) - fixed_charge(p)));
    exact.insert(exact.end(), {c_plus(p), c_minus(p), psi(p)});
  });
  solver::PnpInput in = f.input(lambda2);
  in.low = reservoir(0.0);
  in.high = reservoir(0.4);
  in.source = source;
  in.rtol = 1e-12;
  const solver::PnpResult r = solver::solve_pnp_steady(d, in);
  mms::ErrorNorms e(3);
  for (std::size_t c = 0; c < d.owned().n_cells(); ++c) {
    const double got[3] = {r.c_plus[c], r.c_minus[c], r.psi[c]};
    for (std::size_t q = 0; q < 3; ++q) e.add(q, got[q], exact[3 * c + q]);
  }
  e.reduce(d.comm(), grid.n_total());
  return e;
}

void check_orders(int dim, std::array<int, 3> sizes, double lambda2_unit) {
  std::array<mms::ErrorNorms, 3> e;
  for (std::size_t q = 0; q < 3; ++q) e[q] = solve_mms(sizes[q], dim, lambda2_unit);
  char label[64];
  std::snprintf(label, sizeof label, "PNP MMS %dD Lambda2=%g", dim, lambda2_unit);
  mms::expect_second_order(label, {"c+", "c-", "psi"}, e, sizes);
}

}  // namespace

TEST(PnpManufactured, SecondOrderIn2d) {
  for (const double lambda2 : {1.0, 1e-2}) check_orders(2, {16, 32, 64}, lambda2);
}

TEST(PnpManufactured, SecondOrderIn3d) { check_orders(3, {8, 12, 16}, 1.0); }
