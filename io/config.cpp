// The configuration schema: every key is declared once here, by the reader call that parses it.
#include "io/config.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "io/config_reader.hpp"
#include "mesh/generate.hpp"
#include "physics/constants.hpp"
#include "physics/scales.hpp"
#include "physics/sodium.hpp"

namespace ionpath::io {
namespace {

using detail::MapReader;
using detail::ParseContext;
using detail::Range;
using detail::positive;
const Range non_negative{0.0, 1e300};
const Range fraction_open{0.0, 1.0, false, true};
const std::vector<std::string> axis_names{"x", "y", "z"};

mesh::Grid read_grid(MapReader r) {
  mesh::Grid g;
  const auto n = r.integer_list("n_cells", 3, {}, Range{1, 1e9}, "cells along x, y, z (nz = 1: a 2D x-y grid)");
  g.n_cells = {n.empty() ? 1 : n[0], n.empty() ? 1 : n[1], n.empty() ? 1 : n[2]};
  g.voxel_size_m = r.number("voxel_size_m", std::nullopt, positive, "edge of a cubic voxel (m)");
  r.finish();
  return g;
}

mesh::AlignedWallsParams read_walls(MapReader r) {
  mesh::AlignedWallsParams w;
  w.spacing_m = r.number("spacing_m", 20e-6, positive, "mean wall period lambda (m)");
  w.spacing_spread = r.number("spacing_spread", 0.1, Range{0.0, 0.5}, "relative std. dev. of the wall positions (jitter)");
  w.thickness_m = r.optional_number("thickness_m", positive, "wall thickness (m); default 0.152 x spacing (spec §6.1)");
  w.target_volume_fraction = r.optional_number("volume_fraction", Range{0.0, 1.0, true, true},
                                               "wall volume fraction, instead of thickness_m");
  if (w.thickness_m && w.target_volume_fraction)
    r.fail_at_key("volume_fraction", "give either thickness_m or volume_fraction, not both");
  w.waviness_amplitude_m = r.number("waviness_amplitude_m", 0.0, non_negative, "amplitude of the mid-plane undulation (m)");
  w.waviness_wavelength_m = r.number("waviness_wavelength_m", 50e-6, positive, "wavelength of the undulation (m)");
  w.tilt_deg = r.number("tilt_deg", 0.0, Range{-60.0, 60.0}, "tilt of the walls from the transport axis (degrees)");
  w.domain_size_m = r.number("domain_size_m", 0.0, non_negative, "in-plane orientation domains (Voronoi cell size, m); 0 = off");
  w.bridges_per_m2 = r.number("bridges_per_m2", 0.0, non_negative, "bridges between neighbouring walls per wall area (1/m2)");
  w.bridge_thickness_m = r.number("bridge_thickness_m", 1e-6, positive, "edge of a bridge's square cross-section (m)");
  w.porosity = r.number("porosity", 0.0, Range{0.0, 0.9},
                        "M-d porous walls (spec §7.3): gel-filled wall porosity p_w; thickness_m / volume_fraction stay "
                        "the dense wall's (fixed clay content), the drawn wall is 1/(1-p_w) thicker; 0 = dense walls");
  r.finish();
  if (w.thickness_m && *w.thickness_m / (1.0 - w.porosity) >= w.spacing_m)
    r.context().fail(r.at("thickness_m"), r.key_path("thickness_m"),
                     w.porosity > 0.0 ? "thickness_m / (1 - porosity) must be smaller than spacing_m"
                                      : "must be smaller than spacing_m");
  return w;
}

mesh::RandomPlateletsParams read_platelets(MapReader r) {
  mesh::RandomPlateletsParams p;
  p.shape = r.choice("shape", {"disc", "rectangle"}, 0, "platelet shape") == 0 ? mesh::PlateletShape::disc
                                                                               : mesh::PlateletShape::rectangle;
  p.diameter_m = r.number("diameter_m", 6e-6, positive, "platelet diameter (edge for rectangles) (m)");
  p.thickness_m = r.number("thickness_m", 0.5e-6, positive, "platelet thickness (m)");
  p.volume_fraction = r.optional_number("volume_fraction", Range{0.0, 1.0, true, true}, "clay volume fraction");
  p.weight_fraction = r.optional_number("weight_fraction", Range{0.0, 1.0, true, true},
                                        "clay weight fraction (converted with the two densities, spec §6.1)");
  if (!r.documenting() && p.volume_fraction.has_value() == p.weight_fraction.has_value())
    r.context().fail(r.node(), r.path(), "give exactly one of volume_fraction and weight_fraction");
  p.clay_density_kg_m3 = r.number("clay_density_kg_m3", 2700.0, positive, "clay (MMT) density (kg/m3)");
  p.matrix_density_kg_m3 = r.number("matrix_density_kg_m3", 1250.0, positive, "gel density (kg/m3)");
  p.orientation = static_cast<mesh::OrientationKind>(
      r.choice("orientation", {"isotropic", "aligned", "order_parameter"}, 0, "distribution of platelet normals"));
  p.order_parameter = r.number("order_parameter", 0.0, Range{-0.4995, 0.999}, "<P2(cos theta)> of normals (order_parameter)");
  p.alignment_axis = r.choice("alignment_axis", axis_names, 2, "axis the normals align with");
  p.allow_overlap = r.boolean("allow_overlap", true, "false: reject overlapping platelets");
  p.placement = r.choice("placement", {"poisson", "clustered"}, 1, "uniform centres or Thomas-process clusters") == 0
                    ? mesh::PlacementKind::poisson
                    : mesh::PlacementKind::clustered;
  p.children_per_cluster = r.number("children_per_cluster", 20.0, positive, "mean platelets per cluster");
  p.cluster_radius_m = r.number("cluster_radius_m", 5e-6, positive, "Gaussian spread of a cluster (m)");
  p.fraction_tolerance = r.number("fraction_tolerance", 1e-3, Range{1e-6, 0.5}, "relative tolerance on the counted fraction");
  r.finish();
  return p;
}

mesh::ImageParams read_image(MapReader r) {
  mesh::ImageParams im;
  im.format = static_cast<mesh::ImageFormat>(r.choice("format", {"raw", "tiff", "hdf5"}, 0, "image file format"));
  im.path = r.text("path", std::nullopt, "image file, relative to the config file");
  if (!r.documenting() && std::filesystem::path(im.path).is_relative())
    im.path = (std::filesystem::path(r.context().file).parent_path() / im.path).string();
  im.dtype = r.choice("dtype", {"uint8", "uint16"}, 0, "raw voxel type") == 0 ? mesh::RawDtype::uint8 : mesh::RawDtype::uint16;
  im.big_endian = r.choice("byte_order", {"little", "big"}, 0, "raw byte order") == 1;
  im.x_fastest = r.choice("axis_order", {"xyz", "zyx"}, 0, "raw: xyz = x varies fastest, zyx = z fastest") == 0;
  im.dataset = r.text("dataset", "/labels", "HDF5 dataset (shape [nz][ny][nx])");
  const YAML::Node labels = r.raw("labels", "map image value -> phase name", "e.g. {0: gel, 255: clay}; required");
  if (!r.documenting()) {
    if (!labels.IsDefined() || !labels.IsMap() || labels.size() == 0)
      r.context().fail(labels.IsDefined() ? labels : r.node(), r.key_path("labels"), "expected a map of image values to phase names");
    for (const auto& kv : labels) {
      int value = 0;
      if (!kv.first.IsScalar() || !YAML::convert<int>::decode(kv.first, value) || value < 0 || value > 65535)
        r.context().fail(kv.first, r.key_path("labels"), "image value '" + (kv.first.IsScalar() ? kv.first.Scalar() : std::string("a collection")) + "' must be an integer 0..65535");
      if (!kv.second.IsScalar())
        r.context().fail(kv.second, r.key_path("labels"), "the phase name of image value " + kv.first.Scalar() + " must be a name, not a " + (kv.second.IsMap() ? "map" : kv.second.IsSequence() ? "list" : "null"));
      im.label_map.emplace_back(value, kv.second.Scalar());
    }
  }
  r.finish();
  return im;
}

mesh::GeometryParams read_geometry(MapReader r, const mesh::Grid& grid) {
  mesh::GeometryParams g;
  const std::vector<std::string> kinds{"pure_gel", "aligned_walls", "random_platelets", "image"};
  const int kind = r.choice("structure", kinds, 0, "which microstructure to build");
  g.side_walls = r.choice("side_walls", {"zero_flux", "periodic"}, 0, "faces other than the electrodes") == 0
                     ? mesh::SideWalls::zero_flux
                     : mesh::SideWalls::periodic;
  g.transport_axis = r.choice("transport_axis", axis_names, r.documenting() || grid.dimension() == 3 ? 2 : 1,
                              "electrode-to-electrode axis (default z in 3D, y in 2D)");
  if (!r.documenting() && grid.n_cells[g.transport_axis] == 1)
    r.context().fail(r.at("transport_axis"), r.key_path("transport_axis"), "the transport axis has only one cell (2D grids lie in x-y)");
  // Exactly the sub-block of the chosen structure may be present.
  for (int k = 1; k < 4; ++k) {
    bool present = false;
    MapReader sub = r.child(kinds[k], "parameters of structure: " + kinds[k], &present);
    if (present && k != kind)
      r.fail_at_key(kinds[k], "inconsistent: structure is '" + kinds[kind] + "'");
    if (k == kind || r.documenting()) {
      if (k == 1) g.structure = read_walls(sub);
      if (k == 2) g.structure = read_platelets(sub);
      if (k == 3) g.structure = read_image(sub);
    }
  }
  if (r.documenting() || kind == 0) g.structure = mesh::PureGelParams{};
  MapReader shell = r.child("interface_shell", "gel within this distance of clay becomes `interface`");
  g.shell.thickness_m = shell.number("thickness_m", 0.0, non_negative, "shell thickness (m); 0 = no shell");
  shell.finish();
  MapReader near_clay = r.child("clay_shell", "M-a gel_near_clay (spec §7.3): gel within this distance of `clay` "
                                              "(dispersed aggregates, never `wall`) becomes `clay_shell`");
  g.clay_shell.thickness_m = near_clay.number("thickness_m", 0.0, non_negative,
                                              "clay_shell width (m), at least one voxel; 0 = off. Takes precedence "
                                              "over interface_shell around clay");
  if (!r.documenting() && g.clay_shell.thickness_m > 0.0 && g.clay_shell.thickness_m < grid.voxel_size_m)
    near_clay.fail_at_key("thickness_m", "must be 0 (off) or at least one voxel (grid.voxel_size_m)");
  near_clay.finish();
  r.finish();
  return g;
}

physics::PhaseMaterial default_material(const std::string& name, const physics::DiffusivityPair& gel) {
  physics::PhaseMaterial m;
  m.name = name;
  if (name == "gel" || name == "interface" || name == "clay_shell") {
    m.D_plus_m2_s = gel.D_plus_m2_s;
    m.D_minus_m2_s = gel.D_minus_m2_s;
  } else if (name == "wall") {  // spec §7.1: in-plane 0.1 x gel, no transport across the sheets
    m.D_plus_m2_s = 0.1 * gel.D_plus_m2_s;
    m.D_minus_m2_s = 0.1 * gel.D_minus_m2_s;
    m.normal_to_inplane_ratio = 0.0;
    m.sheet_normal_axis = 0;
    m.capacity = 0.5;
    m.relative_permittivity = 6.0;
  } else if (name == "clay") {  // pristine tactoids: insulating by default
    m.capacity = 0.65;
    m.relative_permittivity = 6.0;
  } else if (name == "void") {
    m.relative_permittivity = 1.0;
  }
  return m;
}

physics::TemperatureDependence read_temperature(MapReader t, physics::TemperatureDependence d) {
  d.law = static_cast<physics::TemperatureLaw>(
      t.choice("law", {"constant", "arrhenius", "vtf"}, static_cast<int>(d.law), "D(T) law"));
  d.activation_energy_J_mol = t.number("activation_energy_J_mol", d.activation_energy_J_mol, non_negative, "Arrhenius E_a (J/mol)");
  d.vtf_B_K = t.number("vtf_B_K", d.vtf_B_K, positive, "VTF pseudo-activation B (K)");
  d.vtf_T0_K = t.number("vtf_T0_K", d.vtf_T0_K, non_negative, "VTF T0 (K)");
  d.reference_temperature_K = t.number("reference_temperature_K", d.reference_temperature_K, positive, "T_ref of D_ref (K)");
  d.prefactor_T_power = t.number("prefactor_T_power", d.prefactor_T_power, Range{-5.0, 5.0},
                                 "n of a (T/T_ref)^n factor on D; a conductivity law sigma ~ T^m exp(...) is n = m + 1 (spec §1.8)");
  t.finish();
  return d;
}

// Spec §7.1: X = chi CEC rho_MMT phi_MMT / kappa, so the fitted quantity chi (fraction of exchange
// sites acting as fixed charge) can be a config key; kappa is the phase's capacity.
void read_active_sites(MapReader& r, physics::PhaseMaterial& m) {
  MapReader a = r.child("active_sites", "fixed charge from the clay's exchange sites instead of fixed_charge_mol_m3 "
                                        "(spec §7.1): X = fraction * exchange_capacity * clay_density * "
                                        "clay_volume_fraction / capacity");
  const auto chi = a.optional_number("fraction", Range{0.0, 1.0}, "chi: fraction of exchange sites that act as fixed charge");
  const double cec = a.number("exchange_capacity_mol_kg", 0.9, positive, "CEC of the clay (mol/kg = meq/g, Na-MMT 0.9)");
  const double rho = a.number("clay_density_kg_m3", 2700.0, positive, "clay density (kg/m3)");
  const double phi = a.number("clay_volume_fraction", 0.43, Range{0.0, 1.0}, "clay volume fraction in the phase");
  a.finish();
  if (!chi || r.documenting()) return;
  const auto& outside = r.context().overridden;
  if (outside.count(r.key_path("fixed_charge_mol_m3"))) return;  // given from outside: it wins
  if (r.has("fixed_charge_mol_m3") && !outside.count(r.key_path("active_sites.fraction")) &&
      !outside.count(r.key_path("active_sites")))
    r.fail_at_key("active_sites", "inconsistent: give fixed_charge_mol_m3 or active_sites.fraction, not both");
  m.fixed_charge_mol_m3 = *chi * cec * rho * phi / m.capacity;
}

physics::PhaseMaterial read_material(MapReader r, physics::PhaseMaterial m, const physics::Electrolyte& e) {
  const auto sigma = r.optional_number("sigma_S_m", non_negative, "bulk conductivity (S/m), with t_plus, instead of D's");
  const auto t_plus = r.optional_number("t_plus", Range{0.0, 1.0}, "Li+ transference number (with sigma_S_m)");
  const auto Dp = r.optional_number("D_plus_m2_s", non_negative, "apparent Li+ diffusivity (m2/s), in-plane for sheets");
  const auto Dm = r.optional_number("D_minus_m2_s", non_negative, "apparent anion diffusivity (m2/s), in-plane for sheets");
  if (!r.documenting()) {
    if (sigma.has_value() != t_plus.has_value())
      r.context().fail(r.node(), r.path(), "sigma_S_m and t_plus go together");
    // A D given from outside the file (--set, --params, a calibration) wins over the file's
    // (sigma_S_m, t_plus); both in the file is a contradiction.
    const auto& outside = r.context().overridden;
    const bool D_from_outside = outside.count(r.key_path("D_plus_m2_s")) || outside.count(r.key_path("D_minus_m2_s"));
    if (sigma && (Dp || Dm) && !D_from_outside)
      r.fail_at_key("sigma_S_m", "inconsistent: give (sigma_S_m, t_plus) or (D_plus_m2_s, D_minus_m2_s), not both");
    if (sigma) {
      const auto d = physics::diffusivities_from_conductivity(*sigma, *t_plus, e.salt_concentration_mol_m3, e.temperature_K);
      m.D_plus_m2_s = d.D_plus_m2_s;
      m.D_minus_m2_s = d.D_minus_m2_s;
    }
    if (Dp) m.D_plus_m2_s = *Dp;
    if (Dm) m.D_minus_m2_s = *Dm;
  }
  const auto D_na = r.optional_number("D_sodium_m2_s", non_negative,
                                      "M-b: apparent Na+ diffusivity (m2/s), in-plane for sheets; default: the phase's "
                                      "D_plus_m2_s (Na+ as mobile as Li+); used only with electrolyte.sodium");
  m.D_sodium_m2_s = D_na.value_or(m.D_plus_m2_s);
  m.li_mobility_factor = r.number("li_mobility_factor", 1.0, Range{0.0, 100.0},
                                  "multiplies D_plus (spec §7.3): beta+ < 1 on clay_shell (M-a, Li+ held at exposed "
                                  "sites of aggregates), f_int > 1 on interface (M-c, thick interphase); 1 = off");
  m.normal_to_inplane_ratio = r.number("normal_to_inplane_ratio", m.normal_to_inplane_ratio, Range{0.0, 1.0},
                                       "D across / D along the sheets (1 = isotropic)");
  m.sheet_normal_axis = r.choice("sheet_normal", {"none", "x", "y", "z"}, m.sheet_normal_axis + 1,
                                 "normal of the sheets of an anisotropic phase") - 1;
  m.fixed_charge_mol_m3 = r.number("fixed_charge_mol_m3", m.fixed_charge_mol_m3, non_negative,
                                   "immobile negative sites X per accessible volume (mol/m3)");
  m.relative_permittivity = r.number("relative_permittivity", m.relative_permittivity, positive, "eps_r");
  m.capacity = r.number("capacity", m.capacity, Range{0.0, 1.0, true, false}, "accessible volume fraction kappa");
  read_active_sites(r, m);
  m.excess_li_sheet_conductance_S = r.number("excess_li_sheet_conductance_S", m.excess_li_sheet_conductance_S, non_negative,
                                             "Sigma+ of internal polymer-MMT interfaces (S, spec §1.1)");
  m.internal_interface_area_1_m = r.number("internal_interface_area_1_m", m.internal_interface_area_1_m, non_negative,
                                           "interface area per volume a_v inside the phase (1/m); wall ~ 9e8");
  m.temperature = read_temperature(r.child("temperature", "temperature dependence of D (spec §1.8)"), m.temperature);
  bool anion_own_law = false;
  const auto anion = read_temperature(
      r.child("anion_temperature", "the anion's D(T) when it differs from `temperature` (same keys; default: that law)",
              &anion_own_law),
      m.temperature);
  if (anion_own_law) m.anion_temperature = anion;
  r.finish();
  return m;
}

ConductivitySpec read_conductivity(MapReader r) {
  ConductivitySpec x;
  x.model = static_cast<Model>(r.choice("model", {"conduction", "electroneutral", "pnp"}, 0,
                                        "transport model: conduction (Ohm per phase), electroneutral Nernst-Planck "
                                        "with fixed charge, or Poisson-Nernst-Planck (resolves double layers)"));
  x.voltage_V = r.number("voltage_V", 0.010, Range{-1.0, 1.0},
                         "model electroneutral/pnp: potential difference of the two gel baths (V)");
  x.wall_surface_charge_C_m2 = r.number("wall_surface_charge_C_m2", 0.0, Range{-1.0, 1.0},
                                        "model pnp: surface charge of non-periodic side walls (C/m2; clay < 0)");
  r.finish();
  return x;
}

ArrheniusSpec read_arrhenius(MapReader r) {
  ArrheniusSpec x;
  const YAML::Node temps = r.raw("temperatures_K", "list of numbers", "temperatures (default 273.15 to 338.15 K by 5 K)");
  if (temps.IsDefined()) {
    if (!temps.IsSequence() || temps.size() < 2) r.context().fail(temps, r.key_path("temperatures_K"), "expected a list of at least two temperatures");
    for (const auto& t : temps) {
      double v = 0.0;
      if (!t.IsScalar() || !YAML::convert<double>::decode(t, v) || !(v > 0.0))
        r.context().fail(t, r.key_path("temperatures_K"), "temperatures must be positive numbers (K)");
      x.temperatures_K.push_back(v);
    }
  } else {
    for (int i = 0; i <= 13; ++i) x.temperatures_K.push_back(273.15 + 5.0 * i);
  }
  r.finish();
  return x;
}

// Li electrode kinetics of a transient experiment: ideal, Butler-Volmer with i0 given, or i0 from a
// measured cell interfacial resistance over an electrode area (spec §4.3, §7.1).
void read_li_kinetics(MapReader& r, double& i0, double& resistance, double& area, const std::string& when) {
  i0 = r.number("exchange_current_density_A_m2", 0.0, non_negative,
                when + "Butler-Volmer exchange current density i0 at c0 of both Li electrodes (A/m2; "
                       "alpha_a = alpha_c = 0.5); 0 and no interfacial_resistance_ohm = ideal reversible Li electrodes");
  resistance = r.number("interfacial_resistance_ohm", 0.0, non_negative,
                        when + "instead of i0: measured interfacial resistance of the cell, both Li interfaces in series "
                               "(ohm; the paper: 326 aligned, 669 pure gel); i0 = 2 V_T / (R A), R_ct = R/2 each");
  area = r.number("electrode_area_m2", 0.0, non_negative,
                  "electrode area of the measured interfacial_resistance_ohm (m2; the paper's cells: 2e-4 assumed)");
  if (r.documenting()) return;
  if (i0 > 0.0 && resistance > 0.0)
    r.fail_at_key("interfacial_resistance_ohm", "inconsistent: give exchange_current_density_A_m2 or "
                                                "interfacial_resistance_ohm, not both");
  if (resistance > 0.0 && !(area > 0.0))
    r.fail_at_key("interfacial_resistance_ohm", "needs electrode_area_m2 > 0 (the area the resistance was measured on)");
  if (area > 0.0 && !(resistance > 0.0))
    r.fail_at_key("electrode_area_m2", "inconsistent: electrode_area_m2 only goes with interfacial_resistance_ohm");
}

BruceVincentSpec read_bruce_vincent(MapReader r) {
  BruceVincentSpec x;
  x.route = static_cast<BruceVincentSpec::Route>(r.choice(
      "route", {"steady", "transient"}, 0,
      "steady = I_0 from the conduction solve, I_s from the steady electroneutral solve (ideal Li electrodes); "
      "transient = potentiostatic step integrated in time (current history, R0, Rs, corrected t+)"));
  x.voltage_V = r.number("voltage_V", 0.010, Range{-1.0, 1.0}, "potential step between the Li electrodes (V)");
  read_li_kinetics(r, x.exchange_current_density_A_m2, x.interfacial_resistance_ohm, x.electrode_area_m2,
                   "route transient: ");
  x.end_time_s = r.number("end_time_s", 0.0, non_negative,
                          "route transient: polarisation time (s); I_s is the current at that time; 0 = run until "
                          "the current is steady (solver criterion, spec §3.8)");
  if (!r.documenting() && x.route == BruceVincentSpec::Route::steady) {
    if (x.exchange_current_density_A_m2 > 0.0)
      r.fail_at_key("exchange_current_density_A_m2",
                    "inconsistent: Butler-Volmer electrodes (exchange current density > 0) need route: transient "
                    "(the steady route has ideal reversible Li electrodes)");
    if (x.interfacial_resistance_ohm > 0.0)
      r.fail_at_key("interfacial_resistance_ohm", "inconsistent: Butler-Volmer electrodes need route: transient");
    if (x.end_time_s > 0.0) r.fail_at_key("end_time_s", "inconsistent: an end time needs route: transient");
  }
  r.finish();
  return x;
}

// A list of positive lengths (m); `fallback` when absent.
std::vector<double> positive_lengths(MapReader& r, const std::string& key, std::vector<double> fallback,
                                     const std::string& doc) {
  const YAML::Node v = r.raw(key, "list of numbers", doc);
  if (!v.IsDefined()) return fallback;
  if (!v.IsSequence() || v.size() == 0) r.context().fail(v, r.key_path(key), "expected a list of lengths in metres");
  std::vector<double> out;
  for (const auto& e : v) {
    double x = 0.0;
    if (!e.IsScalar() || !YAML::convert<double>::decode(e, x) || !(x > 0.0) || !(x < 1.0))
      r.context().fail(e, r.key_path(key), "lengths must be numbers in (0, 1) m");
    out.push_back(x);
  }
  return out;
}

CurrentUniformitySpec read_current_uniformity(MapReader r) {
  CurrentUniformitySpec x;
  x.source = static_cast<CurrentUniformitySpec::Source>(r.choice(
      "source", {"conduction", "electroneutral"}, 0,
      "face currents of the conduction solution at voltage_V, or of the steady electroneutral Nernst-Planck state "
      "of the steady Bruce-Vincent route (ideal Li electrodes, anion blocked: Li+ current only at the faces)"));
  x.voltage_V = r.number("voltage_V", 0.010, Range{0.0, 1.0, true, false},
                         "potential of the low electrode against the high one (V; current flows from low to high)");
  x.window_sizes_m = positive_lengths(r, "window_sizes_m", x.window_sizes_m,
                                      "box-averaging windows w (m; rounded to whole voxels; default 1, 2, 5, 10, 20 um); "
                                      "windows larger than the face are skipped with a note");
  x.plane_distances_m = positive_lengths(r, "plane_distances_m", x.plane_distances_m,
                                         "interior cross-sections at these distances from the low electrode (m; rounded "
                                         "to face planes; default 1, 5, 20 um); planes outside the cell are skipped");
  x.histogram_bins = r.integer("histogram_bins", 64, Range{1, 100000}, "bins of the i_n / i_mean histogram");
  x.exchange_current_density_A_m2 = r.number("exchange_current_density_A_m2", 0.5, positive,
                                             "Li exchange current density i0 of the Wagner number (A/m2, spec §7.1)");
  x.wagner_length_m = r.number("wagner_length_m", 0.0, non_negative,
                               "length l of Wa = sigma_eff (V_T / i0) / l (m); 0 = from the geometry: aligned walls "
                               "spacing_m, clustered platelets 2 cluster_radius_m, Poisson platelets diameter_m, "
                               "otherwise the larger side of the electrode face");
  r.finish();
  return x;
}

FieldsUnderCurrentSpec read_fields_under_current(MapReader r) {
  FieldsUnderCurrentSpec x;
  x.current_density_A_m2 = r.number("current_density_A_m2", 1.0, Range{-1e4, 1e4},
                                    "galvanostatic current density over the full electrode face (A/m2; 1 = the "
                                    "paper's 0.1 mA/cm2), into the cell at the low electrode");
  read_li_kinetics(r, x.exchange_current_density_A_m2, x.interfacial_resistance_ohm, x.electrode_area_m2, "");
  const YAML::Node times = r.raw("snapshot_times_tau", "list of numbers",
                                 "snapshot times in tau_d = L^2 / (pi^2 D_amb,gel) (default [0.1, 1, 10]); "
                                 "equilibrium and steady state are always written");
  if (times.IsDefined()) {
    x.snapshot_times_tau.clear();
    if (!times.IsSequence()) r.context().fail(times, r.key_path("snapshot_times_tau"), "expected a list such as [0.1, 1, 10]");
    for (const auto& t : times) {
      double v = 0.0;
      if (!t.IsScalar() || !YAML::convert<double>::decode(t, v) || !(v > 0.0) ||
          (!x.snapshot_times_tau.empty() && !(v > x.snapshot_times_tau.back())))
        r.context().fail(t, r.key_path("snapshot_times_tau"), "snapshot times must be positive and increasing");
      x.snapshot_times_tau.push_back(v);
    }
  }
  if (!r.documenting() && x.current_density_A_m2 == 0.0)
    r.fail_at_key("current_density_A_m2", "must not be 0 (the equilibrium fields are written anyway)");
  r.finish();
  return x;
}

// Keys of the flat experiment section before one spec per experiment: name where each went.
void reject_moved_experiment_keys(const MapReader& r) {
  static const std::vector<std::pair<std::string, std::string>> moved{
      {"voltage_V", "experiment.bruce_vincent.voltage_V or experiment.conductivity.voltage_V"},
      {"bruce_vincent_route", "experiment.bruce_vincent.route"},
      {"exchange_current_density_A_m2", "experiment.bruce_vincent.exchange_current_density_A_m2"},
      {"end_time_s", "experiment.bruce_vincent.end_time_s"},
      {"wall_surface_charge_C_m2", "experiment.conductivity.wall_surface_charge_C_m2"},
      {"temperatures_K", "experiment.arrhenius.temperatures_K"}};
  for (const auto& [key, to] : moved)
    if (r.has(key)) r.fail_at_key(key, "this key moved to " + to + " (docs/config.md)");
  // IsDefined first: a missing key of a const node is an invalid node, and IsScalar() on it throws.
  const YAML::Node type = r.node().IsMap() ? r.node()["type"] : YAML::Node();
  if (type.IsDefined() && type.IsScalar()) {
    const std::string t = type.Scalar();
    if (t == "none" || t == "tortuosity")
      r.context().fail(type, r.key_path("type"), "'" + t + "' is now 'conductivity' (it always ran the conductivity experiment)");
    if (t == "transference_linear") r.context().fail(type, r.key_path("type"), "'transference_linear' is now 'transference'");
  }
}

ExperimentConfig read_experiment(MapReader r) {
  ExperimentConfig x;
  if (!r.documenting()) reject_moved_experiment_keys(r);
  const auto& names = experiment_names();
  const int type = r.choice("type", names, 0,
                            "virtual experiment run by `ionpath run`; its parameters go in experiment.<type>");
  const YAML::Node axes = r.raw("axes", "list of x, y, z", "driving axes (default: the transport axis)");
  x.axes.clear();  // absent: filled with the transport axis by parse()
  if (axes.IsDefined()) {
    if (!axes.IsSequence() || axes.size() == 0) r.context().fail(axes, r.key_path("axes"), "expected a list such as [x, z]");
    for (const auto& a : axes) {
      const auto it = std::find(axis_names.begin(), axis_names.end(), a.IsScalar() ? a.Scalar() : "");
      if (it == axis_names.end()) r.context().fail(a, r.key_path("axes"), "axis must be x, y or z");
      const int axis = static_cast<int>(it - axis_names.begin());
      if (std::find(x.axes.begin(), x.axes.end(), axis) != x.axes.end())
        r.context().fail(a, r.key_path("axes"), "axis listed twice");
      x.axes.push_back(axis);
    }
  }
  x.accuracy = r.number("accuracy", 1e-6, Range{1e-12, 0.1}, "requested relative accuracy of every sigma_eff");
  x.reference_phase = r.text("reference_phase", "gel", "phase whose bulk conductivity defines sigma_rel and tau");
  x.conduction_solver = static_cast<ExperimentConfig::ConductionSolver>(
      r.choice("conduction_solver", {"auto", "assembled", "matrix_free"}, 0,
               "conduction solves: auto = matrix-free geometric multigrid on large grids, assembled AIJ + GAMG on "
               "small ones (docs/performance.md); or force one"));
  // Exactly the block of the chosen experiment may be present (as for geometry.structure).
  const std::vector<std::string> docs{"parameters of experiment conductivity", "parameters of experiment transference",
                                      "parameters of experiment arrhenius", "parameters of experiment bruce_vincent",
                                      "parameters of experiment current_uniformity",
                                      "parameters of experiment fields_under_current"};
  for (int k = 0; k < static_cast<int>(names.size()); ++k) {
    bool present = false;
    MapReader sub = r.child(names[k], docs[k], &present);
    if (present && k != type && !r.documenting())
      r.fail_at_key(names[k], "inconsistent: experiment.type is '" + names[type] + "'");
    if (k != type && !r.documenting()) continue;
    if (k == 0) x.spec = read_conductivity(sub);
    if (k == 1) { sub.finish(); x.spec = TransferenceSpec{}; }
    if (k == 2) x.spec = read_arrhenius(sub);
    if (k == 3) x.spec = read_bruce_vincent(sub);
    if (k == 4) x.spec = read_current_uniformity(sub);
    if (k == 5) x.spec = read_fields_under_current(sub);
  }
  if (r.documenting()) x.spec = ConductivitySpec{};
  r.finish();
  return x;
}

// pnp must resolve the Debye length (spec §1.4: h <= lambda_D / 5).
void check_model(const RunConfig& c, const MapReader& r) {
  if (experiment_model(c.experiment.spec) != Model::pnp) return;
  const physics::PhaseMaterial& gel = c.phase("gel");
  const double debye = physics::make_scales(c.electrolyte.salt_concentration_mol_m3, c.electrolyte.temperature_K, 1.0,
                                            c.grid.voxel_size_m, gel.relative_permittivity)
                           .debye_length_m();
  if (c.grid.voxel_size_m > debye / 5.0) {
    const YAML::Node grid = r.at("grid");
    const YAML::Node h = grid.IsMap() && grid["voxel_size_m"] ? grid["voxel_size_m"] : grid;
    char msg[320];
    std::snprintf(msg, sizeof msg,
                  "model pnp resolves double layers: needs voxel_size_m <= lambda_D / 5 = %.3g m (Debye length %.3g m from "
                  "the gel's relative_permittivity, c0 and T)",
                  debye / 5.0, debye);
    r.context().fail(h, "grid.voxel_size_m", msg);
  }
}

// In-range values whose combination would make a generator run away fail at their key.
void check_generation_bounds(const RunConfig& c, const MapReader& r) {
  try {
    mesh::check_generation_bounds(c.grid, c.geometry);
  } catch (const mesh::GenerationLimitError& e) {
    YAML::Node at = r.node();
    std::stringstream parts(e.key());
    for (std::string part; std::getline(parts, part, '.');) {  // the key, or its deepest given parent
      const YAML::Node here = at;  // const lookup: never inserts the key
      const YAML::Node next = here.IsMap() ? here[part] : YAML::Node(YAML::NodeType::Undefined);
      if (!next.IsDefined()) break;
      at = next;
    }
    r.context().fail(at, e.key(), e.what());
  }
}

// Volume fractions of MMT and of the electrolyte (gel, pores included) of the nominal
// composition: random platelets are all MMT; dense walls are wall_mmt_volume_fraction MMT.
struct NominalComposition {
  double mmt = 0.0, electrolyte = 1.0;
};
NominalComposition nominal_composition(const mesh::GeometryParams& g, double wall_mmt) {
  if (const auto* p = std::get_if<mesh::RandomPlateletsParams>(&g.structure)) {
    const double f = p->weight_fraction ? mesh::volume_fraction_from_weight(*p->weight_fraction, p->clay_density_kg_m3,
                                                                            p->matrix_density_kg_m3)
                                        : p->volume_fraction.value_or(0.0);
    return {f, 1.0 - f};
  }
  if (const auto* w = std::get_if<mesh::AlignedWallsParams>(&g.structure)) {
    const double f = w->thickness_m ? *w->thickness_m / w->spacing_m : w->target_volume_fraction.value_or(0.152);
    return {wall_mmt * f, 1.0 - f};
  }
  return {};
}

// electrolyte.sodium: the Na+ fraction y of the cations (physics/sodium.hpp) from the released
// fraction of the clay's exchange capacity. Returns the exchanged_fraction node (for errors).
YAML::Node read_sodium(MapReader r, const mesh::GeometryParams& g, physics::Electrolyte& e) {
  const double xi = r.number("exchanged_fraction", 0.0, Range{0.0, 1.0},
                             "fraction xi of the clay's exchange capacity (CEC x clay mass, about 0.12 mol per kg of "
                             "composite at 13.2 wt %) released as mobile Na+; 0 = off (binary electrolyte)");
  const double cec = r.number("cation_exchange_capacity_mol_kg", 0.9, Range{0.8, 1.0}, "CEC of Na-MMT (mol/kg = meq/g)");
  const double rho = r.number("clay_density_kg_m3", 2700.0, Range{2600.0, 2800.0}, "MMT density (kg/m3)");
  const double wall_mmt = r.number("wall_mmt_volume_fraction", 0.43, Range{0.30, 0.45},
                                   "MMT volume fraction of a dense wall (MMT:PEO 63:37 wt, spec §6.1)");
  const YAML::Node node = r.at("exchanged_fraction");
  if (!r.documenting() && xi > 0.0) {
    if (std::holds_alternative<mesh::ImageParams>(g.structure))
      r.fail_at_key("exchanged_fraction", "needs a generated structure (the clay content of an image is not known here)");
    const NominalComposition f = nominal_composition(g, wall_mmt);
    e.sodium_cation_fraction =
        physics::sodium_cation_fraction(xi, cec, rho, f.mmt, e.salt_concentration_mol_m3, f.electrolyte);
    if (e.sodium_cation_fraction >= 1.0)
      r.fail_at_key("exchanged_fraction", "releases more Na+ than the electrolyte holds cations (Na+ fraction >= 1)");
  }
  r.finish();
  return node;
}

// The electroneutral and PNP solvers are binary (Li+, anion) with one material per cell: they
// cannot carry Na+ (M-b) nor the two-material porous wall (M-d).
void check_binary_solvers(const RunConfig& c, const MapReader& r, const YAML::Node& sodium_node) {
  const bool binary_only = experiment_model(c.experiment.spec) != Model::conduction ||
                           std::holds_alternative<BruceVincentSpec>(c.experiment.spec);
  if (!binary_only || r.documenting()) return;
  const std::string why = " is conduction-only: the electroneutral and PNP solvers (experiment bruce_vincent, "
                          "conductivity with model electroneutral or pnp) are binary; use experiment.type transference "
                          "or conductivity with model conduction (docs/mechanisms.md)";
  if (c.electrolyte.sodium_cation_fraction > 0.0)
    r.context().fail(sodium_node, "electrolyte.sodium.exchanged_fraction", "Na+ (M-b)" + why);
  const auto* w = std::get_if<mesh::AlignedWallsParams>(&c.geometry.structure);
  if (w && w->porosity > 0.0) {
    const YAML::Node g = r.at("geometry");
    const YAML::Node node = g.IsMap() && g["aligned_walls"] && g["aligned_walls"]["porosity"] ? g["aligned_walls"]["porosity"] : g;
    r.context().fail(node, "geometry.aligned_walls.porosity", "a porous wall (M-d)" + why);
  }
}

RunConfig parse(const YAML::Node& root, const ParseContext& ctx, YAML::Node resolved) {
  RunConfig c;
  MapReader r(root, "", ctx, resolved);
  c.grid = read_grid(r.child("grid", "the voxel grid"));
  const double seed = r.number("seed", 1.0, Range{0, 9.0e15}, "random seed of every generator (integer)");
  if (seed != std::floor(seed)) ctx.fail(r.at("seed"), "seed", "expected an integer");
  c.geometry = read_geometry(r.child("geometry", "the microstructure"), c.grid);
  c.geometry.seed = static_cast<std::uint64_t>(seed);
  if (!r.documenting()) check_generation_bounds(c, r);
  MapReader e = r.child("electrolyte", "salt and temperature");
  c.electrolyte.salt_concentration_mol_m3 = e.number("salt_concentration_mol_m3", 390.0, positive, "gel salt concentration c0 (mol/m3)");
  c.electrolyte.temperature_K = e.number("temperature_K", physics::reference_temperature_K, positive, "temperature (K)");
  const YAML::Node sodium_node = read_sodium(e.child("sodium", "M-b (spec §7.3): Na+ released by cation exchange of "
                                                               "the clay, a third mobile species blocked at Li"),
                                             c.geometry, c.electrolyte);
  e.finish();

  MapReader phases = r.child("phases", "per-phase transport parameters (gel, wall, clay, interface, void, clay_shell)");
  // Gel first: its defaults (measured pure-CMP sigma, t+) seed the others.
  const auto gel_default = physics::diffusivities_from_conductivity(0.0632, 0.42, c.electrolyte.salt_concentration_mol_m3,
                                                                    c.electrolyte.temperature_K);
  physics::PhaseMaterial gel = read_material(phases.child("gel", "the gel (default sigma 0.0632 S/m, t+ 0.42)"),
                                             default_material("gel", gel_default), c.electrolyte);
  c.phases.push_back(gel);
  const physics::DiffusivityPair gel_D{gel.D_plus_m2_s, gel.D_minus_m2_s};
  for (const std::string name : {"wall", "clay", "interface", "void", "clay_shell"})
    c.phases.push_back(read_material(phases.child(name, "phase '" + name + "'"), default_material(name, gel_D), c.electrolyte));
  phases.finish();

  if (!r.documenting() && r.has("model"))
    r.fail_at_key("model", "this key moved to experiment.conductivity.model (with experiment.type: conductivity)");
  c.experiment = read_experiment(r.child("experiment", "virtual experiment"));
  check_model(c, r);
  check_binary_solvers(c, r, sodium_node);
  if (c.experiment.axes.empty()) c.experiment.axes = {c.geometry.transport_axis};
  MapReader o = r.child("output", "where and what to write");
  c.output.directory = o.text("directory", "out", "output directory (relative to the working directory)");
  c.output.vtk = o.boolean("vtk", true, "write VTK XML image data for ParaView");
  c.output.hdf5 = o.boolean("hdf5", true, "write HDF5 fields with provenance");
  c.output.fields = o.boolean("fields", true, "write solution fields, not only the structure and summary");
  MapReader cp = o.child("checkpoint", "checkpoints of transient experiments (bruce_vincent transient, "
                                       "fields_under_current) for `ionpath run --restart` (docs/cli.md)");
  c.output.checkpoint_every_steps =
      cp.integer("every_steps", 20, {0, 1e9},
                 "restart points every N accepted time steps, the only steps a checkpoint is written at (BDF "
                 "restarts there, so a resumed run takes the same steps as an unbroken one); 0: no checkpoints");
  c.output.checkpoint_every_seconds =
      cp.number("every_seconds", 60.0, {0, 1e9},
                "write a checkpoint at the first restart point this much wall time after the last write (s); "
                "0: at every restart point");
  cp.finish();
  o.finish();
  c.petsc_options = read_petsc_options(r, "PETSc options, e.g. {cond_ksp_type: cg}; command line wins",
                                       &c.petsc_option_locations);
  r.finish();
  return c;
}

// Applies "a.b.c=value" to the YAML tree (value parsed as YAML).
void apply_override(YAML::Node& root, const Override& o, std::map<std::string, std::string>& overridden,
                    const std::string& file) {
  const std::string& text = o.assignment;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(file + ": --set '" + text + "': expected key.path=value");
  const std::string path = text.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    throw ConfigError(file + ": --set " + path + ": value is not valid YAML (" + e.msg + ")");
  }
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = chain.back()[parts[i]];
    if (next.IsDefined() && !next.IsNull() && !next.IsMap())
      throw ConfigError(file + ": --set " + path + ": '" + parts[i] + "' is not a map");
    chain.push_back(next);
  }
  chain.back()[parts.back()] = value;
  overridden[path] = o.origin.empty() ? "with --set " + path + "=..." : o.origin;
}

}  // namespace

const std::vector<std::string>& experiment_names() {
  static const std::vector<std::string> names{"conductivity", "transference", "arrhenius", "bruce_vincent",
                                              "current_uniformity",
                                              "fields_under_current"};
  return names;
}

std::string experiment_name(const ExperimentSpec& spec) { return experiment_names().at(spec.index()); }

Model experiment_model(const ExperimentSpec& spec) {
  const auto* c = std::get_if<ConductivitySpec>(&spec);
  return c ? c->model : Model::conduction;
}

const physics::PhaseMaterial& RunConfig::phase(const std::string& name) const {
  for (const auto& p : phases)
    if (p.name == name) return p;
  throw std::out_of_range("no phase named '" + name + "'");
}

RunConfig load_config(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  std::vector<Override> o;
  for (const auto& text : overrides) o.push_back({text, ""});
  return load_config(file, o);
}

RunConfig load_config(const std::filesystem::path& file, const std::vector<Override>& overrides) {
  ParseContext ctx;
  ctx.file = file.string();
  return detail::load_config_tree(load_yaml_map(ctx, "configuration file"), ctx.file, overrides);
}

RunConfig detail::load_config_tree(YAML::Node root, const std::string& file, const std::vector<std::string>& overrides) {
  std::vector<Override> o;
  for (const auto& text : overrides) o.push_back({text, ""});
  return load_config_tree(root, file, o);
}

RunConfig detail::load_config_tree(YAML::Node root, const std::string& file, const std::vector<Override>& overrides) {
  ParseContext ctx;
  ctx.file = file;
  if (!root.IsMap()) throw ConfigError(ctx.file + ": the configuration must be a YAML map");
  for (const auto& o : overrides) apply_override(root, o, ctx.overridden, ctx.file);
  YAML::Node resolved(YAML::NodeType::Map);
  RunConfig c = parse(root, ctx, resolved);
  c.source = file;
  YAML::Emitter out;
  out << resolved;
  c.resolved_yaml = out.c_str();
  return c;
}

std::map<std::string, detail::KeyDoc> detail::config_key_docs() {
  std::vector<KeyDoc> docs;
  ParseContext ctx;
  ctx.file = "<reference>";
  ctx.docs = &docs;
  parse(YAML::Node(YAML::NodeType::Undefined), ctx, YAML::Node());
  std::map<std::string, KeyDoc> by_path;
  for (auto& d : docs) by_path.emplace(d.path, std::move(d));
  return by_path;
}

std::set<std::string> detail::known_config_keys() {
  std::set<std::string> keys;
  for (const auto& [path, doc] : config_key_docs()) keys.insert(path);
  return keys;
}

std::string config_reference_markdown() {
  std::vector<detail::KeyDoc> docs;
  ParseContext ctx;
  ctx.file = "<reference>";
  ctx.docs = &docs;
  parse(YAML::Node(YAML::NodeType::Undefined), ctx, YAML::Node());
  std::ostringstream md;
  md << "# Configuration reference\n\n"
     << "Generated from the parser (`ionpath config-reference`); a test keeps this file in sync.\n\n"
     << "All values are plain SI numbers. The unit is part of the key name: `_m` metres, `_m2_s` m^2/s,\n"
     << "`_mol_m3` mol/m^3, `_kg_m3` kg/m^3, `_K` kelvin, `_S_m` S/m, `_J_mol` J/mol, `_A_m2` A/m^2,\n"
     << "`_V` volts, `_s` seconds, `_deg` degrees, `_per_m2` 1/m^2, `_mol_kg` mol/kg; keys without a suffix are\n"
     << "dimensionless. A value with a unit (`0.5 um`), an unknown key, a wrong type, a missing required\n"
     << "key, an out-of-range value or an inconsistent combination stops `ionpath` before any work with\n"
     << "`file:line:column: key 'path': message` and exit status 2. `--set key.path=value` overrides a\n"
     << "key from the command line (the value is YAML).\n\n"
     << "| key | type | default | range | meaning |\n|---|---|---|---|---|\n";
  for (const auto& d : docs)
    md << "| `" << d.path << "` | " << d.type << " | " << d.default_value << " | " << d.range << " | " << d.doc << " |\n";
  return md.str();
}

}  // namespace ionpath::io
