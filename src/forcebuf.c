#include "forcebuf.h"

#include <stdlib.h>
#include <string.h>

int vf_forcebuf_reserve(vf_forcebuf *b, int nthreads, int n) {
  if (b->f && b->nthreads == nthreads && b->n == n) return 0;
  free(b->f);
  free(b->fixed);
  b->fixed = NULL;
  b->fixed_live = 0;
  b->f = malloc(sizeof(double) * 3 * (size_t)nthreads * (size_t)(n ? n : 1));
  b->nthreads = b->f ? nthreads : 0;
  b->n = b->f ? n : 0;
  return b->f ? 0 : -1;
}

int vf_forcebuf_reserve_fixed(vf_forcebuf *b) {
  if (!b->fixed)
    b->fixed = malloc(sizeof(int64_t) * 3 * (size_t)b->nthreads * (size_t)(b->n ? b->n : 1));
  return b->fixed ? 0 : -1;
}

void vf_forcebuf_free(vf_forcebuf *b) {
  free(b->f);
  free(b->fixed);
  b->f = NULL;
  b->fixed = NULL;
  b->fixed_live = 0;
  b->nthreads = b->n = 0;
}

void vf_forcebuf_zero(vf_forcebuf *b) {
  memset(b->f, 0, sizeof(double) * 3 * (size_t)b->nthreads * (size_t)b->n);
}

void vf_forcebuf_reduce(const vf_forcebuf *b, double *fx, double *fy, double *fz) {
  const int n = b->n;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; i++) {
    double sx = 0, sy = 0, sz = 0;
    for (int t = 0; t < b->nthreads; t++) {
      const double *f = vf_forcebuf_thread(b, t);
      sx += f[i];
      sy += f[n + i];
      sz += f[2 * n + i];
    }
    fx[i] += sx;
    fy[i] += sy;
    fz[i] += sz;
  }
}
