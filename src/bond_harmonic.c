/* bond harmonic: E = K (r - r0)^2, coeffs K r0 (no factor 1/2, as in LAMMPS). */
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

void vf_bond_harmonic_compute(const vf_system *s, vf_accum *out) {
  const vf_bonded_list *l = &s->topo.list[VF_BONDS];
  double energy = 0.0, virial[6] = {0};
  for (int e = 0; e < l->n; e++) {
    const double *c = vf_topology_coeff(&s->topo, VF_BONDS, l->type[e]);
    const double k = c[0], r0 = c[1];
    if (k == 0.0) continue;
    const int i = l->atom[2 * e], j = l->atom[2 * e + 1];
    double d[3] = {s->x[i] - s->x[j], s->y[i] - s->y[j], s->z[i] - s->z[j]};
    vf_box_minimum_image(&s->box, d);
    const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    const double dr = r - r0;
    energy += k * dr * dr;
    /* Force on i is -dE/dr d/r; coincident atoms have no direction, so no force. */
    const double a = r > 0.0 ? -2.0 * k * dr / r : 0.0;
    const double f[3] = {a * d[0], a * d[1], a * d[2]};
    out->fx[i] += f[0];
    out->fy[i] += f[1];
    out->fz[i] += f[2];
    out->fx[j] -= f[0];
    out->fy[j] -= f[1];
    out->fz[j] -= f[2];
    vf_virial_pair(virial, d[0], d[1], d[2], f[0], f[1], f[2]);
  }
  out->energy += energy;
  for (int m = 0; m < 6; m++) out->virial[m] += virial[m];
}
