#include "io/config_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace ionpath::io::detail {
namespace {

// Unit suffixes accepted in key names (spec §2); a key's suffix tells the unit of its value.
const std::vector<std::string> unit_suffixes = {"_m2_s", "_mol_m3", "_mol_kg", "_kg_m3", "_J_mol", "_A_m2", "_S_m", "_F_m2",
                                                "_per_m2", "_deg", "_m", "_K", "_V", "_s"};

std::string suffix_of(const std::string& key) {
  for (const auto& s : unit_suffixes)
    if (key.size() > s.size() && key.ends_with(s)) return s;
  return {};
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void ParseContext::fail(const YAML::Mark& mark, const std::string& path, const std::string& message) const {
  std::ostringstream os;
  // An overridden value was parsed from its own text: its mark is not a position in this file.
  const auto it = overridden.find(path);
  os << file;
  if (mark.line >= 0 && it == overridden.end()) os << ":" << mark.line + 1 << ":" << mark.column + 1;
  os << ": key '" << path << "': " << message;
  if (it != overridden.end()) os << " (value given " << it->second << ")";
  throw ConfigError(os.str());
}

void ParseContext::fail(const YAML::Node& at, const std::string& path, const std::string& message) const {
  fail(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), path, message);
}

std::string Range::text() const {
  if (min <= -1e299 && max >= 1e299) return "";
  std::string s;
  if (min > -1e299) s += (min_open ? "> " : ">= ") + format_number(min);
  if (max < 1e299) s += (s.empty() ? "" : ", ") + std::string(max_open ? "< " : "<= ") + format_number(max);
  return s;
}

bool Range::contains(double v) const {
  return std::isfinite(v) && (min_open ? v > min : v >= min) && (max_open ? v < max : v <= max);
}

MapReader::MapReader(const YAML::Node& node, std::string path, const ParseContext& ctx, YAML::Node resolved)
    : node_(node), path_(std::move(path)), ctx_(ctx), out_(resolved) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap())
    ctx_.fail(node_, path_.empty() ? "<root>" : path_, "must be a map of keys to values");
  if (node_.IsMap()) {  // yaml-cpp keeps duplicate keys: reject them here
    std::set<std::string> seen;
    for (const auto& kv : node_) {
      if (!kv.first.IsScalar())  // every later as<std::string>() of a key relies on this check
        ctx_.fail(kv.first, path_.empty() ? "<root>" : path_,
                  std::string("a key must be a plain name, not a ") + (kv.first.IsMap() ? "map" : kv.first.IsSequence() ? "list" : "null"));
      const auto key = kv.first.as<std::string>();
      if (!seen.insert(key).second) ctx_.fail(kv.first, key_path(key), "duplicate key");
    }
  }
}

YAML::Node MapReader::at(const std::string& key) const {
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : node_)
    if (kv.first.as<std::string>() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

void MapReader::fail_at_key(const std::string& key, const std::string& message) const {
  for (const auto& kv : node_)
    if (kv.first.as<std::string>() == key) ctx_.fail(kv.first, key_path(key), message);
  ctx_.fail(node_, key_path(key), message);
}

// A missing required key is often a misspelt or mis-suffixed one: report that key instead.
void MapReader::fail_missing(const std::string& key) const {
  if (node_.IsMap())
    for (const auto& kv : node_) {
      const auto other = kv.first.as<std::string>();
      const std::string s = suffix_of(key);
      if (!s.empty() && other != key && other.rfind(key.substr(0, key.size() - s.size()) + "_", 0) == 0)
        ctx_.fail(kv.first, key_path(other), "unknown key (bad unit: ionpath takes SI values only; use '" + key + "')");
      if (!known_.count(other) && !nearest(other, {key}).empty())
        ctx_.fail(kv.first, key_path(other), "unknown key (did you mean '" + key + "'?)");
    }
  ctx_.fail(node_, key_path(key), "missing required key");
}

bool MapReader::has(const std::string& key) const { return at(key).IsDefined(); }

void MapReader::declare(const std::string& key, const std::string& type, const std::string& fallback,
                        const std::string& range, const std::string& doc) {
  known_.insert(key);
  if (ctx_.docs) ctx_.docs->push_back({key_path(key), type, fallback, range, doc});
}

double MapReader::scalar_number(const std::string& key, const YAML::Node& v, const std::string& type) {
  if (!v.IsScalar()) ctx_.fail(v, key_path(key), "expected " + type + ", got a " + (v.IsMap() ? "map" : "list"));
  const std::string s = v.Scalar();
  double out = 0.0;
  try {
    std::size_t used = 0;
    out = std::stod(s, &used);
    if (used != s.size()) {
      const std::string rest = s.substr(used);
      if (rest.find_first_not_of(" \t") != std::string::npos && rest.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        ctx_.fail(v, key_path(key), "bad unit: '" + s + "' -- values are plain SI numbers; the unit is the key's suffix" +
                                        (suffix_of(key).empty() ? "" : " '" + suffix_of(key) + "'"));
      throw std::invalid_argument("trailing text");
    }
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception&) {
    ctx_.fail(v, key_path(key), "expected " + type + ", got '" + s + "'");
  }
  return out;
}

double MapReader::number(const std::string& key, std::optional<double> fallback, Range range, const std::string& doc) {
  declare(key, "number", fallback ? format_number(*fallback) : "required", range.text(), doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) {
    if (!fallback && !documenting()) fail_missing(key);
    return record(key, fallback.value_or(0.0));
  }
  const double out = scalar_number(key, v, "a number");
  if (!range.contains(out)) ctx_.fail(v, key_path(key), "value " + v.Scalar() + " out of range (must be " + range.text() + ")");
  return record(key, out);
}

std::optional<double> MapReader::optional_number(const std::string& key, Range range, const std::string& doc) {
  if (!has(key) || documenting()) {
    declare(key, "number", "unset", range.text(), doc);
    return std::nullopt;
  }
  known_.insert(key);
  Range r = range;
  const YAML::Node v = at(key);
  const double out = scalar_number(key, v, "a number");
  if (!r.contains(out)) ctx_.fail(v, key_path(key), "value " + v.Scalar() + " out of range (must be " + r.text() + ")");
  return record(key, out);
}

int MapReader::integer(const std::string& key, std::optional<int> fallback, Range range, const std::string& doc) {
  declare(key, "integer", fallback ? std::to_string(*fallback) : "required", range.text(), doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) {
    if (!fallback && !documenting()) fail_missing(key);
    return record(key, fallback.value_or(0));
  }
  const double d = scalar_number(key, v, "an integer");
  if (d != std::floor(d) || std::abs(d) > 2e9) ctx_.fail(v, key_path(key), "expected an integer, got '" + v.Scalar() + "'");
  if (!range.contains(d)) ctx_.fail(v, key_path(key), "value " + v.Scalar() + " out of range (must be " + range.text() + ")");
  return record(key, static_cast<int>(d));
}

bool MapReader::boolean(const std::string& key, bool fallback, const std::string& doc) {
  declare(key, "bool", fallback ? "true" : "false", "", doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) return record(key, fallback);
  bool out = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
    ctx_.fail(v, key_path(key), "expected true or false, got '" + (v.IsScalar() ? v.Scalar() : std::string("a collection")) + "'");
  return record(key, out);
}

std::string MapReader::text(const std::string& key, std::optional<std::string> fallback, const std::string& doc) {
  declare(key, "string", fallback ? (fallback->empty() ? "\"\"" : *fallback) : "required", "", doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) {
    if (!fallback && !documenting()) fail_missing(key);
    return record(key, fallback.value_or(""));
  }
  if (!v.IsScalar()) ctx_.fail(v, key_path(key), "expected a string");
  return record(key, v.Scalar());
}

int MapReader::choice(const std::string& key, const std::vector<std::string>& choices, int fallback,
                      const std::string& doc) {
  std::string all, listed;
  for (const auto& c : choices) {
    all += (all.empty() ? "" : " | ") + c;
    listed += (listed.empty() ? "" : ", ") + c;
  }
  declare(key, "one of: " + listed, choices[static_cast<std::size_t>(fallback)], "", doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) {
    record(key, choices[static_cast<std::size_t>(fallback)]);
    return fallback;
  }
  if (!v.IsScalar()) ctx_.fail(v, key_path(key), "expected one of " + all);
  const auto it = std::find(choices.begin(), choices.end(), v.Scalar());
  if (it == choices.end()) {
    const std::string near = nearest(v.Scalar(), {choices.begin(), choices.end()});
    ctx_.fail(v, key_path(key), "'" + v.Scalar() + "' is not one of " + all + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }
  record(key, *it);
  return static_cast<int>(it - choices.begin());
}

std::vector<int> MapReader::integer_list(const std::string& key, std::size_t size, std::vector<int> fallback, Range range,
                                         const std::string& doc) {
  std::string def;
  for (int f : fallback) def += (def.empty() ? "[" : ", ") + std::to_string(f);
  declare(key, "list of " + std::to_string(size) + " integers", fallback.empty() ? "required" : def + "]", range.text(), doc);
  const YAML::Node v = at(key);
  if (!v.IsDefined() || documenting()) {
    if (fallback.empty() && !documenting()) fail_missing(key);
    return record(key, fallback);
  }
  if (!v.IsSequence() || v.size() != size)
    ctx_.fail(v, key_path(key), "expected a list of " + std::to_string(size) + " integers");
  std::vector<int> out;
  for (const auto& e : v) {
    const double d = scalar_number(key, e, "an integer");
    if (d != std::floor(d) || !range.contains(d))
      ctx_.fail(e, key_path(key), "entry " + e.Scalar() + " must be an integer " + range.text());
    out.push_back(static_cast<int>(d));
  }
  return record(key, out);
}

MapReader MapReader::child(const std::string& key, const std::string& doc, bool* present) {
  declare(key, "map", "", "", doc);
  const YAML::Node v = at(key);
  if (present) *present = v.IsDefined() && !documenting();
  return MapReader(v.IsDefined() ? v : YAML::Node(YAML::NodeType::Undefined), key_path(key), ctx_,
                   documenting() ? YAML::Node() : out_[key]);
}

YAML::Node MapReader::raw(const std::string& key, const std::string& type, const std::string& doc) {
  declare(key, type, "empty", "", doc);
  if (documenting()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node v = at(key);
  if (v.IsDefined()) out_[key] = YAML::Clone(v);
  return v;
}

void MapReader::finish() const {
  if (!node_.IsMap() || documenting()) return;
  for (const auto& kv : node_) {
    const auto key = kv.first.as<std::string>();
    if (known_.count(key)) continue;
    std::string hint;
    // Same stem with another unit suffix: say so explicitly (units are never converted).
    for (const auto& k : known_) {
      const std::string s = suffix_of(k);
      if (!s.empty() && key.rfind(k.substr(0, k.size() - s.size()) + "_", 0) == 0)
        hint = " (bad unit: ionpath takes SI values only; use '" + k + "')";
    }
    if (hint.empty()) {
      const std::string near = nearest(key, known_);
      if (!near.empty()) hint = " (did you mean '" + near + "'?)";
    }
    ctx_.fail(kv.first, key_path(key), "unknown key" + hint);
  }
}

YAML::Node load_yaml_map(const ParseContext& ctx, const std::string& what) {
  YAML::Node root;
  try {
    std::ifstream in(ctx.file);
    if (!in) throw ConfigError(ctx.file + ": cannot open the " + what);
    root = YAML::Load(in);
  } catch (const YAML::Exception& e) {
    ctx.fail(e.mark, "<file>", "malformed YAML: " + e.msg);
  }
  if (!root.IsMap()) throw ConfigError(ctx.file + ": the " + what + " must be a YAML map");
  return root;
}

std::vector<std::pair<std::string, std::string>> read_petsc_options(MapReader& r, const std::string& doc,
                                                                    std::map<std::string, std::string>* locations) {
  std::vector<std::pair<std::string, std::string>> out;
  const YAML::Node petsc = r.raw("petsc_options", "map option -> value", doc);
  if (!petsc.IsDefined() || petsc.IsNull()) return out;
  const auto& ctx = r.context();
  if (!petsc.IsMap()) ctx.fail(petsc, r.key_path("petsc_options"), "expected a map of option names to values");
  for (const auto& kv : petsc) {
    if (!kv.first.IsScalar()) ctx.fail(kv.first, r.key_path("petsc_options"), "an option name must be a plain name");
    std::string key = kv.first.Scalar();
    if (key.starts_with("-")) key.erase(0, 1);
    if (!kv.second.IsScalar() && !kv.second.IsNull()) ctx.fail(kv.second, r.key_path("petsc_options." + key), "expected a scalar value");
    out.emplace_back(key, kv.second.IsNull() ? "" : kv.second.Scalar());
    if (locations != nullptr) {
      const YAML::Mark m = kv.first.Mark();  // no position for keys made by --set
      (*locations)[key] = ctx.file + (m.line < 0 ? "" : ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1));
    }
  }
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string nearest(const std::string& key, const std::set<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace ionpath::io::detail
