/* The SIMD building blocks (simd.h, simd_math.h) at every width this CPU runs,
 * scalar included: e^x and erfc against the long-double libm over dense grids and
 * at the edges, bit-for-bit agreement between widths of the same arithmetic, the
 * helpers (simd_test_width.h), and the width query with its VITRIFY_SIMD override.
 * The wide code is compiled here with target attributes (VF_TARGET), so this
 * file needs no special flags. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
#include "testlib.h"

#define VF_W 8
#include "simd_math.h"
#include "simd_test_width.h"
#undef VF_W
#define VF_W 4
#include "simd_math.h"
#include "simd_test_width.h"
#undef VF_W
#define VF_W 2
#include "simd_math.h"
#include "simd_test_width.h"
#undef VF_W
#define VF_W 1
#include "simd_math.h"
#include "simd_test_width.h"
#undef VF_W

typedef void math_array_fn(int f, const double *x, const double *e, double *y, size_t n);
static const struct {
  int w;
  math_array_fn *eval;
  void (*check_blocks)(void);
} widths[] = {{8, vf8_math_array, vf8_check_blocks},
              {4, vf4_math_array, vf4_check_blocks},
              {2, vf2_math_array, vf2_check_blocks},
              {1, vf1_math_array, vf1_check_blocks}};
enum { NW = sizeof widths / sizeof *widths, BLOCK = 4096 };

/* Fused multiply-add or not: widths in one group must agree bit for bit. */
static int fused(int w) { return w >= 4 || VF_BUILD_FMA; }

/* Worst error of one function at one width. */
typedef struct {
  double rel, ulp, x_rel, x_ulp;
  long mismatches; /* results differing from the first width of the same group */
} worst;

static double ulp_of(long double ref) {
  const double r = fabs((double)ref);
  return r < 0x1p-1022 ? 0x1p-1074 : nextafter(r, INFINITY) - r;
}

/* rel: relative error, or absolute for tiny results. */
static void note(worst *w, int tiny, double x, double got, long double ref) {
  const long double d = fabsl(got - ref); /* in long double: may be below DBL_MIN */
  const double ulp = (double)(d / ulp_of(ref)), rel = (double)(tiny ? d : d / fabsl(ref));
  if (rel > w->rel) w->rel = rel, w->x_rel = x;
  if (ulp > w->ulp) w->ulp = ulp, w->x_ulp = x;
}

/* f over n points of [lo, hi] at every supported width, in blocks: the errors of
 * the results whose reference is at least `normal` go to err, the others to tiny
 * (absolute error and ulp). Mismatches within a group all count in err. */
static void sweep(int f, double lo, double hi, long n, double normal, int cpu, worst err[NW],
                  worst tiny[NW]) {
  static double x[BLOCK], e[BLOCK], y[NW][BLOCK];
  static long double ref[BLOCK];
  for (long start = 0; start < n; start += BLOCK) {
    const int m = n - start < BLOCK ? (int)(n - start) : BLOCK;
    for (int i = 0; i < m; i++) {
      x[i] = lo + (hi - lo) * (double)(start + i) / (double)(n - 1);
      const long double xl = x[i];
      ref[i] = f == VF_MATH_EXP           ? expl(xl)
               : f == VF_MATH_EWALD_FORCE ? erfcl(xl) + 2 / sqrtl(M_PI) * xl * expl(-xl * xl)
                                          : erfcl(xl);
      e[i] = (double)expl(-xl * xl);
    }
    for (int k = 0; k < NW; k++) {
      if (widths[k].w > cpu) continue;
      widths[k].eval(f, x, e, y[k], (size_t)m);
      int first = k;
      while (first > 0 && widths[first - 1].w <= cpu &&
             fused(widths[first - 1].w) == fused(widths[k].w))
        first--;
      for (int i = 0; i < m; i++) {
        const int small = fabsl(ref[i]) < normal;
        note(small ? &tiny[k] : &err[k], small, x[i], y[k][i], ref[i]);
        if (memcmp(&y[k][i], &y[first][i], sizeof(double)) != 0) err[k].mismatches++;
      }
    }
  }
}

static void check_width_query(void) {
  unsetenv("VITRIFY_SIMD");
  const int cpu = vf_simd_width_cpu();
  printf("CPU SIMD width %d\n", cpu);
  CHECK(cpu == 2 || cpu == 4 || cpu == 8, "width %d", cpu);
#if VF_X86
  CHECK(cpu < 4 || (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")),
        "width %d without AVX2/FMA", cpu);
  CHECK(cpu < 8 || __builtin_cpu_supports("avx512f"), "width 8 without AVX-512");
#endif
  CHECK(vf_simd_width() == cpu, "default width %d", vf_simd_width());
  const char *good[] = {"1", "2", "4", "8"};
  for (int k = 0; k < 4; k++) {
    setenv("VITRIFY_SIMD", good[k], 1);
    const int want = atoi(good[k]) < cpu ? atoi(good[k]) : cpu;
    CHECK(vf_simd_width() == want, "VITRIFY_SIMD=%s gives %d", good[k], vf_simd_width());
  }
  const char *bad[] = {"", "3", "16", "0", "-8", "avx", "4x"};
  for (int k = 0; k < 7; k++) {
    setenv("VITRIFY_SIMD", bad[k], 1);
    CHECK(vf_simd_width() == cpu, "VITRIFY_SIMD='%s' gives %d", bad[k], vf_simd_width());
  }
  unsetenv("VITRIFY_SIMD");
}

/* Single values at every width, each in every lane of a full block and of a
 * partial one: the edges of exp and erfc, against the long-double libm rounded to
 * double (erfc from 6 on: 0). */
static void check_edges(int cpu) {
  const double exp_x[] = {0.0,     -0.0,     1e-300, -5e-324, 1.0,     -708.39, -708.4,
                          -745.0,  -745.13,  -745.2, -1000.0, -1e300,  -INFINITY, 709.78,
                          709.79,  1e300,    INFINITY, NAN};
  const double erfc_x[] = {0.0, 5e-324, 1e-300, 1e-8, 5.999999, 6.0, 6.5, 1e300, INFINITY, NAN};
  const struct {
    int f, n;
    const double *x;
  } sets[] = {{VF_MATH_EXP, sizeof exp_x / sizeof *exp_x, exp_x},
              {VF_MATH_ERFC, sizeof erfc_x / sizeof *erfc_x, erfc_x}};
  for (int k = 0; k < NW; k++) {
    if (widths[k].w > cpu) continue;
    for (int s = 0; s < 2; s++) {
      for (int c = 0; c < sets[s].n; c++) {
        const int f = sets[s].f;
        const double x0 = sets[s].x[c];
        const double want = f == VF_MATH_EXP ? (double)expl(x0) : x0 >= 6 ? 0.0 : (double)erfcl(x0);
        const double tol = f == VF_MATH_EXP ? 2.5e-16 : 1e-13;
        double x[9], y[9];
        for (int i = 0; i < 9; i++) x[i] = x0;
        for (int n = 9; n >= 1; n -= 8) {
          widths[k].eval(f, x, NULL, y, (size_t)n);
          for (int i = 0; i < n; i++) {
            const int ok = isnan(want)                     ? isnan(y[i])
                           : want == 0 || isinf(want)      ? y[i] == want
                           : fabs(want) < 0x1p-1022        ? fabs(y[i] - want) <= 0x1p-1074
                                                           : fabs(y[i] - want) <= tol * want;
            CHECK(ok, "w%d: %s(%g) = %.17g, want %.17g", widths[k].w,
                  f == VF_MATH_EXP ? "exp" : "erfc", x0, y[i], want);
          }
        }
      }
    }
  }
}

/* tiny: the errors are absolute, and ulp means nothing for erfc. */
static void report(const char *what, int cpu, const worst w[NW], int tiny) {
  for (int k = 0; k < NW; k++) {
    if (widths[k].w > cpu) continue;
    printf("  %-14s w%d  max %s %.3g at x = %.9g", what, widths[k].w, tiny ? "abs" : "rel",
           w[k].rel, w[k].x_rel);
    if (!tiny || strcmp(what, "exp denormal") == 0)
      printf(", max %.3f ulp at x = %.9g", w[k].ulp, w[k].x_ulp);
    printf("%s\n", w[k].mismatches ? "  (DIFFERS from its group)" : "");
  }
}

int main(void) {
  check_width_query();
  const int cpu = vf_simd_width_cpu();
  for (int k = 0; k < NW; k++)
    if (widths[k].w <= cpu) widths[k].check_blocks();
  check_edges(cpu);
  /* The plain-double wrappers are the scalar width. */
  for (double x = 0.0; x < 7; x += 0.37) {
    double y[2];
    vf1_math_array(VF_MATH_EXP, &x, NULL, y, 1);
    vf1_math_array(VF_MATH_ERFC, &x, NULL, y + 1, 1);
    CHECK(vf_scalar_exp(x) == y[0], "vf_scalar_exp(%g)", x);
    CHECK(vf_scalar_erfc(x, vf_scalar_exp(-x * x)) == y[1], "vf_scalar_erfc(%g)", x);
  }

  /* e^x: the whole range (results from DBL_MIN on are "normal"), the kernel's
   * range densely, and around 0. */
  worst exp_n[NW] = {{0}}, exp_d[NW] = {{0}};
  sweep(VF_MATH_EXP, -745.2, 709.78, 2000001, 0x1p-1022, cpu, exp_n, exp_d);
  sweep(VF_MATH_EXP, -60, 1, 2000001, 0x1p-1022, cpu, exp_n, exp_d);
  sweep(VF_MATH_EXP, -1, 1, 1000001, 0x1p-1022, cpu, exp_n, exp_d);
  /* erfc on [0, 6) with e^{-x^2} given correctly rounded (the approximation
   * alone) and from VF(exp) (what a kernel gets); beyond 6 erfc < 2.2e-17 is 0. */
  worst erfc_g[NW] = {{0}}, erfc_e[NW] = {{0}}, erfc_far[NW] = {{0}}, unused[NW] = {{0}};
  sweep(VF_MATH_ERFC_GIVEN, 0, 6 - 1e-6, 2000001, 0, cpu, erfc_g, unused);
  sweep(VF_MATH_ERFC, 0, 6 - 1e-6, 2000001, 0, cpu, erfc_e, unused);
  sweep(VF_MATH_ERFC, 6, 30, 100001, 1, cpu, unused, erfc_far);

  /* The Ewald terms relative to the bare ones, to g r = 5, and beyond it (0). */
  worst ewf[NW] = {{0}}, ewe[NW] = {{0}}, ewf_far[NW] = {{0}}, ewe_far[NW] = {{0}};
  sweep(VF_MATH_EWALD_FORCE, 1e-3, 5 - 1e-9, 2000001, INFINITY, cpu, unused, ewf);
  sweep(VF_MATH_EWALD_ENERGY, 1e-3, 5 - 1e-9, 2000001, INFINITY, cpu, unused, ewe);
  sweep(VF_MATH_EWALD_FORCE, 5, 30, 100001, INFINITY, cpu, unused, ewf_far);
  sweep(VF_MATH_EWALD_ENERGY, 5, 30, 100001, INFINITY, cpu, unused, ewe_far);

  printf("accuracy against expl/erfcl:\n");
  report("exp", cpu, exp_n, 0);
  report("exp denormal", cpu, exp_d, 1);
  report("erfc (exact e)", cpu, erfc_g, 0);
  report("erfc", cpu, erfc_e, 0);
  report("erfc beyond 6", cpu, erfc_far, 1);
  report("ewald force", cpu, ewf, 1);
  report("ewald energy", cpu, ewe, 1);
  report("ewald f >= 5", cpu, ewf_far, 1);
  report("ewald e >= 5", cpu, ewe_far, 1);
  for (int k = 0; k < NW; k++) {
    if (widths[k].w > cpu) continue;
    const int w = widths[k].w;
    CHECK(exp_n[k].ulp < 1.25 && exp_n[k].rel < 2e-16, "w%d: exp off by %.3g ulp, %.3g", w,
          exp_n[k].ulp, exp_n[k].rel);
    CHECK(exp_d[k].ulp <= 1.0, "w%d: denormal exp off by %.3g ulp at x = %g", w, exp_d[k].ulp,
          exp_d[k].x_ulp);
    CHECK(erfc_g[k].rel < 5e-14, "w%d: erfc (exact e) off by %.3g at x = %g", w, erfc_g[k].rel,
          erfc_g[k].x_rel);
    CHECK(erfc_e[k].rel < 1e-13, "w%d: erfc off by %.3g at x = %g", w, erfc_e[k].rel,
          erfc_e[k].x_rel);
    CHECK(erfc_far[k].rel < 2.3e-17, "w%d: erfc beyond 6 off by %.3g", w, erfc_far[k].rel);
    CHECK(ewf[k].rel < 5e-11 && ewf_far[k].rel < 8.1e-11, "w%d: Ewald force off by %.3g (%.3g beyond 5)",
          w, ewf[k].rel, ewf_far[k].rel);
    CHECK(ewe[k].rel < 6e-12 && ewe_far[k].rel < 1.6e-12, "w%d: Ewald energy off by %.3g (%.3g beyond 5)",
          w, ewe[k].rel, ewe_far[k].rel);
    const long differ =
        exp_n[k].mismatches + erfc_g[k].mismatches + erfc_e[k].mismatches + unused[k].mismatches;
    CHECK(differ == 0, "w%d: %ld results differ from the other width with%s FMA", w, differ,
          fused(w) ? "" : "out");
  }
  return vf_test_report("test_simd");
}
