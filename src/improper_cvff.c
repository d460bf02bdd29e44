/* improper cvff: E = K [1 + d cos(n phi)], coeffs K d(+1 or -1) n(0..6), phi being the
 * dihedral angle of the improper's atoms in their listed order (as in LAMMPS). */
#include <math.h>

#include "bonded.h"
#include "dihedral_geometry.h"

int vf_improper_cvff_check(const vf_system *s, vf_error *err) {
  const vf_bonded_list *l = &s->topo.list[VF_IMPROPERS];
  const vf_coeff_table *table = &s->topo.coeff[VF_IMPROPERS];
  for (int e = 0; e < l->n; e++) {
    const int t = l->type[e];
    if (t < 0 || t >= table->ntypes)
      return vf_fail(err, "improper %d: type %d is not one of the %d improper types", e + 1, t + 1,
                     table->ntypes);
    for (int m = 0; m < 4; m++)
      if (l->atom[4 * e + m] < 0 || l->atom[4 * e + m] >= s->n)
        return vf_fail(err, "improper %d: atom %d is not one of the %d atoms", e + 1,
                       l->atom[4 * e + m] + 1, s->n);
    if (table->count[t] != 3)
      return vf_fail(err, "improper type %d: cvff needs 3 coefficients (K d n), found %d", t + 1,
                     table->count[t]);
    const double *c = vf_topology_coeff(&s->topo, VF_IMPROPERS, t);
    if (!isfinite(c[0])) return vf_fail(err, "improper type %d: cvff K is not finite", t + 1);
    if (c[1] != 1.0 && c[1] != -1.0)
      return vf_fail(err, "improper type %d: cvff d = %g must be +1 or -1", t + 1, c[1]);
    if (!(c[2] >= 0 && c[2] <= 6 && c[2] == nearbyint(c[2])))
      return vf_fail(err, "improper type %d: cvff n = %g must be an integer in 0..6", t + 1, c[2]);
  }
  return 0;
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
