#include "solver/petsc/option_check.hpp"

#include <petscksp.h>
#include <petscsnes.h>
#include <petscts.h>

#include <algorithm>

namespace ionpath::solver {
namespace {

// Families PETSc reads only during setup or solve (after SetFromOptions): not checkable here.
bool read_later(const std::string& name) {
  static const std::vector<std::string> families{"mg_levels_", "mg_coarse_", "fieldsplit_", "sub_", "redundant_",
                                                 "pc_factor_", "mat_", "dm_", "da_", "_view", "converged_reason",
                                                 "log", "hypre_"};
  return std::any_of(families.begin(), families.end(),
                     [&](const std::string& f) { return name.find(f) != std::string::npos; });
}

std::string bare(const std::string& key) { return key.empty() || key.front() != '-' ? key : key.substr(1); }

std::string prefix_of(const std::string& key) {
  for (const auto& p : solver_option_prefixes())  // longest first
    if (key.rfind(p, 0) == 0) return p;
  return {};
}

// Runs SetFromOptions of the solver objects of `prefix` on database `db`; returns PETSc's message
// on failure, "" on success.
std::string set_from_options(PetscOptions db, const std::string& prefix) {
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);  // no traceback: the caller names the key
  PetscErrorCode code = 0;
  auto attempt = [&](PetscObject obj, auto set_prefix, auto from_options) {
    if (code) return;
    code = PetscObjectSetOptions(obj, db);
    if (!code) code = set_prefix(prefix.c_str());
    if (!code) code = from_options();
  };
  KSP ksp = nullptr;
  SNES snes = nullptr;
  TS ts = nullptr;
  if (prefix.rfind("cond_", 0) == 0) {
    code = KSPCreate(PETSC_COMM_SELF, &ksp);
    if (!code)
      attempt(reinterpret_cast<PetscObject>(ksp), [&](const char* p) { return KSPSetOptionsPrefix(ksp, p); },
              [&] { return KSPSetFromOptions(ksp); });
  } else {
    code = SNESCreate(PETSC_COMM_SELF, &snes);
    SNESLineSearch line_search = nullptr;  // made on demand by SNESSetUp otherwise: its options would go unread
    if (!code) code = SNESGetLineSearch(snes, &line_search);
    if (!code) code = PetscObjectSetOptions(reinterpret_cast<PetscObject>(line_search), db);
    if (!code)
      attempt(reinterpret_cast<PetscObject>(snes), [&](const char* p) { return SNESSetOptionsPrefix(snes, p); },
              [&] { return SNESSetFromOptions(snes); });
    if (!code) code = TSCreate(PETSC_COMM_SELF, &ts);
    if (!code)
      attempt(reinterpret_cast<PetscObject>(ts), [&](const char* p) { return TSSetOptionsPrefix(ts, p); },
              [&] { return TSSetFromOptions(ts); });
  }
  std::string message;
  if (code) {
    const char* text = nullptr;
    char* specific = nullptr;
    PetscErrorMessage(code, &text, &specific);
    message = specific && *specific ? specific : (text ? text : "PETSc error " + std::to_string(int(code)));
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  }
  if (ts) TSDestroy(&ts);
  if (snes) SNESDestroy(&snes);
  if (ksp) KSPDestroy(&ksp);
  PetscPopErrorHandler();
  return message;
}

// A private database holding `options` (as -key value).
struct Database {
  PetscOptions db = nullptr;
  explicit Database(const OptionList& options) {
    PetscOptionsCreate(&db);
    for (const auto& [key, value] : options)
      PetscOptionsSetValue(db, ("-" + bare(key)).c_str(), value.empty() ? nullptr : value.c_str());
  }
  ~Database() { PetscOptionsDestroy(&db); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
};

}  // namespace

const std::vector<std::string>& solver_option_prefixes() {
  static const std::vector<std::string> p{"cond_mf_", "cond_", "pnp_", "en_"};
  return p;
}

std::optional<OptionProblem> check_petsc_options(const OptionList& options) {
  std::vector<std::string> prefixes;
  for (const auto& [key, value] : options) {
    const std::string name = bare(key), prefix = prefix_of(name);
    if (prefix.empty())
      return OptionProblem{key, "not an option of an ionpath solver: keys start with cond_ (conduction), cond_mf_ "
                                "(its matrix-free path), en_ (electroneutral) or pnp_; global PETSc options go on "
                                "the command line after --"};
    // Alone first, so a refused value is blamed on its own key.
    const Database one({{name, value}});
    if (const std::string why = set_from_options(one.db, prefix); !why.empty())
      return OptionProblem{key, "PETSc refuses '" + value + "': " + why};
    if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end()) prefixes.push_back(prefix);
  }
  // Then together per prefix: options that depend on others (pc_gamg_* needs pc_type gamg).
  for (const auto& prefix : prefixes) {
    OptionList mine;
    for (const auto& [key, value] : options)
      if (prefix_of(bare(key)) == prefix) mine.emplace_back(bare(key), value);
    const Database all(mine);
    if (const std::string why = set_from_options(all.db, prefix); !why.empty())
      return OptionProblem{mine.front().first, "PETSc refuses the " + prefix + " options together: " + why};
    for (const auto& [name, value] : mine) {
      PetscBool used = PETSC_FALSE;
      PetscOptionsUsed(all.db, name.c_str(), &used);  // the database stores names without '-'
      if (!used && !read_later(name.substr(prefix.size())))
        return OptionProblem{name, "no " + prefix + " solver object reads -" + name +
                                       " (misspelt? `-help` after `--` lists the options PETSc reads)"};
    }
  }
  return std::nullopt;
}

}  // namespace ionpath::solver
