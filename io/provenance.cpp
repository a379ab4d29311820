#include "io/provenance.hpp"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace ionpath::io {

std::string make_date_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);  // gmtime is not thread-safe
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void to_json(nlohmann::json& j, const Provenance& p) {
  j = nlohmann::json{{"ionpath_version", p.ionpath_version},
                     {"git_describe", p.git_describe},
                     {"petsc_version", p.petsc_version},
                     {"hdf5_version", p.hdf5_version},
                     {"vtk_version", p.vtk_version},
                     {"mpi_version", p.mpi_version},
                     {"resolved_config_yaml", p.resolved_config_yaml},
                     {"date_utc", p.date_utc},
                     {"command_line", p.command_line},
                     {"n_ranks", p.n_ranks},
                     {"params_file", p.params_file},
                     {"params_sha256", p.params_sha256},
                     {"seed", p.seed}};
}

}  // namespace ionpath::io
