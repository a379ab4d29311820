#pragma once
/// Internal to the electroneutral solver: matrix creation, code-default solver recipe (spec §9.2,
/// overridden by any -en_ option) and divergence messages.
#include <petscsnes.h>

#include <span>
#include <string>

#include "solver/domain.hpp"

namespace ionpath::solver::en_detail {

/// DMDA matrix (interlaced 2x2 blocks, star stencil) that also accepts the dense inventory row.
[[nodiscard]] MatHandle make_matrix(const Domain& d);
/// Newton with backtracking, rtol given, atol 1e-12, 50 iterations; GMRES(100) rtol 1e-10; LU for
/// one rank, MUMPS LU up to 1e5 cells on several ranks (if available), else ASM(1) + ILU(1).
void set_default_solver(SNES snes, const Domain& d, double rtol, double atol = 1e-12);
/// "<what> diverged: <reason> after n Newton iterations, residual norm r. Hint: ..."
[[nodiscard]] std::string divergence_message(const std::string& what, SNES snes);
/// Copies 2 values per owned cell into a global vector.
void copy_owned(Vec x, std::span<const double> values);

}  // namespace ionpath::solver::en_detail
