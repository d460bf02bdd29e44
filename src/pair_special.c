/* Special pairs — 1-2, 1-3, 1-4 partners along bonds — with LJ and Coulomb scaled by
 * their factors, at the nearest image only (as LAMMPS treats them; farther images
 * interact in full in the cluster kernel). Taken straight from the topology, so they
 * need no neighbour list. The Coulomb removal (1 - f) q q / r holds for every
 * special pair, since the reciprocal-space sum contains it whole. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "nonbonded.h"
#include "pair_cluster.h"
#include "simd.h"

void vf_special_pairs_free(vf_special_pairs *sp) {
  free(sp->i);
  free(sp->j);
  free(sp->order);
  memset(sp, 0, sizeof *sp);
}

int vf_special_pairs_build(vf_special_pairs *sp, const vf_pair_params *p, const vf_system *s) {
  vf_special_pairs_free(sp);
  const vf_topology *t = &s->topo;
  if (t->special_n != s->n) return 0;
  const int total = t->special_start[s->n];
  sp->i = malloc(sizeof(int) * (size_t)(total ? total : 1));
  sp->j = malloc(sizeof(int) * (size_t)(total ? total : 1));
  sp->order = malloc((size_t)(total ? total : 1));
  if (!sp->i || !sp->j || !sp->order) {
    vf_special_pairs_free(sp);
    return -1;
  }
  for (int i = 0; i < s->n; i++)
    for (int k = t->special_start[i]; k < t->special_start[i + 1]; k++) {
      const int j = t->special_atom[k];
      if (j <= i) continue;
      const int lj = p->has_lj[s->type[i] * p->ntypes + s->type[j]];
      if (!lj && s->q[i] * s->q[j] == 0.0) continue;
      sp->i[sp->n] = i;
      sp->j[sp->n] = j;
      sp->order[sp->n] = t->special_order[k];
      sp->n++;
    }
  return 0;
}

void vf_special_compute(const vf_pair_params *p, const vf_special_pairs *sp, const vf_system *s,
                        double w_lj, double w_coul, vf_forcebuf *fb, vf_pair_sums *sums) {
  const int n = s->n;
  vf_pair_sums part[fb->nthreads];
  memset(part, 0, sizeof part);
#pragma omp parallel num_threads(fb->nthreads)
  {
    const int tid = omp_get_thread_num(), nt = omp_get_num_threads();
    double *f = vf_forcebuf_thread(fb, tid);
    /* equal shares in list order, whole vectors except the last */
    const int nvec = (sp->n + VF_MAX_W - 1) / VF_MAX_W;
    const int k0 = (int)((long)nvec * tid / nt) * VF_MAX_W;
    const int k1 = (int)((long)nvec * (tid + 1) / nt) * VF_MAX_W;
    VF_WIDEST(special_range)(p, sp, s, w_lj, w_coul, k0, k1 < sp->n ? k1 : sp->n, f, f + n,
                             f + 2 * n, &part[tid]);
  }
  for (int t = 0; t < fb->nthreads; t++) vf_pair_sums_add(sums, &part[t]);
}
