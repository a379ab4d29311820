// Conduction scaling benchmark (docs/performance.md): random clay platelets in an N^3 box
// (mesh::generate_block, Poisson placement, isotropic), one sigma_eff solve along z, JSON on stdout.
// Usage (key=value, any order; PETSc options after them are passed through):
//   mpiexec -n 2 conduction_scaling_bench N=256 op=mf accuracy=1e-4 clay_sigma=0 fraction=0.13
//     aspect=20 thickness_vox=1.5 seed=1 reference=0 stream_GBs=26 apply_reps=10 stop=energy
//     keep_sigma=0 fused=1 float_cycle=1 write_raw=PATH kcycle=0 k_inner=2 k_mmax=1 coarse_scale=0.5 smooth=3 cheb_low=0.3 face_double=-1
//     bf16=1 fused_cg=1
// op = mf (matrix-free multigrid) | assembled (AIJ + the cond_ recipe). reference=1 adds a tight
// solve (matrix-free, double faces, accuracy 1e-10) and reports the relative error of sigma_eff.
// stop = energy (default: energy-estimate stopping test) | residual (rtol = 1e-2 accuracy).
#include <mpi.h>
#include <petscsys.h>
#include <petsctime.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench_args.hpp"
#include "mesh/generate.hpp"
#include "solver/conduction/conduction.hpp"
#include "solver/petsc/error.hpp"

namespace {

using namespace ionpath;

using bench::number_arg;

double peak_rss_bytes_sum(MPI_Comm comm) {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  double b = static_cast<double>(ru.ru_maxrss) * 1024.0;  // Linux: kilobytes
  MPI_Allreduce(MPI_IN_PLACE, &b, 1, MPI_DOUBLE, MPI_SUM, comm);
  return b;
}

double now() {
  PetscLogDouble t = 0;
  PetscTime(&t);
  return t;
}

/// Time per fine-level operator apply, slowest rank, best of `reps` blocks of 5.
double time_apply(const solver::MatrixFreeHierarchy& H, int reps) {
  solver::VecHandle x, y;
  IONPATH_PETSC_CALL(MatCreateVecs(H.fine_operator(), x.out(), y.out()));
  IONPATH_PETSC_CALL(VecSet(x, 1.0));
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(PETSC_COMM_WORLD);
    const double t0 = now();
    for (int q = 0; q < 5; ++q) IONPATH_PETSC_CALL(MatMult(H.fine_operator(), x, y));
    double dt = (now() - t0) / 5.0;
    MPI_Allreduce(MPI_IN_PLACE, &dt, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD);
    best = std::min(best, dt);
  }
  return best;
}

/// Writes the structure as a uint8 raw image (0 = gel, 255 = clay, x fastest) for
/// `ionpath tortuosity`; one rank only, so that the owned block is the whole grid.
void write_raw(const std::string& path, const solver::Domain& domain, std::span<const std::uint8_t> labels) {
  if (domain.n_ranks() != 1) throw std::runtime_error("write_raw needs a single rank");
  std::vector<std::uint8_t> bytes(labels.size());
  for (std::size_t c = 0; c < labels.size(); ++c) bytes[c] = mesh::is_clay_like(labels[c]) ? 255 : 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0)
    throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) return 1;
  int status = 0;
  try {
    const double t_start = now();
    const auto kv = bench::key_value_args(argc, argv);
    const int n = static_cast<int>(number_arg(kv, "N", 64));
    const bool mf = kv.count("op") == 0 || kv.at("op") == "mf";
    const double accuracy = number_arg(kv, "accuracy", 1e-4);
    const double clay_sigma = number_arg(kv, "clay_sigma", 0.0);
    const double fraction = number_arg(kv, "fraction", 0.13);
    const double aspect = number_arg(kv, "aspect", 20.0);
    const double thickness_vox = number_arg(kv, "thickness_vox", 1.5);
    const auto seed = static_cast<std::uint64_t>(number_arg(kv, "seed", 1));
    const bool reference = number_arg(kv, "reference", 0) != 0;
    const double stream = number_arg(kv, "stream_GBs", 0.0);
    const int apply_reps = static_cast<int>(number_arg(kv, "apply_reps", 10));
    const solver::MatrixFreeSettings defaults;
    const double coarse_scale = number_arg(kv, "coarse_scale", defaults.coarse_scale);
    const int smooth = static_cast<int>(number_arg(kv, "smooth", defaults.smoothing_steps));
    const double cheb_low = number_arg(kv, "cheb_low", defaults.cheb_low);
    const double face_prec = number_arg(kv, "face_double", -1);
    const bool residual_stop = kv.count("stop") != 0 && kv.at("stop") == "residual";

    const double h = 1e-6;
    const mesh::Grid grid{{n, n, n}, h};
    solver::DomainOptions dopt;
    dopt.transport_axis = 2;
    const double rss_start = peak_rss_bytes_sum(PETSC_COMM_WORLD);
    const solver::Domain domain(grid, dopt);
    const double rss_domain = peak_rss_bytes_sum(domain.comm()) - rss_start;  // the Domain's DMDAs

    // Structure: isotropic Poisson platelets, thickness_vox voxels thick, aspect ratio `aspect`.
    mesh::GeometryParams geo;
    mesh::RandomPlateletsParams plate;
    plate.thickness_m = thickness_vox * h;
    plate.diameter_m = aspect * thickness_vox * h;
    plate.volume_fraction = fraction;
    plate.placement = mesh::PlacementKind::poisson;
    plate.orientation = mesh::OrientationKind::isotropic;
    geo.structure = plate;
    geo.seed = seed;
    const mesh::SumInPlace sum = [&](std::span<double> v) {
      MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, domain.comm());
    };
    const double t_gen0 = now();
    double achieved = 0.0;
    const auto make_sigma = [&] {
      std::vector<double> sigma;
      const mesh::GeneratedBlock block = mesh::generate_block(grid, geo, domain.owned(), sum);
      achieved = block.info.achieved_clay_fraction;
      const auto labels = block.labels.labels();
      if (kv.count("write_raw") != 0) write_raw(kv.at("write_raw"), domain, labels);
      sigma.resize(3 * labels.size());
      for (std::size_t c = 0; c < labels.size(); ++c) {
        const double s = mesh::is_clay_like(labels[c]) ? clay_sigma : 1.0;
        sigma[3 * c] = sigma[3 * c + 1] = sigma[3 * c + 2] = s;
      }
      return sigma;
    };
    std::vector<double> sigma = make_sigma();
    const double t_gen = now() - t_gen0;
    const double rss_gen = peak_rss_bytes_sum(domain.comm());  // peak so far: generation + sigma

    solver::ConductivityOptions opt;
    opt.axis = 2;
    opt.op = mf ? solver::ConductionOperator::matrix_free : solver::ConductionOperator::assembled;
    opt.accuracy = mf ? accuracy : 0.0;
    if (!mf) opt.ksp.rtol = 1e-2 * accuracy;
    opt.matrix_free.coarse_scale = coarse_scale;
    opt.matrix_free.smoothing_steps = smooth;
    opt.matrix_free.cheb_low = cheb_low;
    opt.matrix_free.k_cycle = number_arg(kv, "kcycle", 0) != 0;
    opt.matrix_free.fused_smoother = number_arg(kv, "fused", defaults.fused_smoother ? 1 : 0) != 0;
    opt.matrix_free.float_cycle = number_arg(kv, "float_cycle", defaults.float_cycle ? 1 : 0) != 0;
    opt.matrix_free.bf16_fine_faces = number_arg(kv, "bf16", defaults.bf16_fine_faces ? 1 : 0) != 0;
    opt.matrix_free.fused_cg = number_arg(kv, "fused_cg", defaults.fused_cg ? 1 : 0) != 0;
    opt.matrix_free.k_cycle_inner = static_cast<int>(number_arg(kv, "k_inner", defaults.k_cycle_inner));
    opt.matrix_free.k_cycle_outer_mmax = static_cast<int>(number_arg(kv, "k_mmax", defaults.k_cycle_outer_mmax));
    opt.stopping = residual_stop ? solver::StoppingTest::residual : solver::StoppingTest::energy;
    if (face_prec >= 0)
      opt.matrix_free.face_precision =
          face_prec > 0 ? solver::FacePrecision::double_precision : solver::FacePrecision::single;

    const double t_solve0 = now();
    // Handing sigma over lets the matrix-free path free it once the faces are built (keep=1: not).
    const bool keep_sigma = number_arg(kv, "keep_sigma", 0) != 0;
    const solver::ConductivityResult r = keep_sigma ? solver::solve_conductivity(domain, sigma, opt)
                                                    : solver::solve_conductivity(domain, std::move(sigma), opt);
    const double t_solve = now() - t_solve0;
    const double t_total = now() - t_start;
    const double rss = peak_rss_bytes_sum(domain.comm());

    if (sigma.empty()) sigma = make_sigma();  // for the apply timing and the reference
    // Operator apply bandwidth (a separate hierarchy with the same settings, after the timed run).
    double t_apply = 0.0, bytes_apply = 0.0;
    int n_levels = 0;
    if (mf && r.percolating && apply_reps > 0) {
      const solver::ActiveCells act =
          solver::electrode_active_cells(domain, solver::flags_from_tensor(sigma), opt.axis);
      const bool dbl = opt.matrix_free.face_precision == solver::FacePrecision::double_precision ||
                       (opt.matrix_free.face_precision == solver::FacePrecision::automatic && !(accuracy >= 1e-6));
      const solver::MatrixFreeHierarchy H(domain, sigma, act.active, solver::DirichletFaces::electrodes(2).on, dbl,
                                          opt.matrix_free);
      n_levels = H.n_levels();
      t_apply = time_apply(H, apply_reps);
      // Per cell: x copied into the ghosted vector (read 8 + write 8), read 8, y written 8, 3 faces.
      bytes_apply = static_cast<double>(grid.n_total()) * (32.0 + 3.0 * (dbl ? 8.0 : 4.0));
    }

    double sigma_ref = 0.0;
    if (reference && r.percolating) {
      solver::ConductivityOptions ro = opt;
      ro.op = solver::ConductionOperator::matrix_free;
      ro.accuracy = 1e-10;
      ro.stopping = solver::StoppingTest::residual;
      ro.matrix_free.face_precision = solver::FacePrecision::double_precision;
      sigma_ref = solver::solve_conductivity(domain, sigma, ro).sigma_eff;
    }

    if (domain.rank() == 0) {
      const double voxels = static_cast<double>(grid.n_total());
      std::printf(
          "{\"N\": %d, \"ranks\": %d, \"op\": \"%s\", \"clay_sigma\": %g, \"clay_fraction\": %.4f, "
          "\"accuracy\": %g, \"stop\": \"%s\", \"iterations\": %d, \"levels\": %d, \"generate_s\": %.3f, "
          "\"setup_s\": %.3f, \"solve_s\": %.3f, \"solve_call_s\": %.3f, \"total_s\": %.3f, "
          "\"voxels_per_s\": %.4g, \"bytes_per_voxel\": %.1f, \"bytes_per_voxel_domain\": %.1f, \"bytes_per_voxel_generation\": %.1f, "
          "\"sigma_eff\": %.12g, \"sigma_eff_energy\": %.12g, \"flux_balance\": %.3g, \"inactive_fraction\": %.4f, "
          "\"apply_s\": %.5f, \"apply_GBs\": %.2f, \"stream_GBs\": %.2f, \"sigma_ref\": %.12g, \"rel_error\": %.3g}\n",
          n, domain.n_ranks(), mf ? "mf" : "assembled", clay_sigma, achieved, accuracy,
          residual_stop ? "residual" : "energy", r.solve.iterations, n_levels, t_gen, r.solve.setup_time_s,
          r.solve.solve_time_s, t_solve, t_total, voxels / t_solve, rss / voxels, rss_domain / voxels, rss_gen / voxels, r.sigma_eff,
          r.sigma_eff_energy, r.flux_balance, r.inactive_fraction(), t_apply,
          t_apply > 0 ? bytes_apply / t_apply * 1e-9 : 0.0, stream, sigma_ref,
          sigma_ref > 0 ? std::abs(r.sigma_eff - sigma_ref) / sigma_ref : 0.0);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    status = 1;
  }
  if (PetscFinalize() != 0) return 1;
  return status;
}
