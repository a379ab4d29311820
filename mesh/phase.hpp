#pragma once
/// Phase labels. Every voxel carries one uint8 label; the built-in labels have fixed values so
/// files written by any ionpath version agree. Configs may declare further phases (labels >= 16).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ionpath::mesh {

using Label = std::uint8_t;

namespace phase {
inline constexpr Label gel = 0;        ///< swollen gel polymer electrolyte (CMP)
inline constexpr Label wall = 1;       ///< aligned MMT:PEO scaffold wall (VAMMT)
inline constexpr Label clay = 2;       ///< pristine MMT tactoid / platelet
inline constexpr Label interface = 3;  ///< polymer-clay interphase shell on the gel side
inline constexpr Label void_ = 4;      ///< pore, crack, unfilled space (insulating)
inline constexpr Label clay_shell = 5; ///< gel next to dispersed clay aggregates (M-a, spec §7.3)
inline constexpr Label first_user = 16;
}  // namespace phase

struct PhaseInfo {
  std::string name;
  Label label = 0;
};

/// Name <-> label table. Starts with the six built-in phases.
class PhaseTable {
 public:
  PhaseTable();
  /// Adds a user phase; throws std::invalid_argument on a duplicate name or label.
  void add(std::string name, Label label);
  [[nodiscard]] std::optional<Label> find(std::string_view name) const;
  [[nodiscard]] std::string name_of(Label label) const;  ///< "label_<n>" when undeclared
  [[nodiscard]] const std::vector<PhaseInfo>& phases() const noexcept { return phases_; }

 private:
  std::vector<PhaseInfo> phases_;
};

/// True for the electrolyte phases: gel and the shells derived from it (interface, clay_shell).
[[nodiscard]] constexpr bool is_gel_like(Label l) noexcept {
  return l == phase::gel || l == phase::interface || l == phase::clay_shell;
}

/// True for phases that are solid clay (walls and platelets): the shell grows around these.
[[nodiscard]] constexpr bool is_clay_like(Label l) noexcept { return l == phase::wall || l == phase::clay; }

}  // namespace ionpath::mesh
