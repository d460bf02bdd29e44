/* The cluster-pair kernel's driver: threads, the choice of vector width, and the
 * reduction of slot forces onto atoms. The kernel is pair_cluster_kernel.h. */
#include "pair_cluster.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "simd.h"

typedef void (*share_fn)(const vf_cluster_kernel_args *, int, int, int, double *, double *,
                         double *, double *, double *);
typedef void (*mixed_share_fn)(const vf_cluster_kernel_args *, vf_cluster_queue *, int,
                               int64_t *, int64_t *, int64_t *, int *);

/* The widest kernel this CPU runs (or VITRIFY_SIMD's choice). The mixed-precision
 * one has no scalar build: width 1 runs its baseline (width 2) build. */
static share_fn kernel_for_cpu(void) {
  switch (vf_simd_width()) {
    case 8: return vf8_cluster_share;
    case 4: return vf4_cluster_share;
    case 2: return vf2_cluster_share;
    default: return vf1_cluster_share;
  }
}
static mixed_share_fn mixed_kernel_for_cpu(void) {
  switch (vf_simd_width()) {
    case 8: return vf8_mixed_share;
    case 4: return vf4_mixed_share;
    default: return vf2_mixed_share;
  }
}

/* Whether Morse pair k of the outer list lies within sqrt(r2). */
static int morse_within(const vf_cluster_list *cl, const vf_system *s, int k, double r2) {
  const int i = cl->morse_atom[k], b = cl->morse_slot[k];
  const double dx = s->x[i] - cl->x[b], dy = s->y[i] - cl->y[b], dz = s->z[i] - cl->z[b];
  return dx * dx + dy * dy + dz * dz < r2;
}

/* The outer list's Morse pairs within rinner into the near_* list, in list order:
 * each thread counts the kept pairs of its block, then writes them after the earlier
 * blocks' (the same list on any number of threads). */
static void prune_morse(vf_cluster_list *cl, const vf_system *s, const vf_pair_params *p,
                        double rinner) {
  const double r2 = rinner * rinner;
  const int nthreads = omp_get_max_threads();
  int start[nthreads + 1];
  start[0] = 0;
#pragma omp parallel num_threads(nthreads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int k0 = (int)((long)cl->nmorse * t / nt), k1 = (int)((long)cl->nmorse * (t + 1) / nt);
    int count = 0;
    for (int k = k0; k < k1; k++) count += morse_within(cl, s, k, r2);
    start[t + 1] = count;
#pragma omp barrier
#pragma omp single
    for (int u = 0; u < nt; u++) start[u + 1] += start[u];
    int w = start[t];
    for (int k = k0; k < k1; k++) {
      if (!morse_within(cl, s, k, r2)) continue;
      const int i = cl->morse_atom[k], b = cl->morse_slot[k], j = cl->atom[b];
      const int pair = s->type[i] * p->ntypes + s->type[j];
      cl->near_i[w] = i;
      cl->near_j[w] = j;
      cl->near_slot[w] = b;
      cl->near_d0[w] = p->special_lj[cl->morse_order[k]] * p->morse_d0[pair];
      cl->near_alpha[w] = p->morse_alpha[pair];
      cl->near_r0[w] = p->morse_r0[pair];
      w++;
    }
#pragma omp single nowait
    cl->nmorse_near = start[nt];
  }
}

void vf_cluster_prune(vf_cluster_list *cl, const vf_system *s, const vf_pair_params *p,
                      double rinner, double rnear) {
  VF_WIDEST(cluster_prune)(cl, rinner, rnear);
  for (int ci = 1; ci < cl->nlocal; ci++) cl->work_end[ci] += cl->work_end[ci - 1];
  /* about 30 % of the outer list's Morse pairs lie between rinner and rlist */
  prune_morse(cl, s, p, rinner);
}

/* Chunks in decreasing sizes of estimated work (work_end), as OpenMP's guided schedule
 * makes them: each a 1/(2 nthreads) of the work left, down to 1/(256 nthreads) of all,
 * so that threads end within a small chunk of each other after few takes. Returns
 * their number. */
enum { MAX_CHUNKS = 512 };
static int chunk_bounds(const vf_cluster_list *cl, int nthreads, int *bounds) {
  const int nc = cl->nlocal;
  const long total = nc > 0 ? cl->work_end[nc - 1] : 0;
  const long smallest = total / (256L * nthreads) > 0 ? total / (256L * nthreads) : 1;
  int nchunks = 0;
  bounds[0] = 0;
  for (int c = 0; c < nc && nchunks < MAX_CHUNKS;) {
    const long done = c > 0 ? cl->work_end[c - 1] : 0, left = total - done;
    const long size = left / (2L * nthreads) > smallest ? left / (2L * nthreads) : smallest;
    /* the first cluster whose cumulative work reaches done + size ends the chunk */
    int lo = c, hi = nc - 1;
    while (lo < hi) {
      const int mid = lo + (hi - lo) / 2;
      if (cl->work_end[mid] >= done + size)
        hi = mid;
      else
        lo = mid + 1;
    }
    c = nchunks == MAX_CHUNKS - 1 ? nc : lo + 1;
    bounds[++nchunks] = c;
  }
  return nchunks;
}

/* The mixed kernel: threads take chunks from a queue into fixed-point slot sums, and
 * energies are summed per cluster in cluster order. */
static void mixed_compute(const vf_cluster_kernel_args *a, int eflag, vf_forcebuf *slots,
                          vf_pair_sums *sums) {
  static mixed_share_fn share;
  if (!share) share = mixed_kernel_for_cpu();
  const vf_cluster_list *cl = a->cl;
  const int n = slots->n, nthreads = slots->nthreads;
  int bounds[MAX_CHUNKS + 1];
  vf_cluster_queue queue = {.nchunks = chunk_bounds(cl, nthreads, bounds), .bounds = bounds};
  atomic_init(&queue.next, 0);
  int bad[nthreads];
#pragma omp parallel num_threads(nthreads)
  {
    const int tid = omp_get_thread_num();
    int64_t *f = vf_forcebuf_thread_fixed(slots, tid);
    memset(f, 0, sizeof(int64_t) * 3 * (size_t)n);
    bad[tid] = -1;
    share(a, &queue, eflag, f, f + n, f + 2 * n, &bad[tid]);
  }
  slots->fixed_live = 1;
  slots->bad_slot = -1;
  for (int t = 0; t < nthreads; t++)
    if (bad[t] >= 0) slots->bad_slot = bad[t];
  if (eflag)
    for (int ci = 0; ci < cl->nlocal; ci++) {
      sums->e_lj += cl->energy[2 * ci];
      sums->e_coul += cl->energy[2 * ci + 1];
    }
}

void vf_cluster_compute(const vf_pair_params *p, const vf_cluster_list *cl, double w_lj,
                        double w_coul, int eflag, vf_forcebuf *slots, vf_pair_sums *sums) {
  const vf_cluster_kernel_args a = {p,         cl, w_lj, w_coul, p->cut_lj * p->cut_lj,
                                    p->cut_coul * p->cut_coul, p->g_ewald, p->lammps_erfc,
                                    cl->energy};
  if (p->mixed) {
    mixed_compute(&a, eflag, slots, sums);
    return;
  }
  static share_fn share;
  if (!share) share = kernel_for_cpu();
  const int n = slots->n, nthreads = slots->nthreads;
  double e_lj[nthreads], e_coul[nthreads];
#pragma omp parallel num_threads(nthreads)
  {
    const int tid = omp_get_thread_num();
    double *f = vf_forcebuf_thread(slots, tid);
    memset(f, 0, sizeof(double) * 3 * (size_t)n);
    share(&a, tid, nthreads, eflag, f, f + n, f + 2 * n, &e_lj[tid], &e_coul[tid]);
  }
  slots->fixed_live = 0;
  for (int t = 0; t < nthreads; t++) {
    sums->e_lj += e_lj[t];
    sums->e_coul += e_coul[t];
  }
}

vf_cluster_deal vf_cluster_deal_start(const vf_cluster_list *cl, int nthreads, long *load) {
  enum { CHUNKS_PER_THREAD = 64 };
  const int chunk = cl->nlocal / (nthreads * CHUNKS_PER_THREAD);
  for (int t = 0; t < nthreads; t++) load[t] = 0;
  return (vf_cluster_deal){cl, load, nthreads, chunk > 1 ? chunk : 1, 0};
}

int vf_cluster_deal_next(vf_cluster_deal *d, int tid, int *begin, int *end) {
  const vf_cluster_list *cl = d->cl;
  while (d->next < cl->nlocal) {
    const int c0 = d->next, c1 = c0 + d->chunk < cl->nlocal ? c0 + d->chunk : cl->nlocal;
    d->next = c1;
    int least = 0;
    for (int t = 1; t < d->nthreads; t++)
      if (d->load[t] < d->load[least]) least = t;
    d->load[least] += cl->work_end[c1 - 1] - (c0 > 0 ? cl->work_end[c0 - 1] : 0);
    if (least == tid) {
      *begin = c0;
      *end = c1;
      return 1;
    }
  }
  return 0;
}

void vf_cluster_reduce(const vf_cluster_list *cl, vf_forcebuf *slots, double *fx, double *fy,
                       double *fz, double virial[6]) {
  const int n = slots->n, nthreads = slots->nthreads;
  double *total = vf_forcebuf_thread(slots, 0);
  double part[nthreads][6];
  memset(part, 0, sizeof part);
#pragma omp parallel num_threads(nthreads)
  {
    const int tid = omp_get_thread_num();
    double v[6] = {0};
#pragma omp for schedule(static)
    for (int k = 0; k < cl->nslots; k++) {
      double sx, sy, sz;
      if (slots->fixed_live) {
        int64_t ix = 0, iy = 0, iz = 0;
        for (int t = 0; t < nthreads; t++) {
          const int64_t *f = vf_forcebuf_thread_fixed(slots, t);
          ix += f[k];
          iy += f[n + k];
          iz += f[2 * n + k];
        }
        sx = k == slots->bad_slot ? NAN : vf_fixed_value(ix);
        sy = vf_fixed_value(iy);
        sz = vf_fixed_value(iz);
      } else {
        sx = total[k], sy = total[n + k], sz = total[2 * n + k];
        for (int t = 1; t < nthreads; t++) {
          const double *f = vf_forcebuf_thread(slots, t);
          sx += f[k];
          sy += f[n + k];
          sz += f[2 * n + k];
        }
      }
      total[k] = sx;
      total[n + k] = sy;
      total[2 * n + k] = sz;
      if (cl->atom[k] < 0) continue;
      v[0] += cl->x[k] * sx;
      v[1] += cl->y[k] * sy;
      v[2] += cl->z[k] * sz;
      v[3] += cl->x[k] * sy;
      v[4] += cl->x[k] * sz;
      v[5] += cl->y[k] * sz;
    }
    memcpy(part[tid], v, sizeof v);
#pragma omp barrier
#pragma omp for schedule(static)
    for (int i = 0; i < cl->natoms; i++) {
      double sx = 0, sy = 0, sz = 0;
      for (int m = cl->atom_start[i]; m < cl->atom_start[i + 1]; m++) {
        const int k = cl->atom_slots[m];
        sx += total[k];
        sy += total[n + k];
        sz += total[2 * n + k];
      }
      fx[i] += sx;
      fy[i] += sy;
      fz[i] += sz;
    }
  }
  for (int t = 0; t < nthreads; t++)
    for (int c = 0; c < 6; c++) virial[c] += part[t][c];
}
