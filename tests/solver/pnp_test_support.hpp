#pragma once
// Shared helpers of the PNP solver tests: per-cell coefficient fields over the owned box.
#include <mpi.h>

#include <vector>

#include "solver/grid/domain.hpp"
#include "solver/pnp/pnp.hpp"

namespace pnp_test {

namespace solver = ionpath::solver;
namespace mesh = ionpath::mesh;

struct Fields {
  std::vector<double> Dp, Dm, eps, X, u;  ///< 3, 3, 1, 1, 3 per owned cell
  [[nodiscard]] solver::PnpInput input(double Lambda2) const {
    solver::PnpInput in;
    in.D_plus = Dp;
    in.D_minus = Dm;
    in.permittivity = eps;
    in.X = X;
    in.Lambda2 = Lambda2;
    return in;
  }
};

/// Isotropic D+, D-, unit permittivity and X = X_of(i, j, k) over the owned box.
template <typename XOf>
Fields fields(const solver::Domain& d, double Dp, double Dm, XOf&& X_of) {
  Fields f;
  const mesh::Box& b = d.owned();
  for (int k = b.lo[2]; k < b.hi[2]; ++k)
    for (int j = b.lo[1]; j < b.hi[1]; ++j)
      for (int i = b.lo[0]; i < b.hi[0]; ++i) {
        for (int a = 0; a < 3; ++a) {
          f.Dp.push_back(Dp);
          f.Dm.push_back(Dm);
        }
        f.eps.push_back(1.0);
        f.X.push_back(X_of(i, j, k));
      }
  return f;
}

inline solver::DomainOptions three_dof(MPI_Comm comm = MPI_COMM_NULL,
                                       mesh::SideWalls sides = mesh::SideWalls::zero_flux, int axis = 2) {
  solver::DomainOptions o;
  o.dof = 3;
  o.side_walls = sides;
  o.transport_axis = axis;
  o.comm = comm;
  o.field_names = {"log_c_plus", "log_c_minus", "psi"};
  return o;
}

/// Value of an owned-cell array at global cell (i, j, k), summed from its owner.
inline double at_cell(const solver::Domain& d, const std::vector<double>& v, int i, int j, int k) {
  double x = d.owned().contains(i, j, k) ? v[d.owned().offset(i, j, k)] : 0.0;
  MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_DOUBLE, MPI_SUM, d.comm());
  return x;
}

inline solver::PnpFace reservoir(double psi, double c = 1.0) {
  return {solver::PnpFaceKind::reservoir, 0.0, psi, c, c};
}
inline solver::PnpFace wall(double surface_charge = 0.0) {
  return {solver::PnpFaceKind::charged_wall, surface_charge, 0.0, 1.0, 1.0};
}
inline solver::PnpFace electrode(double psi) { return {solver::PnpFaceKind::electrode, 0.0, psi, 1.0, 1.0}; }

}  // namespace pnp_test
