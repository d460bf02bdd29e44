/* pair_mixed_kernel.h — the cluster-pair kernel in mixed precision (as GROMACS's
 * and LAMMPS INTEL's "mixed" modes): each pair's force in single precision, the sums
 * in double once they outlive a few cluster pairs. Same lists, masks and slot buffers as
 * pair_cluster_kernel.h; a translation unit defines VF_W (8, 4 or 2: the double
 * width whose target it compiles for) and includes this, which defines
 * vf{W}_mixed_share.
 *
 * Precision: positions stay double; each cluster pair's j positions are taken
 * relative to its i cluster's first atom in double and only then rounded to float,
 * so a pair vector's error is ~1e-7 of its length at any box size. 1/sqrt and 1/x
 * are the hardware estimates with one Newton step (exact division at width 2); the
 * real-space Ewald terms are the single-precision rationals of simd_erfc_coeffs.h.
 * The j atoms' forces of a cluster pair go to the fixed-point slot sums (forcebuf.h)
 * once per cluster pair; the i atoms' lanes add in float over at most VM_FLUSH
 * cluster pairs, then in double, and go to the slot sums once per i cluster;
 * energies in double per cluster pair, kept per i cluster.
 *
 * Lanes: VM_L floats = VM_R rows of the i cluster against the 8 j atoms (16 at
 * width 8: two i atoms per AVX-512 vector; 8 below), so a row group's mask bits are
 * one contiguous field of the cluster pair's mask. */
#include "pair_cluster.h"
#include "simd.h"
#include "simd_erfc_coeffs.h"
#include "units.h"

#if VF_W == 8
#define VM_L 16
#elif VF_W == 4 || VF_W == 2
#define VM_L 8
#else
#error "the mixed kernel is built for VF_W 8, 4 and 2"
#endif
#define VM_R (VM_L / VF_CLUSTER)    /* i rows per vector */
#define VM_G (VF_CLUSTER / VM_R)    /* row groups per i cluster */
/* cluster pairs summed in float before double (16 rather than 4: Pair 3 % faster,
 * the added rounding well below that of the float pairs themselves) */
#define VM_FLUSH 16

#if VF_W == 2
/* 8-float vectors on the baseline target: the helpers are always inlined, so no
 * value crosses a call with the AVX ABI that GCC warns about. */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
typedef float vm_f __attribute__((vector_size(4 * VM_L)));
typedef int32_t vm_i __attribute__((vector_size(4 * VM_L)));
typedef float vm_f8 __attribute__((vector_size(32)));
typedef double vm_d8 __attribute__((vector_size(64)));

VF_FN vm_f vm_set1(float s) { return (vm_f){0} + s; }
VF_FN vm_f vm_select(vm_i m, vm_f a, vm_f b) { return (vm_f)(((vm_i)a & m) | ((vm_i)b & ~m)); }
VF_FN vm_f vm_fma(vm_f a, vm_f b, vm_f c) {
#if VF_W == 8
  return (vm_f)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
#elif VF_W == 4
  return (vm_f)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
#else
  return a * b + c;
#endif
}
/* Lane masks: AVX-512's mask registers at width 8, all-ones lanes below. vm_lanes
 * turns a row group's mask bits into one, vm_lt narrows one by a comparison, vm_keep
 * zeroes the lanes outside one, and vm_fma_where is a * b + c inside one and c outside
 * (whatever a * b holds there, inf or NaN included). */
#if VM_L == 16
typedef __mmask16 vm_m;
VF_FN vm_m vm_lanes(int32_t bits) { return (vm_m)bits; }
VF_FN vm_m vm_lt(vm_m m, vm_f a, vm_f b) {
  return _mm512_mask_cmp_ps_mask(m, (__m512)a, (__m512)b, _CMP_LT_OQ);
}
VF_FN vm_f vm_keep(vm_m m, vm_f v) { return (vm_f)_mm512_maskz_mov_ps(m, (__m512)v); }
VF_FN vm_f vm_fma_where(vm_m m, vm_f a, vm_f b, vm_f c) {
  return (vm_f)_mm512_mask3_fmadd_ps((__m512)a, (__m512)b, (__m512)c, m);
}
#else
typedef vm_i vm_m;
VF_FN vm_m vm_lanes(int32_t bits) {
  vm_i lane_bit;
  for (int l = 0; l < VM_L; l++) lane_bit[l] = 1 << l;
  return (((vm_i){0} + bits) & lane_bit) != 0;
}
VF_FN vm_m vm_lt(vm_m m, vm_f a, vm_f b) { return m & (a < b); }
VF_FN vm_f vm_keep(vm_m m, vm_f v) { return vm_select(m, v, (vm_f){0}); }
VF_FN vm_f vm_fma_where(vm_m m, vm_f a, vm_f b, vm_f c) {
  return vm_select(m, vm_fma(a, b, c), c);
}
#endif
/* 1/sqrt(a) and 1/a, a > 0 and finite: estimate + one Newton step (~2e-7 relative). */
VF_FN vm_f vm_rsqrt(vm_f a) {
#if VF_W == 2
  vm_f r;
  for (int l = 0; l < VM_L; l++) r[l] = 1.0f / __builtin_sqrtf(a[l]);
  return r;
#else
#if VF_W == 8
  const vm_f y = (vm_f)_mm512_rsqrt14_ps((__m512)a);
#else
  const vm_f y = (vm_f)_mm256_rsqrt_ps((__m256)a);
#endif
  return y * vm_fma(a * -0.5f, y * y, vm_set1(1.5f));
#endif
}
VF_FN vm_f vm_rcp(vm_f a) {
#if VF_W == 2
  return 1.0f / a;
#else
#if VF_W == 8
  const vm_f y = (vm_f)_mm512_rcp14_ps((__m512)a);
#else
  const vm_f y = (vm_f)_mm256_rcp_ps((__m256)a);
#endif
  return vm_fma(y, vm_fma(-a, y, vm_set1(1.0f)), y);
#endif
}
VF_FN vm_f vm_poly6(vm_f x, const float *c) {
  vm_f p = vm_set1(c[5]);
  for (int k = 4; k >= 0; k--) p = vm_fma(p, x, vm_set1(c[k]));
  return p;
}
/* The 8 values at p, in every row of a vector. */
VF_FN vm_f vm_rows(vm_f8 v) {
#if VM_L == 16
  return (vm_f)_mm512_broadcast_f32x8((__m256)v);
#else
  return v;
#endif
}
VF_FN vm_f8 vm_load8(const float *p) {
  vm_f8 v;
  memcpy(&v, p, sizeof v);
  return v;
}
/* Rows r0.. of per-row arrays (each 8 floats from its own pointer + offset). */
VF_FN vm_f vm_load_rows(const float *const *rows, int offset) {
#if VM_R == 2
  const vm_f8 a = vm_load8(rows[0] + offset), b = vm_load8(rows[1] + offset);
  return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
#else
  return vm_load8(rows[0] + offset);
#endif
}
/* The rows of a vector added lane by lane: 8 floats. */
VF_FN vm_f8 vm_fold(vm_f v) {
#if VM_R == 2
  return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
         __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
#else
  return v;
#endif
}
VF_FN double vm_hsum(vm_f v) {
  const vm_d8 d = __builtin_convertvector(vm_fold(v), vm_d8);
  return ((d[0] + d[4]) + (d[2] + d[6])) + ((d[1] + d[5]) + (d[3] + d[7]));
}

/* The i cluster's state: positions relative to its first atom, charges, LJ rows,
 * the float partial sums of its forces and their double totals, per row group. */
typedef struct VF(mcluster) {
  vm_f x[VM_G], y[VM_G], z[VM_G], q[VM_G];
  vm_f fx[VM_G], fy[VM_G], fz[VM_G];
  double dfx[VM_G][VM_L], dfy[VM_G][VM_L], dfz[VM_G][VM_L];
  const float *c12[VF_CLUSTER], *c6[VF_CLUSTER];
  /* the kernel's constants, made once per i cluster */
  vm_f cut_lj2, cut_coul2, g1, g2, minus_g3;
  double ox, oy, oz;
  int unflushed;
} VF(mcluster);

VF_FN void VF(mixed_flush)(VF(mcluster) *ic) {
  for (int g = 0; g < VM_G; g++) {
    for (int l = 0; l < VM_L; l++) {
      ic->dfx[g][l] += ic->fx[g][l];
      ic->dfy[g][l] += ic->fy[g][l];
      ic->dfz[g][l] += ic->fz[g][l];
    }
    ic->fx[g] = ic->fy[g] = ic->fz[g] = (vm_f){0};
  }
  ic->unflushed = 0;
}

/* Adds 8 float forces to 8 fixed-point slot sums (vf_fixed). A force that is not a
 * number (two atoms on one spot) adds garbage here, but the same pair leaves its i atom's
 * sum non-finite, which mixed_row reports. */
VF_FN void VF(mixed_add_slots)(int64_t *f, vm_f8 v) {
#if VM_L == 16
  /* |v| clamped keeping its sign (range: absolute minimum, sign of v) */
  const __m256 c = _mm256_range_ps((__m256)v, _mm256_set1_ps((float)VF_FIXED_CLAMP), 2);
  const __m512i d = _mm512_cvtps_epi64(_mm256_mul_ps(c, _mm256_set1_ps((float)VF_FIXED_SCALE)));
  _mm512_storeu_si512(f, _mm512_add_epi64(_mm512_loadu_si512(f), d));
#else
  for (int l = 0; l < 8; l++) f[l] += vf_fixed(v[l]);
#endif
}

enum { VM_COUL_NONE, VM_COUL_EWALD };

/* One cluster pair; `coul` and `eflag` are constants at every call site. With Coulomb,
 * the row groups with no row in coul_rows are done without. */
VF_FN void VF(mixed_pair)(const vf_cluster_kernel_args *a, VF(mcluster) *ic, int cj,
                          uint64_t mask, unsigned coul_rows, const int coul, const int eflag,
                          int64_t *fx, int64_t *fy, int64_t *fz, double *elj, double *ec) {
  const vf_cluster_list *cl = a->cl;
  const int bj = cj * VF_CLUSTER;
  vm_f8 xj8, yj8, zj8;
  for (int l = 0; l < VF_CLUSTER; l++) {
    xj8[l] = (float)(cl->x[bj + l] - ic->ox);
    yj8[l] = (float)(cl->y[bj + l] - ic->oy);
    zj8[l] = (float)(cl->z[bj + l] - ic->oz);
  }
  const vm_f xj = vm_rows(xj8), yj = vm_rows(yj8), zj = vm_rows(zj8);
  const vm_f qj = vm_rows(vm_load8(cl->qf + bj));
  vm_f fjx = {0}, fjy = {0}, fjz = {0}, elj_v = {0}, ec_v = {0};

  const vm_f cut_lj2 = ic->cut_lj2, cut_coul2 = ic->cut_coul2;
  const vm_f g1 = ic->g1, g2 = ic->g2, minus_g3 = ic->minus_g3;
  /* unrolled: each row group's offsets and shifts become constants (the kernel's share
   * of a run against unchanged parts fell by 4-5 %) */
#pragma GCC unroll 8
  for (int gr = 0; gr < VM_G; gr++) {
    const int32_t bits = (int32_t)((mask >> (gr * VM_L)) & ((1u << VM_L) - 1u));
    if (!bits) continue;
    const vm_m on = vm_lanes(bits);
    const vm_f dx = ic->x[gr] - xj, dy = ic->y[gr] - yj, dz = ic->z[gr] - zj;
    const vm_f r2 = vm_fma(dx, dx, vm_fma(dy, dy, dz * dz));
    const vm_m in_lj = vm_lt(on, r2, cut_lj2);
    const vm_f c12 = vm_load_rows(ic->c12 + gr * VM_R, bj);
    const vm_f c6 = vm_load_rows(ic->c6 + gr * VM_R, bj);
    vm_f rinv2, f;
    if (coul == VM_COUL_EWALD && (coul_rows >> (gr * VM_R) & ((1u << VM_R) - 1u))) {
      /* lanes with r^2 = 0 (an atom and itself) give inf here: masked out below */
      const vm_f rinv = vm_rsqrt(r2);
      rinv2 = rinv * rinv;
      /* cut_coul2 keeps z below the rationals' range; lanes outside it may hold inf
       * or NaN, which the masks drop */
      const vm_f z = g2 * r2;
      const vm_m screened = vm_lt(on, r2, cut_coul2);
      const vm_f qq = ic->q[gr] * qj;
      /* 1/r^3 - g^3 G(z): simd_math.h's VF(ewald_force) in single precision */
      const vm_f gfac = vm_poly6(z, vf_simd_ewaldf_gp) * vm_rcp(vm_poly6(z, vf_simd_ewaldf_gq));
      const vm_f fc = vm_fma(minus_g3, gfac, rinv2 * rinv);
      f = vm_keep(screened, qq * fc);
      if (eflag) {
        const vm_f h = vm_poly6(z, vf_simd_ewaldf_hp) * vm_rcp(vm_poly6(z, vf_simd_ewaldf_hq));
        ec_v += vm_keep(screened, qq * vm_fma(-g1, h, rinv));
      }
    } else {
      rinv2 = vm_rcp(r2);
      f = (vm_f){0};
    }
    const vm_f r4 = rinv2 * rinv2, r6 = r4 * rinv2;
    f = vm_fma_where(in_lj, vm_fma(c12, r6, -c6), r4 * r4, f);
    if (eflag)
      elj_v += vm_keep(in_lj, r6 * vm_fma(c12 * (1.0f / 12.0f), r6, -(c6 * (1.0f / 6.0f))));
    ic->fx[gr] = vm_fma(dx, f, ic->fx[gr]);
    ic->fy[gr] = vm_fma(dy, f, ic->fy[gr]);
    ic->fz[gr] = vm_fma(dz, f, ic->fz[gr]);
    fjx = vm_fma(-dx, f, fjx);
    fjy = vm_fma(-dy, f, fjy);
    fjz = vm_fma(-dz, f, fjz);
  }
  VF(mixed_add_slots)(fx + bj, vm_fold(fjx));
  VF(mixed_add_slots)(fy + bj, vm_fold(fjy));
  VF(mixed_add_slots)(fz + bj, vm_fold(fjz));
  if (eflag) {
    *elj += vm_hsum(elj_v);
    *ec += vm_hsum(ec_v);
  }
  if (++ic->unflushed == VM_FLUSH) VF(mixed_flush)(ic);
}

/* All cluster pairs of i cluster ci: near ones (with Coulomb), then far ones. */
VF_TARGET static void VF(mixed_row)(const vf_cluster_kernel_args *a, int ci, int eflag,
                                    int64_t *fx, int64_t *fy, int64_t *fz, int *bad_slot) {
  const vf_cluster_list *cl = a->cl;
  const int bi = ci * VF_CLUSTER;
  double *elj = &a->energy[2 * ci], *ec = &a->energy[2 * ci + 1];
  *elj = *ec = 0.0;
  VF(mcluster) ic;
  memset(&ic, 0, sizeof ic);
  /* w_lj switches LJ on or off; w_coul goes into the i charges */
  ic.cut_lj2 = vm_set1(a->w_lj != 0.0 ? (float)a->cut_lj2 : 0.0f);
  /* Coulomb only where the rationals hold (z = (g r)^2 < their zmax; beyond, erfc(g r)
   * < 2e-8 and the pair is left out) */
  const double zmax_r2 = VF_SIMD_EWALDF_ZMAX / (a->g * a->g);
  ic.cut_coul2 = vm_set1((float)(a->cut_coul2 < zmax_r2 ? a->cut_coul2 : zmax_r2));
  const float g = (float)a->g;
  ic.g1 = vm_set1(g);
  ic.g2 = vm_set1(g * g);
  ic.minus_g3 = vm_set1(-(g * g * g));
  ic.ox = cl->x[bi];
  ic.oy = cl->y[bi];
  ic.oz = cl->z[bi];
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    const int gr = ii / VM_R, l0 = ii % VM_R * VF_CLUSTER;
    for (int l = l0; l < l0 + VF_CLUSTER; l++) {
      ic.x[gr][l] = (float)(cl->x[bi + ii] - ic.ox);
      ic.y[gr][l] = (float)(cl->y[bi + ii] - ic.oy);
      ic.z[gr][l] = (float)(cl->z[bi + ii] - ic.oz);
      ic.q[gr][l] = (float)(a->w_coul * VF_QQR2E * cl->q[bi + ii]);
    }
    /* padding (type ntypes) has an all-zero mask byte: any row will do */
    const long row = (long)(cl->type[bi + ii] < a->p->ntypes ? cl->type[bi + ii] : 0) * cl->nslots;
    ic.c12[ii] = cl->lj_c12f + row;
    ic.c6[ii] = cl->lj_c6f + row;
  }
  const int far0 = cl->pair_far[ci], end = cl->pair_end[ci];
  /* near cluster pairs with Coulomb, far ones without; a body per eflag */
#define VM_ROW_PAIRS(eflag)                                                                     \
  for (int k = cl->pair_start[ci]; k < end; k++)                                                \
    if (k < far0)                                                                               \
      VF(mixed_pair)(a, &ic, cl->pair_cj[k], cl->pair_mask[k], cl->pair_coul_rows[k],           \
                     VM_COUL_EWALD, eflag, fx, fy, fz, elj, ec);                                \
    else                                                                                        \
      VF(mixed_pair)(a, &ic, cl->pair_cj[k], cl->pair_mask[k], 0, VM_COUL_NONE, eflag, fx, fy,   \
                     fz, elj, ec)
  if (eflag)
    VM_ROW_PAIRS(1);
  else
    VM_ROW_PAIRS(0);
#undef VM_ROW_PAIRS
  VF(mixed_flush)(&ic);
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    const int gr = ii / VM_R, l0 = ii % VM_R * VF_CLUSTER;
    double sx = 0, sy = 0, sz = 0;
    for (int l = l0; l < l0 + VF_CLUSTER; l++) {
      sx += ic.dfx[gr][l];
      sy += ic.dfy[gr][l];
      sz += ic.dfz[gr][l];
    }
    if (!isfinite(sx + sy + sz)) {
      *bad_slot = bi + ii;
      continue;
    }
    fx[bi + ii] += vf_fixed(sx);
    fy[bi + ii] += vf_fixed(sy);
    fz[bi + ii] += vf_fixed(sz);
  }
}

/* The chunks this thread takes from the queue. */
VF_TARGET void VF(mixed_share)(const vf_cluster_kernel_args *a, vf_cluster_queue *queue, int eflag,
                               int64_t *fx, int64_t *fy, int64_t *fz, int *bad_slot) {
  for (int begin, end; vf_cluster_queue_take(queue, &begin, &end);)
    for (int ci = begin; ci < end; ci++) VF(mixed_row)(a, ci, eflag, fx, fy, fz, bad_slot);
}

#undef VM_L
#undef VM_R
#undef VM_G
#undef VM_FLUSH
