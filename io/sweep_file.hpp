#pragma once
/// The sweep file of `ionpath sweep` (docs/sweeps.md): a base configuration (a path relative to the
/// sweep file, or an inline map) plus axes over any configuration key, expanded here into points.
/// Every point is the base with one `--set`-style override per axis. Errors name
/// file:line:column and the key, like the configuration reader's (io::ConfigError).
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/config.hpp"

namespace ionpath::io {

/// One point of the expansion: the value of every axis, as flow YAML text (e.g. "4e-06",
/// "[8, 8, 8]", "aligned_walls"), in axis order.
struct SweepPoint {
  std::size_t index = 0;  ///< position in the expansion (the job-array share uses it)
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> where;  ///< sweep file:line:column of each parameter's value
};

struct SweepFile {
  std::filesystem::path file;       ///< the sweep YAML
  std::filesystem::path base_file;  ///< the base config; empty when `base` is an inline map
  std::string base_text;            ///< the base as YAML text (identity of points that do not load)
  std::vector<std::string> axis_keys;  ///< config key of every axis in order; "seed" last with `seeds`
  bool has_seeds = false;
  bool keep_fields = false;  ///< output.keep_fields: write solution fields (VTK + HDF5) per point
  /// Cartesian product of the axes and zip groups, first axis slowest, seeds fastest.
  std::vector<SweepPoint> points;
};

/// Reads and expands `file`; throws ConfigError (file:line:column: key '...': message). The base
/// itself is loaded once here, so a broken base is a sweep-file error, not N failed points.
[[nodiscard]] SweepFile load_sweep_file(const std::filesystem::path& file);

/// The configuration of one point (throws ConfigError for a bad combination, e.g. a wall thicker
/// than its spacing). Output options follow the sweep file; output.directory is left for the caller.
[[nodiscard]] RunConfig load_sweep_point(const SweepFile& sweep, const SweepPoint& point);

/// What a point's id hashes: the resolved configuration without output.directory (where a point
/// is written is not what it computes), plus its PETSc options.
[[nodiscard]] std::string point_identity_text(const RunConfig& config);

}  // namespace ionpath::io
