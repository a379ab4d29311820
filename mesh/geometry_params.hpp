#pragma once
/// Plain parameter structs for the microstructure generators. Filled by io/ from YAML (SI units,
/// unit in the member name), consumed by mesh/ generators. Defaults follow spec/physics.md §6.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mesh/phase.hpp"

namespace ionpath::mesh {

/// Side walls of the box. periodic: the structure is periodic along every axis (objects and the
/// interface shell wrap across all six faces, the electrode faces too), so one structure serves
/// every measuring axis; zero_flux: nothing wraps.
enum class SideWalls { zero_flux, periodic };

struct PureGelParams {};

/// Ice-templated VAMMT walls: continuous along z (y in 2D), normal to x by default, whatever the
/// transport axis.
struct AlignedWallsParams {
  double spacing_m = 20e-6;            ///< mean wall period lambda
  double spacing_spread = 0.10;        ///< relative std. dev. of the spacing (jitter)
  std::optional<double> thickness_m = 3e-6;  ///< wall thickness; if unset, derived from target_volume_fraction
  std::optional<double> target_volume_fraction;  ///< wall volume fraction (used when thickness unset)
  double waviness_amplitude_m = 0.0;   ///< sinusoidal displacement of the wall mid-plane
  double waviness_wavelength_m = 50e-6;
  double tilt_deg = 0.0;               ///< tilt of the walls from the transport axis
  double domain_size_m = 0.0;          ///< in-plane Voronoi domains of random wall orientation; 0 = off
  double bridges_per_m2 = 0.0;         ///< bridges between neighbouring walls per wall area
  double bridge_thickness_m = 1e-6;
  /// M-d (spec §6.1, §7.3): gel-filled porosity p_w of the walls. thickness_m / volume_fraction
  /// describe the dense wall (fixed clay content); the drawn wall is thicker by 1 / (1 - p_w).
  double porosity = 0.0;
};

enum class PlateletShape { disc, rectangle };
enum class OrientationKind { isotropic, aligned, order_parameter };
enum class PlacementKind { poisson, clustered };

/// Random MMT platelets / tactoids (CMP/MMT composite).
struct RandomPlateletsParams {
  PlateletShape shape = PlateletShape::disc;
  double diameter_m = 6e-6;
  double thickness_m = 0.5e-6;
  /// Either volume_fraction, or weight_fraction with the two densities (converted, reported).
  std::optional<double> volume_fraction;
  std::optional<double> weight_fraction;
  double clay_density_kg_m3 = 2700.0;
  double matrix_density_kg_m3 = 1250.0;
  OrientationKind orientation = OrientationKind::isotropic;
  double order_parameter = 0.0;        ///< <P2(cos theta)> of the normals vs the alignment axis
  int alignment_axis = 2;              ///< axis the normals align with (aligned / order_parameter)
  bool allow_overlap = true;
  PlacementKind placement = PlacementKind::clustered;
  double children_per_cluster = 20.0;  ///< Thomas process mean children per parent
  double cluster_radius_m = 5e-6;      ///< Gaussian spread r_c of children around the parent
  double fraction_tolerance = 1e-3;    ///< relative tolerance on the voxel-counted fraction
};

/// Segmented image import; labels are mapped to phases by label_map.
enum class ImageFormat { raw, tiff, hdf5 };
enum class RawDtype { uint8, uint16 };
struct ImageParams {
  ImageFormat format = ImageFormat::raw;
  std::string path;
  RawDtype dtype = RawDtype::uint8;    ///< raw only
  bool big_endian = false;             ///< raw only
  bool x_fastest = true;               ///< raw only: false = z fastest (C order of [x][y][z])
  std::string dataset = "/labels";     ///< hdf5 only
  std::vector<std::pair<int, std::string>> label_map;  ///< image value -> phase name
  std::string label_map_name = "geometry.image.labels";  ///< where the user gave the map (for errors)
};

/// Gel voxels within thickness_m (exact Euclidean distance) of wall/clay become `interface`.
struct InterfaceShellParams {
  double thickness_m = 0.0;  ///< 0 = no shell
};

/// M-a `gel_near_clay` (spec §7.3): gel voxels within thickness_m of a `clay` voxel
/// (the dispersed aggregates; never `wall`) become `clay_shell`, where Li+ is held at exposed
/// exchange sites (phases.clay_shell.li_mobility_factor = beta+ < 1).
struct ClayShellParams {
  double thickness_m = 0.0;  ///< 0 = off
};

using StructureParams = std::variant<PureGelParams, AlignedWallsParams, RandomPlateletsParams, ImageParams>;

struct GeometryParams {
  StructureParams structure = PureGelParams{};
  InterfaceShellParams shell{};
  ClayShellParams clay_shell{};
  SideWalls side_walls = SideWalls::zero_flux;
  int transport_axis = 2;  ///< electrode axis of the run; the generators do not read it
  std::uint64_t seed = 1;
};

/// spec §6.1: phi = (w/rho_c) / (w/rho_c + (1-w)/rho_m).
[[nodiscard]] inline double volume_fraction_from_weight(double w, double rho_clay, double rho_matrix) noexcept {
  const double vc = w / rho_clay;
  return vc / (vc + (1.0 - w) / rho_matrix);
}

}  // namespace ionpath::mesh
