#include "io/result_folder.hpp"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <regex>
#include <stdexcept>

#include "io/atomic_file.hpp"

namespace ionpath::io {
namespace {

namespace fs = std::filesystem;

void remove_orphans(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (is_orphan_temporary(name)) {
      fs::remove_all(e.path(), ec);
    } else if (e.is_directory(ec) && is_result_name(name)) {
      remove_orphans(e.path());  // pieces of a .pvti live one level down
    }
  }
}

}  // namespace

bool is_result_name(const std::string& name) {
  static const std::regex result(
      R"((summary\.(json|h5)|geometry\.json|structure(\.(vti|pvti|pvd|h5))?|(fields|arrhenius|bruce_vincent|uniformity)_.*|checkpoint_[xyz]\.h5))");
  return std::regex_match(name, result) && !is_orphan_temporary(name) && name.find(".tmp.") == std::string::npos;
}

bool is_orphan_temporary(const std::string& name) {
  static const std::regex temporary(R"(.+\.tmp\.([0-9]+))");
  std::smatch m;
  if (!std::regex_match(name, m, temporary)) return false;
  const long pid = std::stol(m[1].str());
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::vector<std::string> retire_earlier_results(const fs::path& dir, MPI_Comm comm, bool resuming) {
  std::vector<std::string> moved;
  on_rank0_collectively(comm, [&] {
    std::error_code ec;
    fs::create_directories(dir, ec);  // here, so an unusable folder fails before any work
    if (ec || !fs::is_directory(dir))
      throw std::runtime_error("cannot use output directory " + dir.string() + ": " +
                               (ec ? ec.message() : std::string("not a directory")));
    remove_orphans(dir);
    if (resuming) return;
    std::vector<fs::path> results;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      // ionpath writes files, and piece folders without an extension (structure/, fields_z/)
      const bool ours = e.is_directory() ? name.find('.') == std::string::npos : true;
      if (ours && is_result_name(name)) results.push_back(e.path());
    }
    if (results.empty()) return;
    // The summary goes first: a kill in between must not leave it beside moved fields.
    std::stable_partition(results.begin(), results.end(),
                          [](const fs::path& p) { return p.filename().string().rfind("summary.", 0) == 0; });
    const fs::path stale = dir / "stale";
    fs::remove_all(stale);
    fs::create_directory(stale);
    for (const auto& p : results) {
      fs::rename(p, stale / p.filename());
      moved.push_back(p.filename().string());
    }
  });
  return moved;
}

}  // namespace ionpath::io
