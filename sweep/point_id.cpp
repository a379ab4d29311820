#include "sweep/point_id.hpp"

#include "io/digest.hpp"

namespace ionpath::sweep {

std::string point_id(const std::string& identity_text) { return io::sha256_hex(identity_text).substr(0, 16); }

}  // namespace ionpath::sweep
