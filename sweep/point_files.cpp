#include "sweep/point_files.hpp"

#include <fstream>

#include "io/atomic_file.hpp"

namespace ionpath::sweep {
namespace fs = std::filesystem;
namespace {

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return nullptr;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

}  // namespace

const char* status_name(Status s) {
  switch (s) {
    case Status::done: return "done";
    case Status::failed: return "failed";
    case Status::timeout: return "timeout";
    case Status::interrupted: return "interrupted";
    case Status::pending: break;
  }
  return "pending";
}

Status status_from_name(const std::string& name) {
  for (Status s : {Status::done, Status::failed, Status::timeout, Status::interrupted})
    if (name == status_name(s)) return s;
  return Status::pending;
}

fs::path point_dir(const fs::path& output, const std::string& id) { return output / "points" / id; }

nlohmann::json read_status(const fs::path& dir) { return read_json(dir / "status.json"); }

Status status_of(const nlohmann::json& status) {
  if (!status.is_object() || !status.contains("status") || !status["status"].is_string()) return Status::pending;
  return status_from_name(status["status"].get<std::string>());
}

void write_status(const fs::path& dir, const nlohmann::json& status) {
  io::write_text_atomically(dir / "status.json", status.dump(2) + "\n");
}

nlohmann::json read_summary(const fs::path& dir) { return read_json(dir / "summary.json"); }

int remove_stale_temporaries(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().find(".tmp.") == std::string::npos) continue;
    if (fs::remove_all(entry.path(), ec) > 0) ++removed;
  }
  return removed;
}

}  // namespace ionpath::sweep
