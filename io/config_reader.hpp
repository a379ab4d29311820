#pragma once
// Internal: a typed, validating walker over one YAML map. Every getter declares its key once
// (type, unit, default, range, doc) -- the same declarations generate docs/config.md.
#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/config.hpp"

namespace ionpath::io::detail {

struct KeyDoc {
  std::string path, type, default_value, range, doc;
};

/// Shared state of one parse: file name, the --set paths, and (in doc mode) the key registry.
struct ParseContext {
  std::string file;
  /// Dotted paths set from outside the file -> where the value came from, e.g. "with --set a.b=..."
  /// or "in calibrated.yaml:12" (appended to every error about that key).
  std::map<std::string, std::string> overridden;
  std::vector<KeyDoc>* docs = nullptr;  ///< non-null: documentation mode (visit every branch)
  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& message) const;
  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path, const std::string& message) const;
};

struct Range {
  double min = -1e300, max = 1e300;
  bool min_open = false, max_open = false;
  [[nodiscard]] std::string text() const;
  [[nodiscard]] bool contains(double v) const;
};
/// (0, inf): lengths, conductivities, tolerances.
inline const Range positive{0.0, 1e300, true, false};

class MapReader {
 public:
  /// `resolved` receives every value used, defaults included (the resolved configuration).
  MapReader(const YAML::Node& node, std::string path, const ParseContext& ctx, YAML::Node resolved);

  double number(const std::string& key, std::optional<double> fallback, Range range, const std::string& doc);
  int integer(const std::string& key, std::optional<int> fallback, Range range, const std::string& doc);
  bool boolean(const std::string& key, bool fallback, const std::string& doc);
  std::string text(const std::string& key, std::optional<std::string> fallback, const std::string& doc);
  /// One of `choices`; returns its index.
  int choice(const std::string& key, const std::vector<std::string>& choices, int fallback, const std::string& doc);
  std::optional<double> optional_number(const std::string& key, Range range, const std::string& doc);
  std::vector<int> integer_list(const std::string& key, std::size_t size, std::vector<int> fallback, Range range,
                                const std::string& doc);
  /// A nested map (empty node when absent); `present` tells whether the file had it.
  MapReader child(const std::string& key, const std::string& doc, bool* present = nullptr);
  /// Raw access for free-form maps (petsc_options, label maps); the key is declared as known.
  YAML::Node raw(const std::string& key, const std::string& type, const std::string& doc);
  [[nodiscard]] bool has(const std::string& key) const;
  /// Rejects keys nobody asked for (with "did you mean"); call after all getters.
  void finish() const;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const YAML::Node& node() const noexcept { return node_; }
  [[nodiscard]] const ParseContext& context() const noexcept { return ctx_; }
  [[nodiscard]] bool documenting() const noexcept { return ctx_.docs != nullptr; }
  [[nodiscard]] std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[nodiscard]] YAML::Node at(const std::string& key) const;
  /// Fails at the position of `key` itself (for errors about a key's presence, not its value).
  [[noreturn]] void fail_at_key(const std::string& key, const std::string& message) const;

 private:
  [[noreturn]] void fail_missing(const std::string& key) const;
  void declare(const std::string& key, const std::string& type, const std::string& fallback, const std::string& range,
               const std::string& doc);
  template <typename T>
  T record(const std::string& key, T value) {
    if (!documenting()) out_[key] = value;
    return value;
  }
  [[nodiscard]] double scalar_number(const std::string& key, const YAML::Node& v, const std::string& type);

  YAML::Node node_;
  std::string path_;
  const ParseContext& ctx_;
  std::set<std::string> known_;
  YAML::Node out_;
};

/// load_config on an already parsed tree (modified by the overrides); `file` names it in errors and
/// anchors relative paths (the sweep runner passes a sweep file's inline `base` map).
[[nodiscard]] RunConfig load_config_tree(YAML::Node root, const std::string& file, const std::vector<std::string>& overrides);
[[nodiscard]] RunConfig load_config_tree(YAML::Node root, const std::string& file, const std::vector<Override>& overrides);
/// Every declared key path (as in docs/config.md), e.g. "grid.n_cells", "phases.gel.sigma_S_m".
[[nodiscard]] std::set<std::string> known_config_keys();
/// The same keys with their declarations (type, default, range, doc).
[[nodiscard]] std::map<std::string, KeyDoc> config_key_docs();
/// Reads `file` as a YAML map; throws ConfigError "file: cannot open the <what>", "file:line:col:
/// malformed YAML" or "file: the <what> must be a YAML map".
[[nodiscard]] YAML::Node load_yaml_map(const ParseContext& ctx, const std::string& what);

/// `petsc_options`: a map option -> scalar (leading '-' dropped), in file order.
/// `locations` (optional) receives option -> "file:line:col" for errors found later by PETSc.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> read_petsc_options(
    MapReader& r, const std::string& doc, std::map<std::string, std::string>* locations = nullptr);

/// Damerau-Levenshtein distance (for "did you mean").
[[nodiscard]] std::size_t edit_distance(const std::string& a, const std::string& b);
/// The closest candidate within distance max(2, |key|/3), or empty.
[[nodiscard]] std::string nearest(const std::string& key, const std::set<std::string>& candidates);

}  // namespace ionpath::io::detail
