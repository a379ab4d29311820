#include "io/sha256.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ionpath::io {

std::string sha256_file_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open for hashing");
  std::ostringstream ss;
  ss << in.rdbuf();
  return sha256_hex(ss.str());
}

}  // namespace ionpath::io
