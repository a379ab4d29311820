#include "solver/nonlinear/checkpoint.hpp"

#include <petscdmda.h>
#include <petscviewerhdf5.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace ionpath::solver {
namespace {

using ViewerHandle = PetscHandle<PetscViewer, PetscViewerDestroy>;

int rank_of(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r;
}

// Grid size and dof of the DMDA behind x: written beside the state so a restart on another grid
// is refused with a message instead of a PETSc dimension error.
std::array<PetscInt, 4> grid_of(Vec x) {
  DM dm = nullptr;
  IONPATH_PETSC_CALL(VecGetDM(x, &dm));
  if (!dm) throw std::logic_error("checkpoint: the state vector has no DMDA");
  std::array<PetscInt, 4> g{};
  IONPATH_PETSC_CALL(DMDAGetInfo(dm, nullptr, &g[0], &g[1], &g[2], nullptr, nullptr, nullptr, &g[3], nullptr, nullptr,
                                 nullptr, nullptr, nullptr));
  return g;
}

// The records as one vector owned by rank 0 (HDF5 datasets need a distributed Vec).
VecHandle records_vector(MPI_Comm comm, PetscInt n) {
  VecHandle v;
  IONPATH_PETSC_CALL(VecCreateMPI(comm, rank_of(comm) == 0 ? n : 0, n, v.out()));
  IONPATH_PETSC_CALL(PetscObjectSetName(reinterpret_cast<PetscObject>(v.get()), "records"));
  return v;
}

}  // namespace

CheckpointClock::CheckpointClock(const CheckpointPolicy& policy)
    : policy_(policy), last_(std::chrono::steady_clock::now()) {}

bool CheckpointClock::restart_point(int steps) const {
  return policy_.enabled() && steps > 0 && steps % policy_.every_steps == 0;
}

bool CheckpointClock::due(MPI_Comm comm, int steps) {
  if (!restart_point(steps)) return false;
  int due = 1;
  if (policy_.every_seconds > 0.0) {
    const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - last_;
    due = waited.count() >= policy_.every_seconds;
    MPI_Bcast(&due, 1, MPI_INT, 0, comm);  // every rank must take the same (collective) decision
  }
  if (due) last_ = std::chrono::steady_clock::now();
  return due != 0;
}

void write_checkpoint(MPI_Comm comm, const std::filesystem::path& file, Vec x, const CheckpointRecord& record) {
  long pid = static_cast<long>(getpid());
  MPI_Bcast(&pid, 1, MPI_LONG, 0, comm);
  const std::filesystem::path tmp = file.string() + ".tmp." + std::to_string(pid);
  const auto grid = grid_of(x);
  const PetscInt n = static_cast<PetscInt>(record.records.size());
  {
    ViewerHandle v;
    IONPATH_PETSC_CALL(PetscViewerHDF5Open(comm, tmp.c_str(), FILE_MODE_WRITE, v.out()));
    IONPATH_PETSC_CALL(PetscObjectSetName(reinterpret_cast<PetscObject>(x), "state"));
    IONPATH_PETSC_CALL(VecView(x, v));
    VecHandle rec = records_vector(comm, n);
    if (rank_of(comm) == 0 && n > 0) {
      PetscScalar* a = nullptr;
      IONPATH_PETSC_CALL(VecGetArray(rec, &a));
      std::copy(record.records.begin(), record.records.end(), a);
      IONPATH_PETSC_CALL(VecRestoreArray(rec, &a));
    }
    if (n > 0) IONPATH_PETSC_CALL(VecView(rec, v));
    const PetscInt steps = record.steps;
    IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", "run_key", PETSC_STRING, record.run_key.c_str()));
    IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", "t", PETSC_REAL, &record.t));
    IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", "dt", PETSC_REAL, &record.dt));
    IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", "steps", PETSC_INT, &steps));
    IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", "n_records", PETSC_INT, &n));
    const char* names[4] = {"nx", "ny", "nz", "dof"};
    for (int i = 0; i < 4; ++i)
      IONPATH_PETSC_CALL(PetscViewerHDF5WriteAttribute(v, "/state", names[i], PETSC_INT, &grid[static_cast<std::size_t>(i)]));
  }  // the viewer closes the file on every rank here
  MPI_Barrier(comm);
  int ok = 1;
  if (rank_of(comm) == 0) {
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    ok = !ec;
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm);
  if (!ok) throw std::runtime_error("checkpoint: cannot rename " + tmp.string() + " to " + file.string());
}

std::string read_checkpoint_run_key(MPI_Comm comm, const std::filesystem::path& file) {
  try {
    ViewerHandle v;
    IONPATH_PETSC_CALL(PetscViewerHDF5Open(comm, file.c_str(), FILE_MODE_READ, v.out()));
    char* key = nullptr;
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "run_key", PETSC_STRING, nullptr, &key));
    std::string out = key;
    IONPATH_PETSC_CALL(PetscFree(key));
    return out;
  } catch (const std::exception& e) {
    throw std::runtime_error("restart: cannot read checkpoint " + file.string() + ": " + e.what());
  }
}

CheckpointRecord read_checkpoint(MPI_Comm comm, const std::filesystem::path& file, Vec x,
                                 const std::string& expected_run_key) {
  int exists = rank_of(comm) == 0 ? std::filesystem::is_regular_file(file) : 0;
  MPI_Bcast(&exists, 1, MPI_INT, 0, comm);
  if (!exists) throw std::runtime_error("restart: no checkpoint " + file.string() + " (run without --restart to start over)");
  CheckpointRecord r;
  ViewerHandle v;
  try {
    IONPATH_PETSC_CALL(PetscViewerHDF5Open(comm, file.c_str(), FILE_MODE_READ, v.out()));
    char* key = nullptr;
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "run_key", PETSC_STRING, nullptr, &key));
    r.run_key = key;
    IONPATH_PETSC_CALL(PetscFree(key));
    PetscInt steps = 0, n = 0;
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "t", PETSC_REAL, nullptr, &r.t));
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "dt", PETSC_REAL, nullptr, &r.dt));
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "steps", PETSC_INT, nullptr, &steps));
    IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", "n_records", PETSC_INT, nullptr, &n));
    r.steps = static_cast<int>(steps);
    const auto grid = grid_of(x);
    const char* names[4] = {"nx", "ny", "nz", "dof"};
    for (int i = 0; i < 4; ++i) {
      PetscInt g = 0;
      IONPATH_PETSC_CALL(PetscViewerHDF5ReadAttribute(v, "/state", names[i], PETSC_INT, nullptr, &g));
      if (g != grid[static_cast<std::size_t>(i)])
        throw std::runtime_error(std::string("its ") + names[i] + " is " + std::to_string(g) + ", this run has " +
                                 std::to_string(grid[static_cast<std::size_t>(i)]));
    }
    if (!expected_run_key.empty() && r.run_key != expected_run_key)
      throw std::runtime_error("it belongs to another configuration (run key " + r.run_key + ", this run " +
                               expected_run_key + ")");
    IONPATH_PETSC_CALL(PetscObjectSetName(reinterpret_cast<PetscObject>(x), "state"));
    IONPATH_PETSC_CALL(VecLoad(x, v));
    if (n > 0) {
      VecHandle rec = records_vector(comm, n);
      IONPATH_PETSC_CALL(VecLoad(rec, v));
      r.records.assign(static_cast<std::size_t>(n), 0.0);
      if (rank_of(comm) == 0) {
        const PetscScalar* a = nullptr;
        IONPATH_PETSC_CALL(VecGetArrayRead(rec, &a));
        std::copy(a, a + n, r.records.begin());
        IONPATH_PETSC_CALL(VecRestoreArrayRead(rec, &a));
      }
      MPI_Bcast(r.records.data(), static_cast<int>(n), MPI_DOUBLE, 0, comm);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("restart: cannot use checkpoint " + file.string() + ": " + e.what());
  }
  return r;
}

}  // namespace ionpath::solver
