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

#include "pnp_test_support.hpp"

using namespace pnp_test;

namespace {

using P = std::array<double, 3>;  // unit-box coordinates
constexpr double pi = std::numbers::pi;
constexpr double fd_step = 1e-3;

// Exact fields: constant on the reservoir faces x = 0 and x = 1, periodic in y and z.
double c_plus(const P& p) { return 1.0 + 0.3 * std::sin(pi * p[0]) * std::sin(2 * pi * p[1]) * std::cos(2 * pi * p[2]); }
double c_minus(const P& p) { return 1.0 + 0.2 * std::sin(pi * p[0]) * std::cos(2 * pi * p[1]); }
double psi(const P& p) { return 0.5 * std::sin(pi * p[0]) * std::cos(2 * pi * p[1]) * std::cos(2 * pi * p[2]) + 0.4 * p[0]; }
double D_plus(const P& p) { return 1.0 + 0.3 * p[0] * std::pow(std::cos(pi * p[1]), 2); }
double D_minus(const P& p) { return 1.5 + 0.2 * p[0] * std::pow(std::sin(pi * (p[1] + p[2])), 2); }
double eps(const P& p) { return 1.0 + 0.2 * p[0] * std::pow(std::cos(pi * p[2] + pi * p[1]), 2); }
double fixed_charge(const P& p) { return 0.3 * std::pow(std::sin(pi * p[0]), 2) * (0.5 + 0.5 * std::cos(2 * pi * p[1])); }

double derivative(const std::function<double(const P&)>& f, P p, int axis) {
  auto at = [&](double s) {
    P q = p;
    q[static_cast<std::size_t>(axis)] += s * fd_step;
    return f(q);
  };
  return (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * fd_step);
}

// Unit-box divergence of the vector field with components flux(p, axis).
double divergence(const std::function<double(const P&, int)>& flux, const P& p, int dim) {
  double s = 0.0;
  for (int a = 0; a < dim; ++a) s += derivative([&](const P& q) { return flux(q, a); }, p, a);
  return s;
}

struct Errors {
  std::array<double, 3> l2{}, max{};
};

Errors solve_mms(int n, int dim, double lambda2_unit) {
  const mesh::Grid grid{{n, n, dim == 3 ? n : 1}, 1e-9};
  solver::Domain d(grid, three_dof(MPI_COMM_NULL, mesh::SideWalls::periodic, 0));
  Fields f;
  std::vector<double> source, exact;
  const auto N = static_cast<double>(n);
  const double lambda2 = lambda2_unit * N * N;  // Lambda^2 in cell units
  auto species_flux = [](int z, std::function<double(const P&)> c, std::function<double(const P&)> D) {
    return [c, D, z](const P& p, int a) { return -D(p) * (derivative(c, p, a) + z * c(p) * derivative(psi, p, a)); };
  };
  const auto flux_plus = species_flux(1, c_plus, D_plus), flux_minus = species_flux(-1, c_minus, D_minus);
  const auto displacement = [&](const P& p, int a) { return -lambda2_unit * eps(p) * derivative(psi, p, a); };
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        const P p{(i + 0.5) / N, (j + 0.5) / N, dim == 3 ? (k + 0.5) / N : 0.0};
        for (int a = 0; a < 3; ++a) {
          f.Dp.push_back(D_plus(p));
          f.Dm.push_back(D_minus(p));
        }
        f.eps.push_back(eps(p));
        f.X.push_back(fixed_charge(p));
        // Cell units: d/dX = (1/N) d/dx, so divergences scale with 1/N^2.
        source.push_back(divergence(flux_plus, p, dim) / (N * N));
        source.push_back(divergence(flux_minus, p, dim) / (N * N));
        // Poisson: Lambda^2 = Lambda2_unit N^2 in cell units, so its divergence needs no scaling.
        source.push_back(divergence(displacement, p, dim) - (c_plus(p) - c_minus(p) - fixed_charge(p)));
        exact.insert(exact.end(), {c_plus(p), c_minus(p), psi(p)});
      }
  solver::PnpInput in = f.input(lambda2);
  in.low = reservoir(0.0);
  in.high = reservoir(0.4);
  in.source = source;
  in.rtol = 1e-12;
  const solver::PnpResult r = solver::solve_pnp_steady(d, in);
  Errors e;
  for (std::size_t c = 0; c < b.n_cells(); ++c) {
    const double got[3] = {r.c_plus[c], r.c_minus[c], r.psi[c]};
    for (std::size_t q = 0; q < 3; ++q) {
      const double err = std::abs(got[q] - exact[3 * c + q]);
      e.l2[q] += err * err;
      e.max[q] = std::max(e.max[q], err);
    }
  }
  MPI_Allreduce(MPI_IN_PLACE, e.l2.data(), 3, MPI_DOUBLE, MPI_SUM, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, e.max.data(), 3, MPI_DOUBLE, MPI_MAX, d.comm());
  for (double& v : e.l2) v = std::sqrt(v / static_cast<double>(grid.n_total()));
  return e;
}

void check_orders(int dim, std::array<int, 3> sizes, double lambda2_unit) {
  std::array<Errors, 3> e;
  for (std::size_t q = 0; q < 3; ++q) e[q] = solve_mms(sizes[q], dim, lambda2_unit);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const char* names[3] = {"c+", "c-", "psi"};
  for (std::size_t u = 0; u < 3; ++u) {
    const double ratio = static_cast<double>(sizes[2]) / sizes[1];
    const double l2_order = std::log(e[1].l2[u] / e[2].l2[u]) / std::log(ratio);
    const double max_order = std::log(e[1].max[u] / e[2].max[u]) / std::log(ratio);
    if (rank == 0)
      std::printf("PNP MMS %dD Lambda2=%g %-3s L2 %.3e %.3e %.3e (order %.3f), max order %.3f\n", dim, lambda2_unit,
                  names[u], e[0].l2[u], e[1].l2[u], e[2].l2[u], l2_order, max_order);
    EXPECT_GE(l2_order, 1.8) << names[u];
    EXPECT_LE(l2_order, 2.2) << names[u];
    EXPECT_GE(max_order, 1.7) << names[u];
  }
}

}  // namespace

TEST(PnpManufactured, SecondOrderIn2d) {
  for (const double lambda2 : {1.0, 1e-2}) check_orders(2, {16, 32, 64}, lambda2);
}

TEST(PnpManufactured, SecondOrderIn3d) { check_orders(3, {8, 12, 16}, 1.0); }
