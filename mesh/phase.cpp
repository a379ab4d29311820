#include "mesh/phase.hpp"

#include <stdexcept>

namespace ionpath::mesh {

PhaseTable::PhaseTable()
    : phases_{{"gel", phase::gel},
              {"wall", phase::wall},
              {"clay", phase::clay},
              {"interface", phase::interface},
              {"void", phase::void_},
              {"clay_shell", phase::clay_shell}} {}

void PhaseTable::add(std::string name, Label label) {
  for (const auto& p : phases_)
    if (p.name == name || p.label == label)
      throw std::invalid_argument("phase '" + name + "' (label " + std::to_string(label) +
                                  ") clashes with phase '" + p.name + "' (label " + std::to_string(p.label) + ")");
  phases_.push_back({std::move(name), label});
}

std::optional<Label> PhaseTable::find(std::string_view name) const {
  for (const auto& p : phases_)
    if (p.name == name) return p.label;
  return std::nullopt;
}

std::string PhaseTable::name_of(Label label) const {
  for (const auto& p : phases_)
    if (p.label == label) return p.name;
  return "label_" + std::to_string(label);
}

}  // namespace ionpath::mesh
