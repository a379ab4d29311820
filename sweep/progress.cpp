#include "sweep/progress.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "io/provenance.hpp"

namespace ionpath::sweep {

std::string progress_line(const Counts& c, double elapsed_s) {
  const long finished = c.done + c.failed;
  const long running = c.taken - finished;
  const long remaining = c.total - c.taken;
  const double rate = elapsed_s > 0.0 ? finished / elapsed_s : 0.0;
  char eta[32] = "?";
  if (rate > 0.0) {
    const long s = static_cast<long>((remaining + running) / rate);
    std::snprintf(eta, sizeof eta, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%ld/%ld done, %ld failed, %ld running, %ld remaining | %.2f points/min | ETA %s | rss %.0f MB, %d fds",
                c.done, c.total, c.failed, running, remaining, 60.0 * rate, eta, resident_mb(), open_fds());
  return buf;
}

double resident_mb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0.0;
}

int open_fds() {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    ++n;
  return n - 1;  // the iterator's own descriptor
}

SweepLog::SweepLog(const std::filesystem::path& file, bool echo) : echo_(echo) {
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  prefix_ = std::string(host) + ":" + std::to_string(getpid()) + " ";
}

SweepLog::~SweepLog() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepLog::line(const std::string& text) const {
  if (echo_) std::cout << "[sweep] " << text << "\n" << std::flush;
  if (fd_ < 0) return;
  const std::string l = io::make_date_utc() + " " + prefix_ + text + "\n";
  if (::write(fd_, l.data(), l.size()) < 0) return;  // a full disk must not end the sweep; the point files count
}

}  // namespace ionpath::sweep
