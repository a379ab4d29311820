#pragma once
/// A sweep point's id: the first 16 hex digits (64 bits) of the SHA-256 of what the point computes
/// (io::point_identity_text, hashed by io::sha256_hex). Equal configurations share an id whatever the sweep file says, so
/// editing the sweep file and re-running reuses every unchanged point.
#include <string>

namespace ionpath::sweep {

[[nodiscard]] std::string point_id(const std::string& identity_text);

}  // namespace ionpath::sweep
