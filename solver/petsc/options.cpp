#include "solver/petsc/options.hpp"

#include <petscsys.h>

#include "solver/petsc/error.hpp"

namespace ionpath::solver {
namespace {

std::string option_name(const std::string& prefix, const std::string& key) {
  const std::string bare = key.empty() || key.front() != '-' ? key : key.substr(1);
  return "-" + prefix + bare;
}

const char* value_or_null(const std::string& value) { return value.empty() ? nullptr : value.c_str(); }

}  // namespace

std::vector<std::string> apply_petsc_options(const std::string& prefix, const OptionList& options) {
  std::vector<std::string> set;
  for (const auto& [key, value] : options) {
    const std::string name = option_name(prefix, key);
    PetscBool given = PETSC_FALSE;
    IONPATH_PETSC_CALL(PetscOptionsHasName(nullptr, nullptr, name.c_str(), &given));
    if (given) continue;
    IONPATH_PETSC_CALL(PetscOptionsSetValue(nullptr, name.c_str(), value_or_null(value)));
    set.push_back(name);
  }
  return set;
}

ScopedPetscOptions::ScopedPetscOptions(const std::string& prefix, const OptionList& options) {
  for (const auto& [key, value] : options) {
    names_.push_back(option_name(prefix, key));
    IONPATH_PETSC_CALL(PetscOptionsSetValue(nullptr, names_.back().c_str(), value_or_null(value)));
  }
}

ScopedPetscOptions::~ScopedPetscOptions() {
  for (const auto& name : names_) static_cast<void>(PetscOptionsClearValue(nullptr, name.c_str()));
}

ScopedDefaultPetscOptions::ScopedDefaultPetscOptions(const std::string& prefix, const OptionList& options)
    : names_(apply_petsc_options(prefix, options)) {}

ScopedDefaultPetscOptions::~ScopedDefaultPetscOptions() {
  for (const auto& name : names_) static_cast<void>(PetscOptionsClearValue(nullptr, name.c_str()));
}

}  // namespace ionpath::solver
