#pragma once
/// SHA-256 (OpenSSL's libcrypto) of a text, as 64 hex digits: the one hash of configurations (sweep
/// point ids, checkpoint run keys, parameter-file provenance).
#include <string>

namespace ionpath::io {

[[nodiscard]] std::string sha256_hex(const std::string& text);

}  // namespace ionpath::io
