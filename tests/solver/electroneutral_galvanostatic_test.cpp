// spec §8 item 2: 1D binary electrolyte between Li electrodes, X = 0, D+ = 0.724, D- = 1, at half
// the limiting current (uniform_flux Li+ injection at the low face, ideal Li at the high face).
// Steady profile and cell voltage 2 ln 3 V_T with second-order convergence; transient face
// concentration difference against the exact series solution.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "tests/solver/electroneutral_test_support.hpp"

using namespace en_test;

namespace {

constexpr double Dp = 0.724, Dm = 1.0;

solver::ElectroneutralInput galvanostatic_input(const Fields& c, double j) {
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X};
  in.low = {solver::ElectrodeKind::uniform_flux, 0.0, 0.0, j};
  in.high = {solver::ElectrodeKind::ideal_li, 0.0, 0.0};
  return in;
}

struct SteadyErrors {
  double voltage, profile;
};

SteadyErrors steady_errors(int N) {
  const solver::Domain d(mesh::Grid{{1, 1, N}, 1e-6}, two_dof());
  const Fields c = uniform(d, Dp, Dm);
  const double j = 0.5 * 4.0 * Dp / N;  // i = 0.5 i_lim, i_lim = 4 D+ c0 / L
  const auto r = solver::solve_electroneutral_steady(d, galvanostatic_input(c, j));
  EXPECT_TRUE(r.inventory_constraint);
  EXPECT_NEAR(r.current_in_low, j, 1e-12 * j);
  EXPECT_NEAR(r.current_in_high, -j, 1e-10 * j);  // steady: everything injected leaves
  for (const double cs : r.cross_section_current) EXPECT_NEAR(cs, j, 1e-10 * j);
  double profile = 0.0;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k) {
    const double x = k + 0.5;
    const double exact = 1.0 + j / (2.0 * Dp) * (0.5 * N - x);
    profile = std::max(profile, std::abs(r.c_plus[b.offset(0, 0, k)] - exact));
    EXPECT_NEAR(r.c_plus[b.offset(0, 0, k)], r.c_minus[b.offset(0, 0, k)], 1e-14);  // X = 0
  }
  MPI_Allreduce(MPI_IN_PLACE, &profile, 1, MPI_DOUBLE, MPI_MAX, d.comm());
  const double V = r.electrode_potential_low - r.electrode_potential_high;  // in V_T
  return {std::abs(V - 2.0 * std::log(3.0)) / (2.0 * std::log(3.0)), profile};
}

}  // namespace

TEST(ElectroneutralGalvanostatic, SteadyProfileAndCellVoltageConvergeAtSecondOrder) {
  std::vector<SteadyErrors> e;
  for (const int N : {50, 100, 200}) e.push_back(steady_errors(N));
  const double pV = std::log2(e[1].voltage / e[2].voltage), pc = std::log2(e[1].profile / e[2].profile);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    std::printf("galvanostatic 0.5 i_lim: |V/(2 ln3) - 1| = %.3e %.3e %.3e (order %.3f); max |c - c_exact| = %.3e %.3e "
                "%.3e (order %.3f)\n",
                e[0].voltage, e[1].voltage, e[2].voltage, pV, e[0].profile, e[1].profile, e[2].profile, pc);
  EXPECT_LT(e[2].voltage, 1e-4);
  EXPECT_LT(e[2].profile, 1e-4);
  EXPECT_GE(pV, 1.8);
  EXPECT_LE(pV, 2.2);
  EXPECT_GE(pc, 1.8);
  EXPECT_LE(pc, 2.2);
}

TEST(ElectroneutralGalvanostatic, TransientMatchesSeriesSolution) {
  // Salt obeys linear diffusion with flux i (1 - t+) at both ends:
  // c(0,t) - c(L,t) = i L (1 - t+)/D_amb [1 - sum_{n odd} 8/(n pi)^2 exp(-(n pi)^2 D_amb t / L^2)].
  const int N = 100;
  const solver::Domain d(mesh::Grid{{1, 1, N}, 1e-6}, two_dof());
  const Fields c = uniform(d, Dp, Dm);
  const double j = 2.0 * Dp / N, D_amb = 2 * Dp * Dm / (Dp + Dm), L = N;
  const double tau = L * L / (std::numbers::pi * std::numbers::pi * D_amb);
  auto exact = [&](double t) {
    double s = 0.0;
    for (int n = 1; n < 400; n += 2)
      s += 8.0 / (n * n * std::numbers::pi * std::numbers::pi) * std::exp(-n * n * t / tau);
    return j * L * (1 - t_plus_gel) / D_amb * (1 - s);
  };
  for (const double t_end : {0.1 * tau, 1.0 * tau}) {
    solver::TransientOptions opt;
    opt.t_final = t_end;
    opt.rtol = 1e-7;
    opt.atol = 1e-9;
    const auto r = solver::solve_electroneutral_transient(d, galvanostatic_input(c, j), opt);
    EXPECT_NEAR(r.history.back().t, t_end, 1e-9 * t_end);
    // Face concentrations as the discretisation defines them: anion blocked, so mu- on the face is
    // the face cell's; mu+ on the low face from the injected flux, 0 on the high face.
    const auto& s = r.final_state;
    const double mm0 = at_cell(d, s.mu_minus, 0, 0, 0), mmN = at_cell(d, s.mu_minus, 0, 0, N - 1);
    const double c0 = std::exp(0.5 * (s.electrode_potential_low + mm0)), cN = std::exp(0.5 * (0.0 + mmN));
    const double diff = c0 - cN, ref = exact(t_end);
    if (d.rank() == 0)
      std::printf("t = %.2f tau_d: c(0)-c(L) = %.8f, series %.8f, rel. error %.2e (%d steps, %d rejected)\n", t_end / tau,
                  diff, ref, std::abs(diff / ref - 1), r.steps, r.rejected_steps);
    EXPECT_NEAR(diff, ref, (t_end < tau ? 1e-3 : 1e-4) * ref);  // early: steep boundary layers, h^2 error
    // Galvanostatic: the high electrode passes the injected current once the charge row holds.
    EXPECT_NEAR(s.current_in_high, -j, 1e-8 * j);
    EXPECT_NEAR(s.anion_inventory, r.initial_inventory, 1e-12 * r.initial_inventory);
  }
}

TEST(ElectroneutralGalvanostatic, EquipotentialElectrodeMatchesUniformFluxIn1DAndHitsTheCurrentIn3D) {
  // 1D: an equipotential ideal electrode passing the same current is the uniform_flux problem.
  const int N = 60;
  const solver::Domain d(mesh::Grid{{1, 1, N}, 1e-6}, two_dof());
  const Fields c = uniform(d, Dp, Dm);
  const double j = 2.0 * Dp / N;
  const auto ref = solver::solve_electroneutral_steady(d, galvanostatic_input(c, j));
  solver::ElectroneutralInput in{c.Dp, c.Dm, c.X};
  in.low = {solver::ElectrodeKind::ideal_li, 0.0, 0.0};
  in.high = {solver::ElectrodeKind::ideal_li, 0.0, 0.0};
  const auto r = solver::solve_electroneutral_galvanostatic_steady(d, in, j);
  EXPECT_NEAR(r.current_in_low, j, 1e-10 * j);
  EXPECT_NEAR(r.electrode_potential_low, ref.electrode_potential_low, 1e-8);
  // 3D, charged slab, Butler-Volmer electrodes: the prescribed total current flows.
  const solver::Domain d3(mesh::Grid{{4, 3, 12}, 1e-6}, two_dof());
  const Fields c3 = fields(d3, [](int i, int, int k, Fields& f) {
    const bool slab = k >= 4 && k < 8 && i < 2;
    for (int a = 0; a < 3; ++a) {
      f.Dp.push_back(slab ? 2.0 : 0.724);
      f.Dm.push_back(slab ? 0.2 : 1.0);
    }
    f.X.push_back(slab ? 3.0 : 0.0);
  });
  solver::ElectroneutralInput in3{c3.Dp, c3.Dm, c3.X};
  in3.low = {solver::ElectrodeKind::butler_volmer, 0.0, 0.0, 0.0, {0.5, 0.5, 0.5}};
  in3.high = {solver::ElectrodeKind::butler_volmer, 0.0, 0.0, 0.0, {0.5, 0.5, 0.5}};
  const double I = 0.05;
  const auto r3 = solver::solve_electroneutral_galvanostatic_steady(d3, in3, I);
  EXPECT_NEAR(r3.current_in_low, I, 1e-10 * I);
  EXPECT_NEAR(r3.current_in_high, -I, 1e-9 * I);
  EXPECT_GT(r3.electrode_potential_low, 0.0);
}
