/* forcebuf.h — per-thread force arrays, so kernels that use Newton's third law can
 * write to any atom without atomics; summed once at the end of an evaluation. */
#ifndef VF_FORCEBUF_H
#define VF_FORCEBUF_H

typedef struct vf_forcebuf {
  int nthreads, n;
  double *f; /* nthreads blocks of 3n: fx[0..n) fy[0..n) fz[0..n) */
} vf_forcebuf;

int vf_forcebuf_reserve(vf_forcebuf *b, int nthreads, int n);
void vf_forcebuf_free(vf_forcebuf *b);
void vf_forcebuf_zero(vf_forcebuf *b);
static inline double *vf_forcebuf_thread(const vf_forcebuf *b, int thread) {
  return b->f + (long)thread * 3 * b->n;
}
/* fx[i] += sum over threads, likewise y and z. */
void vf_forcebuf_reduce(const vf_forcebuf *b, double *fx, double *fy, double *fz);

#endif
