#pragma once
/// The files of one point folder, `points/<id>/`: `status.json` (written last, atomically: the only
/// proof a point ended), the study's `summary.json`/`summary.h5`, `config.yaml` (resolved).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ionpath::sweep {

/// done, failed (config/solver/other error), timeout, interrupted (signal); pending = no status.
enum class Status { pending, done, failed, timeout, interrupted };

[[nodiscard]] const char* status_name(Status s);
[[nodiscard]] Status status_from_name(const std::string& name);

[[nodiscard]] std::filesystem::path point_dir(const std::filesystem::path& output, const std::string& id);
/// status.json of a point folder; null when absent or unreadable (a killed run never leaves a
/// partial one: it is renamed into place complete).
[[nodiscard]] nlohmann::json read_status(const std::filesystem::path& dir);
[[nodiscard]] Status status_of(const nlohmann::json& status);
/// Atomic (temporary, fsync, rename).
void write_status(const std::filesystem::path& dir, const nlohmann::json& status);
/// summary.json of a done point (null if absent or unreadable).
[[nodiscard]] nlohmann::json read_summary(const std::filesystem::path& dir);

/// Removes `*.tmp.*` files left by killed runs in `dir` (not recursive); returns how many.
int remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace ionpath::sweep
