#pragma once
/// Progress of a sweep: one line per finished point on world rank 0 (unless --quiet) and appended
/// to sweep.log by every group leader (one write() per line, O_APPEND). Lines carry the process's
/// resident memory and open file descriptors, so long sweeps show that neither grows.
#include <chrono>
#include <filesystem>
#include <string>

namespace ionpath::sweep {

struct Counts {
  long total = 0;    ///< points this run attempts
  long taken = 0;    ///< started (done + failed + running)
  long done = 0;
  long failed = 0;   ///< failed, timeout or interrupted
};

/// "12/100 done, 1 failed, 2 running, 85 remaining | 3.40 points/min | ETA 0:25:10 | rss 85 MB, 23 fds"
[[nodiscard]] std::string progress_line(const Counts& c, double elapsed_s);

/// Resident set size of this process (MB) and its number of open file descriptors, from /proc.
[[nodiscard]] double resident_mb();
[[nodiscard]] int open_fds();

class SweepLog {
 public:
  SweepLog(const std::filesystem::path& file, bool echo);
  ~SweepLog();
  SweepLog(const SweepLog&) = delete;
  SweepLog& operator=(const SweepLog&) = delete;
  /// Appends "<UTC date> <host>:<pid> <text>" to the log; prints text to stdout when echoing.
  void line(const std::string& text) const;

 private:
  int fd_ = -1;
  bool echo_ = false;
  std::string prefix_;
};

}  // namespace ionpath::sweep
