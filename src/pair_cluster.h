/* pair_cluster.h — LJ 12-6 and real-space Ewald Coulomb over cluster pairs (see
 * clusters.h), VF_CLUSTER j atoms at a time. Special (scaled) pairs are not here:
 * the cluster masks leave them to pair_special.c. Forces go to per-thread slot
 * buffers; vf_cluster_reduce sums them onto atoms and gives the virial as
 * Σ r_slot ⊗ f_slot, which equals the pair virial because every slot's position is
 * the one the kernel used. */
#ifndef VF_PAIR_CLUSTER_H
#define VF_PAIR_CLUSTER_H

#include <stdatomic.h>

#include "clusters.h"
#include "forcebuf.h"
#include "nonbonded.h"

/* What a kernel instance needs (one per vector width, pair_cluster_w*.c). */
typedef struct vf_cluster_kernel_args {
  const vf_pair_params *p;
  const vf_cluster_list *cl;
  double w_lj, w_coul;
  double cut_lj2, cut_coul2, g;
  int lammps_erfc;
  double *energy; /* the mixed kernel's energies per cluster (vf_cluster_list) */
} vf_cluster_kernel_args;

/* A kept cluster pair's estimated cost in the kernel, for the threads' shares: a
 * part per cluster pair (the j cluster's loads and force stores), per i row with
 * atom pairs, and more for a row with Coulomb (weights from timings of the mixed
 * kernel with AVX-512: a row without Coulomb costs 60 % of one with). */
static inline long vf_cluster_pair_work(uint64_t mask, unsigned coul_rows) {
  uint64_t rows = mask | mask >> 4; /* bit 8 ii set when row ii has a pair */
  rows |= rows >> 2;
  rows |= rows >> 1;
  return 6 + 3 * __builtin_popcountll(rows & 0x0101010101010101ull) +
         2 * __builtin_popcount(coul_rows);
}

/* The threads' shares of the local clusters: chunks of consecutive clusters (about 64
 * per thread, at least one cluster), dealt in order, each to the thread with the least
 * estimated work (work_end) so far, the lowest first on ties. The shares take the same
 * time to within a chunk; the threads work on neighbouring clusters at the same time,
 * which hyperthreads sharing a core's caches like (2 threads: Pair 2-10 % faster than
 * with one contiguous block each, whose model-equal halves took up to 15 % different
 * times); and the assignment depends only on the list, so results do not depend on
 * timing. Each thread replays the deal:
 *   long load[nthreads];
 *   vf_cluster_deal d = vf_cluster_deal_start(cl, nthreads, load);
 *   for (int b, e; vf_cluster_deal_next(&d, tid, &b, &e);) ... clusters [b, e) ... */
typedef struct vf_cluster_deal {
  const vf_cluster_list *cl;
  long *load; /* per thread */
  int nthreads, chunk, next;
} vf_cluster_deal;
vf_cluster_deal vf_cluster_deal_start(const vf_cluster_list *cl, int nthreads, long *load);
/* The next chunk [*begin, *end) of thread tid; 0 when it has none left. */
int vf_cluster_deal_next(vf_cluster_deal *d, int tid, int *begin, int *end);
/* vf{W}_cluster_share (pair_cluster_kernel.h, widths 8, 4, 2, 1). */
#define VF_DECLARE_SHARE(W)                                                                    \
  void vf##W##_cluster_share(const vf_cluster_kernel_args *a, int tid, int nthreads, int eflag, \
                             double *fx, double *fy, double *fz, double *e_lj, double *e_coul);
VF_DECLARE_SHARE(8)
VF_DECLARE_SHARE(4)
VF_DECLARE_SHARE(2)
VF_DECLARE_SHARE(1)

/* The mixed-precision kernel's threads take chunks of consecutive clusters in turn as
 * they finish the previous one, so a thread slowed by anything else on its core does
 * less: its forces go to fixed-point slot sums (forcebuf.h), which come out the same
 * whichever thread added what, and its energies per cluster (energy in
 * vf_cluster_list). Chunk c is clusters [bounds[c], bounds[c + 1]). */
typedef struct vf_cluster_queue {
  atomic_int next;
  int nchunks;
  const int *bounds;
} vf_cluster_queue;
/* The next chunk [*begin, *end); 0 when none is left. */
static inline int vf_cluster_queue_take(vf_cluster_queue *q, int *begin, int *end) {
  const int c = atomic_fetch_add_explicit(&q->next, 1, memory_order_relaxed);
  if (c >= q->nchunks) return 0;
  *begin = q->bounds[c];
  *end = q->bounds[c + 1];
  return 1;
}
/* vf{W}_mixed_share (pair_mixed_kernel.h, widths 8, 4, 2): the chunks this thread
 * takes; *bad_slot is set to a slot whose force was not finite (left -1 otherwise). */
#define VF_DECLARE_MIXED_SHARE(W)                                                             \
  void vf##W##_mixed_share(const vf_cluster_kernel_args *a, vf_cluster_queue *queue, int eflag, \
                           int64_t *fx, int64_t *fy, int64_t *fz, int *bad_slot);
VF_DECLARE_MIXED_SHARE(8)
VF_DECLARE_MIXED_SHARE(4)
VF_DECLARE_MIXED_SHARE(2)
#define VF_DECLARE_CLUSTER_PRUNE(W) \
  void vf##W##_cluster_prune(vf_cluster_list *cl, double rinner, double rnear);
VF_DECLARE_CLUSTER_PRUNE(8)
VF_DECLARE_CLUSTER_PRUNE(4)
VF_DECLARE_CLUSTER_PRUNE(2)
VF_DECLARE_CLUSTER_PRUNE(1)

/* vf{W}_special_range (pair_cluster_kernel.h): special pairs [k0, k1). */
#define VF_DECLARE_SPECIAL_RANGE(W)                                                             \
  void vf##W##_special_range(const vf_pair_params *p, const vf_special_pairs *sp,               \
                             const vf_system *s, double w_lj, double w_coul, int k0, int k1,    \
                             double *fx, double *fy, double *fz, vf_pair_sums *sums);
VF_DECLARE_SPECIAL_RANGE(8)
VF_DECLARE_SPECIAL_RANGE(4)
VF_DECLARE_SPECIAL_RANGE(2)
VF_DECLARE_SPECIAL_RANGE(1)

/* vf{W}_morse_range (pair_cluster_kernel.h): the pruned Morse pairs [k0, k1) (near_*). */
#define VF_DECLARE_MORSE_RANGE(W)                                                            \
  void vf##W##_morse_range(const vf_pair_params *p, const vf_cluster_list *cl,                \
                           const vf_system *s, int k0, int k1, double *fx, double *fy,         \
                           double *fz, double *energy, double v[6]);
VF_DECLARE_MORSE_RANGE(8)
VF_DECLARE_MORSE_RANGE(4)
VF_DECLARE_MORSE_RANGE(2)
VF_DECLARE_MORSE_RANGE(1)

/* The kernel's list from the outer one (clusters.h): atom pairs closer than rinner,
 * cluster pairs with one closer than rnear first (they need Coulomb, in the i rows
 * marked in pair_coul_rows); the same for the Morse pairs. Valid while
 * pair distances have changed by less than rinner minus the largest cut-off;
 * pruning often with a small buffer leaves far fewer pairs to evaluate than the
 * outer list's radius. */
void vf_cluster_prune(vf_cluster_list *cl, const vf_system *s, const vf_pair_params *p,
                      double rinner, double rnear);

/* Sets the slot buffers to w_lj × LJ and w_coul × Coulomb forces (each thread zeroes
 * its own; in mixed precision the fixed-point ones, vf_forcebuf_reserve_fixed); with
 * eflag, energies into sums->e_lj / e_coul (unweighted; in mixed precision (p->mixed)
 * the Coulomb energy carries w_coul, which is folded into the charges, so only a
 * weight of 1 gives it; and there w_lj only switches LJ on (any non-zero value) or
 * off). */
void vf_cluster_compute(const vf_pair_params *p, const vf_cluster_list *cl, double w_lj,
                        double w_coul, int eflag, vf_forcebuf *slots, vf_pair_sums *sums);
/* Sums slot forces onto atoms (added to fx/fy/fz) and adds their virial. */
void vf_cluster_reduce(const vf_cluster_list *cl, vf_forcebuf *slots, double *fx, double *fy,
                       double *fz, double virial[6]);

#endif
