// Atomic output at 1, 2, 4 ranks: a failure in a writer (thrown in the callback, a bad field on
// one rank, a rename that cannot happen) leaves neither a file under its final name nor a
// temporary, and collective writers throw the same error on every rank.
#include <gtest/gtest.h>

#include <fstream>

#include "io/atomic_file.hpp"
#include "io/hdf5_writer.hpp"
#include "io/vtk_writer.hpp"
#include "output_test_support.hpp"

namespace fs = std::filesystem;
namespace io = ionpath::io;
namespace mesh = ionpath::mesh;
namespace test = ionpath::test;

namespace {

const mesh::Grid grid{{6, 5, 4}, 1e-6};

std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (!e.is_directory()) names.push_back(fs::relative(e.path(), dir).string());
  return names;
}

// Runs `write` on every rank and expects it to throw the same message everywhere.
template <typename F>
void expect_collective_failure(F write, const std::string& expected_part) {
  std::string message;
  try {
    write();
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  EXPECT_NE(message.find(expected_part), std::string::npos) << "'" << message << "'";
  // Every rank got the message of the same (first) failing rank.
  int length = static_cast<int>(message.size()), max_length = 0, min_length = 0;
  MPI_Allreduce(&length, &max_length, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(&length, &min_length, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  EXPECT_EQ(min_length, max_length);
  MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace

TEST(OutputAtomic, ThrowInsideTheWriterLeavesNothing) {
  const fs::path dir = test::shared_dir("atomic") / std::to_string(test::rank());
  fs::create_directories(dir);
  EXPECT_THROW(io::write_atomically(dir / "summary.json",
                                    [](const fs::path& tmp) {
                                      EXPECT_EQ(tmp.filename().string().rfind("summary.json.tmp.", 0), 0u) << tmp;
                                      std::ofstream(tmp) << "{\"half\": ";
                                      throw std::runtime_error("interrupted");
                                    }),
               std::runtime_error);
  EXPECT_TRUE(files_under(dir).empty());
  io::write_text_atomically(dir / "summary.json", "{}\n");
  EXPECT_EQ(files_under(dir), std::vector<std::string>{"summary.json"});
}

TEST(OutputAtomic, UncommittedFileIsRemovedOnScopeExit) {
  const fs::path dir = test::shared_dir("atomic_raii") / std::to_string(test::rank());
  fs::create_directories(dir);
  {
    io::AtomicFile f(dir / "a.txt");
    std::ofstream(f.tmp_path()) << "partial";
    EXPECT_TRUE(fs::exists(f.tmp_path()));
  }
  EXPECT_TRUE(files_under(dir).empty());
  io::AtomicFile g(dir / "b.txt");
  EXPECT_THROW(g.commit(), std::runtime_error);  // nothing was written: no empty file appears
  EXPECT_TRUE(files_under(dir).empty());
}

TEST(OutputAtomic, CollectiveCommitFailsEverywhereWhenOneRankFails) {
  const fs::path dir = test::shared_dir("atomic_collective");
  const int last = test::size() - 1;
  expect_collective_failure(
      [&] {
        io::AtomicFile f(dir / ("part_" + std::to_string(test::rank())), io::collective_tag(MPI_COMM_WORLD));
        std::ofstream(f.tmp_path()) << "data";
        io::AtomicFile* mine[] = {&f};
        io::commit_collectively(mine, test::rank() == last ? "disk full on the last rank" : "", MPI_COMM_WORLD);
      },
      "disk full on the last rank");
  EXPECT_TRUE(files_under(dir).empty());
  MPI_Barrier(MPI_COMM_WORLD);  // every rank has looked before any rank writes again
  // And the success path publishes every rank's part.
  io::AtomicFile f(dir / ("part_" + std::to_string(test::rank())), io::collective_tag(MPI_COMM_WORLD));
  std::ofstream(f.tmp_path()) << "data";
  io::AtomicFile* mine[] = {&f};
  io::commit_collectively(mine, "", MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_EQ(files_under(dir).size(), static_cast<std::size_t>(test::size()));
}

TEST(OutputAtomic, BadFieldOnOneRankLeavesNoVtkOrHdf5Output) {
  const fs::path dir = test::shared_dir("atomic_writers");
  const mesh::Box box = test::split_box(grid, {1, 1, test::size()}, test::rank());
  // The last rank's span is one value short.
  std::vector<double> values(box.n_cells() - (test::rank() == test::size() - 1 ? 1 : 0), 1.0);
  const std::vector<io::CellField> fields{{"potential", "V", 1, std::span<const double>(values)}};
  const mesh::Box last_box = test::split_box(grid, {1, 1, test::size()}, test::size() - 1);
  const std::string expected = "failed on rank " + std::to_string(test::size() - 1) + ": field potential has " +
                               std::to_string(last_box.n_cells() - 1) + " values, expected " +
                               std::to_string(last_box.n_cells());
  expect_collective_failure([&] { io::write_vtk(dir, "fields", {grid, box, MPI_COMM_WORLD}, fields); }, expected);
  expect_collective_failure(
      [&] {
        io::write_hdf5(dir / "fields.h5", {grid, box, MPI_COMM_WORLD}, fields, {});
      },
      expected);
  if (test::rank() == 0) {
    EXPECT_TRUE(files_under(dir).empty()) << files_under(dir).front();
  }
}

TEST(OutputAtomic, FailedRenameRemovesPiecesAndTemporaries) {
  const fs::path dir = test::shared_dir("atomic_rename");
  // A non-empty directory sits where the summary (.pvti, or .vti on one rank) and the .h5 go.
  const std::string summary = test::size() == 1 ? "fields.vti" : "fields.pvti";
  if (test::rank() == 0) {
    fs::create_directories(dir / summary);
    std::ofstream(dir / summary / "keep") << "x";
    fs::create_directories(dir / "fields.h5");
    std::ofstream(dir / "fields.h5" / "keep") << "x";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const mesh::Box box = test::split_box(grid, {1, 1, test::size()}, test::rank());
  const std::vector<double> values(box.n_cells(), 2.0);
  const std::vector<io::CellField> fields{{"potential", "V", 1, std::span<const double>(values)}};
  expect_collective_failure(
      [&] {
        io::write_vtk(dir, "fields", {grid, box, MPI_COMM_WORLD}, fields);
      },
      "cannot rename");
  expect_collective_failure(
      [&] {
        io::write_hdf5(dir / "fields.h5", {grid, box, MPI_COMM_WORLD}, fields, {});
      },
      "cannot rename");
  if (test::rank() == 0) {
    std::vector<std::string> left = files_under(dir);
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<std::string>{"fields.h5/keep", summary + "/keep"}));
  }
}
