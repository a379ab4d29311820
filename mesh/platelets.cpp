// Random MMT platelets (spec §6.3): a deterministic object sequence (Poisson or Thomas-clustered
// centres, isotropic / aligned / Watson normals, optional rejection of overlaps) and its exact
// rasterisation into a block.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <unordered_map>

#include "mesh/random.hpp"
#include "mesh/rasterisers.hpp"

namespace ionpath::mesh::detail {
namespace {

using Vec3 = std::array<double, 3>;
constexpr std::uint64_t stream_centre = 21, stream_parent = 22, stream_child = 23, stream_orient = 24;

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 normalised(Vec3 v) {
  const double n = std::sqrt(dot(v, v));
  return {v[0] / n, v[1] / n, v[2] / n};
}

// Orientation weight and observable of the Watson-type distribution: 3D in x = cos(theta) on
// [-1, 1] (uniform measure), 2D in the angle a on [0, pi).
struct OrientationTable {
  std::vector<double> x, cdf;
};
OrientationTable tabulate(double k, int dimension) {
  constexpr int n = 4096;
  OrientationTable t;
  t.x.resize(n + 1);
  t.cdf.resize(n + 1);
  const double lo = dimension == 3 ? -1.0 : 0.0, hi = dimension == 3 ? 1.0 : std::numbers::pi;
  double acc = 0.0, prev = 0.0;
  for (int i = 0; i <= n; ++i) {
    t.x[i] = lo + (hi - lo) * i / n;
    const double c = dimension == 3 ? t.x[i] : std::cos(t.x[i]);
    const double f = std::exp(k * (c * c - (k > 0.0 ? 1.0 : 0.0)));  // peak value 1: no overflow
    if (i > 0) acc += 0.5 * (f + prev) * (hi - lo) / n;
    t.cdf[i] = acc;
    prev = f;
  }
  for (double& c : t.cdf) c /= acc;
  return t;
}
double order_of(double k, int dimension) {
  const auto t = tabulate(k, dimension);
  double s = 0.0;
  for (std::size_t i = 1; i < t.x.size(); ++i) {
    const double xm = 0.5 * (t.x[i] + t.x[i - 1]);
    const double c = dimension == 3 ? xm : std::cos(xm);
    const double obs = dimension == 3 ? 1.5 * c * c - 0.5 : 2.0 * c * c - 1.0;
    s += obs * (t.cdf[i] - t.cdf[i - 1]);
  }
  return s;
}
double sample(const OrientationTable& t, double u) {
  const auto it = std::lower_bound(t.cdf.begin(), t.cdf.end(), u);
  const auto i = static_cast<std::size_t>(std::max<std::ptrdiff_t>(1, it - t.cdf.begin()));
  const double w = (u - t.cdf[i - 1]) / std::max(1e-300, t.cdf[i] - t.cdf[i - 1]);
  return t.x[i - 1] + w * (t.x[i] - t.x[i - 1]);
}

class Orienter {
 public:
  Orienter(const RandomPlateletsParams& p, int dimension) : p_(p), dim_(dimension) {
    if (p.orientation == OrientationKind::order_parameter)
      table_ = tabulate(watson_concentration(p.order_parameter, dimension), dimension);
  }
  Vec3 normal(CounterRng& rng) const {
    const int ax = p_.alignment_axis;
    if (p_.orientation == OrientationKind::aligned) return unit(ax);
    if (dim_ == 2) {  // normals in the x-y plane at angle a from the alignment axis
      const double a = p_.orientation == OrientationKind::isotropic ? std::numbers::pi * rng.uniform()
                                                                    : sample(table_, rng.uniform());
      const int other = ax == 0 ? 1 : 0;
      Vec3 n{0, 0, 0};
      n[ax] = std::cos(a);
      n[other] = std::sin(a);
      return n;
    }
    const double c = p_.orientation == OrientationKind::isotropic ? 2.0 * rng.uniform() - 1.0
                                                                  : sample(table_, rng.uniform());
    const double s = std::sqrt(std::max(0.0, 1.0 - c * c)), phi = 2.0 * std::numbers::pi * rng.uniform();
    Vec3 n{0, 0, 0};
    n[ax] = c;
    n[(ax + 1) % 3] = s * std::cos(phi);
    n[(ax + 2) % 3] = s * std::sin(phi);
    return n;
  }

 private:
  static Vec3 unit(int a) {
    Vec3 v{0, 0, 0};
    v[a] = 1.0;
    return v;
  }
  RandomPlateletsParams p_;
  int dim_;
  OrientationTable table_;
};

Platelet make_platelet(const Vec3& centre, const Vec3& n, int dimension, CounterRng& rng) {
  Platelet p;
  p.centre = centre;
  p.normal = normalised(n);
  if (dimension == 2) {
    p.e1 = {-p.normal[1], p.normal[0], 0.0};
    p.e2 = {0.0, 0.0, 1.0};
    return p;
  }
  const Vec3 helper = std::abs(p.normal[0]) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
  const Vec3 u = normalised(cross(p.normal, helper));
  const Vec3 v = cross(p.normal, u);
  const double spin = 2.0 * std::numbers::pi * rng.uniform();  // random in-plane rotation of rectangles
  for (int a = 0; a < 3; ++a) {
    p.e1[a] = std::cos(spin) * u[a] + std::sin(spin) * v[a];
    p.e2[a] = -std::sin(spin) * u[a] + std::cos(spin) * v[a];
  }
  return p;
}

// Half extents of the object's axis-aligned bounding box.
Vec3 half_extent(const Platelet& p, const RandomPlateletsParams& prm, int dimension) {
  const double r = 0.5 * prm.diameter_m, t = 0.5 * prm.thickness_m;
  Vec3 e{};
  for (int a = 0; a < 3; ++a) {
    if (dimension == 2 || prm.shape == PlateletShape::rectangle)
      e[a] = r * std::abs(p.e1[a]) + (dimension == 2 ? 0.0 : r * std::abs(p.e2[a])) + t * std::abs(p.normal[a]);
    else
      e[a] = r * std::sqrt(std::max(0.0, 1.0 - p.normal[a] * p.normal[a])) + t * std::abs(p.normal[a]);
  }
  if (dimension == 2) e[2] = 0.0;
  return e;
}

bool inside(const Platelet& p, const RandomPlateletsParams& prm, int dimension, const Vec3& d) {
  const double r = 0.5 * prm.diameter_m;
  if (std::abs(dot(d, p.normal)) > 0.5 * prm.thickness_m) return false;
  const double a1 = dot(d, p.e1);
  if (dimension == 2) return std::abs(a1) <= r;
  const double a2 = dot(d, p.e2);
  if (prm.shape == PlateletShape::rectangle) return std::abs(a1) <= r && std::abs(a2) <= r;
  return a1 * a1 + a2 * a2 <= r * r;
}

// Separating-axis test of the two objects' oriented boxes: exact for rectangles, conservative
// (may reject touching-but-disjoint pairs) for discs.
bool boxes_overlap(const Platelet& a, const Platelet& b, const RandomPlateletsParams& prm, const Vec3& d) {
  const double r = 0.5 * prm.diameter_m, t = 0.5 * prm.thickness_m;
  const std::array<Vec3, 3> A{a.e1, a.e2, a.normal}, B{b.e1, b.e2, b.normal};
  const Vec3 ext{r, r, t};
  auto separated = [&](const Vec3& L) {
    const double len = dot(L, L);
    if (len < 1e-20) return false;
    double ra = 0.0, rb = 0.0;
    for (int i = 0; i < 3; ++i) {
      ra += ext[i] * std::abs(dot(A[i], L));
      rb += ext[i] * std::abs(dot(B[i], L));
    }
    return std::abs(dot(d, L)) > ra + rb;
  };
  for (int i = 0; i < 3; ++i)
    if (separated(A[i]) || separated(B[i])) return false;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (separated(cross(A[i], B[j]))) return false;
  return true;
}

Vec3 wrapped_difference(const Grid& g, const GeometryParams& params, const Vec3& a, const Vec3& b) {
  Vec3 d{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  for (int ax = 0; ax < 3; ++ax)
    if (wraps(params, ax)) d[ax] = std::remainder(d[ax], g.length_m(ax));
  return d;
}

}  // namespace

double watson_concentration(double S, int dimension) {
  if (std::abs(S) < 1e-12) return 0.0;
  const double hi_S = 0.999, lo_S = dimension == 3 ? -0.4995 : -0.999;
  if (S >= hi_S || S <= lo_S) throw std::invalid_argument("order_parameter out of the reachable range");
  double lo = -2000.0, hi = 2000.0;  // <P2> increases monotonically with k
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (order_of(mid, dimension) < S ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<Platelet> platelet_sequence(const Grid& grid, const GeometryParams& params, std::size_t n) {
  const auto& prm = std::get<RandomPlateletsParams>(params.structure);
  const int dim = grid.dimension();
  const Orienter orienter(prm, dim);
  const Vec3 L{grid.length_m(0), grid.length_m(1), grid.length_m(2)};
  std::vector<Platelet> accepted;
  accepted.reserve(n);
  // Spatial hash of accepted centres (overlap rejection only); cells of one diameter.
  const double cell = std::max(prm.diameter_m, grid.voxel_size_m);
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> hash;
  auto key = [&](const Vec3& c, int dx, int dy, int dz) {
    std::array<long, 3> q{static_cast<long>(std::floor(c[0] / cell)) + dx, static_cast<long>(std::floor(c[1] / cell)) + dy,
                          static_cast<long>(std::floor(c[2] / cell)) + dz};
    for (int a = 0; a < 3; ++a) {
      const long nq = std::max(1L, static_cast<long>(std::ceil(L[a] / cell)));
      if (wraps(params, a)) q[a] = ((q[a] % nq) + nq) % nq;
    }
    return (static_cast<std::uint64_t>(q[0] + (1L << 20)) << 42) ^ (static_cast<std::uint64_t>(q[1] + (1L << 20)) << 21) ^
           static_cast<std::uint64_t>(q[2] + (1L << 20));
  };

  std::uint64_t parent = 0, child = 0, candidate = 0;
  int children_left = -1;
  Vec3 parent_centre{};
  const std::uint64_t max_candidates = 200 * static_cast<std::uint64_t>(n) + 1000;
  while (accepted.size() < n && candidate < max_candidates) {
    Vec3 c{};
    if (prm.placement == PlacementKind::poisson) {
      CounterRng rng(params.seed, stream_centre, candidate);
      for (int a = 0; a < 3; ++a) c[a] = rng.uniform() * L[a];
    } else {
      while (children_left <= 0) {
        CounterRng rng(params.seed, stream_parent, parent++);
        for (int a = 0; a < 3; ++a) parent_centre[a] = rng.uniform() * L[a];
        children_left = rng.poisson(prm.children_per_cluster);
        child = 0;
      }
      CounterRng rng(params.seed, stream_child, ((parent - 1) << 24) + child++);
      --children_left;
      for (int a = 0; a < 3; ++a) {
        c[a] = parent_centre[a] + prm.cluster_radius_m * rng.normal();
        if (wraps(params, a)) c[a] -= L[a] * std::floor(c[a] / L[a]);
      }
    }
    if (dim == 2) c[2] = 0.5 * grid.voxel_size_m;
    CounterRng orng(params.seed, stream_orient, candidate++);
    Platelet p = make_platelet(c, orienter.normal(orng), dim, orng);
    if (!prm.allow_overlap) {
      bool clash = false;
      const int reach = static_cast<int>(std::ceil(prm.diameter_m / cell));
      for (int dx = -reach; dx <= reach && !clash; ++dx)
        for (int dy = -reach; dy <= reach && !clash; ++dy)
          for (int dz = (dim == 3 ? -reach : 0); dz <= (dim == 3 ? reach : 0) && !clash; ++dz) {
            const auto it = hash.find(key(c, dx, dy, dz));
            if (it == hash.end()) continue;
            for (const std::uint32_t o : it->second)
              if (boxes_overlap(p, accepted[o], prm, wrapped_difference(grid, params, c, accepted[o].centre))) {
                clash = true;
                break;
              }
          }
      if (clash) continue;
      hash[key(c, 0, 0, 0)].push_back(static_cast<std::uint32_t>(accepted.size()));
    }
    accepted.push_back(p);
  }
  if (accepted.size() < n)
    throw std::runtime_error("random platelets: could not place " + std::to_string(n) +
                             " non-overlapping objects (jammed after " + std::to_string(candidate) +
                             " candidates); lower the fraction or allow overlap");
  return accepted;
}

void rasterise_platelets(const Grid& grid, const GeometryParams& params, const std::vector<Platelet>& objects,
                         const Box& box, std::vector<std::uint32_t>& first_object) {
  const auto& prm = std::get<RandomPlateletsParams>(params.structure);
  const int dim = grid.dimension();
  const double h = grid.voxel_size_m;
  first_object.assign(box.n_cells(), std::numeric_limits<std::uint32_t>::max());
  for (std::size_t o = 0; o < objects.size(); ++o) {
    const Platelet& p = objects[o];
    const Vec3 ext = half_extent(p, prm, dim);
    // Periodic images that can reach the box.
    std::array<std::array<double, 3>, 3> shifts{};
    std::array<int, 3> n_shift{1, 1, 1};
    for (int a = 0; a < 3; ++a) {
      shifts[a][0] = 0.0;
      if (!wraps(params, a)) continue;
      shifts[a][n_shift[a]++] = grid.length_m(a);
      shifts[a][n_shift[a]++] = -grid.length_m(a);
    }
    for (int sx = 0; sx < n_shift[0]; ++sx)
      for (int sy = 0; sy < n_shift[1]; ++sy)
        for (int sz = 0; sz < n_shift[2]; ++sz) {
          const Vec3 c{p.centre[0] + shifts[0][sx], p.centre[1] + shifts[1][sy], p.centre[2] + shifts[2][sz]};
          std::array<int, 3> lo{}, hi{};
          bool empty = false;
          for (int a = 0; a < 3; ++a) {
            lo[a] = std::max(box.lo[a], static_cast<int>(std::floor((c[a] - ext[a]) / h - 0.5)));
            hi[a] = std::min(box.hi[a], static_cast<int>(std::ceil((c[a] + ext[a]) / h - 0.5)) + 1);
            if (dim == 2 && a == 2) lo[a] = box.lo[2], hi[a] = box.hi[2];
            empty = empty || lo[a] >= hi[a];
          }
          if (empty) continue;
          for (int k = lo[2]; k < hi[2]; ++k)
            for (int j = lo[1]; j < hi[1]; ++j)
              for (int i = lo[0]; i < hi[0]; ++i) {
                const Vec3 d{centre_m(i, h) - c[0], centre_m(j, h) - c[1], dim == 3 ? centre_m(k, h) - c[2] : 0.0};
                if (!inside(p, prm, dim, d)) continue;
                auto& f = first_object[box.offset(i, j, k)];
                f = std::min<std::uint32_t>(f, static_cast<std::uint32_t>(o));
              }
        }
  }
}

OrientationStats orientation_stats(const Grid& grid, const GeometryParams& params,
                                   const std::vector<Platelet>& objects) {
  const auto& prm = std::get<RandomPlateletsParams>(params.structure);
  OrientationStats s;
  s.n_objects = objects.size();
  if (objects.empty()) return s;
  std::array<std::array<double, 3>, 3> Q{};
  double p2 = 0.0;
  const int dim = grid.dimension();
  for (const auto& o : objects) {
    const double c = o.normal[prm.alignment_axis];
    p2 += dim == 3 ? 1.5 * c * c - 0.5 : 2.0 * c * c - 1.0;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) Q[a][b] += 1.5 * o.normal[a] * o.normal[b] - (a == b ? 0.5 : 0.0);
  }
  s.mean_P2 = p2 / static_cast<double>(objects.size());
  for (auto& row : Q)
    for (double& q : row) q /= static_cast<double>(objects.size());
  // Jacobi eigenvalues of the symmetric 3x3 order tensor.
  for (int sweep = 0; sweep < 50; ++sweep)
    for (int p = 0; p < 2; ++p)
      for (int q = p + 1; q < 3; ++q) {
        if (std::abs(Q[p][q]) < 1e-15) continue;
        const double theta = 0.5 * std::atan2(2.0 * Q[p][q], Q[q][q] - Q[p][p]);
        const double c = std::cos(theta), sn = std::sin(theta);
        for (int k = 0; k < 3; ++k) {  // Q <- J^T Q J
          const double qkp = Q[k][p], qkq = Q[k][q];
          Q[k][p] = c * qkp - sn * qkq;
          Q[k][q] = sn * qkp + c * qkq;
        }
        for (int k = 0; k < 3; ++k) {
          const double qpk = Q[p][k], qqk = Q[q][k];
          Q[p][k] = c * qpk - sn * qqk;
          Q[q][k] = sn * qpk + c * qqk;
        }
      }
  s.order_eigenvalues = {Q[0][0], Q[1][1], Q[2][2]};
  std::sort(s.order_eigenvalues.rbegin(), s.order_eigenvalues.rend());

  // Aggregation index: mean nearest-neighbour distance over its value for uniform random centres.
  if (objects.size() >= 2) {
    const double volume = grid.length_m(0) * grid.length_m(1) * (dim == 3 ? grid.length_m(2) : 1.0);
    const double density = static_cast<double>(objects.size()) / volume;
    const double poisson_nn = dim == 3 ? 0.55396 * std::cbrt(1.0 / density) : 0.5 / std::sqrt(density);
    const double cell = std::max(poisson_nn, grid.voxel_size_m);
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> bins;
    auto bin_of = [&](const Vec3& c, int dx, int dy, int dz) {
      return (static_cast<std::uint64_t>(std::floor(c[0] / cell) + dx + (1L << 20)) << 42) ^
             (static_cast<std::uint64_t>(std::floor(c[1] / cell) + dy + (1L << 20)) << 21) ^
             static_cast<std::uint64_t>(std::floor(c[2] / cell) + dz + (1L << 20));
    };
    for (std::uint32_t i = 0; i < objects.size(); ++i) bins[bin_of(objects[i].centre, 0, 0, 0)].push_back(i);
    double sum = 0.0;
    for (std::uint32_t i = 0; i < objects.size(); ++i) {
      double best = std::numeric_limits<double>::infinity();
      // Grow the search shell until a neighbour is found, then search one more shell (corners).
      for (int r = 1, last = 64; r <= last; ++r) {
        if (std::isfinite(best) && last == 64) last = r;
        for (int dx = -r; dx <= r; ++dx)
          for (int dy = -r; dy <= r; ++dy)
            for (int dz = (dim == 3 ? -r : 0); dz <= (dim == 3 ? r : 0); ++dz) {
              const auto it = bins.find(bin_of(objects[i].centre, dx, dy, dz));
              if (it == bins.end()) continue;
              for (const std::uint32_t j : it->second) {
                if (j == i) continue;
                const Vec3 d = wrapped_difference(grid, params, objects[i].centre, objects[j].centre);
                best = std::min(best, std::sqrt(dot(d, d)));
              }
            }
      }
      if (std::isfinite(best)) sum += best;
    }
    s.aggregation_index = sum / static_cast<double>(objects.size()) / poisson_nn;
  }
  return s;
}

}  // namespace ionpath::mesh::detail
