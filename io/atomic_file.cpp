#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace ionpath::io {
namespace {

namespace fs = std::filesystem;

// fsync of a file or directory; a crash after the rename must not expose an empty file.
void fsync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) {
    if (directory) return;  // best effort: some file systems refuse to open directories
    throw std::runtime_error("cannot open " + p.string() + " to sync it (was it written?)");
  }
  const int status = ::fsync(fd);
  ::close(fd);
  if (status != 0 && !directory) throw std::runtime_error("fsync failed for " + p.string());
}

void remove_quietly(const fs::path& p) noexcept {
  std::error_code ignored;
  fs::remove(p, ignored);
}

fs::path parent_or_dot(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

// Rank 0 renames all (tmp, final) pairs; on a failure it undoes the renames done so far and
// removes every temporary. Returns the error ("" on success).
std::string rename_all(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::size_t done = 0;
  std::string error;
  for (; done < pairs.size(); ++done) {
    std::error_code ec;
    fs::rename(pairs[done].first, pairs[done].second, ec);
    if (ec) {
      error = "cannot rename " + pairs[done].first + " to " + pairs[done].second + ": " + ec.message();
      break;
    }
  }
  if (error.empty()) {
    std::set<fs::path> dirs;
    for (const auto& [tmp, final_name] : pairs) dirs.insert(parent_or_dot(final_name));
    for (const auto& d : dirs) fsync_path(d, true);
    return error;
  }
  for (std::size_t i = 0; i < done; ++i) remove_quietly(pairs[i].second);
  for (std::size_t i = done; i < pairs.size(); ++i) remove_quietly(pairs[i].first);
  return error;
}

}  // namespace

fs::path temporary_path(const fs::path& final_path, const std::string& tag) {
  std::string name = final_path.filename().string();  // appended: GCC 12 warns falsely (-Wrestrict) on + chains
  name.append(".tmp.").append(tag.empty() ? std::to_string(::getpid()) : tag);
  return final_path.parent_path() / name;
}

AtomicFile::AtomicFile(fs::path final_path, const std::string& tag)
    : final_(std::move(final_path)), tmp_(temporary_path(final_, tag)) {}

AtomicFile::~AtomicFile() {
  if (!committed_) remove_quietly(tmp_);
}

void AtomicFile::sync() const { fsync_path(tmp_, false); }

void AtomicFile::commit() {
  sync();
  std::error_code ec;
  fs::rename(tmp_, final_, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp_.string() + " to " + final_.string() + ": " + ec.message());
  committed_ = true;
  fsync_path(parent_or_dot(final_), true);
}

void write_atomically(const fs::path& final_path, const std::function<void(const fs::path&)>& write) {
  if (final_path.has_parent_path()) fs::create_directories(final_path.parent_path());
  AtomicFile file(final_path);
  write(file.tmp_path());
  file.commit();
}

void write_text_atomically(const fs::path& final_path, const std::string& text) {
  write_atomically(final_path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  });
}

void throw_if_any_rank_failed(const std::string& local_error, MPI_Comm comm, long long key) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  struct {
    long value;
    int rank;
  } mine{local_error.empty() ? LONG_MAX : static_cast<long>(key), rank}, first{};
  // Failing ranks use key < LONG_MAX; key == LONG_MAX from a failing rank would be missed.
  if (!local_error.empty() && mine.value == LONG_MAX) mine.value = LONG_MAX - 1;
  MPI_Allreduce(&mine, &first, 1, MPI_LONG_INT, MPI_MINLOC, comm);
  if (first.value == LONG_MAX) return;
  std::string message = local_error;
  int length = static_cast<int>(message.size());
  MPI_Bcast(&length, 1, MPI_INT, first.rank, comm);
  message.resize(static_cast<std::size_t>(length));
  MPI_Bcast(message.data(), length, MPI_CHAR, first.rank, comm);
  throw std::runtime_error(message);
}

void on_rank0_collectively(MPI_Comm comm, const std::function<void()>& write) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string error;
  if (rank == 0) {
    try {
      write();
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  throw_if_any_rank_failed(error, comm);
}

std::string collective_tag(MPI_Comm comm) {
  long long pid = ::getpid();
  MPI_Bcast(&pid, 1, MPI_LONG_LONG, 0, comm);
  return std::to_string(pid);
}

void commit_collectively(std::span<AtomicFile* const> mine, const std::string& local_error, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::string error = local_error;
  if (error.empty()) {
    try {
      for (const auto* f : mine) f->sync();
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  try {
    throw_if_any_rank_failed(error, comm);
    // Rank 0 gathers every (tmp, final) pair as "tmp\0final\0..." and renames them.
    std::string packed;
    for (const auto* f : mine)
      packed.append(f->tmp_path().string()).append(1, '\0').append(f->final_path().string()).append(1, '\0');
    int length = static_cast<int>(packed.size());
    std::vector<int> lengths(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm);
    std::string all;
    if (rank == 0) {
      for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
      all.resize(static_cast<std::size_t>(offsets[size - 1] + lengths[size - 1]));
    }
    MPI_Gatherv(packed.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, comm);
    std::string rename_error;
    if (rank == 0) {
      std::vector<std::pair<std::string, std::string>> pairs;
      auto unpack = [&](int r) {
        std::size_t at = static_cast<std::size_t>(offsets[r]);
        const std::size_t end = at + static_cast<std::size_t>(lengths[r]);
        while (at < end) {
          const std::size_t a = all.find('\0', at), b = all.find('\0', a + 1);
          pairs.emplace_back(all.substr(at, a - at), all.substr(a + 1, b - a - 1));
          at = b + 1;
        }
      };
      for (int r = 1; r < size; ++r) unpack(r);
      unpack(0);
      rename_error = rename_all(pairs);
    }
    throw_if_any_rank_failed(rename_error, comm);
  } catch (...) {
    for (const auto* f : mine) remove_quietly(f->tmp_path());
    MPI_Barrier(comm);  // every rank has cleaned up before any rank reports the failure
    throw;
  }
  for (auto* f : mine) f->mark_committed();
}

}  // namespace ionpath::io
