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

/* K, d, n. */
void vf_improper_cvff_params(const double *coeff, double *out) {
  out[0] = coeff[0];
  out[1] = coeff[1];
  out[2] = coeff[2];
}

VF_CLONES
void vf_improper_cvff_kernel(const vf_system *s, const vf_bonded_entries *l,
                             const double *param, int begin, int end, double *f,
                             double *energy, double virial[6]) {
  double *restrict fx = f, *restrict fy = f + s->n, *restrict fz = f + 2 * s->n;
  double e_sum = 0.0, v[6] = {0};
  vf_dihedral_block g;
  for (int b0 = begin; b0 < end; b0 += VF_DIHEDRAL_BLOCK) {
    const int nb = end - b0 < VF_DIHEDRAL_BLOCK ? end - b0 : VF_DIHEDRAL_BLOCK;
    const int *atom = l->atom + 4 * b0;
    vf_dihedral_gather(s, atom, nb, &g);
    vf_dihedral_geometry(&g);
    double de_dphi[VF_DIHEDRAL_BLOCK];
    for (int k = 0; k < nb; k++) {
      const double *p = param + VF_BONDED_PARAM_STRIDE * l->type[b0 + k];
      const double kk = p[0], d = p[1];
      const int n = (int)p[2];
      double cos_nphi, sin_nphi;
      vf_dihedral_multiple(g.cos_phi[k], g.sin_phi[k], n, &cos_nphi, &sin_nphi);
      e_sum += kk * (1.0 + d * cos_nphi);
      de_dphi[k] = -kk * d * n * sin_nphi;
    }
    vf_dihedral_scatter(&g, de_dphi, atom, fx, fy, fz, v);
  }
  *energy += e_sum;
  for (int m = 0; m < 6; m++) virial[m] += v[m];
}
