/* simd_math.h — e^x and erfc(x) on the vectors of simd.h, written once for every
 * width: define VF_W and include this (it includes simd.h), once per width per
 * translation unit. No table lookups, so no per-lane gathers.
 *
 *   VF(exp)(x)             e^x: Cody-Waite reduction x = k ln2 + r, a degree-11
 *                          minimax polynomial for e^r, 2^k built in the exponent
 *                          bits (as two factors, so that denormal results and
 *                          results up to DBL_MAX come out right).
 *   VF(erfc)(x, e)         erfc(x) for x >= 0 given e = e^{-x^2} (for callers that
 *                          have it anyway): e P(x)/Q(x), with P/Q a (7,7)
 *                          minimax rational for erfcx = erfc e^{x^2} on [0, 6].
 *
 *   VF(ewald_force)(r2, g, &inv_r2)   the real-space Ewald force factor
 *                          (erfc(g r)/r + 2g/sqrt(pi) e^{-g^2 r^2})/r^2, and 1/r^2.
 *   VF(ewald_energy)(r2, g)  erfc(g r)/r.
 *                          Both as 1/r^k minus a rational in z = g^2 r^2 (no
 *                          exponential, no erfc): see VF(ewald_force).
 *
 * Cost per vector: exp 14 FMA + 2 mul + 1 sub + min + max + 7 integer ops; erfc
 * 14 FMA (two independent chains of 7) + 1 mul + 1 div + 1 compare; ewald_force
 * 16 FMA (two chains of 8) + 6 mul + 1 sqrt + 1 div + min + compare.
 * Coefficients: simd_erfc_coeffs.h (tools/gen_simd_erfc.py). With VF_W 1 also
 * plain-double wrappers: vf_scalar_exp, vf_scalar_erfc, vf_scalar_ewald_force,
 * vf_scalar_ewald_energy. */
#ifndef VF_SIMD_MATH_H
#define VF_SIMD_MATH_H
#include <stddef.h>

#include "simd_erfc_coeffs.h"

/* What VF(math_array) evaluates. */
enum { VF_MATH_EXP, VF_MATH_ERFC, VF_MATH_ERFC_GIVEN, VF_MATH_EWALD_FORCE, VF_MATH_EWALD_ENERGY };
#endif /* VF_SIMD_MATH_H */

#include "simd.h"

#ifdef VF_W
#if VF_CAT(VF_SIMD_MATH_DONE_W, VF_W, ) + 0 == 0
#if VF_W == 8
#define VF_SIMD_MATH_DONE_W8 1
#elif VF_W == 4
#define VF_SIMD_MATH_DONE_W4 1
#elif VF_W == 2
#define VF_SIMD_MATH_DONE_W2 1
#else
#define VF_SIMD_MATH_DONE_W1 1
#endif

/* c[0] + c[1] x + ... + c[n-1] x^(n-1) by Horner (n constant: fully unrolled, the
 * coefficients become broadcast memory operands). */
VF_FN vf_d VF(poly)(vf_d x, const double *c, int n) {
  vf_d p = VF(set1)(c[n - 1]);
#pragma GCC unroll 16
  for (int k = n - 2; k >= 0; k--) p = VF(fma)(p, x, VF(set1)(c[k]));
  return p;
}

/* e^x for any x: relative error below 2e-16 (about 1 ulp) where the result is
 * normal, denormal results within 1 ulp, 0 below -745.14, inf above 709.78, NaN
 * stays NaN. */
VF_FN vf_d VF(exp)(vf_d x) {
  /* The clamp keeps k inside what the two exponent fields below can hold; the
   * results at the clamps are already 0 and inf. NaN passes (second operand). */
  x = VF(max)(VF(set1)(-746.0), VF(min)(VF(set1)(710.0), x));
  /* t = 1.5 2^52 + round(x/ln2): the low mantissa bits of t hold k. */
  const vf_d shift = VF(set1)(0x1.8p52);
  const vf_d t = VF(fma)(x, VF(set1)(0x1.71547652b82fep0), shift);
  const vf_d k = t - shift;
  /* ln2 in two parts, the high one short enough that k ln2_hi is exact. */
  vf_d r = VF(fma)(k, VF(set1)(-0x1.62e42fee00000p-1), x);
  r = VF(fma)(k, VF(set1)(-0x1.a39ef35793c76p-33), r);
  /* Horner down to fma(s, r, 1): the last rounding dominates, below 1 ulp in all
   * (better than rounding r + r^2 q first and adding 1). */
  const vf_d p = VF(poly)(r, vf_simd_exp_c, VF_SIMD_EXP_DEG + 1);
  /* 2^k = 2^(h-1024) 2^(k+1024-h) with kb = k + 2048 in [972, 3072], h = kb/2:
   * both factors normal, and p 2^(h-1024) exact, so the only rounding of a
   * denormal or overflowing result is in the last product. */
  const vf_u kb = VF(as_u)(t) - (VF(as_u)(shift) - 2048);
  const vf_u h = kb >> 1;
  const vf_d s1 = (vf_d)((h - 1) << 52);
  const vf_d s2 = (vf_d)((kb - h - 1) << 52);
  return p * s1 * s2;
}

/* erfc(x) for x >= 0 given exp_mx2 = e^{-x^2}: relative error below 1e-13 (plus
 * that of exp_mx2) for x < 6, and 0 from 6 on (erfc(6) = 2.2e-17); NaN stays NaN.
 * Negative x: not handled. */
VF_FN vf_d VF(erfc)(vf_d x, vf_d exp_mx2) {
  const vf_d p = VF(poly)(x, vf_simd_erfc_p, VF_SIMD_ERFC_M + 1);
  const vf_d q = VF(poly)(x, vf_simd_erfc_q, VF_SIMD_ERFC_N + 1);
  return VF(select)(x >= VF(set1)(VF_SIMD_ERFC_XMAX), VF(zero)(), exp_mx2 * p / q);
}

/* The real-space Ewald force factor of a pair at squared distance r2 with splitting
 * parameter g, (erfc(g r)/r + 2g/sqrt(pi) e^{-z})/r^2 with z = g^2 r^2, written as
 * 1/r^3 - g^3 G(z), G a smooth function of z fitted as the rational GP/GQ
 * (simd_erfc_coeffs.h): one division for G and 1/r^3 together, with 1/r^2 (for the
 * LJ term) in *inv_r2. Against the bare 1/r^3 the error is below 5e-11; from
 * z = VF_SIMD_EWALD_ZMAX (g r = 5) on, where the screened force is below 8e-11 of the
 * bare one, the result is 0. r2 > 0. */
VF_FN vf_d VF(ewald_force)(vf_d r2, double g, vf_d *inv_r2) {
  const vf_d zmax = VF(set1)(VF_SIMD_EWALD_ZMAX), z = (g * g) * r2, zc = VF(min)(z, zmax);
  const vf_d p = VF(poly)(zc, vf_simd_ewald_gp, VF_SIMD_EWALD_M + 1);
  const vf_d q = VF(poly)(zc, vf_simd_ewald_gq, VF_SIMD_EWALD_N + 1);
  const vf_d r = VF(sqrt)(r2), r3 = r2 * r;
  const vf_d t = 1.0 / (q * r3); /* 1/(q r^3) */
  *inv_r2 = q * r * t;
  /* (q - g^3 p r^3) / (q r^3): the cancellation at large r is exact to q's rounding */
  return VF(select)(z < zmax, VF(fma)(-(g * g * g) * p, r3, q) * t, VF(zero)());
}

/* erfc(g r)/r = 1/r - g H(z), H ~ HP/HQ like VF(ewald_force): below 5e-12 of the bare
 * 1/r, and 0 from z = VF_SIMD_EWALD_ZMAX on (erfc(5) = 1.5e-12). r2 > 0. */
VF_FN vf_d VF(ewald_energy)(vf_d r2, double g) {
  const vf_d zmax = VF(set1)(VF_SIMD_EWALD_ZMAX), z = (g * g) * r2, zc = VF(min)(z, zmax);
  const vf_d p = VF(poly)(zc, vf_simd_ewald_hp, VF_SIMD_EWALD_M + 1);
  const vf_d q = VF(poly)(zc, vf_simd_ewald_hq, VF_SIMD_EWALD_N + 1);
  const vf_d r = VF(sqrt)(r2);
  return VF(select)(z < zmax, VF(fma)(-g * p, r, q) / (q * r), VF(zero)());
}

/* f of the m (<= W) values from x + i (and e + i). */
VF_FN vf_d VF(math_block)(int f, const double *x, const double *e, size_t i, int m) {
  const vf_d v = m == VF_W ? VF(loadu)(x + i) : VF(load_partial)(x + i, m, 0.0);
  if (f == VF_MATH_EXP) return VF(exp)(v);
  if (f == VF_MATH_ERFC) return VF(erfc)(v, VF(exp)(-(v * v)));
  vf_d unused;
  if (f == VF_MATH_EWALD_FORCE) return v * v * v * VF(ewald_force)(v * v, 1.0, &unused);
  if (f == VF_MATH_EWALD_ENERGY) return v * VF(ewald_energy)(v * v, 1.0);
  return VF(erfc)(v, m == VF_W ? VF(loadu)(e + i) : VF(load_partial)(e + i, m, 0.0));
}
VF_FN void VF(math_loop)(int f, const double *x, const double *e, double *y, size_t n) {
  size_t i = 0;
  for (; i + VF_W <= n; i += VF_W) VF(storeu)(y + i, VF(math_block)(f, x, e, i, VF_W));
  if (i < n) VF(store_partial)(y + i, VF(math_block)(f, x, e, i, (int)(n - i)), (int)(n - i));
}
/* y[i] = f(x[i]) for i < n: f = VF_MATH_EXP e^x, VF_MATH_ERFC erfc(x) with
 * e^{-x^2} from VF(exp), VF_MATH_ERFC_GIVEN erfc(x) with e^{-x^2} from e[i] (e is
 * read only then), VF_MATH_EWALD_FORCE and VF_MATH_EWALD_ENERGY the Ewald terms at
 * g = 1, r = x relative to the bare ones (x^3 ewald_force, x ewald_energy: erfc(x) +
 * 2x/sqrt(pi) e^{-x^2} and erfc(x)). For tests and benchmarks (one loop per f, so
 * each runs as a kernel would); kernels inline the functions above. */
static inline VF_TARGET void VF(math_array)(int f, const double *x, const double *e, double *y,
                                            size_t n) {
  switch (f) {
    case VF_MATH_EXP: VF(math_loop)(VF_MATH_EXP, x, e, y, n); break;
    case VF_MATH_ERFC: VF(math_loop)(VF_MATH_ERFC, x, e, y, n); break;
    case VF_MATH_ERFC_GIVEN: VF(math_loop)(VF_MATH_ERFC_GIVEN, x, e, y, n); break;
    case VF_MATH_EWALD_FORCE: VF(math_loop)(VF_MATH_EWALD_FORCE, x, e, y, n); break;
    default: VF(math_loop)(VF_MATH_EWALD_ENERGY, x, e, y, n);
  }
}

#if VF_W == 1
/* The scalar path: the same operations as one lane of the vectors. */
VF_FN double vf_scalar_exp(double x) { return vf1_exp((vf_v1d){x})[0]; }
VF_FN double vf_scalar_erfc(double x, double exp_mx2) {
  return vf1_erfc((vf_v1d){x}, (vf_v1d){exp_mx2})[0];
}
VF_FN double vf_scalar_ewald_force(double r2, double g, double *inv_r2) {
  vf_v1d inv;
  const double f = vf1_ewald_force((vf_v1d){r2}, g, &inv)[0];
  *inv_r2 = inv[0];
  return f;
}
VF_FN double vf_scalar_ewald_energy(double r2, double g) {
  return vf1_ewald_energy((vf_v1d){r2}, g)[0];
}
#endif

#endif /* this width not yet defined */
#endif /* VF_W */
