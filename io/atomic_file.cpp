#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

namespace ionpath::io {

std::filesystem::path temporary_path(const std::filesystem::path& final_path) {
  std::string name(".");  // built by append: GCC 12 warns falsely (-Wrestrict) on operator+ chains here
  name.append(final_path.filename().string()).append(".tmp.").append(std::to_string(::getpid()));
  return final_path.parent_path() / name;
}

void publish(const std::filesystem::path& tmp, const std::filesystem::path& final_path) {
  // fsync so that a crash after the rename cannot expose an empty file under the final name.
  if (const int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, final_path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + " to " + final_path.string() + ": " + ec.message());
}

void write_atomically(const std::filesystem::path& final_path,
                      const std::function<void(const std::filesystem::path&)>& write) {
  if (final_path.has_parent_path()) std::filesystem::create_directories(final_path.parent_path());
  const auto tmp = temporary_path(final_path);
  try {
    write(tmp);
    publish(tmp, final_path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

void write_text_atomically(const std::filesystem::path& final_path, const std::string& text) {
  write_atomically(final_path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  });
}

}  // namespace ionpath::io
