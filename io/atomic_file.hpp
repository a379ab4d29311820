#pragma once
/// Atomic publication of output files: write under a temporary name in the same directory, then
/// rename. An interrupted run never leaves a file with the final name that looks complete.
#include <filesystem>
#include <functional>
#include <string>

namespace ionpath::io {

/// Temporary sibling of `final_path` unique to this process.
[[nodiscard]] std::filesystem::path temporary_path(const std::filesystem::path& final_path);

/// Calls write(tmp) then renames tmp to final_path (after fsync). On any exception the temporary
/// is removed and the exception propagates; final_path is untouched.
void write_atomically(const std::filesystem::path& final_path,
                      const std::function<void(const std::filesystem::path&)>& write);

/// Writes `text` atomically.
void write_text_atomically(const std::filesystem::path& final_path, const std::string& text);

/// fsync + rename; used by collective writers whose ranks fill a temporary together.
void publish(const std::filesystem::path& tmp, const std::filesystem::path& final_path);

}  // namespace ionpath::io
