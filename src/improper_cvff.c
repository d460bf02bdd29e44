/* improper cvff: E = K [1 + d cos(n phi)], coeffs K d(+1 or -1) n(0..6), phi being the
 * dihedral angle of the improper's atoms in their listed order (as in LAMMPS). */
#include <math.h>

#include "bonded.h"
#include "dihedral_geometry.h"

static int check_values(const double *c, int type, vf_error *err) {
  if (!isfinite(c[0])) return vf_fail(err, "improper type %d: cvff K is not finite", type + 1);
  if (c[1] != 1.0 && c[1] != -1.0)
    return vf_fail(err, "improper type %d: cvff d = %g must be +1 or -1", type + 1, c[1]);
  if (!(c[2] >= 0 && c[2] <= 6 && c[2] == nearbyint(c[2])))
    return vf_fail(err, "improper type %d: cvff n = %g must be an integer in 0..6", type + 1, c[2]);
  return 0;
}

int vf_improper_cvff_check(const vf_system *s, vf_error *err) {
  return vf_topology_check(&s->topo, VF_IMPROPERS, s->n, "cvff", 3, "K d n", check_values, err);
}

void vf_improper_cvff_compute(const vf_system *s, vf_accum *out) {
  const vf_bonded_list *l = &s->topo.list[VF_IMPROPERS];
  double energy = 0.0, virial[6] = {0};
  for (int e = 0; e < l->n; e++) {
    const double *c = vf_topology_coeff(&s->topo, VF_IMPROPERS, l->type[e]);
    const double k = c[0], d = c[1];
    const int n = (int)c[2];
    if (k == 0.0) continue;
    const int *atom = l->atom + 4 * e;
    vf_dihedral_geometry g;
    vf_dihedral_geometry_of(s, atom, &g);
    double cos_nphi, sin_nphi;
    vf_dihedral_multiple(g.cos_phi, g.sin_phi, n, &cos_nphi, &sin_nphi);
    energy += k * (1.0 + d * cos_nphi);
    vf_dihedral_apply(&g, -k * d * n * sin_nphi, atom, out, virial);
  }
  out->energy += energy;
  for (int m = 0; m < 6; m++) out->virial[m] += virial[m];
}
