/* angle charmm: E = K (theta - theta0)^2 + K_ub (r13 - r_ub)^2,
 * coeffs K theta0(degrees) K_ub r_ub; r13 is the distance between the end atoms. */
#include <math.h>

#include "bonded.h"
#include "units.h"

/* Below this sin(theta) the bending force direction is ill-defined (it diverges as
 * 1/sin theta times a vanishing vector); as LAMMPS does, sin theta is floored there so
 * near-linear angles get finite forces and a linear one gets none. */
#define MIN_SIN_THETA 1e-3

static double dot3(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Bending energy of the angle between d1 = r1 - r2 and d3 = r3 - r2; adds its forces
 * on atoms 1 and 3 to f1, f3. */
static double bend(const double d1[3], const double d3[3], double k, double theta0, double f1[3],
                   double f3[3]) {
  const double r1_sq = dot3(d1, d1), r3_sq = dot3(d3, d3);
  const double inv_r1_sq = r1_sq > 0.0 ? 1.0 / r1_sq : 0.0;
  const double inv_r3_sq = r3_sq > 0.0 ? 1.0 / r3_sq : 0.0;
  const double inv_r13 = sqrt(inv_r1_sq * inv_r3_sq);
  double c = dot3(d1, d3) * inv_r13;
  if (c > 1.0) c = 1.0;
  if (c < -1.0) c = -1.0;
  double sin_theta = sqrt(1.0 - c * c);
  if (sin_theta < MIN_SIN_THETA) sin_theta = MIN_SIN_THETA;
  const double dtheta = acos(c) - theta0;
  /* dE/dcos = 2 K dtheta dtheta/dcos = -2 K dtheta / sin theta; f = -dE/dcos dcos/dr. */
  const double a = 2.0 * k * dtheta / sin_theta;
  for (int m = 0; m < 3; m++) {
    f1[m] += a * (d3[m] * inv_r13 - c * d1[m] * inv_r1_sq);
    f3[m] += a * (d1[m] * inv_r13 - c * d3[m] * inv_r3_sq);
  }
  return k * dtheta * dtheta;
}

/* Urey-Bradley energy of the 1-3 distance, d13 = r3 - r1; adds its forces. */
static double urey_bradley(const double d13[3], double k_ub, double r_ub, double f1[3],
                           double f3[3]) {
  const double r = sqrt(dot3(d13, d13));
  const double dr = r - r_ub;
  const double a = r > 0.0 ? -2.0 * k_ub * dr / r : 0.0;
  for (int m = 0; m < 3; m++) {
    f3[m] += a * d13[m];
    f1[m] -= a * d13[m];
  }
  return k_ub * dr * dr;
}

static int check_values(const double *c, int type, vf_error *err) {
  if (!isfinite(c[0]) || !isfinite(c[2]))
    return vf_fail(err, "angle type %d: charmm K and K_ub must be finite", type + 1);
  if (!(c[1] >= 0.0 && c[1] <= 180.0))
    return vf_fail(err, "angle type %d: charmm θ0 = %g must be in 0..180 degrees", type + 1, c[1]);
  if (!(c[3] >= 0.0 && isfinite(c[3])))
    return vf_fail(err, "angle type %d: charmm r_ub = %g must be a distance >= 0", type + 1, c[3]);
  return 0;
}

int vf_angle_charmm_check(const vf_system *s, vf_error *err) {
  return vf_topology_check(&s->topo, VF_ANGLES, s->n, "charmm", 4, "K θ0 K_ub r_ub", check_values, err);
}

void vf_angle_charmm_compute(const vf_system *s, vf_accum *out) {
  const vf_bonded_list *l = &s->topo.list[VF_ANGLES];
  double energy = 0.0, virial[6] = {0};
  for (int e = 0; e < l->n; e++) {
    const double *c = vf_topology_coeff(&s->topo, VF_ANGLES, l->type[e]);
    const double k = c[0], theta0 = c[1] * (VF_PI / 180.0), k_ub = c[2], r_ub = c[3];
    if (k == 0.0 && k_ub == 0.0) continue;
    const int i1 = l->atom[3 * e], i2 = l->atom[3 * e + 1], i3 = l->atom[3 * e + 2];
    /* Both arms from the apex by nearest image; the 1-3 vector is chained from them. */
    double d1[3] = {s->x[i1] - s->x[i2], s->y[i1] - s->y[i2], s->z[i1] - s->z[i2]};
    double d3[3] = {s->x[i3] - s->x[i2], s->y[i3] - s->y[i2], s->z[i3] - s->z[i2]};
    vf_box_minimum_image(&s->box, d1);
    vf_box_minimum_image(&s->box, d3);
    const double d13[3] = {d3[0] - d1[0], d3[1] - d1[1], d3[2] - d1[2]};
    double f1[3] = {0}, f3[3] = {0};
    if (k != 0.0) energy += bend(d1, d3, k, theta0, f1, f3);
    if (k_ub != 0.0) energy += urey_bradley(d13, k_ub, r_ub, f1, f3);
    out->fx[i1] += f1[0];
    out->fy[i1] += f1[1];
    out->fz[i1] += f1[2];
    out->fx[i2] -= f1[0] + f3[0];
    out->fy[i2] -= f1[1] + f3[1];
    out->fz[i2] -= f1[2] + f3[2];
    out->fx[i3] += f3[0];
    out->fy[i3] += f3[1];
    out->fz[i3] += f3[2];
    vf_virial_pair(virial, d1[0], d1[1], d1[2], f1[0], f1[1], f1[2]);
    vf_virial_pair(virial, d3[0], d3[1], d3[2], f3[0], f3[1], f3[2]);
  }
  out->energy += energy;
  for (int m = 0; m < 6; m++) out->virial[m] += virial[m];
}
