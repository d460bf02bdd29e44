/* dihedral charmm: E = K [1 + cos(n phi - d)], coeffs K n d(integer degrees) w.
 * w is the 1-4 pair weight; only w = 0 (no 1-4 pair term) is supported. */
#include <math.h>

#include "bonded.h"
#include "dihedral_geometry.h"
#include "units.h"

static int is_integer(double v) { return isfinite(v) && v == nearbyint(v); }

static int check_values(const double *c, int type, vf_error *err) {
  if (!isfinite(c[0])) return vf_fail(err, "dihedral type %d: charmm K is not finite", type + 1);
  if (!is_integer(c[1]) || c[1] < 0 || c[1] > 1000)
    return vf_fail(err, "dihedral type %d: charmm n = %g must be an integer in 0..1000", type + 1,
                   c[1]);
  if (!is_integer(c[2]))
    return vf_fail(err, "dihedral type %d: charmm d = %g must be an integer (degrees)", type + 1,
                   c[2]);
  if (c[3] != 0.0)
    return vf_fail(err,
                   "dihedral type %d: charmm 1-4 weight w = %g is not supported (only w = 0; "
                   "1-4 pairs belong to special_bonds)",
                   type + 1, c[3]);
  return 0;
}

int vf_dihedral_charmm_check(const vf_system *s, vf_error *err) {
  return vf_topology_check(&s->topo, VF_DIHEDRALS, s->n, "charmm", 4, "K n d w", check_values, err);
}

/* K, n, cos d, sin d. */
void vf_dihedral_charmm_params(const double *coeff, double *out) {
  const double d = coeff[2] * (VF_PI / 180.0);
  out[0] = coeff[0];
  out[1] = coeff[1];
  out[2] = cos(d);
  out[3] = sin(d);
}

VF_CLONES
void vf_dihedral_charmm_kernel(const vf_system *s, const vf_bonded_entries *l,
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
      const double kk = p[0], cos_d = p[2], sin_d = p[3];
      const int n = (int)p[1];
      double cos_nphi, sin_nphi;
      vf_dihedral_multiple(g.cos_phi[k], g.sin_phi[k], n, &cos_nphi, &sin_nphi);
      /* cos(n phi - d) and its phi-derivative -n sin(n phi - d). */
      const double cos_shifted = cos_nphi * cos_d + sin_nphi * sin_d;
      const double sin_shifted = sin_nphi * cos_d - cos_nphi * sin_d;
      e_sum += kk * (1.0 + cos_shifted);
      de_dphi[k] = -kk * n * sin_shifted;
    }
    vf_dihedral_scatter(&g, de_dphi, atom, fx, fy, fz, v);
  }
  *energy += e_sum;
  for (int c = 0; c < 6; c++) virial[c] += v[c];
}
