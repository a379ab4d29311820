#pragma once
/// PETSc options plumbing (style guide §4.4): code defaults < YAML `petsc_options` < command line.
/// YAML maps arrive here already parsed by io/ as key/value pairs (keys without prefix or dash).
#include <string>
#include <utility>
#include <vector>

namespace ionpath::solver {

using OptionList = std::vector<std::pair<std::string, std::string>>;

/// Sets "-<prefix><key> value" in the global database for every entry the database does not hold
/// yet (the command line wins). Keys may be given with or without a leading '-'. Returns the
/// names actually set.
std::vector<std::string> apply_petsc_options(const std::string& prefix, const OptionList& options);

/// Sets options unconditionally for its lifetime and removes them again on destruction; for tests
/// and parameter sweeps that try several solver recipes in one process.
class ScopedPetscOptions {
 public:
  ScopedPetscOptions(const std::string& prefix, const OptionList& options);
  ~ScopedPetscOptions();
  ScopedPetscOptions(const ScopedPetscOptions&) = delete;
  ScopedPetscOptions& operator=(const ScopedPetscOptions&) = delete;

 private:
  std::vector<std::string> names_;
};

/// apply_petsc_options for its lifetime: sets what the database does not hold yet (the command
/// line wins) and clears exactly those again on destruction, so one sweep point's `petsc_options`
/// never leak into the next point run in the same process.
class ScopedDefaultPetscOptions {
 public:
  ScopedDefaultPetscOptions(const std::string& prefix, const OptionList& options);
  ~ScopedDefaultPetscOptions();
  ScopedDefaultPetscOptions(const ScopedDefaultPetscOptions&) = delete;
  ScopedDefaultPetscOptions& operator=(const ScopedDefaultPetscOptions&) = delete;

 private:
  std::vector<std::string> names_;
};

}  // namespace ionpath::solver
