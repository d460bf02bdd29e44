/* Morse pairs: the repulsive core of the non-bonded Zn–N coordination bond. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "accum.h"
#include "clusters.h"
#include "nonbonded.h"
#include "pair_cluster.h"
#include "simd.h"

/* Energy of one pair at r² (scaled by factor); *fr = -dE/dr / r. */
static inline double morse_pair(const vf_pair_params *p, int pair, double r2, double factor,
                                double *fr) {
  const double r = sqrt(r2);
  const double d0 = p->morse_d0[pair], alpha = p->morse_alpha[pair];
  const double x = exp(-alpha * (r - p->morse_r0[pair]));
  *fr = factor * 2.0 * d0 * alpha * (x * x - x) / r;
  return factor * d0 * (x * x - 2.0 * x);
}

void vf_morse_compute(const vf_pair_params *p, const vf_neighbor *nb, const vf_system *s,
                      vf_forcebuf *fb, vf_pair_sums *sums) {
  const int n = s->n, nt = p->ntypes;
  const double cut2 = p->cut_morse * p->cut_morse;
  const int *owner = nb->owner;
  vf_pair_sums part[fb->nthreads];
  memset(part, 0, sizeof part);

#pragma omp parallel num_threads(fb->nthreads)
  {
    const int tid = omp_get_thread_num();
    double *f = vf_forcebuf_thread(fb, tid);
    double *fx = f, *fy = f + n, *fz = f + 2 * n;
    double energy = 0, v[6] = {0};
#pragma omp for schedule(static, VF_PAIR_CHUNK)
    for (int i = 0; i < n; i++) {
      const double xi = nb->xe[i], yi = nb->ye[i], zi = nb->ze[i];
      const int row = s->type[i] * nt;
      double fxi = 0, fyi = 0, fzi = 0;
      for (int k = nb->morse.start[i]; k < nb->morse.start[i + 1]; k++) {
        const int e = nb->morse.j[k], j = owner[e];
        const double dx = xi - nb->xe[e], dy = yi - nb->ye[e], dz = zi - nb->ze[e];
        const double r2 = dx * dx + dy * dy + dz * dz;
        if (r2 >= cut2) continue;
        double fr;
        energy += morse_pair(p, row + s->type[j], r2, p->special_lj[nb->morse.order[k]], &fr);
        vf_virial_radial(v, dx, dy, dz, fr);
        fxi += dx * fr; fyi += dy * fr; fzi += dz * fr;
        fx[j] -= dx * fr; fy[j] -= dy * fr; fz[j] -= dz * fr;
      }
      fx[i] += fxi;
      fy[i] += fyi;
      fz[i] += fzi;
    }
    part[tid].e_morse = energy;
    memcpy(part[tid].v_morse, v, sizeof v);
  }
  for (int t = 0; t < fb->nthreads; t++) vf_pair_sums_add(sums, &part[t]);
}

void vf_morse_cluster_compute(const vf_pair_params *p, const vf_cluster_list *cl,
                              const vf_system *s, vf_forcebuf *fb, vf_pair_sums *sums) {
  const int n = s->n;
  vf_pair_sums part[fb->nthreads];
  memset(part, 0, sizeof part);
#pragma omp parallel num_threads(fb->nthreads)
  {
    const int tid = omp_get_thread_num(), nt = omp_get_num_threads();
    double *f = vf_forcebuf_thread(fb, tid);
    /* equal shares in list order, whole vectors except the last */
    const int nvec = (cl->nmorse_near + VF_MAX_W - 1) / VF_MAX_W;
    const int k0 = (int)((long)nvec * tid / nt) * VF_MAX_W;
    const int k1 = (int)((long)nvec * (tid + 1) / nt) * VF_MAX_W;
    VF_WIDEST(morse_range)(p, cl, s, k0, k1 < cl->nmorse_near ? k1 : cl->nmorse_near, f, f + n,
                           f + 2 * n, &part[tid].e_morse, part[tid].v_morse);
  }
  for (int t = 0; t < fb->nthreads; t++) vf_pair_sums_add(sums, &part[t]);
}
