/* Special pairs — 1-2, 1-3, 1-4 partners along bonds — with LJ and Coulomb scaled by
 * their factors, at the nearest image only (as LAMMPS treats them; farther images
 * interact in full in the cluster kernel). Taken straight from the topology, so they
 * need no neighbour list. The Coulomb removal (1 - f) q q / r holds for every
 * special pair, since the reciprocal-space sum contains it whole. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "accum.h"
#include "nonbonded.h"
#include "pair_functions.h"
#include "units.h"

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
  const int n = s->n, nt = p->ntypes;
  const double cut_lj2 = p->cut_lj * p->cut_lj, cut_coul2 = p->cut_coul * p->cut_coul;
  vf_pair_sums part[fb->nthreads];
  memset(part, 0, sizeof part);
#pragma omp parallel num_threads(fb->nthreads)
  {
    const int tid = omp_get_thread_num();
    double *f = vf_forcebuf_thread(fb, tid);
    double *fx = f, *fy = f + n, *fz = f + 2 * n;
    vf_pair_sums *mine = &part[tid];
#pragma omp for schedule(static)
    for (int k = 0; k < sp->n; k++) {
      const int i = sp->i[k], j = sp->j[k], order = sp->order[k];
      double d[3] = {s->x[i] - s->x[j], s->y[i] - s->y[j], s->z[i] - s->z[j]};
      vf_box_minimum_image(&s->box, d);
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      double fr = 0, frl, frc;
      if (r2 < cut_lj2) {
        const double factor = p->special_lj[order];
        mine->e_lj += factor * vf_lennard_jones(p, s->type[i] * nt + s->type[j], r2, &frl);
        frl *= factor;
        vf_virial_radial(mine->v_lj, d[0], d[1], d[2], frl);
        fr += w_lj * frl;
      }
      if (r2 < cut_coul2) {
        mine->e_coul += vf_coulomb_long(VF_QQR2E * s->q[i] * s->q[j], r2, p->g_ewald,
                                        p->special_coul[order], p->lammps_erfc, &frc);
        vf_virial_radial(mine->v_coul, d[0], d[1], d[2], frc);
        fr += w_coul * frc;
      }
      fx[i] += d[0] * fr; fy[i] += d[1] * fr; fz[i] += d[2] * fr;
      fx[j] -= d[0] * fr; fy[j] -= d[1] * fr; fz[j] -= d[2] * fr;
    }
  }
  for (int t = 0; t < fb->nthreads; t++) vf_pair_sums_add(sums, &part[t]);
}
