/* erfc.h — the complementary error function for the real-space Ewald kernel.
 * The kernel needs exp(-x²) for the force anyway, so erfc(x) = exp(-x²) erfcx(x)
 * with erfcx from a table of short polynomials (erfc_table.h): no libm erfc call,
 * no branches beyond the range check, relative error below 1e-14. */
#ifndef VF_ERFC_H
#define VF_ERFC_H

#include "erfc_table.h"

/* erfc(x) for x >= 0, given exp_mx2 = exp(-x*x). Beyond x = 6, erfc < 2.2e-17: 0.
 * NaN stays NaN (and never indexes the table). */
static inline double vf_erfc_with_exp(double x, double exp_mx2) {
  if (!(x < VF_ERFC_XMAX)) return x == x ? 0.0 : x;
  const double u = x * (VF_ERFC_SEGMENTS / VF_ERFC_XMAX);
  const int k = (int)u;
  const double t = 2.0 * (u - k) - 1.0;
  const double *c = vf_erfc_table[k];
  double p = c[VF_ERFC_DEGREE];
  for (int m = VF_ERFC_DEGREE - 1; m >= 0; m--) p = p * t + c[m];
  return p * exp_mx2;
}

#endif
