/* forcebuf.h — per-thread force arrays, so kernels that use Newton's third law can
 * write to any atom without atomics; summed once at the end of an evaluation. */
#ifndef VF_FORCEBUF_H
#define VF_FORCEBUF_H

#include <math.h>
#include <stdint.h>

typedef struct vf_forcebuf {
  int nthreads, n;
  double *f; /* nthreads blocks of 3n: fx[0..n) fy[0..n) fz[0..n) */
  /* The same blocks in fixed point (vf_fixed), for kernels whose threads take work in
   * whatever order they reach it (vf_forcebuf_reserve_fixed); fixed_live says the last
   * evaluation left its sums here rather than in f, and bad_slot names an element
   * whose sum was not finite (-1: none). */
  int64_t *fixed;
  int fixed_live, bad_slot;
} vf_forcebuf;

int vf_forcebuf_reserve(vf_forcebuf *b, int nthreads, int n);
int vf_forcebuf_reserve_fixed(vf_forcebuf *b);
void vf_forcebuf_free(vf_forcebuf *b);
void vf_forcebuf_zero(vf_forcebuf *b);
static inline double *vf_forcebuf_thread(const vf_forcebuf *b, int thread) {
  return b->f + (long)thread * 3 * b->n;
}
static inline int64_t *vf_forcebuf_thread_fixed(const vf_forcebuf *b, int thread) {
  return b->fixed + (long)thread * 3 * b->n;
}

/* Fixed-point force sums in units of 2^-32 eV/Å (AMBER's SPFP scheme): integer sums do
 * not depend on the order of their terms, so forces come out bit-identical whichever
 * thread added which part. The quantum, 2.3e-10 eV/Å, is far below the rounding of the
 * single-precision pair forces summed this way. Terms are clamped to ±2^24 eV/Å (far
 * beyond any force of a sane configuration; a run with such forces still stops on its
 * displacements), so that 2^7 of them fit in a sum. */
#define VF_FIXED_SCALE 0x1p32
#define VF_FIXED_CLAMP 0x1p24
static inline int64_t vf_fixed(double f) {
  const double c = f < -VF_FIXED_CLAMP ? -VF_FIXED_CLAMP : f > VF_FIXED_CLAMP ? VF_FIXED_CLAMP : f;
  return (int64_t)llrint(c * VF_FIXED_SCALE);
}
static inline double vf_fixed_value(int64_t v) { return (double)v * (1.0 / VF_FIXED_SCALE); }

/* fx[i] += sum over threads, likewise y and z. */
void vf_forcebuf_reduce(const vf_forcebuf *b, double *fx, double *fy, double *fz);

#endif
