#pragma once
/// Attaches the cooperative deadline (solver/petsc/deadline.hpp) to a PETSc solver: a monitor that
/// returns an error code once the deadline is due on any rank, which ends KSPSolve/SNESSolve/
/// TSSolve on every rank at the same iteration. No-op when no deadline is armed.
#include <petscksp.h>
#include <petscsnes.h>
#include <petscts.h>

namespace ionpath::solver {

void watch_deadline(KSP ksp);
void watch_deadline(SNES snes);
void watch_deadline(TS ts);

}  // namespace ionpath::solver
