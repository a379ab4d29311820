// Each face's flux kernel is evaluated once per residual evaluation and once per Jacobian
// evaluation, for the electroneutral and the PNP assembly (style guide §2.3), on small boxes with
// zero-flux and periodic side walls, at 1, 2 and 4 ranks (ctest), decomposed as the Domain
// chooses and split along a periodic axis.
//
// What "once" means across ranks: a rank evaluates exactly the faces its owned cells need, each
// exactly once; no flux is communicated. A face between two cells of one rank is therefore
// evaluated once in the whole run; a face between cells owned by two ranks (the ghost faces,
// including a periodic seam split between ranks) once on each of the two ranks, i.e. twice in
// total, never more; a periodic seam whose axis one rank owns whole is evaluated once. Boundary
// faces carrying a flux (the electrode / bath faces) are evaluated once by the owner of their cell.
// The counts come from assembly::FaceCallLog, which the assemblies fill through the wrappers that
// call their kernels (assembly::evaluate_face, evaluate_boundary_face).
#include <gtest/gtest.h>
#include <mpi.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "solver/electroneutral/assembly.hpp"
#include "solver/grid/ghosted_read.hpp"
#include "solver/nonlinear/newton.hpp"
#include "solver/pnp/assembly.hpp"

namespace {

namespace solver = ionpath::solver;
namespace mesh = ionpath::mesh;
namespace assembly = ionpath::solver::assembly;

int n_ranks() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

std::vector<double> random_values(const solver::Domain& d, int per_cell, double lo, double hi, unsigned seed) {
  std::vector<double> v;
  std::mt19937 rng(seed + 101u * static_cast<unsigned>(d.rank()));
  std::uniform_real_distribution<double> U(lo, hi);
  for (std::size_t q = 0; q < per_cell * d.owned().n_cells(); ++q) v.push_back(U(rng));
  return v;
}

// Key of the face below cell `upper` along `axis` (indices wrapped at periodic seams), or of a
// boundary face: 3 interior keys per cell, then 2 boundary keys per cell (low, high end).
std::size_t face_key(const solver::Domain& d, const assembly::FaceCallLog::Call& c) {
  const mesh::Index3& n = d.grid().n_cells;
  mesh::Index3 i = c.cell;
  for (int a = 0; a < 3; ++a) i[a] = (i[a] % n[a] + n[a]) % n[a];
  const auto cell = static_cast<std::size_t>(d.linear_index(i[0], i[1], i[2]));
  if (c.side < 0) return 3 * cell + static_cast<std::size_t>(c.axis);
  return 3 * d.grid().n_total() + 2 * cell + static_cast<std::size_t>(c.side);
}

// Faces this rank must evaluate: every face of an owned cell, and the electrode/bath faces of
// owned cells on the transport axis.
std::vector<int> expected_calls(const solver::Domain& d) {
  const mesh::Index3& n = d.grid().n_cells;
  std::vector<int> want(5 * d.grid().n_total(), 0);
  assembly::for_each_owned_cell(d, [&](const assembly::Cell& c) {
    for (int a = 0; a < d.dimension(); ++a) {
      mesh::Index3 up = c.index;
      ++up[a];
      const bool has_lower = (c.index[a] > 0 || d.periodic(a)) && n[a] > 1;
      const bool has_upper = (c.index[a] + 1 < n[a] || d.periodic(a)) && n[a] > 1;
      if (has_lower) want[face_key(d, {a, -1, c.index})] = 1;
      if (has_upper) want[face_key(d, {a, -1, up})] = 1;
    }
    const int ta = d.transport_axis();
    if (c.index[ta] == 0) want[face_key(d, {ta, 0, c.index})] = 1;
    if (c.index[ta] + 1 == n[ta]) want[face_key(d, {ta, 1, c.index})] = 1;
  });
  return want;
}

// Calls of one evaluation on this rank against what it needs, then the totals over the ranks.
void check_calls(const solver::Domain& d, const assembly::FaceCallLog& log, const std::string& what) {
  std::vector<int> got(5 * d.grid().n_total(), 0);
  for (const auto& c : log.calls) ++got[face_key(d, c)];
  std::vector<int> want = expected_calls(d);
  int wrong = 0, evaluated = 0;
  for (std::size_t k = 0; k < got.size(); ++k) {
    wrong += got[k] != want[k];
    evaluated += got[k];
  }
  EXPECT_EQ(wrong, 0) << what << ": faces evaluated other than once (rank " << d.rank() << ")";
  EXPECT_GT(evaluated, 0) << what;
  MPI_Allreduce(MPI_IN_PLACE, got.data(), static_cast<int>(got.size()), MPI_INT, MPI_SUM, d.comm());
  MPI_Allreduce(MPI_IN_PLACE, want.data(), static_cast<int>(want.size()), MPI_INT, MPI_SUM, d.comm());
  int over = 0, missing = 0;
  for (std::size_t k = 0; k < got.size(); ++k) {
    over += got[k] > (k < 3 * d.grid().n_total() ? 2 : 1);
    missing += want[k] > 0 && got[k] == 0;
  }
  EXPECT_EQ(got, want) << what << ": totals over the ranks";
  EXPECT_EQ(over, 0) << what << ": a face evaluated more than twice in total (interior) or once (boundary)";
  EXPECT_EQ(missing, 0) << what;
}

// One residual and one Jacobian evaluation of `model` at the owned state, each logged apart.
void check_model(assembly::Model& model, const std::vector<double>& state, const std::string& what) {
  const solver::Domain& d = *model.domain;
  solver::VecHandle x;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
  solver::copy_owned(x, state);
  solver::MatHandle J = solver::make_newton_matrix(d);
  std::vector<double> F(static_cast<std::size_t>(model.dof) * d.owned().n_cells());
  for (const bool jacobian : {false, true}) {
    assembly::FaceCallLog log;
    model.face_calls = &log;
    const solver::LocalState s(d, x);
    assembly::Target t;
    t.F = F.data();
    if (jacobian) {
      IONPATH_PETSC_CALL(MatZeroEntries(J));
      t.J = J;
    }
    ASSERT_TRUE(model.assemble(s.values(), t)) << what;
    if (jacobian) {
      IONPATH_PETSC_CALL(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
      IONPATH_PETSC_CALL(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
    }
    model.face_calls = nullptr;
    check_calls(d, log, what + (jacobian ? " Jacobian" : " residual"));
  }
}

struct Layout {
  const char* name;
  mesh::SideWalls sides;
  bool split_periodic_axis;  // all ranks along x (a periodic side axis), 1 or 2 cells each at 4 ranks
};
constexpr Layout layouts[] = {{"zero-flux", mesh::SideWalls::zero_flux, false},
                              {"periodic", mesh::SideWalls::periodic, false},
                              {"periodic, split along x", mesh::SideWalls::periodic, true}};

solver::DomainOptions options(int dof, const Layout& l) {
  solver::DomainOptions o;
  o.dof = dof;
  o.side_walls = l.sides;
  o.transport_axis = 1;  // in the 3D and the 2D box
  if (l.split_periodic_axis) o.ranks_per_axis = {n_ranks(), 1, 1};
  return o;
}

TEST(FaceKernelCalls, ElectroneutralEvaluatesEachFaceOnce) {
  for (const Layout& l : layouts)
    for (const mesh::Grid& grid : {mesh::Grid{{6, 5, 4}, 1e-6}, mesh::Grid{{6, 5, 1}, 1e-6}}) {
      const solver::Domain d(grid, options(2, l));
      const auto Dp = random_values(d, 3, 0.2, 1.5, 1), Dm = random_values(d, 3, 0.2, 1.5, 2);
      const auto X = random_values(d, 1, 0.0, 2.0, 3), mu = random_values(d, 2, -0.1, 0.1, 4);
      solver::ElectroneutralInput in;
      in.D_plus = Dp;
      in.D_minus = Dm;
      in.X = X;
      in.low = {solver::ElectrodeKind::reservoir, 0.1, -0.1};
      in.high = {solver::ElectrodeKind::butler_volmer, 0.05, 0.0, 0.0, {2.0, 0.5, 0.5}};
      solver::en_detail::Context ctx;
      solver::en_detail::setup(ctx, d, in, /*steady=*/true);
      check_model(ctx, mu, std::string("electroneutral, ") + l.name + ", " + std::to_string(grid.dimension()) + "D");
    }
}

TEST(FaceKernelCalls, PnpEvaluatesEachFaceOnce) {
  for (const Layout& l : layouts)
    for (const mesh::Grid& grid : {mesh::Grid{{6, 5, 4}, 1e-9}, mesh::Grid{{6, 5, 1}, 1e-9}}) {
      const solver::Domain d(grid, options(3, l));
      const auto Dp = random_values(d, 3, 0.2, 1.5, 1), Dm = random_values(d, 3, 0.2, 1.5, 2);
      const auto X = random_values(d, 1, -1.0, 1.0, 3), eps = random_values(d, 1, 0.5, 2.0, 5);
      const auto u = random_values(d, 3, -0.2, 0.2, 4);
      solver::PnpInput in;
      in.D_plus = Dp;
      in.D_minus = Dm;
      in.X = X;
      in.permittivity = eps;
      in.Lambda2 = 0.3;
      in.low = {solver::PnpFaceKind::reservoir, 0.0, 0.0, 1.0, 1.0};
      in.high = {solver::PnpFaceKind::electrode, 0.0, 0.2, 1.0, 1.0};
      solver::pnp_detail::Context ctx;
      solver::pnp_detail::setup(ctx, d, in, /*steady=*/false);
      check_model(ctx, u, std::string("pnp, ") + l.name + ", " + std::to_string(grid.dimension()) + "D");
    }
}

}  // namespace
