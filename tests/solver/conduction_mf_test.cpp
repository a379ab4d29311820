// Matrix-free conduction path (solver/multigrid/hierarchy.hpp) against the verified assembled path:
// the stencil apply equals the AIJ operator, laminates are exact, random high-contrast structures
// agree to the requested accuracy, on odd sizes, periodic sides and any rank count (the test runs
// at 1, 2 and 4 ranks; each compares with a solve on the same decomposition and a serial one).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "mesh/generate.hpp"
#include "solver/conduction/conduction.hpp"
#include "solver/conduction/system.hpp"
#include "solver/multigrid/single_precision_cycle.hpp"
#include "solver/multigrid/fused_cg.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/options.hpp"
#include "solver/multigrid/stencil_kernels.hpp"
#include "tests/solver/conduction_test_support.hpp"

namespace ionpath::solver {
namespace {

ConductivityOptions matrix_free(int axis, double accuracy, FacePrecision precision = FacePrecision::automatic) {
  ConductivityOptions o;
  o.axis = axis;
  o.op = ConductionOperator::matrix_free;
  o.accuracy = accuracy;
  o.matrix_free.face_precision = precision;
  o.matrix_free.coarsest_cells = 200;  // deep hierarchies on small grids, odd sizes included
  return o;
}

ConductivityOptions assembled_tight(int axis) {
  ConductivityOptions o;
  o.axis = axis;
  o.ksp.rtol = 1e-13;
  return o;
}

std::function<test::Tensor(int, int, int)> layers(int normal, test::Tensor a, test::Tensor b) {
  return [=](int i, int j, int k) {
    const int c[3] = {i, j, k};
    return (c[normal] / 2) % 2 == 0 ? a : b;
  };
}

/// Serial assembled reference on rank 0, broadcast.
double serial_reference(const mesh::Grid& grid, mesh::SideWalls walls, int axis,
                        const std::function<test::Tensor(int, int, int)>& f) {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  double ref = 0.0;
  if (rank == 0) {
    DomainOptions o = test::domain_options(axis, walls);
    o.comm = PETSC_COMM_SELF;
    const Domain serial(grid, o);
    ref = solve_conductivity(serial, test::tensor_field(serial, f), assembled_tight(axis)).sigma_eff;
  }
  MPI_Bcast(&ref, 1, MPI_DOUBLE, 0, PETSC_COMM_WORLD);
  return ref;
}

TEST(ConductionMatrixFree, StencilApplyEqualsAssembledOperator) {
  // Odd sizes, periodic sides, removed cells (floating clusters) and both face precisions.
  const mesh::Grid grid{{13, 10, 11}, 1e-6};
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(2, walls));
    const auto sigma = test::tensor_field(domain, test::random_clay(grid, 3, 0.25, 0.25));
    const ConductionSystem system(domain, sigma, DirichletFaces::electrodes(2), ActiveRule::touch_both);
    const MatHandle A = system.assemble();
    for (const bool dbl : {true, false}) {
      MatrixFreeSettings settings;
      settings.coarsest_cells = 64;
      const MatrixFreeHierarchy H(domain, sigma, system.active(), DirichletFaces::electrodes(2).on, dbl, settings);
      VecHandle x, y_ref, y;
      IONPATH_PETSC_CALL(MatCreateVecs(A, x.out(), y_ref.out()));
      IONPATH_PETSC_CALL(VecDuplicate(y_ref, y.out()));
      PetscScalar* xv = nullptr;
      IONPATH_PETSC_CALL(VecGetArray(x, &xv));
      const mesh::Box& own = domain.owned();
      for (int k = own.lo[2]; k < own.hi[2]; ++k)
        for (int j = own.lo[1]; j < own.hi[1]; ++j)
          for (int i = own.lo[0]; i < own.hi[0]; ++i)
            xv[own.offset(i, j, k)] = test::cell_random(9, domain.linear_index(i, j, k)) - 0.5;
      IONPATH_PETSC_CALL(VecRestoreArray(x, &xv));
      IONPATH_PETSC_CALL(MatMult(A, x, y_ref));
      apply_stencil(H.finest(), x, y);
      PetscReal ref_norm = 0.0, diff_norm = 0.0;
      IONPATH_PETSC_CALL(VecNorm(y_ref, NORM_INFINITY, &ref_norm));
      IONPATH_PETSC_CALL(VecAXPY(y, -1.0, y_ref));
      IONPATH_PETSC_CALL(VecNorm(y, NORM_INFINITY, &diff_norm));
      EXPECT_LT(diff_norm, (dbl ? 1e-14 : 1e-6) * ref_norm) << "double faces " << dbl;
      EXPECT_GE(H.n_levels(), 2);
    }
  }
}

TEST(ConductionMatrixFree, LaminatesExactInDoublePrecision) {
  const std::vector<std::pair<mesh::Grid, int>> cases{{mesh::Grid{{12, 8, 1}, 1e-6}, 0},
                                                      {mesh::Grid{{12, 8, 1}, 1e-6}, 1},
                                                      {mesh::Grid{{8, 12, 9}, 1e-6}, 0},
                                                      {mesh::Grid{{8, 12, 9}, 1e-6}, 2}};
  for (const auto& [grid, axis] : cases) {
    for (int normal = 0; normal < grid.dimension(); ++normal) {
      const Domain domain(grid, test::domain_options(axis));
      const auto sigma = test::tensor_field(domain, layers(normal, {1, 1, 1}, {10, 10, 10}));
      ConductivityOptions o = matrix_free(axis, 0.0, FacePrecision::double_precision);
      o.ksp.rtol = 1e-13;
      const ConductivityResult r = solve_conductivity(domain, sigma, o);
      const ConductivityResult ref = solve_conductivity(domain, sigma, assembled_tight(axis));
      // Odd layer counts make the series value differ from 1/(0.5/1 + 0.5/10): compare with the
      // assembled solve, and with the exact parallel value where it applies.
      EXPECT_NEAR(r.sigma_eff / ref.sigma_eff, 1.0, 1e-10) << grid.dimension() << "D axis " << axis;
      if (normal != axis && grid.n_cells[normal] % 4 == 0) {
        EXPECT_NEAR(r.sigma_eff / 5.5, 1.0, 1e-10);
      }
      EXPECT_NEAR(r.sigma_eff_energy / r.sigma_eff, 1.0, 1e-10);
      EXPECT_LT(r.flux_balance, 1e-10);
      EXPECT_EQ(r.solve.pc_type, "shell");  // the single-precision W-cycle (float_cycle)
    }
  }
}

TEST(ConductionMatrixFree, RandomHighContrastToRequestedAccuracy) {
  // Insulating + 1e-3 clay + gel, odd sizes, both side-wall types, accuracies 1e-4 and 1e-7.
  const mesh::Grid grid{{19, 16, 21}, 1e-6};
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const auto structure = test::random_clay(grid, 21, 0.3, 0.2);
    const double ref = serial_reference(grid, walls, 2, structure);
    const Domain domain(grid, test::domain_options(2, walls));
    const auto sigma = test::tensor_field(domain, structure);
    for (const double accuracy : {1e-4, 1e-7}) {
      for (const auto stopping : {StoppingTest::energy, StoppingTest::residual}) {
        ConductivityOptions o = matrix_free(2, accuracy);
        o.stopping = stopping;
        const ConductivityResult r = solve_conductivity(domain, sigma, o);
        ASSERT_TRUE(r.percolating);
        EXPECT_GT(r.components.n_floating, 0);
        EXPECT_LT(std::abs(r.sigma_eff / ref - 1.0), accuracy)
            << "accuracy " << accuracy << " energy stop " << (stopping == StoppingTest::energy);
        if (stopping == StoppingTest::residual) {
          EXPECT_LT(r.flux_balance, 0.1 * accuracy);
        }
        EXPECT_LT(r.solve.iterations, 120);  // voxel noise at 30 % insulating is the worst case for Q0 MG
      }
    }
  }
}

TEST(ConductionMatrixFree, RankIndependenceOnForcedSplits) {
  const mesh::Grid grid{{24, 20, 18}, 1e-6};
  const auto structure = test::random_clay(grid, 5, 0.15, 0.25);
  const double ref = serial_reference(grid, mesh::SideWalls::zero_flux, 2, structure);
  int size = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  std::vector<std::array<int, 3>> splits{{-1, -1, -1}};
  if (size == 4) splits.push_back({2, 2, 1});
  if (size == 2) splits.push_back({1, 1, 2});
  for (const auto& split : splits) {
    DomainOptions o = test::domain_options(2);
    o.ranks_per_axis = split;
    const Domain domain(grid, o);
    const ConductivityResult r =
        solve_conductivity(domain, test::tensor_field(domain, structure), matrix_free(2, 1e-8));
    EXPECT_NEAR(r.sigma_eff / ref, 1.0, 1e-8) << split[0] << "x" << split[1] << "x" << split[2];
  }
}

/// sigma (3 per owned cell) of isotropic random platelets (13 %, aspect 20, 1.5 voxels thick), as
/// in bench/conduction_scaling_bench.cpp.
std::vector<double> platelet_sigma(const Domain& domain, double clay_sigma, std::uint64_t seed) {
  const mesh::Grid& grid = domain.grid();
  mesh::GeometryParams geo;
  mesh::RandomPlateletsParams plate;
  plate.thickness_m = 1.5 * grid.voxel_size_m;
  plate.diameter_m = 20.0 * plate.thickness_m;
  plate.volume_fraction = 0.13;
  plate.placement = mesh::PlacementKind::poisson;
  plate.orientation = mesh::OrientationKind::isotropic;
  geo.structure = plate;
  geo.seed = seed;
  const mesh::SumInPlace sum = [&](std::span<double> v) {
    MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, domain.comm());
  };
  const mesh::GeneratedBlock block = mesh::generate_block(grid, geo, domain.owned(), sum);
  const auto labels = block.labels.labels();
  std::vector<double> sigma(3 * labels.size());
  for (std::size_t c = 0; c < labels.size(); ++c)
    sigma[3 * c] = sigma[3 * c + 1] = sigma[3 * c + 2] = mesh::is_clay_like(labels[c]) ? clay_sigma : 1.0;
  return sigma;
}

TEST(ConductionMatrixFree, EnergyStoppingTestMeetsRequestedAccuracy) {
  // The default (energy) stopping test against a reference solved to a residual of 1e-12 with
  // double faces, on random platelets at 32^3 and 64^3 (insulating clay and clay 1000x less
  // conductive): the delivered sigma_eff is within the requested accuracy, is an upper bound
  // (up to the float rounding of the faces), and needs fewer iterations than the residual test.
  for (const int n : {32, 64}) {
    const mesh::Grid grid{{n, n, n}, 1e-6};
    const Domain domain(grid, test::domain_options(2));
    for (const double clay : {0.0, 1e-3}) {
      const auto sigma = platelet_sigma(domain, clay, 7);
      ConductivityOptions ro = matrix_free(2, 0.0, FacePrecision::double_precision);
      ro.ksp.rtol = 1e-12;
      ro.matrix_free.coarsest_cells = 4096;
      const double ref = solve_conductivity(domain, sigma, ro).sigma_eff;
      for (const double accuracy : {1e-4, 1e-6}) {
        ConductivityOptions o = matrix_free(2, accuracy);
        o.matrix_free.coarsest_cells = 4096;
        const ConductivityResult r = solve_conductivity(domain, sigma, o);
        o.stopping = StoppingTest::residual;
        const ConductivityResult rr = solve_conductivity(domain, sigma, o);
        ASSERT_TRUE(r.percolating);
        const double err = std::abs(r.sigma_eff / ref - 1.0);
        EXPECT_LT(err, accuracy) << n << "^3 clay " << clay << " accuracy " << accuracy;
        EXPECT_GT(r.sigma_eff / ref - 1.0, -1e-7) << "the energy estimate is an upper bound";
        EXPECT_EQ(r.sigma_eff, r.sigma_eff_energy);
        EXPECT_LT(std::abs(rr.sigma_eff / ref - 1.0), accuracy);
        EXPECT_LE(r.solve.iterations, rr.solve.iterations);
        int rank = 0;
        MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
        if (rank == 0)
          std::printf(
              "[ energy stop ] %d^3 clay %g accuracy %g: error %.2e (%d its), residual test error %.2e "
              "(%d its)\n",
              n, clay, accuracy, err, r.solve.iterations, std::abs(rr.sigma_eff / ref - 1.0), rr.solve.iterations);
      }
    }
  }
}

TEST(ConductionMatrixFree, CycleVariantsAgree) {
  // The default single-precision W-cycle inside the fused CG and inside PETSc's KSPCG (PCSHELL),
  // PCMG with the fused smoother, PCMG with PETSc's Chebyshev/Jacobi and the optional K-cycle
  // reach the same answer. The W-cycles apply the same polynomial: the two PCMG ones exactly
  // (identical iterations), the float ones up to their rounding (at most one iteration apart).
  const mesh::Grid grid{{32, 32, 32}, 1e-6};
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(2, walls));
    const auto sigma = platelet_sigma(domain, 0.0, 3);
    ConductivityOptions ro = matrix_free(2, 0.0, FacePrecision::double_precision);
    ro.ksp.rtol = 1e-12;
    const double ref = solve_conductivity(domain, sigma, ro).sigma_eff;
    ConductivityOptions o = matrix_free(2, 1e-6);
    const ConductivityResult single = solve_conductivity(domain, sigma, o);
    o.matrix_free.fused_cg = false;  // PETSc's KSPCG around the same float cycle
    const ConductivityResult ksp_cg = solve_conductivity(domain, sigma, o);
    o.matrix_free.fused_cg = true;
    o.matrix_free.float_cycle = false;
    const ConductivityResult fused = solve_conductivity(domain, sigma, o);
    o.matrix_free.fused_smoother = false;
    const ConductivityResult petsc = solve_conductivity(domain, sigma, o);
    o.matrix_free.fused_smoother = true;
    o.matrix_free.k_cycle = true;
    const ConductivityResult k = solve_conductivity(domain, sigma, o);
    EXPECT_EQ(single.solve.pc_type, "shell");
    EXPECT_EQ(single.solve.ksp_type, "ionpath_fused_cg");
    EXPECT_EQ(ksp_cg.solve.ksp_type, "cg");
    // The fused CG runs the same iteration; it only hands the cycle r rounded to float.
    EXPECT_LE(std::abs(single.solve.iterations - ksp_cg.solve.iterations), 1);
    EXPECT_LT(std::abs(single.sigma_eff / ksp_cg.sigma_eff - 1.0), 1e-6);
    EXPECT_EQ(fused.solve.pc_type, "mg");
    EXPECT_EQ(fused.solve.iterations, petsc.solve.iterations);
    EXPECT_NEAR(fused.sigma_eff / petsc.sigma_eff, 1.0, 1e-12);
    EXPECT_LE(std::abs(single.solve.iterations - fused.solve.iterations), 1);
    for (const auto* r : {&single, &ksp_cg, &fused, &k}) EXPECT_LT(std::abs(r->sigma_eff / ref - 1.0), 1e-6);
    EXPECT_EQ(k.solve.ksp_type, "fcg");
  }
}

TEST(ConductionMatrixFree, FusedCgRecurrencesMatchDirectEvaluation) {
  // The fused CG defers x += alpha p and takes the energy from CG's scalars. After the solve the
  // true residual b - A x must equal the recurred one, and the Dirichlet energy of x the recurred
  // S_k (a missed deferred update or a wrong decrement breaks both).
  const mesh::Grid grid{{24, 20, 22}, 1e-6};
  const int a = 2;
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(a, walls));
    const auto sigma = platelet_sigma(domain, 1e-3, 11);
    const ConductionSystem system(domain, sigma, DirichletFaces::electrodes(a), ActiveRule::touch_both);
    MatrixFreeSettings settings;
    settings.coarsest_cells = 200;
    const MatrixFreeHierarchy H(domain, sigma, system.active(), DirichletFaces::electrodes(a).on, false, settings);
    const StencilLevel& F = H.finest();
    FloatCycle cycle(H, settings, false);
    VecHandle x, b, r, ax;
    IONPATH_PETSC_CALL(MatCreateVecs(H.fine_operator(), x.out(), b.out()));
    IONPATH_PETSC_CALL(VecDuplicate(b, r.out()));
    IONPATH_PETSC_CALL(VecDuplicate(b, ax.out()));
    PetscScalar* bv = nullptr;
    PetscScalar* xv = nullptr;
    IONPATH_PETSC_CALL(VecGetArray(b, &bv));
    IONPATH_PETSC_CALL(VecGetArray(x, &xv));
    const mesh::Box& own = domain.owned();
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const std::size_t o = own.offset(i, j, k);
          const bool on = F.active[o] != 0;
          bv[o] = on && k == 0 ? F.face(a, F.face_box[a].offset(i, j, k)) : 0.0;  // phi = 1 beyond the inlet
          xv[o] = on ? test::cell_random(5, domain.linear_index(i, j, k)) : 0.0;   // a rough guess
        }
    IONPATH_PETSC_CALL(VecRestoreArray(b, &bv));
    IONPATH_PETSC_CALL(VecRestoreArray(x, &xv));
    IONPATH_PETSC_CALL(VecCopy(b, r));
    FusedCgSettings cg;
    cg.rtol = 1e-9;
    cg.energy_tol = 1e-15;  // tracks the energy; the residual test stops
    cg.axis = a;
    const FusedCgResult res = fused_cg(H, cycle, x, r, cg);
    EXPECT_TRUE(res.converged) << res.reason;
    EXPECT_EQ(res.reason, "CONVERGED_RTOL");
    EXPECT_GT(res.iterations, 3);
    apply_stencil(F, x, ax);
    IONPATH_PETSC_CALL(VecAYPX(ax, -1.0, b));  // the true residual b - A x
    IONPATH_PETSC_CALL(VecAXPY(ax, -1.0, r));  // minus the recurred one
    PetscReal b_norm = 0.0, drift = 0.0;
    IONPATH_PETSC_CALL(VecNorm(b, NORM_2, &b_norm));
    IONPATH_PETSC_CALL(VecNorm(ax, NORM_2, &drift));
    EXPECT_LT(drift, 1e-12 * b_norm);
    const double direct = H.energy(x, a);
    EXPECT_NEAR(res.energy / direct, 1.0, 1e-11) << "recurred " << res.energy << " direct " << direct;
  }
}

TEST(ConductionMatrixFree, ExplicitKspOptionsSelectPetscKsp) {
  // -cond_mf_ksp_type / -cond_mf_pc_type are honoured by handing the solve to PETSc's KSP instead
  // of the fused CG; the answer stays within the accuracy.
  const mesh::Grid grid{{16, 16, 16}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  const auto sigma = platelet_sigma(domain, 0.0, 2);
  const ConductivityOptions o = matrix_free(2, 1e-6);
  const ConductivityResult fused = solve_conductivity(domain, sigma, o);
  EXPECT_EQ(fused.solve.ksp_type, "ionpath_fused_cg");
  EXPECT_EQ(fused.solve.converged_reason, "CONVERGED_ENERGY");
  {
    const ScopedPetscOptions scoped("cond_mf_", {{"ksp_type", "cg"}});
    const ConductivityResult r = solve_conductivity(domain, sigma, o);
    EXPECT_EQ(r.solve.ksp_type, "cg");
    EXPECT_LT(std::abs(r.sigma_eff / fused.sigma_eff - 1.0), 1e-6);
  }
  {
    const ScopedPetscOptions scoped("cond_mf_", {{"pc_type", "jacobi"}});
    const ConductivityResult r = solve_conductivity(domain, sigma, o);
    EXPECT_EQ(r.solve.pc_type, "jacobi");
    EXPECT_LT(std::abs(r.sigma_eff / fused.sigma_eff - 1.0), 1e-6);
  }
}

TEST(ConductionMatrixFree, Bf16FacesRoundToNearestEven) {
  using kernels::Bf16;
  for (const float exact : {0.0f, 1.0f, 2.0f, 0.75f, 0x1p-100f, 0x1.fep100f}) EXPECT_EQ(float(Bf16(exact)), exact);
  // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even significand (1).
  EXPECT_EQ(float(Bf16(1.0f + 0x1p-8f)), 1.0f);
  EXPECT_EQ(float(Bf16(1.0f + 0x1p-7f + 0x1p-8f)), 1.0f + 0x1p-6f);
  for (float x = 1e-6f; x < 1e6f; x *= 1.0137f)
    EXPECT_LE(std::abs(float(Bf16(x)) - x), 0x1p-8f * x) << x;  // half a unit in the 8th bit
}

TEST(ConductionMatrixFree, Bf16CycleFacesLeaveTheAnswer) {
  // Rounding the cycle's finest faces changes only the preconditioner: with clay 1000x less
  // conductive (faces that bfloat16 cannot hold exactly) the iterations stay within one and the
  // answer within the requested accuracy of the exact-face cycle's.
  const mesh::Grid grid{{32, 32, 32}, 1e-6};
  const Domain domain(grid, test::domain_options(2));
  const auto sigma = platelet_sigma(domain, 1e-3, 5);
  ConductivityOptions o = matrix_free(2, 1e-6);
  o.matrix_free.bf16_fine_faces = false;
  const ConductivityResult exact = solve_conductivity(domain, sigma, o);
  o.matrix_free.bf16_fine_faces = true;
  const ConductivityResult rounded = solve_conductivity(domain, sigma, o);
  EXPECT_LE(std::abs(exact.solve.iterations - rounded.solve.iterations), 1);
  EXPECT_LT(std::abs(rounded.sigma_eff / exact.sigma_eff - 1.0), 1e-6);
  EXPECT_NE(rounded.sigma_eff, exact.sigma_eff) << "the rounding should reach the iterates";
}

TEST(ConductionMatrixFree, LabelledSigmaEqualsTensor) {
  // A label per cell and a conductivity per label (what `ionpath tortuosity` passes) give the
  // expanded tensor's answer: bit for bit on the matrix-free path (the same faces and labelling),
  // to the solver tolerance on the assembled one (which expands the tensor).
  // Odd sizes, both side-wall types; labels 0 (gel), 1 (insulating), 2 (1e-3), 7 (0.5).
  const mesh::Grid grid{{19, 16, 21}, 1e-6};
  for (const auto walls : {mesh::SideWalls::zero_flux, mesh::SideWalls::periodic}) {
    const Domain domain(grid, test::domain_options(2, walls));
    const mesh::Box& own = domain.owned();
    std::vector<std::uint8_t> labels(own.n_cells());
    for (int k = own.lo[2]; k < own.hi[2]; ++k)
      for (int j = own.lo[1]; j < own.hi[1]; ++j)
        for (int i = own.lo[0]; i < own.hi[0]; ++i) {
          const double u = test::cell_random(13, domain.linear_index(i, j, k));
          labels[own.offset(i, j, k)] = u < 0.6 ? 0 : u < 0.8 ? 1 : u < 0.9 ? 2 : 7;
        }
    LabelledSigma by_label;
    by_label.labels = labels;
    by_label.of_label[0] = 1.0;
    by_label.of_label[2] = 1e-3;
    by_label.of_label[7] = 0.5;
    std::vector<double> tensor(3 * labels.size());
    for (std::size_t c = 0; c < labels.size(); ++c)
      tensor[3 * c] = tensor[3 * c + 1] = tensor[3 * c + 2] = by_label.of_label[labels[c]];
    for (const ConductivityOptions& o : {matrix_free(2, 1e-6), assembled_tight(2)}) {
      const ConductivityResult from_labels = solve_conductivity(domain, by_label, o);
      const ConductivityResult from_tensor = solve_conductivity(domain, std::span<const double>(tensor), o);
      EXPECT_TRUE(from_labels.percolating);
      EXPECT_EQ(from_labels.inactive_fraction(), from_tensor.inactive_fraction());
      if (o.op == ConductionOperator::matrix_free) {
        EXPECT_EQ(from_labels.sigma_eff, from_tensor.sigma_eff);
        EXPECT_EQ(from_labels.solve.iterations, from_tensor.solve.iterations);
      } else {  // GAMG's setup is not bitwise repeatable across runs on 4 ranks
        EXPECT_NEAR(from_labels.sigma_eff / from_tensor.sigma_eff, 1.0, 1e-10);
      }
    }
  }
}

TEST(ConductionMatrixFree, NonPercolatingGivesZero) {
  const Domain domain(mesh::Grid{{8, 8, 8}, 1e-6}, test::domain_options(2));
  const auto sigma = test::tensor_field(domain, layers(2, {1, 1, 1}, {0, 0, 0}));
  const ConductivityResult r = solve_conductivity(domain, sigma, matrix_free(2, 1e-6));
  EXPECT_FALSE(r.percolating);
  EXPECT_EQ(r.sigma_eff, 0.0);
  EXPECT_EQ(r.solve.iterations, 0);
}

}  // namespace
}  // namespace ionpath::solver
