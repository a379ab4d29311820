#include "io/params_file.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "io/config_reader.hpp"
#include "io/sha256.hpp"

namespace ionpath::io {

ParamsFile load_params_file(const std::filesystem::path& file) {
  detail::ParseContext ctx;
  ctx.file = file.string();
  ParamsFile out;
  out.path = file;
  const YAML::Node root = detail::load_yaml_map(ctx, "parameter file");
  for (const auto& kv : root) {
    const auto key = kv.first.as<std::string>();
    if (key != "parameters" && key != "provenance")
      ctx.fail(kv.first, key, "unknown key (a parameter file holds 'parameters' and 'provenance')");
  }
  const YAML::Node p = root["parameters"];
  if (!p || !p.IsMap()) ctx.fail(p ? p : root, "parameters", "expected a map of config key paths to values");
  std::set<std::string> seen;
  for (const auto& kv : p) {
    const auto key = kv.first.as<std::string>();
    if (!seen.insert(key).second) ctx.fail(kv.first, "parameters." + key, "duplicate key");
    if (!kv.second.IsScalar()) ctx.fail(kv.second, "parameters." + key, "expected a scalar value");
    const int line = kv.first.Mark().line + 1;
    out.overrides.push_back({key + "=" + kv.second.Scalar(), "in " + ctx.file + ":" + std::to_string(line)});
  }
  out.sha256 = sha256_file_hex(file);
  return out;
}

RunConfig load_config(const std::filesystem::path& file, const ParamsFile* params, const std::vector<std::string>& overrides) {
  std::vector<Override> all;
  if (params) all = params->overrides;
  for (const auto& o : overrides) all.push_back({o, ""});
  RunConfig c = load_config(file, all);
  if (params) {
    c.params_file = params->path.string();
    c.params_sha256 = params->sha256;
  }
  return c;
}

std::string params_file_text(const std::vector<std::string>& header, const std::vector<ParamsEntry>& entries,
                             const std::vector<std::pair<std::string, std::string>>& provenance) {
  std::string out;
  for (const auto& h : header) out += "# " + h + "\n";
  out += "parameters:\n";
  for (const auto& e : entries) {
    char value[40];
    std::snprintf(value, sizeof value, "%.17g", e.value);
    out += "  " + e.key + ": " + value + (e.comment.empty() ? "" : "   # " + e.comment) + "\n";
  }
  out += "provenance:\n";
  for (const auto& [k, v] : provenance) {
    YAML::Emitter em;  // quotes what needs quoting
    em << YAML::DoubleQuoted << v;
    out += "  " + k + ": " + em.c_str() + "\n";
  }
  return out;
}

}  // namespace ionpath::io
