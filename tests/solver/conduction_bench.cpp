// Manual benchmark (not registered with ctest): one conduction solve on an N^3 random clay
// structure; solver options from the command line (-cond_pc_type mg ...). Usage:
//   solver_conduction_bench N [insulating_fraction] [clay_fraction] [seed] [PETSc options]
#include <petscsys.h>

#include <cstdio>
#include <cstdlib>

#include "solver/conduction/conduction.hpp"
#include "tests/solver/conduction_test_support.hpp"

int main(int argc, char** argv) {
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) return 1;
  int status = 0;
  try {
    using namespace ionpath;
    const int n = argc > 1 ? std::atoi(argv[1]) : 64;
    const double insulating = argc > 2 ? std::atof(argv[2]) : 0.15;
    const double clay = argc > 3 ? std::atof(argv[3]) : 0.25;
    const auto seed = static_cast<std::uint64_t>(argc > 4 ? std::atoll(argv[4]) : 1);
    const mesh::Grid grid{{n, n, n}, 1e-6};
    const solver::Domain domain(grid, solver::test::domain_options(2));
    const auto sigma = solver::test::tensor_field(domain, solver::test::random_clay(grid, seed, insulating, clay));
    const auto r = solver::solve_conductivity(domain, sigma, {});
    if (domain.rank() == 0)
      std::printf("N=%d ranks=%d %s/%s its=%d reason=%s setup=%.3fs solve=%.3fs sigma=%.12g energy=%.12g "
                  "balance=%.2e inactive=%.4f floating=%lld dead_ends=%lld\n",
                  n, domain.n_ranks(), r.solve.ksp_type.c_str(), r.solve.pc_type.c_str(), r.solve.iterations,
                  r.solve.converged_reason.c_str(), r.solve.setup_time_s, r.solve.solve_time_s, r.sigma_eff,
                  r.sigma_eff_energy, r.flux_balance, r.inactive_fraction(), r.components.n_floating,
                  r.components.n_touch_one);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    status = 1;
  }
  if (PetscFinalize() != 0) return 1;
  return status;
}
