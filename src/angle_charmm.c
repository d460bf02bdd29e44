/* angle charmm: E = K (theta - theta0)^2 + K_ub (r13 - r_ub)^2,
 * coeffs K theta0(degrees) K_ub r_ub; r13 is the distance between the end atoms.
 * The bend is evaluated here; the Urey–Bradley term is a harmonic bond between the
 * end atoms (bond_harmonic.c), on its own list of the angles that have one. */
#include <math.h>

#include "bonded.h"
#include "units.h"

/* Below this sin(theta) the bending force direction is ill-defined (it diverges as
 * 1/sin theta times a vanishing vector); as LAMMPS does, sin theta is floored there so
 * near-linear angles get finite forces and a linear one gets none. */
#define MIN_SIN_THETA 1e-3

/* Angles are taken a block at a time, in phases: gather the arms (scalar loads),
 * nearest images and the geometry (straight-line arithmetic on arrays, which the compiler
 * vectorises: the divisions and square roots go two at a time), acos (library calls,
 * kept out of the arithmetic loops so nothing is spilled around them), the forces
 * (vectorised again), and finally the scatter into the force arrays. */
#define BLOCK 32

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

void vf_angle_charmm_bend_params(const double *coeff, double *out) {
  out[0] = coeff[0];
  out[1] = coeff[1] * (VF_PI / 180.0);
}

void vf_angle_charmm_urey_bradley_params(const double *coeff, double *out) {
  out[0] = coeff[2];
  out[1] = coeff[3];
}

/* Entries are atoms 1, 2 (apex), 3. The arms d1 = r1 - r2 and d3 = r3 - r2 are taken
 * by nearest image. */
VF_CLONES
void vf_angle_charmm_kernel(const vf_system *s, const vf_bonded_entries *l, const double *param,
                            int begin, int end, double *f, double *energy, double virial[6]) {
  const double *restrict x = s->x, *restrict y = s->y, *restrict z = s->z;
  double *restrict fx = f, *restrict fy = f + s->n, *restrict fz = f + 2 * s->n;
  double e_sum = 0.0, v[6] = {0};
  for (int b0 = begin; b0 < end; b0 += BLOCK) {
    const int nb = end - b0 < BLOCK ? end - b0 : BLOCK;
    const int *atom = l->atom + 3 * b0;
    /* arms, constants */
    double d1x[BLOCK], d1y[BLOCK], d1z[BLOCK], d3x[BLOCK], d3y[BLOCK], d3z[BLOCK];
    double k[BLOCK], theta0[BLOCK];
    for (int b = 0; b < nb; b++) {
      const int i1 = atom[3 * b], i2 = atom[3 * b + 1], i3 = atom[3 * b + 2];
      d1x[b] = x[i1] - x[i2];
      d1y[b] = y[i1] - y[i2];
      d1z[b] = z[i1] - z[i2];
      d3x[b] = x[i3] - x[i2];
      d3y[b] = y[i3] - y[i2];
      d3z[b] = z[i3] - z[i2];
      const double *p = param + VF_BONDED_PARAM_STRIDE * l->type[b0 + b];
      k[b] = p[0];
      theta0[b] = p[1];
    }
    vf_bonded_minimum_image(&s->box, nb, d1x, d1y, d1z);
    vf_bonded_minimum_image(&s->box, nb, d3x, d3y, d3z);
    /* cos theta; 1/(r1 r3), 1/r1^2, 1/r3^2 (0 for a zero-length arm) */
    double c[BLOCK], inv_r13[BLOCK], inv_r1_sq[BLOCK], inv_r3_sq[BLOCK];
    for (int b = 0; b < nb; b++) {
      const double r1_sq = d1x[b] * d1x[b] + d1y[b] * d1y[b] + d1z[b] * d1z[b];
      const double r3_sq = d3x[b] * d3x[b] + d3y[b] * d3y[b] + d3z[b] * d3z[b];
      const double dot = d1x[b] * d3x[b] + d1y[b] * d3y[b] + d1z[b] * d3z[b];
      const double prod = r1_sq * r3_sq;
      /* 1/sqrt(prod), or 0 when prod = 0, written as arithmetic (a branch here, or a
       * select the compiler turns into one, would stop the vectorisation) */
      const double ok = prod > 0.0;
      const double inv = ok / sqrt(prod + (1.0 - ok));
      inv_r13[b] = inv;
      inv_r1_sq[b] = inv * inv * r3_sq;
      inv_r3_sq[b] = inv * inv * r1_sq;
      double cb = dot * inv;
      cb = cb > 1.0 ? 1.0 : cb;
      c[b] = cb < -1.0 ? -1.0 : cb;
    }
    double theta[BLOCK];
    for (int b = 0; b < nb; b++) theta[b] = acos(c[b]);
    /* energy and forces on the end atoms */
    double e[BLOCK], f1x[BLOCK], f1y[BLOCK], f1z[BLOCK], f3x[BLOCK], f3y[BLOCK], f3z[BLOCK];
    for (int b = 0; b < nb; b++) {
      const double dtheta = theta[b] - theta0[b];
      const double sin_sq = 1.0 - c[b] * c[b];
      const double sin_theta = sqrt(sin_sq > MIN_SIN_THETA * MIN_SIN_THETA
                                        ? sin_sq : MIN_SIN_THETA * MIN_SIN_THETA);
      e[b] = k[b] * dtheta * dtheta;
      /* dE/dcos = 2 K dtheta dtheta/dcos = -2 K dtheta / sin theta; f = -dE/dcos dcos/dr. */
      const double g = 2.0 * k[b] * dtheta / sin_theta;
      const double g13 = g * inv_r13[b], g1 = g * c[b] * inv_r1_sq[b], g3 = g * c[b] * inv_r3_sq[b];
      f1x[b] = g13 * d3x[b] - g1 * d1x[b];
      f1y[b] = g13 * d3y[b] - g1 * d1y[b];
      f1z[b] = g13 * d3z[b] - g1 * d1z[b];
      f3x[b] = g13 * d1x[b] - g3 * d3x[b];
      f3y[b] = g13 * d1y[b] - g3 * d3y[b];
      f3z[b] = g13 * d1z[b] - g3 * d3z[b];
    }
    for (int b = 0; b < nb; b++) {
      const int i1 = atom[3 * b], i2 = atom[3 * b + 1], i3 = atom[3 * b + 2];
      e_sum += e[b];
      fx[i1] += f1x[b];
      fy[i1] += f1y[b];
      fz[i1] += f1z[b];
      fx[i2] -= f1x[b] + f3x[b];
      fy[i2] -= f1y[b] + f3y[b];
      fz[i2] -= f1z[b] + f3z[b];
      fx[i3] += f3x[b];
      fy[i3] += f3y[b];
      fz[i3] += f3z[b];
      vf_virial_pair(v, d1x[b], d1y[b], d1z[b], f1x[b], f1y[b], f1z[b]);
      vf_virial_pair(v, d3x[b], d3y[b], d3z[b], f3x[b], f3y[b], f3z[b]);
    }
  }
  *energy += e_sum;
  for (int m = 0; m < 6; m++) virial[m] += v[m];
}
