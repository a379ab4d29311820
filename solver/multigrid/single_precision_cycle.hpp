#pragma once
/// Single-precision W-cycle on the matrix-free hierarchy, the preconditioner of the double-precision
/// outer CG: called directly by the fused CG (solver/multigrid/fused_cg.hpp) or as a PCSHELL inside PETSc's
/// KSPCG (docs/performance.md, rounds 3 and 5). Same cycle and smoother polynomial as the PCMG path
/// (W-cycle, fused Chebyshev-Jacobi, Q0 transfers, direct coarsest solve), but:
/// - every level vector is a float array in the ghosted layout, so a smoothing step reads x
///   where it lies and a hand-written face halo exchange replaces DMGlobalToLocal's full copy;
/// - the new iterate is written over the previous one (the arrays swap roles), so a level holds
///   two float arrays instead of PETSc's five double vectors;
/// - the residual is restricted as it is computed (no fine residual vector);
/// - optionally the finest sweeps read their faces in bfloat16 (MatrixFreeSettings::bf16_fine_faces).
/// CG's exact line search keeps the energy decrease monotone whatever the preconditioner's
/// rounding, so the energy stopping test is unaffected.
#include <petscksp.h>

#include <memory>

#include "solver/multigrid/hierarchy.hpp"

namespace ionpath::solver {

/// The cycle itself; `hierarchy` must outlive it.
class FloatCycle {
 public:
  /// borrow_fine_work_vector: the finest level's two float arrays live in the hierarchy's ghosted
  /// double work vector (saves 8 B per fine cell; its other users then must not hold it across a
  /// cycle). The fused CG keeps its search direction there, so it passes false.
  FloatCycle(const MatrixFreeHierarchy& hierarchy, const MatrixFreeSettings& settings, bool borrow_fine_work_vector);
  ~FloatCycle();
  FloatCycle(const FloatCycle&) = delete;
  FloatCycle& operator=(const FloatCycle&) = delete;

  /// z = M^{-1} r (owned layouts).
  void apply(const double* r, double* z);
  /// z = M^{-1} b for a float right-hand side (owned layout); returns z in the finest level's
  /// ghosted layout, valid until the next apply. Needs borrow_fine_work_vector = false.
  const float* apply(const float* b);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Configures `pc` as a PCSHELL running the float W-cycle on `hierarchy`, which must outlive it.
void setup_float_cycle(PC pc, const MatrixFreeHierarchy& hierarchy, const MatrixFreeSettings& settings);

}  // namespace ionpath::solver
