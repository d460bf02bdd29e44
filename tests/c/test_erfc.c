/* The tabulated erfc used by the real-space Ewald kernel against the C library's
 * erfc, over the whole range the kernel sees. */
#include <math.h>

#include "erfc.h"
#include "testlib.h"

int main(void) {
  double worst = 0, worst_x = 0;
  for (int k = 0; k <= 6000000; k++) {
    const double x = k * 1e-6;
    const double want = erfc(x);
    const double got = vf_erfc_with_exp(x, exp(-x * x));
    const double rel = x < VF_ERFC_XMAX ? fabs(got - want) / want : fabs(got - want);
    if (rel > worst) {
      worst = rel;
      worst_x = x;
    }
  }
  printf("worst relative error %.3g at x = %.6f\n", worst, worst_x);
  CHECK(worst < 1e-14, "tabulated erfc off by %.3g at x = %g", worst, worst_x);
  /* Beyond the table erfc is below 2.2e-17 and taken as zero. */
  CHECK(vf_erfc_with_exp(6.5, exp(-42.25)) == 0.0, "erfc beyond the table");
  return vf_test_report("test_erfc");
}
