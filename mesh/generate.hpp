#pragma once
/// Block-wise structure generation. Each MPI rank calls generate_block for its own box; labels of
/// a voxel depend on (grid, parameters, seed) only: never on the decomposition nor on the
/// transport axis. No call allocates more than its (grown) box.
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "mesh/geometry_params.hpp"
#include "mesh/grid.hpp"
#include "mesh/label_block.hpp"

namespace ionpath::mesh {

/// Parameters that are in range one by one but would make a generator run away (more objects
/// than voxels, or more work than generation_work_limit): rejected before the work, with the
/// reason and the key to change. Thrown alike on every rank (bad input, exit status 2).
class GenerationLimitError : public std::invalid_argument {
 public:
  GenerationLimitError(const std::string& key, const std::string& message)
      : std::invalid_argument(message), key_(key) {}
  /// The dotted config key to change, e.g. geometry.aligned_walls.spacing_m.
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

/// Voxel-object tests a generator may spend: 2e9 (~10 s on this machine) or 256 per voxel,
/// whichever is larger (sane structures need a few per voxel, whatever the grid size).
inline constexpr double generation_work_limit = 2e9;
inline constexpr double generation_work_per_voxel = 256.0;
[[nodiscard]] double generation_work_limit_of(const Grid& grid) noexcept;

/// Throws GenerationLimitError when `params` on `grid` would exceed the limits above. Cheap (no
/// allocation); called by the config validation and again by generate_block.
void check_generation_bounds(const Grid& grid, const GeometryParams& params);

/// Sums a vector element-wise over all ranks, in place (serial: does nothing). mesh/ stays free
/// of MPI; the solver layer passes an MPI_Allreduce.
using SumInPlace = std::function<void(std::span<double>)>;
[[nodiscard]] SumInPlace serial_sum();

/// Orientation statistics of platelet normals against `axis` (spec §6.3).
struct OrientationStats {
  std::size_t n_objects = 0;
  double mean_P2 = 0.0;                      ///< <P2(n . e_axis)>: 1 aligned, 0 isotropic, -1/2 in-plane
  std::array<double, 3> order_eigenvalues{}; ///< eigenvalues of Q = <(3 n n^T - I)/2>, descending
  double aggregation_index = 0.0;            ///< mean nearest-neighbour centre distance / Poisson value
};

/// What the generator did, beyond the labels (same on every rank).
struct GenerationInfo {
  std::string structure;                     ///< pure_gel | aligned_walls | random_platelets
  double target_clay_fraction = 0.0;         ///< requested (walls: thickness / spacing)
  double weight_fraction = -1.0;             ///< given weight fraction (< 0: not given)
  double converted_volume_fraction = -1.0;   ///< its volume-fraction equivalent (spec §6.1)
  double achieved_clay_fraction = 0.0;       ///< voxel-counted wall+clay fraction before the shell
  std::size_t n_objects = 0;                 ///< walls or platelets
  double wall_thickness_m = 0.0;
  OrientationStats orientation{};
};

struct GeneratedBlock {
  LabelBlock labels;  ///< exactly the owned box
  GenerationInfo info;
};

/// Builds the labels of `owned`: structure, then the interface shell. ImageParams are rejected
/// (images are read by io/, then passed through apply_shells).
[[nodiscard]] GeneratedBlock generate_block(const Grid& grid, const GeometryParams& params, const Box& owned,
                                            const SumInPlace& sum = serial_sum());

/// Owned box grown by `halo` cells on every side: periodic sides may run outside [0, N) (indices
/// wrap), other sides are clipped to the domain.
[[nodiscard]] Box grow_box(const Grid& grid, const Box& owned, int halo, const GeometryParams& params);
/// Halo the shell needs: ceil(thickness / h), at least 1 (face counting in reports).
[[nodiscard]] int shell_halo(const Grid& grid, const InterfaceShellParams& shell);
/// Halo of every shell of `params` (interface and M-a clay_shell): the widest.
[[nodiscard]] int shell_halo(const Grid& grid, const GeometryParams& params);
/// True when axis `a` wraps: every axis of a periodic structure (side_walls: periodic), none
/// otherwise. The transport axis plays no part, so the labels do not depend on it.
[[nodiscard]] bool wraps(const GeometryParams& params, int axis) noexcept;
/// Wraps index i into [0, n) on periodic axes.
[[nodiscard]] inline int wrap_index(int i, int n) noexcept { return ((i % n) + n) % n; }

/// Gel voxels of `owned` whose centre lies within shell.thickness_m of a wall/clay voxel centre
/// (exact Euclidean distance) become interface. `grown` must cover owned + shell_halo().
[[nodiscard]] LabelBlock apply_interface_shell(const Grid& grid, const LabelBlock& grown, const Box& owned,
                                               const InterfaceShellParams& shell);

/// Every derived shell of `params`: without clay_shell exactly apply_interface_shell; with it, gel
/// within clay_shell.thickness_m of a `clay` voxel becomes clay_shell first, then the interface
/// shell takes the remaining gel. `grown` must cover owned + shell_halo(grid, params).
[[nodiscard]] LabelBlock apply_shells(const Grid& grid, const LabelBlock& grown, const Box& owned,
                                      const GeometryParams& params);

/// Copies the `inner` part of a block covering a larger box.
[[nodiscard]] LabelBlock crop(const LabelBlock& block, const Box& inner);

}  // namespace ionpath::mesh
