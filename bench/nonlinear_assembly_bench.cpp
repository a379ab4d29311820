// Residual and Jacobian evaluations of the electroneutral and PNP models on an N^3 box, timed as
// the SNES callbacks do them (ghost update + face loop; Jacobian: zero, assemble, MatAssembly).
// JSON on stdout, one line per model. Usage (key=value, any order):
//   mpiexec -n 1 nonlinear_assembly_bench N=64 reps=10 model=both|en|pnp seed=1 inventory=0
// The coefficients are random and positive (D+-, X in [0.5, 1.5]; PNP: X in [-1, 1], Lambda^2 0.1),
// the state a random perturbation of a linear profile, so every face carries a flux.
// residual_per_s / jacobian_per_s: evaluations per second from the median of `reps` timed calls
// (slowest rank) after one warm-up call; spread = (max - min) / median of those calls.
// first_residual_s / first_jacobian_s: the untimed first calls. inventory=1: both electrodes Li
// metal (the Bruce-Vincent steady state): the Jacobian is then the preconditioning matrix P with
// the anchors' pins (the inventory rows themselves are a shell operator over it; as one dense AIJ
// row they made the first assembly take 2.4 s at 32^3 and 24 s at 40^3). setup_B_per_cell: resident growth of the model's setup
// (coefficient ghosts, maps, scratch) per cell; eval_B_per_cell: peak resident growth during the
// timed calls per cell (work buffers they allocate); matrix_B_per_cell: allocated nonzeros of the
// Jacobian times (value + column index).
#include <malloc.h>
#include <mpi.h>
#include <petscmat.h>
#include <petscsys.h>
#include <petsctime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "solver/electroneutral/assembly.hpp"
#include "solver/grid/ghosted_read.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/petsc/error.hpp"
#include "solver/pnp/assembly.hpp"

namespace {

using namespace ionpath;

using bench::number_arg;

double now() {
  PetscLogDouble t = 0;
  PetscTime(&t);
  return t;
}

double status_bytes(const std::string& key) {  // "VmRSS" / "VmHWM" of /proc/self/status
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::atof(line.c_str() + key.size() + 1) * 1024.0;
  return 0.0;
}

void reset_peak_rss() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

double max_over_ranks(double v, MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_MAX, comm);
  return v;
}

struct Timing {
  double median = 0.0, spread = 0.0;
};

/// `reps` timed calls (slowest rank each).
Timing time_calls(const std::function<void()>& call, int reps, MPI_Comm comm) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(comm);
    const double t0 = now();
    call();
    t.push_back(max_over_ranks(now() - t0, comm));
  }
  std::sort(t.begin(), t.end());
  const double med = t[t.size() / 2];
  return {med, (t.back() - t.front()) / med};
}

/// Random owned-cell values in [lo, hi), `per_cell` per cell; the seed depends on the global cell
/// index, so any decomposition sees the same field.
std::vector<double> random_field(const solver::Domain& d, int per_cell, double lo, double hi, unsigned seed) {
  std::vector<double> v;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        std::mt19937 gen(seed * 1000003u + static_cast<unsigned>(d.linear_index(i, j, k)));
        std::uniform_real_distribution<double> u(lo, hi);
        for (int q = 0; q < per_cell; ++q) v.push_back(u(gen));
      }
  return v;
}

struct Evaluations {
  std::function<void()> residual, jacobian;
};

void report(const char* model, const solver::Domain& d, const Evaluations& ev, Mat J, double setup_bytes, int reps) {
  const MPI_Comm comm = d.comm();
  const double cells = static_cast<double>(d.grid().n_total());
  MPI_Barrier(comm);
  double t0 = now();
  ev.residual();
  const double first_residual = max_over_ranks(now() - t0, comm);
  t0 = now();
  ev.jacobian();
  const double first_jacobian = max_over_ranks(now() - t0, comm);
  reset_peak_rss();
  const double rss0 = status_bytes("VmRSS");
  const Timing res = time_calls(ev.residual, reps, comm);
  const Timing jac = time_calls(ev.jacobian, reps, comm);
  double eval_bytes = status_bytes("VmHWM") - rss0, setup = setup_bytes;
  MPI_Allreduce(MPI_IN_PLACE, &eval_bytes, 1, MPI_DOUBLE, MPI_SUM, comm);
  MPI_Allreduce(MPI_IN_PLACE, &setup, 1, MPI_DOUBLE, MPI_SUM, comm);
  MatInfo info;
  IONPATH_PETSC_CALL(MatGetInfo(J, MAT_GLOBAL_SUM, &info));
  if (d.rank() == 0)
    std::printf(
        "{\"model\": \"%s\", \"N\": %d, \"ranks\": %d, \"reps\": %d, \"residual_s\": %.5f, \"residual_spread\": %.3f, "
        "\"residual_per_s\": %.2f, \"residual_cells_per_s\": %.4g, \"jacobian_s\": %.5f, \"jacobian_spread\": %.3f, "
        "\"jacobian_per_s\": %.2f, \"jacobian_cells_per_s\": %.4g, \"setup_B_per_cell\": %.1f, "
        "\"eval_B_per_cell\": %.1f, \"matrix_B_per_cell\": %.1f, \"first_residual_s\": %.5f, \"first_jacobian_s\": %.5f}\n",
        model, d.grid().n_cells[0], d.n_ranks(), reps, res.median, res.spread, 1.0 / res.median, cells / res.median,
        jac.median, jac.spread, 1.0 / jac.median, cells / jac.median, setup / cells, eval_bytes / cells,
        info.nz_allocated * (sizeof(PetscScalar) + sizeof(PetscInt)) / cells, first_residual, first_jacobian);
}

void bench_electroneutral(int n, int reps, unsigned seed, bool inventory_row) {
  namespace en = solver::en_detail;
  const mesh::Grid grid{{n, n, n}, 1.0};
  solver::DomainOptions opt;
  opt.dof = 2;
  const solver::Domain d(grid, opt);
  const std::vector<double> Dp = random_field(d, 3, 0.5, 1.5, seed), Dm = random_field(d, 3, 0.5, 1.5, seed + 1);
  const std::vector<double> X = random_field(d, 1, 0.5, 1.5, seed + 2);
  std::vector<double> mu = random_field(d, 2, -0.05, 0.05, seed + 3);
  solver::ElectroneutralInput in;
  in.D_plus = Dp;
  in.D_minus = Dm;
  in.X = X;
  // A bath face fixes mu-, so no inventory row; with inventory=1 both faces are Li metal (the
  // Bruce-Vincent steady state: one inventory row per anion cluster).
  in.low = {inventory_row ? solver::ElectrodeKind::ideal_li : solver::ElectrodeKind::reservoir, 0.0};
  in.high = {solver::ElectrodeKind::ideal_li, 0.04};
  solver::MatHandle J = solver::make_newton_matrix(d);
  solver::VecHandle x;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
  solver::copy_owned(x, mu);
  reset_peak_rss();
  const double rss0 = status_bytes("VmRSS");
  en::Context ctx;
  en::setup(ctx, d, in, /*steady=*/true);
  const double setup_bytes = status_bytes("VmRSS") - rss0;
  std::vector<double> F(2 * d.owned().n_cells());
  Evaluations ev;
  ev.residual = [&] {
    solver::LocalState s(d, x);
    en::Target t;
    t.F = F.data();
    if (!ctx.assemble(s.values(), t)) throw std::runtime_error("bench: unphysical state");
  };
  ev.jacobian = [&] {
    solver::LocalState s(d, x);
    IONPATH_PETSC_CALL(MatZeroEntries(J));
    en::Target t;
    t.F = F.data();
    t.J = J;
    ctx.assemble(s.values(), t);
    IONPATH_PETSC_CALL(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    IONPATH_PETSC_CALL(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  };
  report("electroneutral", d, ev, J, setup_bytes, reps);
}

void bench_pnp(int n, int reps, unsigned seed) {
  namespace pnp = solver::pnp_detail;
  const mesh::Grid grid{{n, n, n}, 1.0};
  solver::DomainOptions opt;
  opt.dof = 3;
  const solver::Domain d(grid, opt);
  const std::vector<double> Dp = random_field(d, 3, 0.5, 1.5, seed), Dm = random_field(d, 3, 0.5, 1.5, seed + 1);
  const std::vector<double> X = random_field(d, 1, -1.0, 1.0, seed + 2);
  const std::vector<double> eps = random_field(d, 1, 0.5, 1.5, seed + 4);
  const std::vector<double> u = random_field(d, 3, -0.1, 0.1, seed + 3);
  solver::PnpInput in;
  in.D_plus = Dp;
  in.D_minus = Dm;
  in.X = X;
  in.permittivity = eps;
  in.Lambda2 = 0.1;
  in.low = {solver::PnpFaceKind::reservoir, 0.0, 0.0, 1.0, 1.0};
  in.high = {solver::PnpFaceKind::reservoir, 0.0, 0.1, 1.0, 1.0};
  solver::MatHandle J = solver::make_newton_matrix(d);
  solver::VecHandle x;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
  solver::copy_owned(x, u);
  reset_peak_rss();
  const double rss0 = status_bytes("VmRSS");
  pnp::Context ctx;
  pnp::setup(ctx, d, in, /*steady=*/true);
  const double setup_bytes = status_bytes("VmRSS") - rss0;
  std::vector<double> F(3 * d.owned().n_cells());
  Evaluations ev;
  ev.residual = [&] {
    solver::LocalState s(d, x);
    pnp::Target t;
    t.F = F.data();
    if (!ctx.assemble(s.values(), t)) throw std::runtime_error("bench: unphysical state");
  };
  ev.jacobian = [&] {
    solver::LocalState s(d, x);
    IONPATH_PETSC_CALL(MatZeroEntries(J));
    pnp::Target t;
    t.F = F.data();
    t.J = J;
    ctx.assemble(s.values(), t);
    IONPATH_PETSC_CALL(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    IONPATH_PETSC_CALL(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  };
  report("pnp", d, ev, J, setup_bytes, reps);
}

}  // namespace

int main(int argc, char** argv) {
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) return 1;
  int status = 0;
  try {
    const auto kv = bench::key_value_args(argc, argv);
    const int n = static_cast<int>(number_arg(kv, "N", 64));
    const int reps = std::max(1, static_cast<int>(number_arg(kv, "reps", 10)));
    const auto seed = static_cast<unsigned>(number_arg(kv, "seed", 1));
    const std::string model = kv.count("model") ? kv.at("model") : "both";
    if (model == "both" || model == "en" || model == "electroneutral")
      bench_electroneutral(n, reps, seed, number_arg(kv, "inventory", 0) != 0);
    if (model == "both" || model == "pnp") bench_pnp(n, reps, seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    status = 1;
  }
  if (PetscFinalize() != 0) return 1;
  return status;
}
