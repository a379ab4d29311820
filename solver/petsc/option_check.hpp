#pragma once
/// Validation of the YAML `petsc_options` before any work (issue 14: `cond_ksp_type: nonsense`
/// used to pass `validate` and end in a PETSc traceback naming no key; misspelled names were
/// ignored). Each option is tried on the solver objects of its prefix (KSP for cond_ and cond_mf_,
/// SNES and TS for en_ and pnp_) in a private options database, with PETSc's error printing off.
#include <optional>
#include <string>

#include "solver/petsc/options.hpp"

namespace ionpath::solver {

struct OptionProblem {
  std::string key;      ///< the petsc_options key as given (without '-')
  std::string message;  ///< why PETSc refused it
};

/// Prefixes of ionpath's solvers; petsc_options keys must start with one of them.
[[nodiscard]] const std::vector<std::string>& solver_option_prefixes();

/// The first problem: a key without a solver prefix, a value PETSc rejects (unknown type, not a
/// number), or a name that no solver object reads (misspelt). Names read only while a solver is
/// set up (multigrid levels, sub-solvers, factor and viewer options) cannot be checked here and
/// are accepted. Needs PETSc initialised; local to the calling rank.
[[nodiscard]] std::optional<OptionProblem> check_petsc_options(const OptionList& options);

}  // namespace ionpath::solver
