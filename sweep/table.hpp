#pragma once
/// The sweep's tables, rebuilt from the point files alone (so `--collect` at any time, by any task,
/// gives the table of what is on disk): table.csv and table.h5 with one row per point of the
/// sweep file, and table_ensemble.csv with statistics over seeds. All written atomically.
#include <filesystem>
#include <vector>

#include "io/table_hdf5.hpp"
#include "sweep/plan.hpp"

namespace ionpath::sweep {

/// The columns (parameters, status, results, timings, provenance; units in the names).
[[nodiscard]] std::vector<io::TableColumn> sweep_table(const io::SweepFile& sweep, const std::vector<PlannedPoint>& plan,
                                                       const std::filesystem::path& output);

/// Mean, sample standard deviation and 95 % Student-t half-width of every numeric result over the
/// done points that differ only in their seed (n_seeds column; std and ci95 empty when n < 2).
[[nodiscard]] std::vector<io::TableColumn> ensemble_table(const io::SweepFile& sweep, const std::vector<io::TableColumn>& table);

/// CSV text: header, then one line per row; doubles in their shortest exact form, NaN as an empty
/// cell; texts quoted when they hold a comma, quote or newline.
[[nodiscard]] std::string table_csv(const std::vector<io::TableColumn>& columns);

/// Writes table.csv, table.h5 and (with seeds) table_ensemble.csv into `output`.
void write_sweep_tables(const io::SweepFile& sweep, const std::vector<PlannedPoint>& plan,
                        const std::filesystem::path& output);

/// t_{0.975, dof}: the two-sided 95 % Student-t quantile.
[[nodiscard]] double student_t95(int dof);

}  // namespace ionpath::sweep
