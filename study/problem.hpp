#pragma once
// Builds the distributed microstructure of a run: generated (mesh/) or imported (io/), one
// block per rank, plus its report; and the provenance every output records.
#include <memory>
#include <nlohmann/json.hpp>

#include "io/config.hpp"
#include "io/fields.hpp"
#include "mesh/generate.hpp"
#include "solver/grid/domain.hpp"
#include "solver/grid/structure_report.hpp"

namespace ionpath::study {

struct Structure {
  std::unique_ptr<solver::Domain> domain;
  mesh::LabelBlock labels;  ///< owned box
  mesh::GenerationInfo info;
  mesh::PhaseTable table;
  solver::StructureReport report;
  double build_seconds = 0.0;
};

/// Domain with one dof per cell along the config's transport axis and side walls.
[[nodiscard]] std::unique_ptr<solver::Domain> make_domain(const io::RunConfig& config);
[[nodiscard]] Structure build_structure(const io::RunConfig& config);

/// Provenance of a run of `config` by `command_line` on the ranks of `comm`.
[[nodiscard]] io::Provenance make_provenance(const io::RunConfig& config, const std::string& command_line, MPI_Comm comm);
[[nodiscard]] nlohmann::json to_json(const io::Provenance& p);
[[nodiscard]] nlohmann::json to_json(const Structure& s, const io::RunConfig& config);
/// Human-readable summary of a structure (rank 0 prints it).
[[nodiscard]] std::string describe(const Structure& s, const io::RunConfig& config);

/// Writes structure.{vti|pvti}, structure.h5 and geometry.json into `dir`.
void write_structure(const std::filesystem::path& dir, const Structure& s, const io::RunConfig& config,
                     const io::Provenance& provenance);

}  // namespace ionpath::study
