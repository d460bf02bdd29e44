/* simd_math.c — throughput of the vector exp and erfc (src/simd_math.h) at every
 * width this CPU runs, next to libm's. Not a test:
 *   gcc -std=c11 -O3 -D_GNU_SOURCE -Isrc bench/simd_math.c -o /tmp/bench_simd -lm
 *   /tmp/bench_simd
 * Prints ns (of thread CPU time) per element, best of several runs over an
 * L1-resident block. */
#include <math.h>
#include <stdio.h>
#include <time.h>

#include "simd.h"

#define VF_W 8
#include "simd_math.h"
#undef VF_W
#define VF_W 4
#include "simd_math.h"
#undef VF_W
#define VF_W 2
#include "simd_math.h"
#undef VF_W
#define VF_W 1
#include "simd_math.h"
#undef VF_W

enum { N = 1024, REPS = 4000, RUNS = 7 };
static double x_exp[N], x_erfc[N], e_erfc[N], y[N];
static volatile double sink;

typedef void math_array_fn(int f, const double *x, const double *e, double *y, size_t n);

/* libm's exp and erfc, for comparison. */
static void scalar_array(int f, const double *x, const double *e, double *out, size_t n) {
  (void)e;
  for (size_t i = 0; i < n; i++) out[i] = f == VF_MATH_EXP ? exp(x[i]) : erfc(x[i]);
}

/* Time on the CPU: other load on the machine inflates wall time. */
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double ns_per_element(math_array_fn *fn, int f, const double *x) {
  double best = 1e30;
  for (int run = 0; run < RUNS; run++) {
    const double t0 = now();
    for (int r = 0; r < REPS; r++) fn(f, x, e_erfc, y, N);
    const double t = (now() - t0) / ((double)REPS * N) * 1e9;
    if (t < best) best = t;
    sink += y[N / 3];
  }
  return best;
}

int main(void) {
  for (int i = 0; i < N; i++) {
    x_exp[i] = -40.0 * (i + 0.5) / N;       /* Morse and Gaussian arguments */
    x_erfc[i] = 4.0 * (i + 0.5) / N;        /* g r up to a typical g rc */
    e_erfc[i] = exp(-x_erfc[i] * x_erfc[i]);
  }
  const struct {
    const char *name;
    int w;
    math_array_fn *fn;
  } paths[] = {{"vf8", 8, vf8_math_array},   {"vf4", 4, vf4_math_array},
               {"vf2", 2, vf2_math_array},   {"vf1", 1, vf1_math_array},
               {"libm", 1, scalar_array}};
  const int cpu = vf_simd_width_cpu();
  printf("ns per element (N = %d, best of %d):\n", N, RUNS);
  printf("  %-11s %8s %10s %12s\n", "path", "exp", "erfc(e)", "exp+erfc");
  for (int p = 0; p < 5; p++) {
    if (paths[p].w > cpu) continue;
    printf("  %-11s %8.3f %10.3f %12.3f\n", paths[p].name,
           ns_per_element(paths[p].fn, VF_MATH_EXP, x_exp),
           ns_per_element(paths[p].fn, VF_MATH_ERFC_GIVEN, x_erfc),
           ns_per_element(paths[p].fn, VF_MATH_ERFC, x_erfc));
  }
  return 0;
}
