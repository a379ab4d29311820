#pragma once
/// Atomic publication of output files: write under `<name>.tmp.<tag>` in the same directory, fsync,
/// then rename. An interrupted or failed run never leaves a file under its final name that looks
/// complete, and failures remove their temporaries.
#include <mpi.h>

#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace ionpath::io {

/// `<dir>/<name>.tmp.<tag>` beside `final_path`; the tag defaults to this process id.
[[nodiscard]] std::filesystem::path temporary_path(const std::filesystem::path& final_path,
                                                   const std::string& tag = {});

/// RAII owner of one output's temporary: removed on destruction unless committed, so every
/// early exit (exception, failed check) cleans up.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path, const std::string& tag = {});
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where the writer writes.
  [[nodiscard]] const std::filesystem::path& tmp_path() const noexcept { return tmp_; }
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }
  /// fsync of the temporary; throws if it does not exist (the writer produced nothing).
  void sync() const;
  /// sync, rename to the final name, fsync the directory.
  void commit();
  /// The rename was done elsewhere (collective commit); do not remove anything.
  void mark_committed() noexcept { committed_ = true; }

 private:
  std::filesystem::path final_, tmp_;
  bool committed_ = false;
};

/// Calls write(tmp) then commits. On any exception the temporary is removed and the exception
/// propagates; final_path is untouched. Creates the parent directory.
void write_atomically(const std::filesystem::path& final_path,
                      const std::function<void(const std::filesystem::path&)>& write);

/// Writes `text` atomically.
void write_text_atomically(const std::filesystem::path& final_path, const std::string& text);

/// Collective. Throws std::runtime_error on every rank of `comm` when any rank passes a non-empty
/// `local_error`; the message is that of the failing rank with the smallest `key` (ties: lowest
/// rank), so all ranks report the same cause.
void throw_if_any_rank_failed(const std::string& local_error, MPI_Comm comm, long long key = 0);

/// Collective. Rank 0 runs `write` (a file only rank 0 writes, e.g. summary.json or a .pvd); if it
/// throws, every rank of `comm` throws the same std::runtime_error, so no rank goes on alone into
/// a collective call that would wait for rank 0 forever.
void on_rank0_collectively(MPI_Comm comm, const std::function<void()>& write);

/// Collective. Rank 0's process id, so that every rank names the temporaries of a shared file set
/// alike (a parallel HDF5 file is created by all ranks under one temporary name).
[[nodiscard]] std::string collective_tag(MPI_Comm comm);

/// Collective publication of a file set. Each rank passes the temporaries it wrote (possibly none)
/// and its error (empty = fine). If all ranks succeeded, each syncs its files and, after a barrier,
/// rank 0 renames them all: other ranks' files first, then its own in order (so a summary passed
/// last by rank 0, e.g. the .pvti, appears only after every piece it names). Otherwise, or if a
/// rename fails (renamed files are then removed again), the temporaries are removed and every
/// rank throws the same std::runtime_error.
void commit_collectively(std::span<AtomicFile* const> mine, const std::string& local_error, MPI_Comm comm);

}  // namespace ionpath::io
