#pragma once
/// SHA-256 of a file's bytes (io/digest.hpp's sha256_hex): the provenance of parameter and
/// calibration files (which file produced a result).
#include <filesystem>
#include <string>

#include "io/digest.hpp"

namespace ionpath::io {

/// Hex digest of the file's contents; throws std::runtime_error if it cannot be read.
[[nodiscard]] std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace ionpath::io
