#pragma once
// `ionpath run` as a library call: build the structure once, write it, run the configured
// experiment along every requested axis, write summary.json and summary.h5. Collective over the
// communicator of the group of ranks that runs this study (the sweep runner runs several side by
// side); only the group's rank 0 prints.
#include <mpi.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/config.hpp"

namespace ionpath::study {

struct StudyOptions {
  std::string command_line;       ///< for provenance
  MPI_Comm comm = MPI_COMM_NULL;  ///< required: the group's communicator
  bool quiet = false;             ///< no console output
  /// Continue an interrupted run from the checkpoints in its output folder (study/checkpoints.hpp);
  /// without any, start from the beginning.
  bool restart = false;
};

/// Runs config's experiment; returns the summary (also written to <output.directory>/summary.json).
nlohmann::json run_study(const io::RunConfig& config, const StudyOptions& options);

/// Writes the structure and its report only (`ionpath geometry`).
void run_geometry(const io::RunConfig& config, const StudyOptions& options);

}  // namespace ionpath::study
