/* LJ 12-6 and the real-space part of Ewald Coulomb, in one pass over the pairs
 * because both need every pair's distance. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "accum.h"
#include "pair_functions.h"
#include "nonbonded.h"
#include "units.h"

void vf_lj_coul_long_compute(const vf_pair_params *p, const vf_neighbor *nb, const vf_system *s,
                             double w_lj, double w_coul, vf_forcebuf *fb, vf_pair_sums *sums) {
  const int n = s->n, nt = p->ntypes;
  const double cut_lj2 = p->cut_lj * p->cut_lj, cut_coul2 = p->cut_coul * p->cut_coul;
  const double g = p->g_ewald;
  const int lammps = p->lammps_erfc;
  const double *xe = nb->xe, *ye = nb->ye, *ze = nb->ze;
  const int *owner = nb->owner;
  /* Per-thread partial sums, added in thread order so results are reproducible. */
  vf_pair_sums part[fb->nthreads];
  memset(part, 0, sizeof part);

#pragma omp parallel num_threads(fb->nthreads)
  {
    const int tid = omp_get_thread_num();
    double *f = vf_forcebuf_thread(fb, tid);
    double *fx = f, *fy = f + n, *fz = f + 2 * n;
    double e_lj = 0, e_coul = 0, v_lj[6] = {0}, v_coul[6] = {0};
#pragma omp for schedule(static, VF_PAIR_CHUNK)
    for (int i = 0; i < n; i++) {
      const double xi = xe[i], yi = ye[i], zi = ze[i];
      const double qi = VF_QQR2E * s->q[i];
      const int row = s->type[i] * nt;
      double fxi = 0, fyi = 0, fzi = 0;

      /* Plain pairs: full strength. */
      for (int k = nb->plain.start[i]; k < nb->plain.start[i + 1]; k++) {
        const int e = nb->plain.j[k], j = owner[e];
        const double dx = xi - xe[e], dy = yi - ye[e], dz = zi - ze[e];
        const double r2 = dx * dx + dy * dy + dz * dz;
        double fr = 0, frl = 0, frc = 0;
        if (r2 < cut_lj2) {
          e_lj += vf_lennard_jones(p, row + s->type[j], r2, &frl);
          vf_virial_radial(v_lj, dx, dy, dz, frl);
          fr += w_lj * frl;
        }
        if (r2 < cut_coul2) {
          e_coul += vf_coulomb_long(qi * s->q[j], r2, g, 1.0, lammps, &frc);
          vf_virial_radial(v_coul, dx, dy, dz, frc);
          fr += w_coul * frc;
        }
        fxi += dx * fr; fyi += dy * fr; fzi += dz * fr;
        fx[j] -= dx * fr; fy[j] -= dy * fr; fz[j] -= dz * fr;
      }

      /* Special pairs: scaled by their 1-2/1-3/1-4 factors. */
      for (int k = nb->special.start[i]; k < nb->special.start[i + 1]; k++) {
        const int e = nb->special.j[k], j = owner[e];
        const int order = nb->special.order[k];
        const double dx = xi - xe[e], dy = yi - ye[e], dz = zi - ze[e];
        const double r2 = dx * dx + dy * dy + dz * dz;
        double fr = 0, frl = 0, frc = 0;
        if (r2 < cut_lj2) {
          const double factor = p->special_lj[order];
          e_lj += factor * vf_lennard_jones(p, row + s->type[j], r2, &frl);
          frl *= factor;
          vf_virial_radial(v_lj, dx, dy, dz, frl);
          fr += w_lj * frl;
        }
        if (r2 < cut_coul2) {
          e_coul += vf_coulomb_long(qi * s->q[j], r2, g, p->special_coul[order], lammps, &frc);
          vf_virial_radial(v_coul, dx, dy, dz, frc);
          fr += w_coul * frc;
        }
        fxi += dx * fr; fyi += dy * fr; fzi += dz * fr;
        fx[j] -= dx * fr; fy[j] -= dy * fr; fz[j] -= dz * fr;
      }
      fx[i] += fxi;
      fy[i] += fyi;
      fz[i] += fzi;
    }
    part[tid].e_lj = e_lj;
    part[tid].e_coul = e_coul;
    memcpy(part[tid].v_lj, v_lj, sizeof v_lj);
    memcpy(part[tid].v_coul, v_coul, sizeof v_coul);
  }
  for (int t = 0; t < fb->nthreads; t++) vf_pair_sums_add(sums, &part[t]);
}

void vf_lj_tail_coefficients(const vf_pair_params *p, const vf_system *s, double *e, double *w) {
  const int nt = p->ntypes;
  double count[nt > 0 ? nt : 1];
  for (int t = 0; t < nt; t++) count[t] = 0;
  for (int i = 0; i < s->n; i++) count[s->type[i]] += 1.0;
  const double rc = p->cut_lj, rc3 = rc * rc * rc, rc6 = rc3 * rc3, rc9 = rc6 * rc3;
  double esum = 0, wsum = 0;
  /* Ordered type pairs: (2π/V) N_i N_j ∫ r² u(r) dr and its virial counterpart. */
  for (int a = 0; a < nt; a++)
    for (int b = 0; b < nt; b++) {
      const int pair = a * nt + b;
      if (!p->has_lj[pair]) continue;
      const double eps = p->lj_epsilon[pair], s6 = pow(p->lj_sigma[pair], 6.0);
      const double nn = count[a] * count[b];
      esum += 8.0 * VF_PI * nn * eps * s6 * (s6 - 3.0 * rc6) / (9.0 * rc9);
      wsum += 16.0 * VF_PI * nn * eps * s6 * (2.0 * s6 - 3.0 * rc6) / (9.0 * rc9);
    }
  *e = esum;
  *w = wsum;
}
