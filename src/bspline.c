#include "bspline.h"

#include <math.h>

#include "units.h"

/* a[i] = M_k(i + x) for i = 0..k-1 and x in [0, 1), built up from M_1 by
 * M_k(y) = (y M_{k-1}(y) + (k - y) M_{k-1}(y - 1)) / (k - 1). */
static void bspline_values(double x, int k, double *a) {
  a[0] = 1.0;
  for (int m = 1; m < k; m++) {
    a[m] = 0.0;
    for (int i = m; i >= 0; i--) {
      const double left = i > 0 ? a[i - 1] : 0.0;
      a[i] = ((i + x) * a[i] + (m + 1 - i - x) * left) / m;
    }
  }
}

int vf_bspline_weights(double u, int order, double *w, double *dw) {
  /* Points within order/2 of u: the first lies just above u - order/2. */
  const double c = u - 0.5 * order, fc = floor(c);
  const double x = c - fc; /* in [0, 1) */
  double a[VF_BSPLINE_MAX_ORDER], b[VF_BSPLINE_MAX_ORDER];
  bspline_values(x, order - 1, b); /* M_{P-1}: the derivative is its difference */
  bspline_values(x, order, a);
  /* Point first + j sits at M_P argument (order - 1 - j) + x. */
  for (int j = 0; j < order; j++) {
    const int i = order - 1 - j;
    w[j] = a[i];
    dw[j] = (i < order - 1 ? b[i] : 0.0) - (i > 0 ? b[i - 1] : 0.0);
  }
  return (int)fc + 1;
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
