// Files and console lines of experiment.current_uniformity: the scales and histogram CSVs, the
// i_n maps (VTK image + HDF5, written by rank 0 alone: the maps are small and every rank holds
// them), the summary.h5 scalars and the text.
#include <cstdio>
#include <stdexcept>

#include "io/summary_writer.hpp"
#include "io/vtk_writer.hpp"
#include "study/current_uniformity.hpp"

namespace ionpath::study {
namespace {

std::string wagner_note(const UniformityResult& r) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "Wagner number Wa = sigma_eff (V_T / i0) / l = %.6g (sigma_eff %.6g S/m, i0 %.6g A/m2, R_ct %.6g ohm m2, "
                "l = %.6g m from %s); source %s at %.6g V, I = %.9g A",
                r.wagner_number, r.sigma_eff_S_m, r.exchange_current_density_A_m2,
                r.charge_transfer_resistance_ohm_m2, r.wagner_length_m, r.wagner_length_source.c_str(),
                r.source.c_str(), r.voltage_V, r.current_A);
  return buf;
}

void write_scales_csv(const Outputs& out, const UniformityResult& r) {
  std::vector<io::CsvColumn> cols{{"scale", "1"}, {"window", "m"}, {"window_voxels", "1"}, {"distance", "m"},
                                  {"plane", "1"}, {"plane_current", "A"}};
  for (const std::string set : {"", "conducting_"})
    for (const io::CsvColumn& c : std::vector<io::CsvColumn>{{"n_cells", "1"}, {"mean", "A/m2"}, {"std_dev", "A/m2"},
                                                             {"cv", "1"}, {"max_over_mean", "1"},
                                                             {"min_over_mean", "1"}, {"a50", "1"}})
      cols.push_back({set + c.name, c.unit});
  cols.push_back({"wagner_number", "1"});
  std::vector<std::vector<io::CsvCell>> rows;
  for (const auto& sc : r.scales) {
    std::vector<io::CsvCell> row{sc.name, sc.window_m, static_cast<long long>(sc.window_voxels), sc.distance_m,
                                 static_cast<long long>(sc.plane), sc.plane_current_A};
    for (const auto* s : {&sc.stats.full, &sc.stats.conducting})
      row.insert(row.end(), {static_cast<long long>(s->n_cells), s->mean, s->std_dev, s->cv, s->max_over_mean,
                             s->min_over_mean, s->a50});
    row.push_back(r.wagner_number);
    rows.push_back(std::move(row));
  }
  std::vector<std::string> notes{wagner_note(r),
                                 "one row per scale: face = the low electrode at the voxel scale, window_<w> = the face "
                                 "box-averaged over w x w (periodic sides wrap, others truncate), plane_<d> = the "
                                 "cross-section d from the low electrode; definitions in docs/experiments.md"};
  notes.insert(notes.end(), r.notes.begin(), r.notes.end());
  io::write_csv(out.directory / ("uniformity_" + std::string(axis_name(r.axis)) + "_scales.csv"), cols, rows,
                out.provenance, notes, out.comm);
}

void write_histogram_csv(const Outputs& out, const UniformityResult& r) {
  const physics::PlaneStats& s = r.scales.front().stats;
  std::vector<io::CsvColumn> cols{{"bin", "1"}};
  for (const std::string set : {"", "conducting_"})
    for (const io::CsvColumn& c :
         std::vector<io::CsvColumn>{{"lower_over_mean", "1"}, {"upper_over_mean", "1"}, {"lower", "A/m2"},
                                    {"upper", "A/m2"}, {"count", "1"}, {"area_fraction", "1"}, {"current_fraction", "1"}})
      cols.push_back({set + c.name, c.unit});
  std::vector<std::vector<io::CsvCell>> rows;
  for (std::size_t b = 0; b < s.full.histogram.size(); ++b) {
    std::vector<io::CsvCell> row{static_cast<long long>(b)};
    for (const auto* set : {&s.full, &s.conducting}) {
      const physics::HistogramBin& h = set->histogram[b];
      row.insert(row.end(), {h.lower, h.upper, h.lower * set->mean, h.upper * set->mean,
                             static_cast<long long>(h.count), h.area_fraction, h.current_fraction});
    }
    rows.push_back(std::move(row));
  }
  io::write_csv(out.directory / ("uniformity_" + std::string(axis_name(r.axis)) + "_histogram.csv"), cols, rows,
                out.provenance,
                {wagner_note(r), "histogram of i_n / mean on the low electrode at the voxel scale, full face and "
                                 "conducting faces (equal-width bins over [min(0, min), max])"},
                out.comm);
}

// Rank 0 writes the small 2D maps alone (MPI_COMM_SELF); a failure there ends every rank.
void write_maps(const Outputs& out, const UniformityResult& r, const std::vector<io::ScalarResult>& scalars,
                double voxel_size_m) {
  std::string error;
  if (out.is_root()) {
    try {
      const std::string stem = "uniformity_map_" + std::string(axis_name(r.axis));
      mesh::Grid g;
      g.n_cells = {r.face.n0, r.face.n1, 1};
      g.voxel_size_m = voxel_size_m;
      const io::FieldLayout layout{g, mesh::Box{{0, 0, 0}, g.n_cells}, MPI_COMM_SELF};
      std::vector<io::CellField> fields{{"i_n", "A/m2", 1, std::span<const double>(r.face.values)},
                                        {"conducting", "1", 1, std::span<const std::uint8_t>(r.face.conducting)}};
      for (std::size_t q = 0; q < r.plane_maps.size(); ++q)
        fields.push_back({"i_n_" + r.scales[r.scales.size() - r.plane_maps.size() + q].name, "A/m2", 1,
                          std::span<const double>(r.plane_maps[q].values)});
      if (out.what.vtk) io::write_pvd(out.directory, stem, {{0.0, io::write_vtk(out.directory, stem, layout, fields)}});
      if (out.what.hdf5)
        io::write_hdf5(out.directory / (stem + ".h5"), layout, fields, out.provenance, io::Hdf5Metadata{.results = scalars});
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
    }
  }
  int n = static_cast<int>(error.size());
  MPI_Bcast(&n, 1, MPI_INT, 0, out.comm);
  if (n == 0) return;
  error.resize(static_cast<std::size_t>(n));
  MPI_Bcast(error.data(), n, MPI_CHAR, 0, out.comm);
  throw std::runtime_error("current_uniformity: writing the i_n map failed: " + error);
}

std::vector<io::ScalarResult> scalars_of(const UniformityResult& r) {
  const std::string a = axis_name(r.axis);
  std::vector<io::ScalarResult> s{{a + "/sigma_eff", "S/m", r.sigma_eff_S_m},
                                  {a + "/current", "A", r.current_A},
                                  {a + "/wagner_number", "1", r.wagner_number},
                                  {a + "/wagner_length", "m", r.wagner_length_m}};
  for (const auto& sc : r.scales)
    for (const auto& [set, st] : {std::pair{"", &sc.stats.full}, std::pair{"conducting_", &sc.stats.conducting}}) {
      const std::string p = a + "/uniformity/" + sc.name + "/" + set;
      for (const io::ScalarResult& v :
           std::vector<io::ScalarResult>{{"mean", "A/m2", st->mean}, {"std_dev", "A/m2", st->std_dev}, {"cv", "1", st->cv},
                                         {"max_over_mean", "1", st->max_over_mean},
                                         {"min_over_mean", "1", st->min_over_mean}, {"a50", "1", st->a50}})
        s.push_back({p + v.name, v.unit, v.value});
    }
  return s;
}

std::string describe(const UniformityResult& r) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "  axis %s: current uniformity (%s, %.4g mV, I = %.6g A, mean %.6g A/m2), Wa = %.4g (l = %.4g um, "
                "i0 = %.4g A/m2), %.2f s\n",
                axis_name(r.axis), r.source.c_str(), 1e3 * r.voltage_V, r.current_A, r.scales.front().stats.full.mean,
                r.wagner_number, 1e6 * r.wagner_length_m, r.exchange_current_density_A_m2, r.solve_time_s);
  std::string text = buf;
  for (const auto& sc : r.scales) {
    const auto& f = sc.stats.full;
    std::snprintf(buf, sizeof buf, "    %-16s CV %.4f  max/mean %.4f  min/mean %.4f  A50 %.4f  (conducting: CV %.4f)  Wa %.4g\n",
                  sc.name.c_str(), f.cv, f.max_over_mean, f.min_over_mean, f.a50, sc.stats.conducting.cv,
                  r.wagner_number);
    text += buf;
  }
  for (const auto& n : r.notes) text += "    note: " + n + "\n";
  return text;
}

}  // namespace

AxisReport current_uniformity_experiment(const ExperimentContext& ctx, int axis) {
  const UniformityResult r = run_current_uniformity(ctx.structure, ctx.config, axis);
  AxisReport out;
  out.json = to_json(r);
  out.scalars = scalars_of(r);
  out.text = describe(r);
  write_scales_csv(ctx.out, r);
  write_histogram_csv(ctx.out, r);
  if (ctx.config.output.fields) write_maps(ctx.out, r, out.scalars, ctx.config.grid.voxel_size_m);
  return out;
}

}  // namespace ionpath::study
