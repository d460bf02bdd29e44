/* simd.h — fixed-width double vectors (GCC vector extensions) for kernels that are
 * written once and compiled for W = 8 (AVX-512), 4 (AVX2+FMA), 2 (baseline x86-64)
 * and 1 (scalar, same arithmetic lane by lane), the width being chosen at run time
 * by vf_simd_width().
 *
 * Two parts. The common part (always) declares the types of every width,
 * vf_v{1,2,4,8}d (double), vf_v{W}l (int64_t; comparisons of vf_v{W}d give these,
 * lanes all ones or zero) and vf_v{W}u (uint64_t), the CPU query, and the naming
 * and target macros. The width part (when VF_W is defined, once per width per
 * translation unit) defines the helpers vf{W}_load, vf{W}_fma, ... which generic
 * code names VF(load), VF(fma), ... with the types vf_d, vf_l, vf_u.
 *
 * A kernel for every width, from one source (the recipe):
 *
 *   // pair_fast_w8.c (and _w4.c, _w2.c, _w1.c likewise: two lines each)
 *   #define VF_W 8
 *   #include "pair_fast_kernel.h"    // includes simd_math.h, defines VF(pair_fast)
 *
 *   // pair_fast_kernel.h: generic in VF_W, every function that uses the vectors
 *   // carries VF_TARGET so the helpers (target-specific, always inlined) inline:
 *   #include "simd_math.h"
 *   VF_TARGET void VF(pair_fast)(...) { vf_d r2 = ...; vf_d e = VF(exp)(-x * x); }
 *
 *   // the caller, plain code: switch (vf_simd_width()) { case 8: vf8_pair_fast(...); }
 *
 * VF_TARGET is __attribute__((target(...))) for the width, so no per-file compiler
 * flags are needed and the files can stay in the glob of src/. (Equivalent, if
 * preferred: per-file flags in CMakeLists.txt next to the glob,
 *   set_source_files_properties(${CMAKE_SOURCE_DIR}/src/pair_fast_w8.c PROPERTIES
 *     COMPILE_OPTIONS "-mavx512f;-mavx512dq;-mavx512vl;-mfma")
 *   set_source_files_properties(${CMAKE_SOURCE_DIR}/src/pair_fast_w4.c PROPERTIES
 *     COMPILE_OPTIONS "-mavx2;-mfma")
 * but then nothing in those files may run before the width check.) Code must not
 * test __AVX512F__/__FMA__ to choose the arithmetic: target attributes do not
 * define them (and after `#pragma GCC target` preprocessed builds, -save-temps or
 * distcc, disagree with direct ones); everything here keys on VF_W instead.
 * Partial blocks: VF(load_partial) with a harmless fill, then VF(select) by
 * VF(first_n)(n) before accumulating.
 *
 * Arithmetic: + - * / and comparisons are the vector operators; VF(fma) is fused
 * for W >= 4 (those targets include FMA) and at W <= 2 only when the whole build
 * has FMA, so widths 8 and 4 agree bit for bit with each other, and so do 2 and 1,
 * but the two groups differ in the last bits. */
#ifndef VF_SIMD_H
#define VF_SIMD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define VF_X86 1
#else
#define VF_X86 0
#endif

#define VF_CAT_(a, b, c) a##b##c
#define VF_CAT(a, b, c) VF_CAT_(a, b, c)
/* vf8_name, vf4_name, ... for the current VF_W. */
#define VF(name) VF_CAT(vf, VF_W, _##name)
#define vf_d VF_CAT(vf_v, VF_W, d)
#define vf_l VF_CAT(vf_v, VF_W, l)
#define vf_u VF_CAT(vf_v, VF_W, u)

#define VF_DECLARE_TYPES(W)                                                   \
  typedef double vf_v##W##d __attribute__((vector_size(8 * W)));              \
  typedef int64_t vf_v##W##l __attribute__((vector_size(8 * W)));             \
  typedef uint64_t vf_v##W##u __attribute__((vector_size(8 * W)));
VF_DECLARE_TYPES(1)
VF_DECLARE_TYPES(2)
VF_DECLARE_TYPES(4)
VF_DECLARE_TYPES(8)
#undef VF_DECLARE_TYPES

/* Instruction sets per width; VF_TARGET is the attribute for the current VF_W. */
#if VF_X86
#define VF_TARGET_W8 __attribute__((target("avx512f,avx512dq,avx512vl,fma")))
#define VF_TARGET_W4 __attribute__((target("avx2,fma")))
#else
#define VF_TARGET_W8
#define VF_TARGET_W4
#endif
#define VF_TARGET_W2
#define VF_TARGET_W1
#define VF_TARGET VF_CAT(VF_TARGET_W, VF_W, )
#define VF_MAX_W 8
/* Every helper: always inlined, so callable only from functions with its target
 * (VF_TARGET, or the whole file built for it). */
#define VF_FN static inline __attribute__((always_inline)) VF_TARGET
/* Fused multiply-add in hardware: the wide targets have it; 2 and 1 when the whole
 * build has it (decided here, outside any target region). */
#if defined(__FMA__) || defined(__FP_FAST_FMA)
#define VF_BUILD_FMA 1
#else
#define VF_BUILD_FMA 0
#endif
#define VF_FUSED (VF_W >= 4 || VF_BUILD_FMA)
/* The few x86 instructions that generic code does not reliably produce, by
 * width: VF_MM_OP(sqrt) is _mm512_sqrt_pd at W = 8, ... on VF_MM_D operands. */
#define VF_MM (VF_X86 && VF_W >= 2)
#define VF_MM_OP(op) VF_CAT(VF_MM_W, VF_W, )(op)
#define VF_MM_W8(op) _mm512_##op##_pd
#define VF_MM_W4(op) _mm256_##op##_pd
#define VF_MM_W2(op) _mm_##op##_pd
#define VF_MM_D VF_CAT(VF_MM_D_W, VF_W, )
#define VF_MM_D_W8 __m512d
#define VF_MM_D_W4 __m256d
#define VF_MM_D_W2 __m128d

/* The widest width this CPU (and OS) runs: 8 with AVX-512 F/DQ/VL and FMA, 4 with
 * AVX2 and FMA, else 2. */
static inline int vf_simd_width_cpu(void) {
#if VF_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
    return 8;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 4;
#endif
  return 2;
}

/* The width to run: vf_simd_width_cpu(), or VITRIFY_SIMD=8|4|2|1 from the
 * environment when that is not wider than the CPU allows (a wider request gets the
 * CPU's width; other values are ignored). Not cached: cheap, and tests change it. */
static inline int vf_simd_width(void) {
  const int cpu = vf_simd_width_cpu();
  const char *env = getenv("VITRIFY_SIMD");
  if (env && *env) {
    char *end;
    const long w = strtol(env, &end, 10);
    if (*end == '\0' && (w == 1 || w == 2 || w == 4 || w == 8)) return w < cpu ? (int)w : cpu;
  }
  return cpu;
}

/* For plain loops the compiler vectorises by itself (the bonded terms): the function
 * built for AVX-512, for AVX2 and for the baseline, the CPU's own picked when the
 * program loads (GCC's function multiversioning). Only where every build computes the
 * same bits: ISO C mode contracts no multiply-add, and nothing is reassociated, so
 * wider vectors change the speed, not the results (VITRIFY_SIMD does not apply). */
#if VF_X86 && defined(__GNUC__) && !defined(__clang__)
#define VF_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VF_CLONES
#endif

/* The build of a kernel (vf8_name, vf4_name, vf2_name, vf1_name) for the width to run. */
#define VF_WIDEST(name)                                                                  \
  (vf_simd_width() == 8   ? vf8_##name                                                  \
   : vf_simd_width() == 4 ? vf4_##name                                                  \
   : vf_simd_width() == 2 ? vf2_##name                                                  \
                          : vf1_##name)

#endif /* VF_SIMD_H */

/* ---- the width part: once per VF_W per translation unit ---- */
#ifdef VF_W
#if VF_W != 1 && VF_W != 2 && VF_W != 4 && VF_W != 8
#error "VF_W must be 1, 2, 4 or 8"
#endif
#if VF_CAT(VF_SIMD_DONE_W, VF_W, ) + 0 == 0
#if VF_W == 8
#define VF_SIMD_DONE_W8 1
#elif VF_W == 4
#define VF_SIMD_DONE_W4 1
#elif VF_W == 2
#define VF_SIMD_DONE_W2 1
#else
#define VF_SIMD_DONE_W1 1
#endif

/* A broadcast (GCC turns a lane-by-lane loop into one masked broadcast per lane). */
VF_FN vf_d VF(set1)(double s) {
#if VF_X86 && VF_W == 8
  return (vf_d)_mm512_set1_pd(s);
#elif VF_X86 && VF_W == 4
  return (vf_d)_mm256_set1_pd(s);
#elif VF_X86 && VF_W == 2
  return (vf_d)_mm_set1_pd(s);
#else
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = s;
  return r;
#endif
}
VF_FN vf_d VF(zero)(void) { return (vf_d){0}; }
/* Lane i holds i (as double): with VF(set1)(j0) + VF(iota)() the partner indices. */
VF_FN vf_d VF(iota)(void) {
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = i;
  return r;
}
/* Lanes i < n all ones: the live lanes of a partial last block. */
VF_FN vf_l VF(first_n)(int n) {
  vf_l r;
  for (int i = 0; i < VF_W; i++) r[i] = -(int64_t)(i < n);
  return r;
}

VF_FN vf_d VF(as_d)(vf_l v) { return (vf_d)v; }
VF_FN vf_l VF(as_l)(vf_d v) { return (vf_l)v; }
VF_FN vf_u VF(as_u)(vf_d v) { return (vf_u)v; }

/* p aligned to 8 W bytes. */
VF_FN vf_d VF(load)(const double *p) {
  vf_d r;
  memcpy(&r, __builtin_assume_aligned(p, 8 * VF_W), sizeof r);
  return r;
}
VF_FN vf_d VF(loadu)(const double *p) {
  vf_d r;
  memcpy(&r, p, sizeof r);
  return r;
}
VF_FN void VF(store)(double *p, vf_d v) {
  memcpy(__builtin_assume_aligned(p, 8 * VF_W), &v, sizeof v);
}
VF_FN void VF(storeu)(double *p, vf_d v) { memcpy(p, &v, sizeof v); }
/* The first n (< W) values from p, the other lanes fill; reads only p[0..n-1]. */
VF_FN vf_d VF(load_partial)(const double *p, int n, double fill) {
  vf_d r = VF(set1)(fill);
  for (int i = 0; i < VF_W && i < n; i++) r[i] = p[i];
  return r;
}
VF_FN void VF(store_partial)(double *p, vf_d v, int n) {
  for (int i = 0; i < VF_W && i < n; i++) p[i] = v[i];
}
/* Lane i = base[idx[i]] (positions and per-type parameters of the partners). */
VF_FN vf_d VF(gather)(const double *base, const int *idx) {
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = base[idx[i]];
  return r;
}

/* a*b + c: the instruction at W >= 4 (an element loop there is sometimes left as
 * scalar FMAs with shuffles, at W = 4 in the cluster kernel), else an element loop. */
VF_FN vf_d VF(fma)(vf_d a, vf_d b, vf_d c) {
#if VF_X86 && VF_W >= 4
  return (vf_d)VF_MM_OP(fmadd)((VF_MM_D)a, (VF_MM_D)b, (VF_MM_D)c);
#elif VF_FUSED
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = __builtin_fma(a[i], b[i], c[i]);
  return r;
#else
  const vf_d ab = a * b; /* two statements: no contraction (clang contracts within one) */
  return ab + c;
#endif
}
/* Lanes of mask m (all ones) take a, the others b (m's lanes are all ones or all
 * zeros, as comparisons give). As bit operations: a lane-wise `m[i] ? a : b` loop
 * compiles to a branch per lane. */
VF_FN vf_d VF(select)(vf_l m, vf_d a, vf_d b) {
  return (vf_d)(((vf_l)a & m) | ((vf_l)b & ~m));
}
/* a < b ? a : b and a > b ? a : b, as minpd/maxpd: b when either is NaN (put the
 * value that must survive a NaN second). The element loops compile to those
 * instructions only sometimes (not with a constant first), hence the intrinsics. */
VF_FN vf_d VF(min)(vf_d a, vf_d b) {
#if VF_MM
  return (vf_d)VF_MM_OP(min)((VF_MM_D)a, (VF_MM_D)b);
#else
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = a[i] < b[i] ? a[i] : b[i];
  return r;
#endif
}
VF_FN vf_d VF(max)(vf_d a, vf_d b) {
#if VF_MM
  return (vf_d)VF_MM_OP(max)((VF_MM_D)a, (VF_MM_D)b);
#else
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = a[i] > b[i] ? a[i] : b[i];
  return r;
#endif
}
/* Round to nearest (ties to even) by adding and subtracting 1.5 * 2^52: exact for
 * |a| < 2^51 in the default rounding mode (vf_round_nearest of box.h, per lane). */
VF_FN vf_d VF(round)(vf_d a) {
  const vf_d shift = VF(set1)(6755399441055744.0);
  return (a + shift) - shift;
}
VF_FN vf_d VF(abs)(vf_d a) { return (vf_d)((vf_u)a & (UINT64_MAX >> 1)); }

/* Correctly rounded square root. The element loop does not vectorise: with
 * -fmath-errno (the default) gcc keeps a libm call per lane for negative input, so
 * the vector widths use the instruction itself. */
VF_FN vf_d VF(sqrt)(vf_d a) {
#if VF_MM
  return (vf_d)VF_MM_OP(sqrt)((VF_MM_D)a);
#else
  vf_d r;
  for (int i = 0; i < VF_W; i++) r[i] = __builtin_sqrt(a[i]);
  return r;
#endif
}
/* 1/a and 1/sqrt(a) by exact division (no approximate rcp14: same results at
 * every width). */
VF_FN vf_d VF(rcp)(vf_d a) { return 1.0 / a; }
VF_FN vf_d VF(rsqrt)(vf_d a) { return 1.0 / VF(sqrt)(a); }

/* Sum of the lanes, as a fixed tree (lane i with i + W/2, ...). */
VF_FN double VF(hsum)(vf_d v) {
#if VF_W == 1
  return v[0];
#else
#if VF_W == 8
  const vf_v4d h =
      __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
#else
  const vf_d h = v;
#endif
#if VF_W >= 4
  const vf_v2d q = __builtin_shufflevector(h, h, 0, 1) + __builtin_shufflevector(h, h, 2, 3);
#else
  const vf_v2d q = h;
#endif
  return q[0] + q[1];
#endif
}

/* The lanes of a mask as bits, lane i in bit i. */
VF_FN unsigned VF(bits)(vf_l m) {
#if VF_X86 && VF_W == 8
  return _mm512_test_epi64_mask((__m512i)m, (__m512i)m);
#elif VF_X86 && VF_W == 4
  return (unsigned)_mm256_movemask_pd((__m256d)m);
#elif VF_X86 && VF_W == 2
  return (unsigned)_mm_movemask_pd((__m128d)m);
#else
  unsigned b = 0;
  for (int i = 0; i < VF_W; i++) b |= (unsigned)(m[i] & 1) << i;
  return b;
#endif
}
/* The bits of a < b (VF(bits)(a < b) without the vector of lanes at width 8). */
VF_FN unsigned VF(lt_bits)(vf_d a, vf_d b) {
#if VF_X86 && VF_W == 8
  return _mm512_cmp_pd_mask((__m512d)a, (__m512d)b, _CMP_LT_OQ);
#else
  return VF(bits)(a < b);
#endif
}
/* Whether any / every lane of a mask is set. */
VF_FN int VF(any)(vf_l m) { return VF(bits)(m) != 0; }
VF_FN int VF(all)(vf_l m) { return !VF(any)(~m); }

#endif /* this width not yet defined */
#endif /* VF_W */
