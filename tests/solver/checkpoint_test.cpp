// Checkpoint files (solver/nonlinear/checkpoint.hpp): the state and the records come back bit for
// bit, the file appears only complete (temporary + rename), and a checkpoint of another grid or
// run is refused with a message naming the file.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "solver/grid/domain.hpp"
#include "solver/nonlinear/checkpoint.hpp"
#include "solver/petsc/error.hpp"
#include "solver/petsc/handles.hpp"

namespace solver = ionpath::solver;
namespace mesh = ionpath::mesh;

namespace {

solver::Domain two_dof_domain(std::array<int, 3> n) {
  mesh::Grid g;
  g.n_cells = n;
  g.voxel_size_m = 1.0;
  solver::DomainOptions o;
  o.dof = 2;
  o.comm = MPI_COMM_WORLD;
  return solver::Domain(g, o);
}

// A value that depends on the global cell and component only, so the layout cannot hide a mix-up.
double value_at(PetscInt i, PetscInt j, PetscInt k, int c) { return std::sin(1.0 + i + 10.0 * j + 100.0 * k + 0.5 * c) / 3.0; }

solver::VecHandle filled_state(const solver::Domain& d) {
  solver::VecHandle x;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(d.dm(), x.out()));
  PetscScalar* a = nullptr;
  IONPATH_PETSC_CALL(VecGetArray(x, &a));
  const mesh::Box& b = d.owned();
  std::size_t p = 0;
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i)
        for (int c = 0; c < 2; ++c) a[p++] = value_at(i, j, k, c);
  IONPATH_PETSC_CALL(VecRestoreArray(x, &a));
  return x;
}

std::filesystem::path scratch(const std::string& name) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return std::filesystem::current_path() / ("checkpoint_test_np" + std::to_string(size) + "_" + name + ".h5");
}

}  // namespace

TEST(Checkpoint, StateAndRecordsComeBackBitForBit) {
  const auto d = two_dof_domain({5, 4, 6});
  const auto x = filled_state(d);
  solver::CheckpointRecord rec{"key-1", 0.125, 1.0 / 3.0, 17, {1.0, -2.5, 1e-300, 3.0e10}};
  const auto file = scratch("roundtrip");
  solver::write_checkpoint(MPI_COMM_WORLD, file, x, rec);
  EXPECT_TRUE(std::filesystem::is_regular_file(file));

  solver::VecHandle y;
  IONPATH_PETSC_CALL(VecDuplicate(x, y.out()));
  const auto back = solver::read_checkpoint(MPI_COMM_WORLD, file, y, "key-1");
  EXPECT_EQ(back.run_key, "key-1");
  EXPECT_EQ(back.t, rec.t);
  EXPECT_EQ(back.dt, rec.dt);
  EXPECT_EQ(back.steps, rec.steps);
  EXPECT_EQ(back.records, rec.records);
  PetscBool equal = PETSC_FALSE;
  IONPATH_PETSC_CALL(VecEqual(x, y, &equal));
  EXPECT_TRUE(equal);

  // No temporary is left beside it.
  int left = 0;
  for (const auto& e : std::filesystem::directory_iterator(file.parent_path()))
    left += e.path().filename().string().rfind(file.filename().string() + ".tmp.", 0) == 0;
  EXPECT_EQ(left, 0);
}

TEST(Checkpoint, RefusesAnotherRunAnotherGridOrNoFile) {
  const auto d = two_dof_domain({5, 4, 6});
  const auto x = filled_state(d);
  const auto file = scratch("refuse");
  solver::write_checkpoint(MPI_COMM_WORLD, file, x, {"key-A", 1.0, 0.1, 3, {}});
  solver::VecHandle y;
  IONPATH_PETSC_CALL(VecDuplicate(x, y.out()));
  try {
    (void)solver::read_checkpoint(MPI_COMM_WORLD, file, y, "key-B");
    FAIL() << "another run's checkpoint was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("another configuration"), std::string::npos) << e.what();
  }
  const auto other = two_dof_domain({5, 4, 7});
  solver::VecHandle z;
  IONPATH_PETSC_CALL(DMCreateGlobalVector(other.dm(), z.out()));
  try {
    (void)solver::read_checkpoint(MPI_COMM_WORLD, file, z, "key-A");
    FAIL() << "a checkpoint of another grid was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nz is 6"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)solver::read_checkpoint(MPI_COMM_WORLD, scratch("missing"), y, ""), std::runtime_error);
}

TEST(Checkpoint, ClockCountsStepsAndIsOffWithoutAFile) {
  solver::CheckpointPolicy p;
  p.every_steps = 3;
  solver::CheckpointClock off(p);
  EXPECT_FALSE(off.due(MPI_COMM_WORLD, 10));  // no file: never
  p.file = "x.h5";
  solver::CheckpointClock clock(p);
  EXPECT_FALSE(clock.due(MPI_COMM_WORLD, 2));
  EXPECT_TRUE(clock.due(MPI_COMM_WORLD, 3));
  EXPECT_FALSE(clock.due(MPI_COMM_WORLD, 5));
  EXPECT_TRUE(clock.due(MPI_COMM_WORLD, 6));
}
