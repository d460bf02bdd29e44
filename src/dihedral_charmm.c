/* dihedral charmm: E = K [1 + cos(n phi - d)], coeffs K n d(integer degrees) w.
 * w is the 1-4 pair weight; only w = 0 (no 1-4 pair term) is supported. */
#include <math.h>

#include "bonded.h"
#include "dihedral_geometry.h"
#include "units.h"

typedef struct charmm_type {
  double k, cos_d, sin_d;
  int n;
} charmm_type;

static charmm_type charmm_type_of(const double *coeff) {
  const double d = coeff[2] * (VF_PI / 180.0);
  return (charmm_type){coeff[0], cos(d), sin(d), (int)coeff[1]};
}

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

void vf_dihedral_charmm_compute(const vf_system *s, vf_accum *out) {
  const vf_bonded_list *l = &s->topo.list[VF_DIHEDRALS];
  /* cos d and sin d per type, once per call; rare types beyond the cache are
   * converted per entry. */
  enum { CACHED_TYPES = 128 };
  charmm_type cache[CACHED_TYPES];
  const int ncached = s->topo.coeff[VF_DIHEDRALS].ntypes < CACHED_TYPES
                          ? s->topo.coeff[VF_DIHEDRALS].ntypes
                          : CACHED_TYPES;
  for (int t = 0; t < ncached; t++)
    cache[t] = charmm_type_of(vf_topology_coeff(&s->topo, VF_DIHEDRALS, t));

  double energy = 0.0, virial[6] = {0};
  for (int e = 0; e < l->n; e++) {
    const int t = l->type[e];
    const charmm_type p =
        t < ncached ? cache[t] : charmm_type_of(vf_topology_coeff(&s->topo, VF_DIHEDRALS, t));
    if (p.k == 0.0) continue;
    const int *atom = l->atom + 4 * e;
    vf_dihedral_geometry g;
    vf_dihedral_geometry_of(s, atom, &g);
    double cos_nphi, sin_nphi;
    vf_dihedral_multiple(g.cos_phi, g.sin_phi, p.n, &cos_nphi, &sin_nphi);
    /* cos(n phi - d) and its phi-derivative -n sin(n phi - d). */
    const double cos_shifted = cos_nphi * p.cos_d + sin_nphi * p.sin_d;
    const double sin_shifted = sin_nphi * p.cos_d - cos_nphi * p.sin_d;
    energy += p.k * (1.0 + cos_shifted);
    vf_dihedral_apply(&g, -p.k * p.n * sin_shifted, atom, out, virial);
  }
  out->energy += energy;
  for (int c = 0; c < 6; c++) out->virial[c] += virial[c];
}
