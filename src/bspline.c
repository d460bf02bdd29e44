#include "bspline.h"

#include <math.h>

#include "units.h"

/* From a[i] = M_m(i + x), i < m, to M_{m+1} (x in [0, 1)), by
 * M_{m+1}(y) = (y M_m(y) + (m + 1 - y) M_m(y - 1)) / m. */
static inline __attribute__((always_inline)) void bspline_raise(double x, int m, double *a) {
  const double inv_m = 1.0 / m;
  a[m] = a[m - 1] * (1.0 - x) * inv_m;
  for (int i = m - 1; i > 0; i--) a[i] = ((i + x) * a[i] + (m + 1 - i - x) * a[i - 1]) * inv_m;
  a[0] *= x * inv_m;
}

/* a[i] = M_k(i + x) for i = 0..k-1, built up from M_1 = 1. */
static inline __attribute__((always_inline)) void bspline_values(double x, int k, double *a) {
  a[0] = 1.0;
  for (int m = 1; m < k; m++) bspline_raise(x, m, a);
}

/* vf_bspline_weights for one order: inlined with a constant order, so the loops of
 * the recursion unroll (PPPM calls this twice per atom and dimension each step). */
static inline __attribute__((always_inline)) int weights(double u, int order, double *w,
                                                          double *dw) {
  /* Points within order/2 of u: the first lies just above u - order/2. */
  const double c = u - 0.5 * order, fc = floor(c);
  const double x = c - fc; /* in [0, 1) */
  double a[VF_BSPLINE_MAX_ORDER];
  bspline_values(x, order - 1, a); /* M_{P-1}: the derivative is its difference */
  /* Point first + j sits at M_P argument (order - 1 - j) + x. */
  for (int j = 0; j < order; j++) {
    const int i = order - 1 - j;
    dw[j] = (i < order - 1 ? a[i] : 0.0) - (i > 0 ? a[i - 1] : 0.0);
  }
  bspline_raise(x, order - 1, a);
  for (int j = 0; j < order; j++) w[j] = a[order - 1 - j];
  return (int)fc + 1;
}

int vf_bspline_weights(double u, int order, double *w, double *dw) {
  switch (order) {
    case 4: return weights(u, 4, w, dw);
    case 5: return weights(u, 5, w, dw);
    case 6: return weights(u, 6, w, dw);
    default: return weights(u, order, w, dw);
  }
}

double vf_sinc_pow(double x, int p) {
  if (x == 0.0) return 1.0;
  const double s = sin(VF_PI * x) / (VF_PI * x);
  double r = 1.0;
  for (int k = 0; k < p; k++) r *= s;
  return r;
}

double vf_bspline_alias_sum(double x, int order) {
  double a[VF_BSPLINE_MAX_ORDER];
  bspline_values(0.0, 2 * order, a); /* a[i] = M_2P(i) */
  double sum = a[order];
  for (int m = 1; m < order; m++) sum += 2.0 * a[order + m] * cos(2.0 * VF_PI * m * x);
  return sum;
}
