#pragma once
/// A block of voxel labels covering one Box of the global grid (a rank's subdomain, possibly
/// grown by ghost layers). No rank ever holds the whole volume unless it owns all of it.
#include <span>
#include <vector>

#include "mesh/grid.hpp"
#include "mesh/phase.hpp"

namespace ionpath::mesh {

class LabelBlock {
 public:
  LabelBlock() = default;
  LabelBlock(const Box& box, Label fill) : box_(box), labels_(box.n_cells(), fill) {}

  [[nodiscard]] const Box& box() const noexcept { return box_; }
  [[nodiscard]] Label at(int i, int j, int k) const noexcept { return labels_[box_.offset(i, j, k)]; }
  Label& at(int i, int j, int k) noexcept { return labels_[box_.offset(i, j, k)]; }
  [[nodiscard]] std::span<const Label> labels() const noexcept { return labels_; }
  [[nodiscard]] std::span<Label> labels() noexcept { return labels_; }

 private:
  Box box_{};
  std::vector<Label> labels_;
};

}  // namespace ionpath::mesh
