#pragma once
// Builds the distributed microstructure of a run: generated (mesh/) or imported (io/), one
// block per rank, plus its report; and the provenance every output records.
#include <array>
#include <memory>
#include <nlohmann/json.hpp>

#include "io/config.hpp"
#include "io/fields.hpp"
#include "mesh/generate.hpp"
#include "solver/grid/domain.hpp"
#include "solver/grid/structure_report.hpp"

namespace ionpath::study {

/// The microstructure of a run, built once: labels on this rank's owned box, the phase table and
/// the structure report. Every measuring axis sees the same labels (domain_along).
struct Structure {
  std::unique_ptr<solver::Domain> domain;  ///< dof 1, the config's transport axis
  mesh::LabelBlock labels;  ///< owned box
  mesh::GenerationInfo info;
  mesh::PhaseTable table;
  solver::StructureReport report;
  double build_seconds = 0.0;
  /// Domains with another transport axis, same decomposition (built on first use).
  mutable std::array<std::unique_ptr<solver::Domain>, 3> along_axis;
};

/// Domain with one dof per cell whose electrodes are the faces normal to `axis` (same grid,
/// decomposition, side walls and communicator as s.domain, so the owned labels apply).
[[nodiscard]] const solver::Domain& domain_along(const Structure& s, int axis);
/// Same layout and transport axis as `d`, with `dof` unknowns per cell.
[[nodiscard]] solver::Domain domain_with_dof(const solver::Domain& d, int dof);

/// Domain with one dof per cell along the config's transport axis and side walls, on `comm`.
[[nodiscard]] std::unique_ptr<solver::Domain> make_domain(const io::RunConfig& config, MPI_Comm comm);
/// Generates (mesh/) or imports (io/) the labels of this rank's owned box. Collective over comm.
[[nodiscard]] Structure build_structure(const io::RunConfig& config, MPI_Comm comm);

/// Provenance of a run of `config` by `command_line` on the ranks of `comm`.
[[nodiscard]] io::Provenance make_provenance(const io::RunConfig& config, const std::string& command_line, MPI_Comm comm);
[[nodiscard]] nlohmann::json to_json(const io::Provenance& p);
[[nodiscard]] nlohmann::json to_json(const Structure& s, const io::RunConfig& config);
/// Human-readable summary of a structure (rank 0 prints it).
[[nodiscard]] std::string describe(const Structure& s, const io::RunConfig& config);

}  // namespace ionpath::study
