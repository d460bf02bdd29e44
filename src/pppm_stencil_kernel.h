/* pppm_stencil_kernel.h — vf{W}_pppm_stencils (pppm_stencil.h) for one vector width:
 * a translation unit defines VF_W and includes this. Every step is straight-line
 * arithmetic on VF_W atoms (fractional coordinates, the B-spline recursion for a
 * constant order, the sine and cosine series); only the stores are lane by lane. */
#include "pppm_stencil.h"
#include "simd_math.h"
#include "units.h"

/* From a[i] = M_m(i + x), i < m, to M_{m+1}: M_{m+1}(y) = (y M_m(y) + (m + 1 - y)
 * M_m(y - 1)) / m, lane by lane (bspline.c's recursion). */
VF_FN void VF(bspline_raise)(vf_d x, int m, vf_d *a) {
  const double inv_m = 1.0 / m;
  a[m] = a[m - 1] * (1.0 - x) * inv_m;
  for (int i = m - 1; i > 0; i--) a[i] = ((i + x) * a[i] + ((m + 1 - i) - x) * a[i - 1]) * inv_m;
  a[0] = a[0] * (x * inv_m);
}

/* The order-P weights w[j] and derivatives dw[j] of the points within P/2 of mesh
 * coordinate u, the first of which (returned, as a double) lies just above u - P/2.
 * The derivative is the difference of M_{P-1} at neighbouring points. */
VF_FN vf_d VF(stencil_weights)(vf_d u, const int order, vf_d *w, vf_d *dw) {
  const vf_d c = u - 0.5 * order, r = VF(round)(c);
  const vf_d fc = VF(select)(r > c, r - 1.0, r), x = c - fc; /* floor, x in [0, 1) */
  const vf_d zero = VF(zero)();
  vf_d a[VF_PPPM_ORDER_MAX];
  a[0] = VF(set1)(1.0);
  for (int m = 1; m < order - 1; m++) VF(bspline_raise)(x, m, a);
  for (int j = 0; j < order; j++) {
    const int i = order - 1 - j;
    dw[j] = (i < order - 1 ? a[i] : zero) - (i > 0 ? a[i - 1] : zero);
  }
  VF(bspline_raise)(x, order - 1, a);
  for (int j = 0; j < order; j++) w[j] = a[order - 1 - j];
  return fc + 1.0;
}

/* sin 2πu and cos 2πu: u reduced exactly to its nearest quarter turn q, Taylor series
 * to x^15 and x^16 on |x| <= π/4 (truncation below 5e-17), rotated by q quarters. */
VF_FN void VF(sincos_2pi)(vf_d u, vf_d *sn, vf_d *cs) {
  static const double sin_c[8] = {1.0,           -1.0 / 6.0,         1.0 / 120.0,
                                  -1.0 / 5040.0, 1.0 / 362880.0,     -1.0 / 39916800.0,
                                  1.0 / 6227020800.0, -1.0 / 1307674368000.0};
  static const double cos_c[9] = {1.0,          -1.0 / 2.0,           1.0 / 24.0,
                                  -1.0 / 720.0, 1.0 / 40320.0,        -1.0 / 3628800.0,
                                  1.0 / 479001600.0, -1.0 / 87178291200.0, 1.0 / 20922789888000.0};
  const vf_d t = u - VF(round)(u), q = VF(round)(4.0 * t); /* q in -2..2 */
  const vf_d x = (2.0 * VF_PI) * (t - 0.25 * q), x2 = x * x;
  const vf_d s0 = x * VF(poly)(x2, sin_c, 8), c0 = VF(poly)(x2, cos_c, 9);
  /* x + q π/2: odd q swaps sine and cosine, q = 2, -1, -2 flip both signs */
  const vf_l odd = VF(abs)(q) == VF(set1)(1.0);
  const vf_l flip = (q > VF(set1)(1.5)) | (q < VF(set1)(-0.5));
  const vf_d s = VF(select)(odd, c0, s0), c = VF(select)(odd, -s0, c0);
  *sn = VF(select)(flip, -s, s);
  *cs = VF(select)(flip, -c, c);
}

/* One block of at most VF_W atoms, for a constant order. */
VF_FN void VF(stencil_block)(const vf_box *box, const int mesh[3], const int order,
                             const double *x, const double *y, const double *z, int i, int m,
                             int *first, double *weights, double *phase) {
  const vf_d dx = VF(load_partial)(x + i, m, box->lo[0]) - box->lo[0];
  const vf_d dy = VF(load_partial)(y + i, m, box->lo[1]) - box->lo[1];
  const vf_d dz = VF(load_partial)(z + i, m, box->lo[2]) - box->lo[2];
  vf_d s[3];
  s[2] = dz / box->lz;
  s[1] = (dy - box->yz * s[2]) / box->ly;
  s[0] = (dx - box->xy * s[1] - box->xz * s[2]) / box->lx;
  for (int d = 0; d < 3; d++) {
    const vf_d u = s[d] * (double)mesh[d]; /* mesh coordinate n_d s_d */
    vf_d w[VF_PPPM_ORDER_MAX], dw[VF_PPPM_ORDER_MAX], sn, cs;
    const vf_d start = VF(stencil_weights)(u, order, w, dw);
    VF(sincos_2pi)(u, &sn, &cs);
    for (int l = 0; l < m; l++) {
      const int a = i + l, n = mesh[d], f = (int)start[l] % n;
      first[3 * a + d] = f < 0 ? f + n : f;
      double *wt = weights + 6 * (size_t)order * a;
      for (int j = 0; j < order; j++) {
        wt[d * order + j] = w[j][l];
        wt[(3 + d) * order + j] = dw[j][l];
      }
      phase[6 * (size_t)a + d] = sn[l];
      phase[6 * (size_t)a + 3 + d] = cs[l];
    }
  }
}

VF_TARGET void VF(pppm_stencils)(const vf_box *box, const int mesh[3], int order, const double *x,
                                 const double *y, const double *z, int i0, int i1, int *first,
                                 double *weights, double *phase) {
  /* a body per common order, so the recursion unrolls */
#define VF_STENCIL_LOOP(P)                                                                   \
  for (int i = i0; i < i1; i += VF_W)                                                        \
    VF(stencil_block)(box, mesh, P, x, y, z, i, i1 - i < VF_W ? i1 - i : VF_W, first, weights, \
                      phase)
  switch (order) {
    case 4: VF_STENCIL_LOOP(4); break;
    case 5: VF_STENCIL_LOOP(5); break;
    default: VF_STENCIL_LOOP(order);
  }
#undef VF_STENCIL_LOOP
}

/* ---- spreading and interpolation, a stencil row as one vector ---- */
/* With AVX-512 a row of P <= 8 points is one vector of VF_PPPM_ROW doubles (the lanes
 * past P meet zero weights or are never summed); narrower targets, where such a
 * vector would live on the stack, take the row's P points as plain arrays. The same
 * arithmetic either way, lane by lane. */
#if VF_W == 8
typedef double vf_row __attribute__((vector_size(VF_PPPM_ROW * sizeof(double))));
#define VF_ROW_LANE(r, c) ((r)[c])
VF_FN vf_row VF(row_load)(const double *p, const int P) {
  (void)P;
  vf_row v;
  memcpy(&v, p, sizeof v);
  return v;
}
/* r + s x */
VF_FN vf_row VF(row_axpy)(vf_row r, double s, vf_row x, const int P) {
  (void)P;
  return r + s * x;
}
/* p[c] += s w[c] */
VF_FN void VF(row_add_to)(double *p, double s, vf_row w, const int P) {
  const vf_row v = VF(row_load)(p, P) + s * w;
  memcpy(p, &v, sizeof v);
}
#else
typedef struct { double v[VF_PPPM_ROW]; } vf_row;
#define VF_ROW_LANE(r, c) ((r).v[c])
VF_FN vf_row VF(row_load)(const double *p, const int P) {
  vf_row r;
  for (int c = 0; c < P; c++) r.v[c] = p[c];
  return r;
}
VF_FN vf_row VF(row_axpy)(vf_row r, double s, vf_row x, const int P) {
  for (int c = 0; c < P; c++) r.v[c] += s * x.v[c];
  return r;
}
VF_FN void VF(row_add_to)(double *p, double s, vf_row w, const int P) {
  for (int c = 0; c < P; c++) p[c] += s * w.v[c];
}
#endif
VF_FN vf_row VF(row_zero)(void) { return (vf_row){0}; }
/* The first n values at p, zeros after. */
VF_FN vf_row VF(row_head)(const double *p, const int n) {
  vf_row r = VF(row_zero)();
  for (int c = 0; c < n; c++) VF_ROW_LANE(r, c) = p[c];
  return r;
}

/* Mesh indices of a stencil along one dimension, wrapped. */
VF_FN void VF(stencil_indices)(int first, int n, const int order, int *idx) {
  for (int j = 0, m = first; j < order; j++) {
    idx[j] = m;
    if (++m == n) m = 0;
  }
}

VF_FN void VF(spread_atom)(const int mesh[3], const int P, int row_padded, const int *first,
                           const double *wt, double q, double *padded) {
  int idx[2][VF_PPPM_ORDER_MAX];
  for (int d = 0; d < 2; d++) VF(stencil_indices)(first[d], mesh[d], P, idx[d]);
  const vf_row w2 = VF(row_head)(wt + 2 * P, P);
  double *base = padded + first[2];
  for (int a = 0; a < P; a++)
    for (int b = 0; b < P; b++) {
      double *row = base + ((size_t)idx[0][a] * mesh[1] + idx[1][b]) * row_padded;
      const double qab = q * wt[a] * wt[P + b];
      VF(row_add_to)(row, qab, w2, P);
    }
}

VF_TARGET void VF(pppm_spread)(const int mesh[3], int order, int row_padded, const int *first,
                               const double *weights, const double *q, int i0, int i1,
                               double *padded) {
  /* a body per common order, so the loops unroll */
#define VF_SPREAD_LOOP(P)                                                                   \
  for (int i = i0; i < i1; i++)                                                             \
  VF(spread_atom)(mesh, P, row_padded, first + 3 * i, weights + 6 * (size_t)(P) * i, q[i], padded)
  switch (order) {
    case 4: VF_SPREAD_LOOP(4); break;
    case 5: VF_SPREAD_LOOP(5); break;
    default: VF_SPREAD_LOOP(order);
  }
#undef VF_SPREAD_LOOP
}

/* Each row's points are weighted lane by lane, summed over the middle index with the
 * weights and with their derivatives, then over the first index for d/du_0, d/du_1
 * and the values themselves, and over the last index at the end. */
VF_FN void VF(gradient_atom)(const int mesh[3], const int P, int row_padded, const int *first,
                             const double *wt, const double *padded, double *grad) {
  int idx[2][VF_PPPM_ORDER_MAX];
  for (int d = 0; d < 2; d++) VF(stencil_indices)(first[d], mesh[d], P, idx[d]);
  const double *dwt = wt + 3 * P;
  const double *base = padded + first[2];
  vf_row r0 = VF(row_zero)(), r1 = VF(row_zero)(), r2 = VF(row_zero)();
  for (int a = 0; a < P; a++) {
    vf_row t = VF(row_zero)(), u = VF(row_zero)();
    for (int b = 0; b < P; b++) {
      const double *row = base + ((size_t)idx[0][a] * mesh[1] + idx[1][b]) * row_padded;
      const vf_row values = VF(row_load)(row, P);
      t = VF(row_axpy)(t, wt[P + b], values, P);
      u = VF(row_axpy)(u, dwt[P + b], values, P);
    }
    r0 = VF(row_axpy)(r0, dwt[a], t, P);
    r1 = VF(row_axpy)(r1, wt[a], u, P);
    r2 = VF(row_axpy)(r2, wt[a], t, P);
  }
  double g0 = 0, g1 = 0, g2 = 0;
  for (int c = 0; c < P; c++) {
    g0 += VF_ROW_LANE(r0, c) * wt[2 * P + c];
    g1 += VF_ROW_LANE(r1, c) * wt[2 * P + c];
    g2 += VF_ROW_LANE(r2, c) * dwt[2 * P + c];
  }
  grad[0] = g0;
  grad[1] = g1;
  grad[2] = g2;
}

VF_TARGET void VF(pppm_gradient)(const int mesh[3], int order, int row_padded, const int *first,
                                 const double *weights, const double *padded, int i0, int i1,
                                 double *grad) {
#define VF_GRADIENT_LOOP(P)                                                                  \
  for (int i = i0; i < i1; i++)                                                              \
  VF(gradient_atom)(mesh, P, row_padded, first + 3 * i, weights + 6 * (size_t)(P) * i, padded, \
                    grad + 3 * (i - i0))
  switch (order) {
    case 4: VF_GRADIENT_LOOP(4); break;
    case 5: VF_GRADIENT_LOOP(5); break;
    default: VF_GRADIENT_LOOP(order);
  }
#undef VF_GRADIENT_LOOP
}
#undef VF_ROW_LANE
