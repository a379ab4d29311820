#include "io/calibration_config.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "io/config.hpp"
#include "io/config_reader.hpp"
#include "io/sha256.hpp"

namespace ionpath::io {
namespace {

using detail::MapReader;
using detail::ParseContext;
using detail::Range;
using detail::positive;

YAML::Node sequence(MapReader& r, const std::string& key, const std::string& doc) {
  const YAML::Node v = r.raw(key, "list", doc);
  if (!v.IsDefined()) r.context().fail(r.node(), key, "missing required key");
  if (!v.IsSequence() || v.size() == 0) r.context().fail(v, key, "expected a non-empty list");
  return v;
}

std::string item_path(const std::string& key, std::size_t i) { return key + "[" + std::to_string(i) + "]"; }

std::vector<std::string> string_list(MapReader& r, const std::string& key, bool required, const std::string& doc) {
  const YAML::Node v = r.raw(key, "list of strings", doc);
  std::vector<std::string> out;
  if (!v.IsDefined()) {
    if (required) r.context().fail(r.node(), r.key_path(key), "missing required key");
    return out;
  }
  if (v.IsScalar()) return {v.Scalar()};
  if (!v.IsSequence() || (required && v.size() == 0)) r.context().fail(v, r.key_path(key), "expected a list of strings");
  for (const auto& e : v) {
    if (!e.IsScalar() || e.Scalar().empty()) r.context().fail(e, r.key_path(key), "expected a string");
    out.push_back(e.Scalar());
  }
  return out;
}

CalibrationStructure read_structure(MapReader r, const std::filesystem::path& folder) {
  CalibrationStructure s;
  s.name = r.text("name", std::nullopt, "name the targets refer to");
  const std::string config = r.text("config", std::nullopt, "run configuration (relative to this file)");
  s.config = std::filesystem::path(config).is_absolute() ? std::filesystem::path(config) : folder / config;
  if (!std::filesystem::exists(s.config)) r.context().fail(r.at("config"), r.key_path("config"), "no such file: " + s.config.string());
  s.overrides = string_list(r, "set", false, "--set style overrides key.path=value (e.g. a reduced grid)");
  for (const auto& o : s.overrides)
    if (o.find('=') == std::string::npos || o.front() == '=')
      r.context().fail(r.at("set"), r.key_path("set"), "expected key.path=value, got '" + o + "'");
  r.finish();
  return s;
}

CalibrationParameter read_parameter(MapReader r) {
  CalibrationParameter p;
  p.name = r.text("name", std::nullopt, "parameter name (reports)");
  p.keys = string_list(r, "keys", true, "config key paths that all receive the value");
  const YAML::Node b = r.raw("bounds", "[lower, upper]", "bounds (SI)");
  if (!b.IsDefined()) r.fail_at_key("name", "missing required key 'bounds'");
  if (!b.IsSequence() || b.size() != 2) r.context().fail(b, r.key_path("bounds"), "expected [lower, upper]");
  try {
    p.lower = b[0].as<double>();
    p.upper = b[1].as<double>();
  } catch (const YAML::Exception&) {
    r.context().fail(b, r.key_path("bounds"), "expected two numbers");
  }
  if (!(std::isfinite(p.lower) && std::isfinite(p.upper) && p.lower < p.upper))
    r.context().fail(b, r.key_path("bounds"), "expected finite lower < upper");
  p.scale = static_cast<ParameterScale>(r.choice("scale", {"linear", "log", "logit"}, 1, "fitting variable"));
  if (p.scale == ParameterScale::log && p.lower <= 0.0)
    r.context().fail(b, r.key_path("bounds"), "scale log needs a positive lower bound");
  if (const auto s = r.optional_number("start", {}, "first start (SI)")) {
    if (*s < p.lower || *s > p.upper) r.context().fail(r.at("start"), r.key_path("start"), "start outside the bounds");
    p.start = *s;
  }
  r.finish();
  return p;
}

}  // namespace

const char* quantity_name(TargetQuantity q) { return q == TargetQuantity::sigma_S_m ? "sigma_S_m" : "t_plus"; }

const char* scale_name(ParameterScale s) {
  return s == ParameterScale::linear ? "linear" : s == ParameterScale::log ? "log" : "logit";
}

std::pair<std::string, std::string> split_scoped_key(const std::string& key) {
  const auto colon = key.find(':');
  if (colon == std::string::npos) return {"", key};
  return {key.substr(0, colon), key.substr(colon + 1)};
}

std::vector<Override> calibration_overrides(const CalibrationConfig& c, std::size_t s, const ParamsFile* params,
                                            const std::vector<double>& theta) {
  const auto& st = c.structures[s];
  std::vector<Override> o;
  if (params) o = params->overrides;
  for (const auto& set : st.overrides) o.push_back({set, "in " + c.source.string() + " (structure '" + st.name + "', set)"});
  for (const auto& set : st.command_line) o.push_back({set, ""});
  for (std::size_t j = 0; j < theta.size() && j < c.parameters.size(); ++j) {
    char value[40];
    std::snprintf(value, sizeof value, "%.17g", theta[j]);
    for (const auto& key : c.parameters[j].keys) {
      const auto [only, path] = split_scoped_key(key);
      if (!only.empty() && only != st.name) continue;
      o.push_back({path + "=" + value, "by calibration parameter '" + c.parameters[j].name + "' of " + c.source.string()});
    }
  }
  return o;
}

CalibrationConfig load_calibration_config(const std::filesystem::path& file, const ParamsFile* params,
                                          const std::vector<std::string>& overrides) {
  ParseContext ctx;
  ctx.file = file.string();
  const YAML::Node root = detail::load_yaml_map(ctx, "calibration file");
  CalibrationConfig c;
  c.source = file;
  c.sha256 = sha256_file_hex(file);
  const auto folder = file.parent_path();
  MapReader r(root, "", ctx, YAML::Node(YAML::NodeType::Map));

  std::set<std::string> names;
  const YAML::Node structures = sequence(r, "structures", "structures: name, config, set");
  for (std::size_t i = 0; i < structures.size(); ++i) {
    c.structures.push_back(read_structure(MapReader(structures[i], item_path("structures", i), ctx, YAML::Node()), folder));
    if (!names.insert(c.structures.back().name).second)
      ctx.fail(structures[i]["name"], item_path("structures", i) + ".name", "duplicate structure name");
  }
  std::set<std::string> parameter_names, keys;
  const YAML::Node parameters = sequence(r, "parameters", "free parameters");
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    c.parameters.push_back(read_parameter(MapReader(parameters[i], item_path("parameters", i), ctx, YAML::Node())));
    const auto& p = c.parameters.back();
    if (!parameter_names.insert(p.name).second)
      ctx.fail(parameters[i]["name"], item_path("parameters", i) + ".name", "duplicate parameter name");
    for (const auto& k : p.keys) {
      const std::string only = split_scoped_key(k).first;
      if (!only.empty() && !names.count(only))
        ctx.fail(parameters[i]["keys"], item_path("parameters", i) + ".keys", "key '" + k + "': no structure named '" + only + "'");
    }
    for (const auto& k : p.keys)
      if (!keys.insert(k).second)
        ctx.fail(parameters[i]["keys"], item_path("parameters", i) + ".keys", "key '" + k + "' belongs to two parameters");
  }
  const YAML::Node targets = sequence(r, "targets", "measured targets");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    MapReader t(targets[i], item_path("targets", i), ctx, YAML::Node());
    CalibrationTarget x;
    const std::string s = t.text("structure", std::nullopt, "structure name");
    bool found = false;
    for (std::size_t k = 0; k < c.structures.size(); ++k)
      if (c.structures[k].name == s) {
        x.structure = k;
        found = true;
      }
    if (!found) {
      const std::string near = detail::nearest(s, names);
      ctx.fail(t.at("structure"), t.key_path("structure"),
               "no structure named '" + s + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    x.quantity = static_cast<TargetQuantity>(t.choice("quantity", {"sigma_S_m", "t_plus"}, 0, "measured quantity"));
    x.value = t.number("value", std::nullopt, x.quantity == TargetQuantity::t_plus ? Range{0.0, 1.0, true, true} : positive,
                       "measured value (S/m, or 1)");
    x.uncertainty = t.number("uncertainty", x.quantity == TargetQuantity::t_plus ? 0.03 : 0.05, positive,
                             "sigma: relative (r = ln(model/value)/u); t_plus: absolute (r = (model - value)/u)");
    t.finish();
    c.targets.push_back(x);
  }
  c.starts = r.integer("starts", 8, Range{1, 1000}, "Latin-hypercube starts");
  c.seed = static_cast<std::uint64_t>(r.integer("seed", 1, Range{0, 2e9}, "seed of the Latin hypercube"));
  c.tao_type = r.choice("tao_type", {"brgn", "pounders"}, 0, "TAO least-squares solver (-calib_tao_type wins)") == 0 ? "brgn" : "pounders";
  MapReader o = r.child("output", "where to write calibration.json and calibrated.yaml");
  c.output_directory = o.text("directory", "out/calibration", "output directory");
  o.finish();
  MapReader id = r.child("identifiability", "thresholds of the identifiability flag");
  c.max_condition = id.number("max_condition", 1e8, positive, "condition number of J^T J");
  c.max_correlation = id.number("max_correlation", 0.99, Range{0.0, 1.0}, "|correlation| of two parameters");
  c.cluster_tolerance = id.number("cluster_tolerance", 1e-3, positive, "distance of two optima (transformed, relative) below which they are one minimum");
  id.finish();
  c.petsc_options = detail::read_petsc_options(r, "PETSc options, prefix calib_ for the optimiser");
  r.finish();
  if (c.parameters.size() > c.targets.size())
    ctx.fail(parameters, "parameters", "more free parameters (" + std::to_string(c.parameters.size()) + ") than targets (" +
                                           std::to_string(c.targets.size()) + ")");
  for (const auto& o : overrides) {
    const auto eq = o.find('='), colon = o.find(':');
    if (eq == std::string::npos || eq == 0) throw ConfigError(ctx.file + ": --set '" + o + "': expected [structure:]key.path=value");
    const bool scoped = colon != std::string::npos && colon < eq;
    const std::string only = scoped ? o.substr(0, colon) : "";
    if (scoped && !names.count(only)) throw ConfigError(ctx.file + ": --set '" + o + "': no structure named '" + only + "'");
    for (auto& s : c.structures)
      if (!scoped || s.name == only) s.command_line.push_back(scoped ? o.substr(colon + 1) : o);
  }
  std::vector<double> mid;
  for (const auto& p : c.parameters)
    mid.push_back(p.start ? *p.start : p.scale == ParameterScale::log ? std::sqrt(p.lower * p.upper) : 0.5 * (p.lower + p.upper));
  for (std::size_t s = 0; s < c.structures.size(); ++s)
    static_cast<void>(load_config(c.structures[s].config, calibration_overrides(c, s, params, mid)));
  return c;
}

}  // namespace ionpath::io
