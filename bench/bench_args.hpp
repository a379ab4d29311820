#pragma once
// The benches' key=value arguments (n=64 reps=5 ...); PETSc's own -options are left to PETSc.
#include <cstdlib>
#include <map>
#include <string>

namespace ionpath::bench {

inline std::map<std::string, std::string> key_value_args(int argc, char** argv) {
  std::map<std::string, std::string> kv;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (const auto eq = s.find('='); eq != std::string::npos && s[0] != '-') kv[s.substr(0, eq)] = s.substr(eq + 1);
  }
  return kv;
}

inline double number_arg(const std::map<std::string, std::string>& kv, const std::string& key, double fallback) {
  const auto it = kv.find(key);
  return it == kv.end() ? fallback : std::atof(it->second.c_str());
}

}  // namespace ionpath::bench
