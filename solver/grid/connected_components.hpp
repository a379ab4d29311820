#pragma once
/// Parallel connected-component labelling of conducting cells (spec §3.9). Two cells that share a
/// face along axis a are connected when both conduct along a, so a sheet that conducts only in its
/// plane is not joined through its normal. Periodic sides are respected.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "solver/grid/domain.hpp"

namespace ionpath::solver {

/// Per-cell connectivity flags over the owned box: bit a set = the cell conducts along axis a.
using AxisFlags = std::vector<std::uint8_t>;
inline constexpr std::uint8_t all_axes = 0b111;

/// Flags from a per-cell conducting mask (nonzero = conducting along every axis).
[[nodiscard]] AxisFlags flags_from_mask(std::span<const std::uint8_t> mask);
/// Flags from a diagonal tensor stored as 3 doubles per owned cell (bit a = component a > 0).
[[nodiscard]] AxisFlags flags_from_tensor(std::span<const double> tensor_xyz);

/// Components as this rank sees them: owned cells point to local components (4 bytes per cell),
/// and each local component carries the label of the global component it belongs to.
struct ComponentLabels {
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  /// Per owned cell (x fastest): its local component, or `none` when insulating.
  std::vector<std::uint32_t> component;
  /// Per local component: the smallest global linear index in its (global) component.
  std::vector<long long> component_label;
  /// Per local component: 1 when this rank holds its smallest cell, so it is counted once.
  std::vector<std::uint8_t> holds_smallest;
  long long n_components = 0;
  int n_sweeps = 0;  ///< face-exchange rounds until no label changed

  /// Label of the owned cell at `offset`: the smallest global linear index in its component, or
  /// -1 when insulating.
  [[nodiscard]] long long label(std::size_t offset) const noexcept {
    return component[offset] == none ? -1 : component_label[component[offset]];
  }
};

/// Min-label propagation: union-find within the owned box, then rounds exchanging the labels on
/// the box faces with the neighbouring ranks, until no label changes anywhere (MPI_Allreduce).
/// `cut_axis` >= 0 ignores periodic wrapping along that axis. At most 2^32 - 2 owned cells per rank.
[[nodiscard]] ComponentLabels label_components(const Domain& domain, const AxisFlags& flags, int cut_axis = -1);

/// A face of the box: axis and side (0 = low, 1 = high).
struct BoxFace {
  int axis = 2;
  int side = 0;
};

struct ComponentStats {
  long long n_components = 0;
  long long n_touch_both = 0;     ///< touch group A and group B (percolating for electrodes)
  long long n_touch_one = 0;      ///< dead ends: exactly one group
  long long n_floating = 0;       ///< touch no group
  long long n_cells = 0;
  long long n_conducting_cells = 0;
  long long n_active_cells = 0;
  [[nodiscard]] double inactive_fraction() const noexcept {
    return n_cells == 0 ? 0.0 : double(n_cells - n_active_cells) / double(n_cells);
  }
  /// Conducting cells removed from the system (floating and dead-end clusters) per total cells.
  [[nodiscard]] double removed_conducting_fraction() const noexcept {
    return n_cells == 0 ? 0.0 : double(n_conducting_cells - n_active_cells) / double(n_cells);
  }
};

enum class ActiveRule { touch_both, touch_any };

struct ActiveCells {
  std::vector<std::uint8_t> active;  ///< per owned cell
  ComponentStats stats;
};

/// Classifies components by the faces they touch (a cell touches face (a, s) if it lies on it and
/// conducts along a). touch_both: active = touches a face of group_a and one of group_b (steady
/// conduction between electrodes: dead ends removed). touch_any: active = touches any face of
/// group_a (general Dirichlet problems); group_b is ignored for activity but still counted.
[[nodiscard]] ActiveCells classify_components(const Domain& domain, const AxisFlags& flags,
                                              const ComponentLabels& labels, std::span<const BoxFace> group_a,
                                              std::span<const BoxFace> group_b, ActiveRule rule);

/// Active cells for conduction between the two faces normal to `axis`.
[[nodiscard]] ActiveCells electrode_active_cells(const Domain& domain, const AxisFlags& flags, int axis);

/// True when some component touches both faces normal to `axis` (geometry report). Periodic
/// wrapping along `axis` itself is ignored.
[[nodiscard]] bool percolates(const Domain& domain, std::span<const std::uint8_t> mask, int axis);

}  // namespace ionpath::solver
