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
