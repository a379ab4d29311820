// Sweep files: parse, check every axis key against the configuration schema, expand.
#include "io/sweep_file.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "io/config_reader.hpp"

namespace ionpath::io {
namespace {

using detail::MapReader;
using detail::ParseContext;
using detail::Range;

constexpr std::size_t max_points = 1000000;

/// One axis or one zip group: parallel value lists of one or more keys.
struct Group {
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> values;  ///< values[k][i]: key k at step i
  std::vector<std::vector<std::string>> where;   ///< where[k][i]: file:line:column that gave values[k][i]
};

std::string where_text(const ParseContext& ctx, const YAML::Node& at) {
  const YAML::Mark m = at.Mark();
  return ctx.file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string flow_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

YAML::Node load_file(const ParseContext& ctx) {
  std::ifstream in(ctx.file);
  if (!in) throw ConfigError(ctx.file + ": cannot open the sweep file");
  try {
    return YAML::Load(in);
  } catch (const YAML::Exception& e) {
    ctx.fail(e.mark, "<file>", "malformed YAML: " + e.msg);
  }
}

// An axis key must be a configuration key (docs/config.md): phases may have any name, petsc_options
// any option; output.directory belongs to the sweep.
void check_key(const ParseContext& ctx, const YAML::Node& at, const std::string& path, const std::string& key) {
  static const std::set<std::string> known = detail::known_config_keys();
  if (key.starts_with("output."))
    ctx.fail(at, path, "output keys are set by the sweep (use the sweep file's output map or --output)");
  if (known.count(key) || key.starts_with("petsc_options.")) return;
  if (key.starts_with("phases.")) {
    const auto second = key.find('.', 7);
    if (second != std::string::npos && known.count("phases.gel" + key.substr(second))) return;
  }
  const std::string near = detail::nearest(key, known);
  ctx.fail(at, path, "'" + key + "' is not a configuration key" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
}

// The declaration of an axis key; phases.<any name>.x is declared as phases.gel.x. Null: none.
const detail::KeyDoc* key_doc(const std::string& key) {
  static const std::map<std::string, detail::KeyDoc> docs = detail::config_key_docs();
  auto it = docs.find(key);
  if (it == docs.end() && key.starts_with("phases.")) {
    const auto second = key.find('.', 7);
    if (second != std::string::npos) it = docs.find("phases.gel" + key.substr(second));
  }
  return it == docs.end() ? nullptr : &it->second;
}

bool is_integer(const YAML::Node& v) {
  double d = 0.0;
  return v.IsScalar() && YAML::convert<double>::decode(v, d) && std::isfinite(d) && d == std::floor(d);
}

// An axis value of the wrong type (a typo: 'abc' for a number, 'aligned_wall' for a structure) is
// the sweep file's error at the value's own line, before any point runs. Ranges and combinations
// (a wall thicker than its spacing) are left to each point, which records them as failed.
void check_value_type(const ParseContext& ctx, const YAML::Node& v, const std::string& key) {
  const detail::KeyDoc* doc = key_doc(key);
  if (doc == nullptr) return;
  const std::string& type = doc->type;
  const std::string text = flow_text(v);
  double d = 0.0;
  bool b = false;
  if (type == "number" && !(v.IsScalar() && YAML::convert<double>::decode(v, d)))
    ctx.fail(v, key, "expected a number, got '" + text + "'");
  if (type == "integer" && !is_integer(v)) ctx.fail(v, key, "expected an integer, got '" + text + "'");
  if (type == "bool" && !(v.IsScalar() && YAML::convert<bool>::decode(v, b)))
    ctx.fail(v, key, "expected true or false, got '" + text + "'");
  if (type.starts_with("one of: ")) {
    std::set<std::string> choices;
    std::stringstream list(type.substr(8));
    for (std::string c; std::getline(list, c, ',');) choices.insert(c.substr(c.find_first_not_of(' ')));
    if (!v.IsScalar() || !choices.count(v.Scalar())) {
      const std::string near = v.IsScalar() ? detail::nearest(v.Scalar(), choices) : "";
      ctx.fail(v, key, "'" + text + "' is not " + type + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
  }
  if (type.starts_with("list of ") && type.ends_with(" integers")) {
    const std::size_t n = std::stoul(type.substr(8));
    bool ok = v.IsSequence() && v.size() == n;
    for (std::size_t i = 0; ok && i < v.size(); ++i) ok = is_integer(v[i]);
    if (!ok) ctx.fail(v, key, "expected a " + type + ", got '" + text + "'");
  }
}

std::vector<std::string> range_values(MapReader r, bool log) {
  const double start = r.number("start", std::nullopt, log ? detail::positive : Range{}, "first value");
  const double stop = r.number("stop", std::nullopt, log ? detail::positive : Range{}, "last value");
  const int num = r.integer("num", std::nullopt, Range{1, 1e6}, "number of values, ends included");
  r.finish();
  std::vector<std::string> out;
  for (int i = 0; i < num; ++i) {
    const double f = num == 1 ? 0.0 : static_cast<double>(i) / (num - 1);
    double v = log ? start * std::pow(stop / start, f) : start + f * (stop - start);
    if (i == num - 1 && num > 1) v = stop;  // ends exact
    if (i == 0) v = start;
    out.push_back(shortest(v));
  }
  return out;
}

// {key: K, values: [...]} | {key: K, linspace: {start, stop, num}} | {key: K, logspace: {...}}
Group read_axis(const YAML::Node& node, const std::string& path, const ParseContext& ctx) {
  YAML::Node scratch(YAML::NodeType::Map);
  MapReader r(node, path, ctx, scratch);
  if (!node.IsMap()) ctx.fail(node, path, "expected a map {key: ..., values: [...]} (or linspace/logspace, or zip)");
  const std::string key = r.text("key", std::nullopt, "configuration key path, e.g. geometry.aligned_walls.spacing_m");
  check_key(ctx, r.at("key"), r.key_path("key"), key);
  const int given = int(r.has("values")) + int(r.has("linspace")) + int(r.has("logspace"));
  if (given != 1) ctx.fail(node, path, "give exactly one of values, linspace, logspace");
  Group g{{key}, {{}}, {{}}};
  const YAML::Node values = r.raw("values", "list", "explicit values (YAML)");
  if (values.IsDefined()) {
    if (!values.IsSequence() || values.size() == 0) ctx.fail(values, r.key_path("values"), "expected a non-empty list");
    for (const auto& v : values) {
      check_value_type(ctx, v, key);
      g.values[0].push_back(flow_text(v));
      g.where[0].push_back(where_text(ctx, v));
    }
  }
  for (const bool log : {false, true}) {
    const char* name = log ? "logspace" : "linspace";
    if (!r.has(name)) continue;
    const std::string at = where_text(ctx, r.at(name));
    g.values[0] = range_values(r.child(name, log ? "geometric range (values, not exponents)" : "linear range"), log);
    g.where[0].assign(g.values[0].size(), at);
  }
  r.finish();
  return g;
}

Group read_group(const YAML::Node& node, const std::string& path, const ParseContext& ctx) {
  if (!node.IsMap() || !node["zip"]) return read_axis(node, path, ctx);
  if (node.size() != 1) ctx.fail(node, path, "a zip group holds only `zip: [axis, axis, ...]`");
  const YAML::Node list = node["zip"];
  if (!list.IsSequence() || list.size() < 2) ctx.fail(list, path + ".zip", "expected a list of at least two axes");
  Group g;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string sub = path + ".zip[" + std::to_string(i) + "]";
    Group a = read_axis(list[i], sub, ctx);
    if (!g.values.empty() && a.values[0].size() != g.values[0].size())
      ctx.fail(list[i], sub, "zipped axes need equal lengths (" + std::to_string(a.values[0].size()) + " vs " +
                                 std::to_string(g.values[0].size()) + ")");
    g.keys.push_back(a.keys[0]);
    g.values.push_back(a.values[0]);
    g.where.push_back(a.where[0]);
  }
  return g;
}

Group read_seeds(const YAML::Node& node, const ParseContext& ctx) {
  Group g{{"seed"}, {{}}, {{}}};
  if (node.IsScalar()) {
    long long n = 0;
    if (!YAML::convert<long long>::decode(node, n) || n < 1 || n > 100000)
      ctx.fail(node, "seeds", "expected a count 1..100000 or a list of integer seeds");
    for (long long s = 1; s <= n; ++s) g.values[0].push_back(std::to_string(s));
    g.where[0].assign(g.values[0].size(), where_text(ctx, node));
    return g;
  }
  if (!node.IsSequence() || node.size() == 0) ctx.fail(node, "seeds", "expected a count or a non-empty list of seeds");
  std::set<long long> seen;
  for (const auto& v : node) {
    long long s = 0;
    if (!YAML::convert<long long>::decode(v, s) || s < 0) ctx.fail(v, "seeds", "a seed is a non-negative integer");
    if (!seen.insert(s).second) ctx.fail(v, "seeds", "duplicate seed " + std::to_string(s));
    g.values[0].push_back(std::to_string(s));
    g.where[0].push_back(where_text(ctx, v));
  }
  return g;
}

// Each axis value names where the sweep file gave it, for the errors about its key.
std::vector<Override> point_overrides(const SweepFile& sweep, const SweepPoint& point) {
  std::vector<Override> out;
  for (std::size_t k = 0; k < point.parameters.size(); ++k) {
    const auto& [key, value] = point.parameters[k];
    out.push_back({key + "=" + value, k < point.where.size() ? "in " + point.where[k] : ""});
  }
  out.push_back({"output.hdf5=true", ""});  // summary.h5 of every point
  out.push_back({std::string("output.fields=") + (sweep.keep_fields ? "true" : "false"), ""});
  out.push_back({std::string("output.vtk=") + (sweep.keep_fields ? "true" : "false"), ""});
  return out;
}

}  // namespace

SweepFile load_sweep_file(const std::filesystem::path& file) {
  ParseContext ctx;
  ctx.file = file.string();
  const YAML::Node root = load_file(ctx);
  if (!root.IsMap()) throw ConfigError(ctx.file + ": the sweep file must be a YAML map (base, axes, seeds, output)");
  YAML::Node scratch(YAML::NodeType::Map);
  MapReader r(root, "", ctx, scratch);
  SweepFile s;
  s.file = file;
  const YAML::Node base = r.raw("base", "path or map", "the base configuration: a file relative to the sweep file, or a map");
  if (!base.IsDefined() || base.IsNull()) ctx.fail(root, "base", "missing required key (a config path or an inline map)");
  if (base.IsScalar()) {
    s.base_file = file.parent_path() / base.Scalar();
    if (!std::filesystem::is_regular_file(s.base_file)) ctx.fail(base, "base", "no such file: " + s.base_file.string());
    std::ifstream in(s.base_file);
    std::ostringstream text;
    text << in.rdbuf();
    s.base_text = text.str();
  } else if (base.IsMap()) {
    s.base_text = flow_text(base);
  } else {
    ctx.fail(base, "base", "expected a config file path or an inline map");
  }
  std::vector<Group> groups;
  const YAML::Node axes = r.raw("axes", "list", "the axes: {key, values|linspace|logspace} or {zip: [...]}");
  if (axes.IsDefined() && !axes.IsNull()) {
    if (!axes.IsSequence()) ctx.fail(axes, "axes", "expected a list of axes");
    for (std::size_t i = 0; i < axes.size(); ++i) groups.push_back(read_group(axes[i], "axes[" + std::to_string(i) + "]", ctx));
  }
  const YAML::Node seeds = r.raw("seeds", "count or list", "ensemble: N seeds (1..N) or a list of seeds");
  if (seeds.IsDefined() && !seeds.IsNull()) {
    groups.push_back(read_seeds(seeds, ctx));
    s.has_seeds = true;
  }
  MapReader out = r.child("output", "what every point writes");
  s.keep_fields = out.boolean("keep_fields", false, "write solution fields (VTK, HDF5) of every point");
  out.finish();
  r.finish();
  std::set<std::string> keys;
  for (const auto& g : groups)
    for (const auto& k : g.keys) {
      if (!keys.insert(k).second) {
        if (k == "seed") ctx.fail(seeds, "seeds", "seed is also an axis: give one of the two");
        ctx.fail(axes, "axes", "key '" + k + "' appears in two axes");
      }
      s.axis_keys.push_back(k);
    }
  std::size_t total = 1;
  for (const auto& g : groups) {
    total *= g.values[0].size();
    if (total > max_points) ctx.fail(axes, "axes", "more than " + std::to_string(max_points) + " points");
  }
  // Mixed-radix count, last group fastest.
  for (std::size_t n = 0; n < total; ++n) {
    SweepPoint p;
    p.index = n;
    std::size_t rest = n, stride = total;
    for (const auto& g : groups) {
      stride /= g.values[0].size();
      const std::size_t i = rest / stride;
      rest %= stride;
      for (std::size_t k = 0; k < g.keys.size(); ++k) {
        p.parameters.emplace_back(g.keys[k], g.values[k][i]);
        p.where.push_back(g.where[k][i]);
      }
    }
    s.points.push_back(std::move(p));
  }
  // A base that does not load is the sweep file's error, reported once.
  static_cast<void>(load_sweep_point(s, SweepPoint{}));
  return s;
}

RunConfig load_sweep_point(const SweepFile& sweep, const SweepPoint& point) {
  const auto overrides = point_overrides(sweep, point);
  if (!sweep.base_file.empty()) return load_config(sweep.base_file, overrides);
  ParseContext ctx;
  ctx.file = sweep.file.string();
  // Re-read for every point: the inline map keeps its marks (line numbers of the sweep file).
  return detail::load_config_tree(load_file(ctx)["base"], ctx.file, overrides);
}

std::string point_identity_text(const RunConfig& config) {
  YAML::Node tree = YAML::Load(config.resolved_yaml);
  if (tree["output"] && tree["output"].IsMap()) tree["output"].remove("directory");
  YAML::Emitter out;
  out << tree;
  std::string text = out.c_str();
  text += "\n# petsc_options\n";
  for (const auto& [k, v] : config.petsc_options) text += k + "=" + v + "\n";
  return text;
}

}  // namespace ionpath::io
