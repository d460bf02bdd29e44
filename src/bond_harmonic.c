/* bond harmonic: E = K (r - r0)^2, coeffs K r0 (no factor 1/2, as in LAMMPS). The
 * same kernel evaluates the Urey–Bradley 1-3 term of charmm angles. */
#include <math.h>

#include "bonded.h"

static int check_values(const double *c, int type, vf_error *err) {
  if (!isfinite(c[0])) return vf_fail(err, "bond type %d: harmonic K is not finite", type + 1);
  if (!(c[1] >= 0.0 && isfinite(c[1])))
    return vf_fail(err, "bond type %d: harmonic r0 = %g must be a distance >= 0", type + 1, c[1]);
  return 0;
}

int vf_bond_harmonic_check(const vf_system *s, vf_error *err) {
  return vf_topology_check(&s->topo, VF_BONDS, s->n, "harmonic", 2, "K r0", check_values, err);
}

void vf_bond_harmonic_params(const double *coeff, double *out) {
  out[0] = coeff[0];
  out[1] = coeff[1];
}

/* A block at a time: gather the displacements (scalar loads), then nearest images
 * and the arithmetic on arrays (vectorised: square roots and divisions two at a
 * time), then the scatter into the force arrays. */
#define BLOCK 64

VF_CLONES
void vf_bond_harmonic_kernel(const vf_system *s, const vf_bonded_entries *l, const double *param,
                             int begin, int end, double *f, double *energy, double virial[6]) {
  const double *restrict x = s->x, *restrict y = s->y, *restrict z = s->z;
  double *restrict fx = f, *restrict fy = f + s->n, *restrict fz = f + 2 * s->n;
  double e_sum = 0.0, v[6] = {0};
  for (int b0 = begin; b0 < end; b0 += BLOCK) {
    const int nb = end - b0 < BLOCK ? end - b0 : BLOCK;
    const int *atom = l->atom + 2 * b0;
    double dx[BLOCK], dy[BLOCK], dz[BLOCK], k[BLOCK], r0[BLOCK];
    for (int b = 0; b < nb; b++) {
      const int i = atom[2 * b], j = atom[2 * b + 1];
      dx[b] = x[i] - x[j];
      dy[b] = y[i] - y[j];
      dz[b] = z[i] - z[j];
      const double *p = param + VF_BONDED_PARAM_STRIDE * l->type[b0 + b];
      k[b] = p[0];
      r0[b] = p[1];
    }
    vf_bonded_minimum_image(&s->box, nb, dx, dy, dz);
    /* E = K (r - r0)^2; the force on i is a d with a = -2 K (r - r0) / r, and 0 for
     * coincident atoms, which have no direction (as arithmetic: see angle_charmm.c). */
    double e[BLOCK], a[BLOCK];
    for (int b = 0; b < nb; b++) {
      const double r_sq = dx[b] * dx[b] + dy[b] * dy[b] + dz[b] * dz[b];
      const double r = sqrt(r_sq);
      const double dr = r - r0[b];
      const double ok = r_sq > 0.0;
      e[b] = k[b] * dr * dr;
      a[b] = -2.0 * k[b] * dr * ok / (r + (1.0 - ok));
    }
    for (int b = 0; b < nb; b++) {
      const int i = atom[2 * b], j = atom[2 * b + 1];
      const double fi[3] = {a[b] * dx[b], a[b] * dy[b], a[b] * dz[b]};
      e_sum += e[b];
      fx[i] += fi[0];
      fy[i] += fi[1];
      fz[i] += fi[2];
      fx[j] -= fi[0];
      fy[j] -= fi[1];
      fz[j] -= fi[2];
      vf_virial_radial(v, dx[b], dy[b], dz[b], a[b]);
    }
  }
  *energy += e_sum;
  for (int m = 0; m < 6; m++) virial[m] += v[m];
}
