#include "sweep/runner.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "io/atomic_file.hpp"
#include "io/provenance.hpp"
#include "io/versions.hpp"
#include "ionpath/build_info.hpp"
#include "solver/petsc/deadline.hpp"
#include "solver/petsc/options.hpp"
#include "solver/petsc/versions.hpp"
#include "study/checkpoints.hpp"
#include "study/failure.hpp"
#include "study/run.hpp"
#include "sweep/plan.hpp"
#include "sweep/point_files.hpp"
#include "sweep/progress.hpp"
#include "sweep/table.hpp"

namespace ionpath::sweep {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t received_signal = 0;
extern "C" void on_stop_signal(int sig) {
  received_signal = sig;
  solver::request_stop();
}

/// SIGTERM (scancel, mpiexec forwarding it) and SIGINT stop the sweep after recording the running
/// points as interrupted; replaces PETSc's handler (which would MPI_Abort) for the sweep's duration.
class StopSignals {
 public:
  StopSignals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &old_term_);
    sigaction(SIGINT, &sa, &old_int_);
  }
  ~StopSignals() {
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGINT, &old_int_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_term_ {}, old_int_ {};
};

/// The shared counters on world rank 0: [0] next point to take, [1] done, [2] failed. Only group
/// leaders touch them, each access under a shared passive-target lock (no call from rank 0 needed).
class SharedCounters {
 public:
  explicit SharedCounters(MPI_Comm world) {
    int rank = 0;
    MPI_Comm_rank(world, &rank);
    MPI_Win_allocate(rank == 0 ? 3 * sizeof(long) : 0, sizeof(long), MPI_INFO_NULL, world, &base_, &win_);
    if (rank == 0) {
      const long zero[3] = {0, 0, 0};
      MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_);
      MPI_Put(zero, 3, MPI_LONG, 0, 0, 3, MPI_LONG, win_);
      MPI_Win_unlock(0, win_);
    }
    MPI_Barrier(world);
  }
  ~SharedCounters() { MPI_Win_free(&win_); }
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;

  long fetch_add(int slot, long delta) {
    long old = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win_);
    MPI_Fetch_and_op(&delta, &old, MPI_LONG, 0, slot, MPI_SUM, win_);
    MPI_Win_unlock(0, win_);
    return old;
  }
  Counts counts(long total) {
    long v[3] = {0, 0, 0};
    for (int slot = 0; slot < 3; ++slot) v[slot] = fetch_add(slot, 0);
    return {total, std::min(v[0], total), v[1], v[2]};
  }

 private:
  void* base_ = nullptr;
  MPI_Win win_ = MPI_WIN_NULL;
};

/// Hard fallback of --point-timeout: if a point has not stopped `seconds` after it started (its
/// timeout plus a grace period), `on_fire` records it and the process exits with status 124.
class Watchdog {
 public:
  Watchdog(double seconds, std::function<void()> on_fire)
      : thread_([this, seconds, fire = std::move(on_fire)] {
          std::unique_lock lock(mutex_);
          if (cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return cancelled_; })) return;
          fire();
          std::fflush(nullptr);
          _exit(124);
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool cancelled_ = false;
  std::thread thread_;
};

std::string host_name() {
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  return host;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Group {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0, size = 1, index = 0, count = 1;
  [[nodiscard]] bool leader() const { return rank == 0; }
};

Group split_groups(MPI_Comm world, int ranks_per_point) {
  int wr = 0, ws = 1;
  MPI_Comm_rank(world, &wr);
  MPI_Comm_size(world, &ws);
  const int k = std::max(1, std::min(ranks_per_point, ws));
  Group g;
  g.index = wr / k;
  g.count = (ws + k - 1) / k;
  MPI_Comm_split(world, g.index, wr, &g.comm);
  MPI_Comm_rank(g.comm, &g.rank);
  MPI_Comm_size(g.comm, &g.size);
  return g;
}

/// What every status.json holds besides the outcome.
nlohmann::json status_skeleton(const PlannedPoint& p, const SweepOptions& o, const Group& g) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : p.spec.parameters) params[k] = v;
  return {{"id", p.id},
          {"index", p.spec.index},
          {"parameters", params},
          {"ranks", g.size},
          {"host", host_name()},
          {"task_index", o.task_index},
          {"task_count", o.task_count},
          {"ionpath_version", build_info::version},
          {"git_describe", build_info::git_describe},
          {"petsc_version", solver::petsc_version()},
          {"mpi_version", solver::mpi_library_version()},
          {"hdf5_version", io::hdf5_version()},
          {"command_line", o.command_line}};
}

void set_outcome(nlohmann::json& st, Status s, const study::Failure& f) {
  st["status"] = status_name(s);
  st["failure_kind"] = s == Status::done ? "" : f.kind;
  st["reason"] = s == Status::done ? "" : f.reason;
  st["exit_status"] = s == Status::done ? 0 : f.exit_status;
}

Status status_for(const study::Failure& f) {
  if (f.kind == "timeout") return Status::timeout;
  if (f.kind == "interrupted") return Status::interrupted;
  return Status::failed;
}

/// A group leader that cannot write its point folder or status cannot record anything: it ends
/// every rank of every group with the message (a hang of the others is the alternative).
template <typename F>
void on_leader_or_abort(const Group& g, F&& f) {
  if (!g.leader()) return;
  try {
    f();
  } catch (const std::exception& e) {
    std::cerr << "ionpath sweep: error: " << e.what() << " (ending every rank)\n" << std::flush;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

/// Runs one point on the group (collective over g.comm); returns its status (leader's record).
Status run_point(const PlannedPoint& p, const SweepOptions& o, const Group& g) {
  const fs::path dir = point_dir(o.output, p.id);
  const auto t0 = Clock::now();  // wall_time_s: everything this point costs, folder and status included
  int resume = 0;  // an earlier attempt left a checkpoint (killed, timed out): continue from it
  on_leader_or_abort(g, [&] {
    resume = study::has_checkpoint(dir);
    if (resume) {  // keep what the checkpoint goes with (snapshots written before it); the study checks its key
      fs::remove(dir / "status.json");
      remove_stale_temporaries(dir);
    } else {
      fs::remove_all(dir);  // leftovers of a killed or failed attempt: nothing stale survives
    }
    fs::create_directories(dir);
    if (p.config) io::write_text_atomically(dir / "config.yaml", p.config->resolved_yaml);
  });
  MPI_Bcast(&resume, 1, MPI_INT, 0, g.comm);
  nlohmann::json st = status_skeleton(p, o, g);
  st["resumed_from_checkpoint"] = resume != 0;
  st["started_utc"] = io::make_date_utc();
  Status s = Status::done;
  study::Failure failure;
  solver::reset_deadline_trip();
  {
    std::optional<Watchdog> dog;
    if (g.leader() && o.point_timeout_s > 0.0) {
      const double grace = std::max(5.0, 0.5 * o.point_timeout_s);
      dog.emplace(o.point_timeout_s + grace, [&st, &dir, &o, t0, grace] {
        nlohmann::json rec = st;
        set_outcome(rec, Status::timeout,
                    {"timeout", 124,
                     "point timeout " + std::to_string(o.point_timeout_s) + " s: did not stop within the " +
                         std::to_string(grace) + " s grace period (no solver check reached); the process was ended"});
        rec["finished_utc"] = io::make_date_utc();
        rec["wall_time_s"] = seconds_since(t0);
        write_status(dir, rec);
      });
    }
    try {
      if (!p.config) throw io::ConfigError(p.config_error);
      io::RunConfig config = *p.config;
      config.output.directory = dir.string();
      solver::ScopedDefaultPetscOptions petsc("", config.petsc_options);
      solver::ScopedDeadline deadline(o.point_timeout_s);
      const auto t1 = Clock::now();
      const nlohmann::json summary = study::run_study(config, {o.command_line, g.comm, true, resume != 0});
      st["study_time_s"] = seconds_since(t1);
      st["provenance"] = summary.value("provenance", nlohmann::json::object());
    } catch (...) {
      failure = study::classify_current_exception();
      s = status_for(failure);
    }
  }
  set_outcome(st, s, failure);
  st["finished_utc"] = io::make_date_utc();
  st["wall_time_s"] = seconds_since(t0);
  on_leader_or_abort(g, [&] { write_status(dir, st); });
  return s;
}

std::string parameters_text(const io::SweepPoint& p) {
  std::string out;
  for (const auto& [k, v] : p.parameters) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out;
}

void print_dry_run(const io::SweepFile& sweep, const std::vector<PlannedPoint>& plan, const SweepOptions& o) {
  std::cout << "sweep " << sweep.file.string() << ": " << plan.size() << " points, base "
            << (sweep.base_file.empty() ? std::string("(inline)") : sweep.base_file.string()) << "\n"
            << cost_model_text() << "\n";
  std::printf("%6s  %-16s  %-11s  %10s  %s\n", "index", "id", "status", "cost", "parameters");
  double total = 0.0;
  int mine = 0;
  for (const auto& p : plan) {
    if (static_cast<int>(p.spec.index % o.task_count) != o.task_index) continue;
    ++mine;
    total += p.cost;
    const Status s = status_of(read_status(point_dir(o.output, p.id)));
    std::printf("%6zu  %-16s  %-11s  %10.3g  %s%s\n", p.spec.index, p.id.c_str(), status_name(s), p.cost,
                parameters_text(p.spec).c_str(), p.config ? "" : "  (invalid combination: will be recorded as failed)");
  }
  std::printf("%d points in task %d of %d, estimated total cost %.3g\n", mine, o.task_index, o.task_count, total);
}

/// Stale temporaries of killed runs: in this share's point folders, and at the top (tables) when
/// no other task may be writing there (one task, or older than 10 minutes).
void clean_stale(const std::vector<PlannedPoint>& plan, const SweepOptions& o) {
  for (const auto& p : plan)
    if (static_cast<int>(p.spec.index % o.task_count) == o.task_index) {
      const fs::path dir = point_dir(o.output, p.id);
      if (fs::is_directory(dir)) remove_stale_temporaries(dir);
    }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(o.output, ec)) {
    if (e.path().filename().string().find(".tmp.") == std::string::npos) continue;
    const auto age = fs::file_time_type::clock::now() - fs::last_write_time(e.path(), ec);
    if (o.task_count == 1 || age > std::chrono::minutes(10)) fs::remove_all(e.path(), ec);
  }
}

std::vector<long> points_to_run(const std::vector<PlannedPoint>& plan, const SweepOptions& o, long& skipped) {
  std::vector<long> todo;
  skipped = 0;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (static_cast<int>(plan[i].spec.index % o.task_count) != o.task_index) continue;
    const Status s = status_of(read_status(point_dir(o.output, plan[i].id)));
    const bool failed = s == Status::failed || s == Status::timeout;
    const bool run = o.retry_failed ? failed : (s == Status::pending || s == Status::interrupted);
    if (run) todo.push_back(static_cast<long>(i));
    else ++skipped;
  }
  return todo;
}

int final_status(const std::vector<PlannedPoint>& plan, const SweepOptions& o) {
  if (received_signal != 0) return sweep_interrupted;
  for (const auto& p : plan) {
    if (static_cast<int>(p.spec.index % o.task_count) != o.task_index) continue;
    const Status s = status_of(read_status(point_dir(o.output, p.id)));
    if (s == Status::failed || s == Status::timeout) return sweep_some_failed;
  }
  return sweep_ok;
}

}  // namespace

bool make_plots(const fs::path& output) {
  const char* env = std::getenv("IONPATH_PLOT_SCRIPT");
  const std::string script = env ? env : IONPATH_PLOT_SCRIPT_PATH;
  if (!fs::is_regular_file(script)) {
    std::cerr << "ionpath sweep: plot script " << script << " not found (set IONPATH_PLOT_SCRIPT); no plots\n";
    return false;
  }
  const std::string cmd = "/usr/bin/python3 '" + script + "' '" + output.string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "ionpath sweep: the plot script failed (" << cmd << ")\n";
    return false;
  }
  return true;
}

int run_sweep(const io::SweepFile& sweep, const SweepOptions& o, MPI_Comm world) {
  int world_rank = 0;
  MPI_Comm_rank(world, &world_rank);
  const std::vector<PlannedPoint> plan = plan_sweep(sweep);
  if (o.dry_run) {
    if (world_rank == 0) print_dry_run(sweep, plan, o);
    return sweep_ok;
  }
  if (o.collect) {
    std::string error;
    if (world_rank == 0) {
      try {
        write_sweep_tables(sweep, plan, o.output);
        if (!o.quiet) std::cout << "[sweep] wrote " << (o.output / "table.csv").string() << " and table.h5\n";
        make_plots(o.output);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    io::throw_if_any_rank_failed(error, world);
    return sweep_ok;
  }

  long skipped = 0;
  std::vector<long> todo;
  std::string error;
  if (world_rank == 0) {
    try {
      fs::create_directories(o.output / "points");
      clean_stale(plan, o);
      todo = points_to_run(plan, o, skipped);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  io::throw_if_any_rank_failed(error, world);  // e.g. an output folder that cannot be created
  long n_todo = static_cast<long>(todo.size());
  MPI_Bcast(&n_todo, 1, MPI_LONG, 0, world);
  todo.resize(static_cast<std::size_t>(n_todo));
  MPI_Bcast(todo.data(), static_cast<int>(n_todo), MPI_LONG, 0, world);

  Group g = split_groups(world, o.ranks_per_point);
  SharedCounters counters(world);
  const StopSignals signals;
  std::optional<SweepLog> log;
  if (g.leader()) log.emplace(o.output / "sweep.log", world_rank == 0 && !o.quiet);
  if (world_rank == 0)
    log->line("start: " + std::to_string(n_todo) + " points to run, " + std::to_string(skipped) + " skipped (" +
              (o.retry_failed ? "not failed" : "done or failed") + "), task " + std::to_string(o.task_index) + " of " +
              std::to_string(o.task_count) + ", " + std::to_string(g.count) + " groups of " + std::to_string(g.size) +
              " ranks, " + (o.static_schedule ? "static round-robin" : "dynamic") + " schedule");
  const auto t0 = Clock::now();
  for (long j = 0;; ++j) {
    long k = -1;
    if (g.leader() && !solver::stop_requested()) {
      k = o.static_schedule ? g.index + j * g.count : counters.fetch_add(0, 1);
      if (o.static_schedule) counters.fetch_add(0, 1);
    }
    MPI_Bcast(&k, 1, MPI_LONG, 0, g.comm);
    if (k < 0 || k >= n_todo) break;
    const PlannedPoint& p = plan[static_cast<std::size_t>(todo[static_cast<std::size_t>(k)])];
    const Status s = run_point(p, o, g);
    if (g.leader()) {
      counters.fetch_add(s == Status::done ? 1 : 2, 1);
      std::string line = "point " + p.id + " " + status_name(s);
      if (s != Status::done) line += " (" + read_status(point_dir(o.output, p.id)).value("reason", std::string()) + ")";
      log->line(line);
      log->line(progress_line(counters.counts(n_todo), seconds_since(t0)));
    }
    if (s == Status::interrupted) break;
  }
  MPI_Barrier(world);
  int status = sweep_ok;
  if (world_rank == 0) {
    try {
      write_sweep_tables(sweep, plan, o.output);
    } catch (const std::exception& e) {  // the point files are intact: --collect can retry
      std::cerr << "ionpath sweep: error: writing the tables: " << e.what() << " (ionpath sweep --collect rebuilds them)\n";
      status = sweep_some_failed;
    }
    const int points = final_status(plan, o);
    if (points == sweep_some_failed)  // said even with --quiet: an exit status 1 needs a reason
      std::cerr << "ionpath sweep: some points failed or timed out; their reasons are in "
                << (o.output / "sweep.log").string() << " (--retry-failed runs them again)\n";
    status = std::max(status, points);
    log->line("end: " + progress_line(counters.counts(n_todo), seconds_since(t0)) + "; tables in " + o.output.string() +
              (status == sweep_interrupted ? "; interrupted by a signal (re-run the same command to resume)" : ""));
    if (o.plot) make_plots(o.output);
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, world);
  MPI_Comm_free(&g.comm);
  solver::clear_stop_request();
  return status;
}

}  // namespace ionpath::sweep
