/* pair_cluster_kernel.h — the cluster-pair kernel, written once for every vector
 * width: a translation unit defines VF_W (8, 4, 2 or 1) and includes this, which
 * defines vf{W}_cluster_share. One i atom at a time meets a whole j cluster as
 * VF_CLUSTER / VF_W vectors; masks (the cluster pair's bits, the cut-offs) select,
 * so there are no branches per pair, no gathers of positions and no scattered
 * stores. See pair_cluster.c for the driver. */
#include "pair_cluster.h"
#include "simd_math.h"
#include "units.h"

#define VF_NV (VF_CLUSTER / VF_W)

/* LAMMPS's erfc for coul/long (Abramowitz & Stegun 7.1.26), given e^{-x^2}. */
VF_FN vf_d VF(erfc_lammps)(vf_d x, vf_d exp_mx2) {
  const vf_d t = 1.0 / VF(fma)(x, VF(set1)(0.3275911), VF(set1)(1.0));
  vf_d p = VF(fma)(t, VF(set1)(1.061405429), VF(set1)(-1.453152027));
  p = VF(fma)(t, p, VF(set1)(1.421413741));
  p = VF(fma)(t, p, VF(set1)(-0.284496736));
  p = VF(fma)(t, p, VF(set1)(0.254829592));
  return t * p * exp_mx2;
}

/* The i cluster's state while its cluster pairs are done: broadcast positions and
 * charges, per-type LJ rows, and force accumulators summed across lanes only once,
 * after the last pair. */
typedef struct VF(icluster) {
  vf_d x[VF_CLUSTER], y[VF_CLUSTER], z[VF_CLUSTER], q[VF_CLUSTER];
  vf_d fx[VF_CLUSTER], fy[VF_CLUSTER], fz[VF_CLUSTER];
  const double *c12[VF_CLUSTER], *c6[VF_CLUSTER];
} VF(icluster);

/* How a cluster pair's Coulomb is computed: not at all (beyond its reach), the
 * rational form of simd_math.h, or with LAMMPS's erfc (for comparisons with it). */
enum { VF_COUL_NONE, VF_COUL_EWALD, VF_COUL_LAMMPS };

/* Real-space Coulomb of unit charges at r2 > 0 for coul VF_COUL_EWALD or
 * VF_COUL_LAMMPS: the force factor (erfc(g r)/r + 2g/sqrt(pi) e^{-g^2 r^2})/r^2, with
 * 1/r^2 in *rinv2 and erfc(g r)/r in *erfc_r (with eflag; always with LAMMPS's erfc). */
VF_FN vf_d VF(coul_long)(vf_d r2, double g, const int coul, const int eflag, vf_d *rinv2,
                         vf_d *erfc_r) {
  if (coul == VF_COUL_EWALD) {
    const vf_d fc = VF(ewald_force)(r2, g, rinv2);
    if (eflag) *erfc_r = VF(ewald_energy)(r2, g);
    return fc;
  }
  const vf_d r = VF(sqrt)(r2), x = g * r, e = VF(exp)(-(g * g) * r2);
  const vf_d inv_r = 1.0 / r;
  *erfc_r = VF(erfc_lammps)(x, e) * inv_r;
  *rinv2 = inv_r * inv_r;
  return VF(fma)(1.12837916709551257390 * x, e * inv_r, *erfc_r) * *rinv2;
}

/* One cluster pair. `coul` and `eflag` are constants at every call site, so each
 * combination gets its own body; with Coulomb, i rows not in coul_rows go without. */
VF_FN void VF(cluster_pair)(const vf_cluster_kernel_args *a, VF(icluster) *ic, int cj,
                            uint64_t mask, unsigned coul_rows, const int coul, const int eflag,
                            double *fx, double *fy, double *fz, vf_d *elj, vf_d *ec) {
  const vf_cluster_list *cl = a->cl;
  const int bj = cj * VF_CLUSTER;
  vf_d xj[VF_NV], yj[VF_NV], zj[VF_NV], qj[VF_NV];
  vf_d fjx[VF_NV], fjy[VF_NV], fjz[VF_NV];
  for (int v = 0; v < VF_NV; v++) {
    xj[v] = VF(loadu)(cl->x + bj + v * VF_W);
    yj[v] = VF(loadu)(cl->y + bj + v * VF_W);
    zj[v] = VF(loadu)(cl->z + bj + v * VF_W);
    qj[v] = VF(loadu)(cl->q + bj + v * VF_W);
    fjx[v] = fjy[v] = fjz[v] = VF(zero)();
  }
  /* lane_bit[v]: which bit of an i atom's byte of the mask each lane stands for */
  vf_l lane_bit[VF_NV];
  for (int v = 0; v < VF_NV; v++)
    for (int l = 0; l < VF_W; l++) lane_bit[v][l] = (int64_t)1 << (v * VF_W + l);
  const vf_d one = VF(set1)(1.0), zero = VF(zero)();
  const vf_d cut_lj2 = VF(set1)(a->cut_lj2), cut_coul2 = VF(set1)(a->cut_coul2);
  const vf_d w_lj = VF(set1)(a->w_lj), w_coul = VF(set1)(a->w_coul);
  /* unrolled, as the mixed kernel's row groups (the kernel's share of a run ~5 % lower) */
#pragma GCC unroll 8
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    const int64_t bits = (int64_t)((mask >> (ii * VF_CLUSTER)) & 0xFFu);
    if (!bits) continue;
    const vf_l bits_v = (vf_l)VF(zero)() + bits;
    vf_d fix = ic->fx[ii], fiy = ic->fy[ii], fiz = ic->fz[ii];
    for (int v = 0; v < VF_NV; v++) {
      const vf_d dx = ic->x[ii] - xj[v], dy = ic->y[ii] - yj[v], dz = ic->z[ii] - zj[v];
      const vf_d r2 = VF(fma)(dx, dx, VF(fma)(dy, dy, dz * dz));
      const vf_l on = (bits_v & lane_bit[v]) != 0;
      const vf_l in_lj = on & (r2 < cut_lj2);
      const vf_d c12 = VF(loadu)(ic->c12[ii] + bj + v * VF_W);
      const vf_d c6 = VF(loadu)(ic->c6[ii] + bj + v * VF_W);
      vf_d rinv2, f;
      if (coul != VF_COUL_NONE && (coul_rows >> ii & 1)) {
        const vf_l in_c = on & (r2 < cut_coul2);
        const vf_d r2s = VF(select)(in_lj | in_c, r2, one);
        const vf_d qq = ic->q[ii] * qj[v];
        vf_d erfc_r = zero;
        const vf_d fc = VF(coul_long)(r2s, a->g, coul, eflag, &rinv2, &erfc_r);
        f = w_coul * VF(select)(in_c, qq * fc, zero);
        if (eflag) *ec += VF(select)(in_c, qq * erfc_r, zero);
      } else {
        rinv2 = 1.0 / VF(select)(in_lj, r2, one);
        f = zero;
      }
      const vf_d r6 = rinv2 * rinv2 * rinv2;
      const vf_d flj = VF(select)(in_lj, r6 * VF(fma)(c12, r6, -c6) * rinv2, zero);
      f = VF(fma)(w_lj, flj, f);
      /* E = 4εσ¹²/r¹² − 4εσ⁶/r⁶ = c12/12 r⁻¹² − c6/6 r⁻⁶ */
      if (eflag)
        *elj += VF(select)(in_lj, r6 * VF(fma)(c12 * (1.0 / 12.0), r6, -(c6 * (1.0 / 6.0))),
                           zero);
      fix = VF(fma)(dx, f, fix);
      fiy = VF(fma)(dy, f, fiy);
      fiz = VF(fma)(dz, f, fiz);
      fjx[v] = VF(fma)(-dx, f, fjx[v]);
      fjy[v] = VF(fma)(-dy, f, fjy[v]);
      fjz[v] = VF(fma)(-dz, f, fjz[v]);
    }
    ic->fx[ii] = fix;
    ic->fy[ii] = fiy;
    ic->fz[ii] = fiz;
  }
  for (int v = 0; v < VF_NV; v++) {
    double *px = fx + bj + v * VF_W, *py = fy + bj + v * VF_W, *pz = fz + bj + v * VF_W;
    VF(storeu)(px, VF(loadu)(px) + fjx[v]);
    VF(storeu)(py, VF(loadu)(py) + fjy[v]);
    VF(storeu)(pz, VF(loadu)(pz) + fjz[v]);
  }
}

/* Cluster pairs [k0, k1) of the kernel's list. */
VF_FN void VF(pair_range)(const vf_cluster_kernel_args *a, VF(icluster) *ic, int k0, int k1,
                          const int coul, const int eflag, double *fx, double *fy, double *fz,
                          vf_d *elj, vf_d *ec) {
  for (int k = k0; k < k1; k++)
    VF(cluster_pair)(a, ic, a->cl->pair_cj[k], a->cl->pair_mask[k], a->cl->pair_coul_rows[k], coul,
                     eflag, fx, fy, fz, elj, ec);
}

/* The cluster pairs of i cluster ci: near ones (with Coulomb), then far ones. */
VF_FN void VF(row_pairs)(const vf_cluster_kernel_args *a, VF(icluster) *ic, int ci,
                         const int eflag, double *fx, double *fy, double *fz, vf_d *elj,
                         vf_d *ec) {
  const vf_cluster_list *cl = a->cl;
  if (a->lammps_erfc)
    VF(pair_range)(a, ic, cl->pair_start[ci], cl->pair_far[ci], VF_COUL_LAMMPS, eflag, fx, fy,
                   fz, elj, ec);
  else
    VF(pair_range)(a, ic, cl->pair_start[ci], cl->pair_far[ci], VF_COUL_EWALD, eflag, fx, fy,
                   fz, elj, ec);
  VF(pair_range)(a, ic, cl->pair_far[ci], cl->pair_end[ci], VF_COUL_NONE, eflag, fx, fy, fz, elj,
                 ec);
}

/* All cluster pairs of i cluster ci. */
VF_TARGET static void VF(cluster_row)(const vf_cluster_kernel_args *a, int ci, int eflag,
                                      double *fx, double *fy, double *fz, vf_d *elj, vf_d *ec) {
  const vf_cluster_list *cl = a->cl;
  const int bi = ci * VF_CLUSTER;
  VF(icluster) ic;
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    ic.x[ii] = VF(set1)(cl->x[bi + ii]);
    ic.y[ii] = VF(set1)(cl->y[bi + ii]);
    ic.z[ii] = VF(set1)(cl->z[bi + ii]);
    ic.q[ii] = VF(set1)(VF_QQR2E * cl->q[bi + ii]);
    ic.fx[ii] = ic.fy[ii] = ic.fz[ii] = VF(zero)();
    /* padding (type ntypes) has an all-zero mask byte: any row will do */
    const long row = (long)(cl->type[bi + ii] < a->p->ntypes ? cl->type[bi + ii] : 0) * cl->nslots;
    ic.c12[ii] = cl->lj_c12 + row;
    ic.c6[ii] = cl->lj_c6 + row;
  }
  if (eflag)
    VF(row_pairs)(a, &ic, ci, 1, fx, fy, fz, elj, ec);
  else
    VF(row_pairs)(a, &ic, ci, 0, fx, fy, fz, elj, ec);
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    fx[bi + ii] += VF(hsum)(ic.fx[ii]);
    fy[bi + ii] += VF(hsum)(ic.fy[ii]);
    fz[bi + ii] += VF(hsum)(ic.fz[ii]);
  }
}

/* One thread's share (vf_cluster_deal). */
VF_TARGET void VF(cluster_share)(const vf_cluster_kernel_args *a, int tid, int nthreads,
                                 int eflag, double *fx, double *fy, double *fz, double *e_lj,
                                 double *e_coul) {
  const vf_cluster_list *cl = a->cl;
  vf_d elj = VF(zero)(), ec = VF(zero)();
  long load[nthreads];
  vf_cluster_deal deal = vf_cluster_deal_start(cl, nthreads, load);
  for (int begin, end; vf_cluster_deal_next(&deal, tid, &begin, &end);)
    for (int ci = begin; ci < end; ci++) VF(cluster_row)(a, ci, eflag, fx, fy, fz, &elj, &ec);
  *e_lj = VF(hsum)(elj);
  *e_coul = VF(hsum)(ec);
}

#if VF_X86 && VF_W == 8
/* AVX-512 pruning in single precision, two i rows per vector of 16 floats (half the
 * instructions of double): positions relative to the i cluster's first atom, taken in
 * double and then rounded (~1e-6 Å), compared with radii widened by VF_PRUNE_MARGIN,
 * so rounding can only keep a pair, never drop one. */
#define VF_PRUNE_MARGIN 1e-4 /* Å */
typedef struct VF(prune_i) {
  __m512 x[4], y[4], z[4]; /* rows 2g and 2g+1 in lanes 0-7 and 8-15 */
  double ox, oy, oz;
  __m512 r2, rn2;
} VF(prune_i);

VF_FN void VF(prune_start)(VF(prune_i) *pi, const vf_cluster_list *cl, int ci, double rinner,
                           double rnear) {
  const int bi = ci * VF_CLUSTER;
  pi->ox = cl->x[bi];
  pi->oy = cl->y[bi];
  pi->oz = cl->z[bi];
  for (int g = 0; g < 4; g++) {
    float x[16], y[16], z[16];
    for (int l = 0; l < 16; l++) {
      const int a = bi + 2 * g + l / 8;
      x[l] = (float)(cl->x[a] - pi->ox);
      y[l] = (float)(cl->y[a] - pi->oy);
      z[l] = (float)(cl->z[a] - pi->oz);
    }
    pi->x[g] = _mm512_loadu_ps(x);
    pi->y[g] = _mm512_loadu_ps(y);
    pi->z[g] = _mm512_loadu_ps(z);
  }
  const double ri = rinner + VF_PRUNE_MARGIN, rn = rnear + VF_PRUNE_MARGIN;
  pi->r2 = _mm512_set1_ps((float)(ri * ri));
  pi->rn2 = _mm512_set1_ps((float)(rn * rn));
}

/* The j cluster's coordinate relative to the i origin, in both halves of a vector. */
VF_FN __m512 VF(prune_j)(const double *c, int bj, double origin) {
  const __m256 v = _mm512_cvtpd_ps(_mm512_sub_pd(_mm512_loadu_pd(c + bj), _mm512_set1_pd(origin)));
  return _mm512_broadcast_f32x8(v);
}

/* The atom pairs of mask in cluster pair (ci, cj) within the pruned radius, and in
 * *near_rows the i rows with one within the Coulomb radius. */
VF_FN uint64_t VF(prune_pair)(const VF(prune_i) *pi, const vf_cluster_list *cl, int cj,
                              uint64_t mask, unsigned *near_rows) {
  const int bj = cj * VF_CLUSTER;
  const __m512 xj = VF(prune_j)(cl->x, bj, pi->ox), yj = VF(prune_j)(cl->y, bj, pi->oy),
               zj = VF(prune_j)(cl->z, bj, pi->oz);
  uint64_t kept = 0;
  unsigned rows = 0;
  for (int g = 0; g < 4; g++) {
    const __mmask16 bits = (__mmask16)(mask >> (16 * g));
    if (!bits) continue;
    const __m512 dx = _mm512_sub_ps(pi->x[g], xj), dy = _mm512_sub_ps(pi->y[g], yj),
                 dz = _mm512_sub_ps(pi->z[g], zj);
    const __m512 d2 = _mm512_fmadd_ps(dx, dx, _mm512_fmadd_ps(dy, dy, _mm512_mul_ps(dz, dz)));
    kept |= (uint64_t)_mm512_mask_cmp_ps_mask(bits, d2, pi->r2, _CMP_LT_OQ) << (16 * g);
    const unsigned in_near = _mm512_mask_cmp_ps_mask(bits, d2, pi->rn2, _CMP_LT_OQ);
    rows |= (unsigned)((in_near & 0xFFu) != 0) << (2 * g) |
            (unsigned)((in_near >> 8) != 0) << (2 * g + 1);
  }
  *near_rows = rows;
  return kept;
}
#else
/* Pruning in double, an i row at a time against the VF_NV vectors of the j cluster. */
typedef struct VF(prune_i) {
  int bi;
  vf_d r2, rn2;
} VF(prune_i);

VF_FN void VF(prune_start)(VF(prune_i) *pi, const vf_cluster_list *cl, int ci, double rinner,
                           double rnear) {
  pi->bi = ci * VF_CLUSTER;
  pi->r2 = VF(set1)(rinner * rinner);
  pi->rn2 = VF(set1)(rnear * rnear);
}

/* The atom pairs of mask in cluster pair (ci, cj) within the pruned radius, and in
 * *near_rows the i rows with one within the Coulomb radius. */
VF_FN uint64_t VF(prune_pair)(const VF(prune_i) *pi, const vf_cluster_list *cl, int cj,
                              uint64_t mask, unsigned *near_rows) {
  const int bi = pi->bi, bj = cj * VF_CLUSTER;
  uint64_t kept = 0;
  unsigned rows = 0;
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    const unsigned bits = (unsigned)(mask >> (ii * VF_CLUSTER)) & 0xFFu;
    if (!bits) continue;
    const vf_d xi = VF(set1)(cl->x[bi + ii]), yi = VF(set1)(cl->y[bi + ii]),
               zi = VF(set1)(cl->z[bi + ii]);
    unsigned in = 0, in_near = 0;
    for (int v = 0; v < VF_NV; v++) {
      const int j = bj + v * VF_W;
      const vf_d dx = xi - VF(loadu)(cl->x + j), dy = yi - VF(loadu)(cl->y + j),
                 dz = zi - VF(loadu)(cl->z + j);
      const vf_d d2 = VF(fma)(dx, dx, VF(fma)(dy, dy, dz * dz));
      in |= VF(lt_bits)(d2, pi->r2) << (v * VF_W);
      in_near |= VF(lt_bits)(d2, pi->rn2) << (v * VF_W);
    }
    kept |= (uint64_t)(bits & in) << (ii * VF_CLUSTER);
    rows |= (unsigned)((bits & in_near) != 0) << ii;
  }
  *near_rows = rows;
  return kept;
}
#endif

/* See vf_cluster_prune. */
VF_TARGET void VF(cluster_prune)(vf_cluster_list *cl, double rinner, double rnear) {
  long kept = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : kept)
  for (int ci = 0; ci < cl->nlocal; ci++) {
    VF(prune_i) pi;
    VF(prune_start)(&pi, cl, ci, rinner, rnear);
    /* Near pairs from the front, far ones from the back, then moved down after them. */
    const int start = cl->pair_start[ci], end = cl->pair_start[ci + 1];
    int front = start, back = end;
    long work = 0;
    for (int k = start; k < end; k++) {
      unsigned near_rows;
      const uint64_t m = VF(prune_pair)(&pi, cl, cl->outer_cj[k], cl->outer_mask[k], &near_rows);
      if (!m) continue;
      work += vf_cluster_pair_work(m, near_rows);
      const int w = near_rows ? front++ : --back;
      cl->pair_cj[w] = cl->outer_cj[k];
      cl->pair_mask[w] = m;
      cl->pair_coul_rows[w] = (unsigned char)near_rows;
    }
    const int nfar = end - back;
    memmove(cl->pair_cj + front, cl->pair_cj + back, sizeof(int) * (size_t)nfar);
    memmove(cl->pair_mask + front, cl->pair_mask + back, sizeof(uint64_t) * (size_t)nfar);
    memmove(cl->pair_coul_rows + front, cl->pair_coul_rows + back, (size_t)nfar);
    cl->pair_far[ci] = front;
    cl->pair_end[ci] = front + nfar;
    cl->work_end[ci] = work; /* the cluster's own; vf_cluster_prune makes it cumulative */
    kept += front + nfar - start;
  }
  cl->npairs = (int)kept;
}

/* Nearest images of VF_W displacements: vf_box_minimum_image's reduction (along c,
 * then b, then a) without its branches, rounding by VF(round). */
VF_FN void VF(minimum_image)(const vf_box *box, vf_d *dx, vf_d *dy, vf_d *dz) {
  const vf_d nz = VF(round)(*dz * (1.0 / box->lz));
  *dx -= nz * box->xz;
  *dy -= nz * box->yz;
  *dz -= nz * box->lz;
  const vf_d ny = VF(round)(*dy * (1.0 / box->ly));
  *dx -= ny * box->xy;
  *dy -= ny * box->ly;
  *dx -= VF(round)(*dx * (1.0 / box->lx)) * box->lx;
}

/* Newton's third law for the first m lanes: force f on atom ia[l], -f on ja[l]. */
VF_FN void VF(scatter_pairs)(int m, const int *ia, const int *ja, vf_d f_x, vf_d f_y, vf_d f_z,
                             double *fx, double *fy, double *fz) {
  for (int l = 0; l < m; l++) {
    fx[ia[l]] += f_x[l];
    fy[ia[l]] += f_y[l];
    fz[ia[l]] += f_z[l];
    fx[ja[l]] -= f_x[l];
    fy[ja[l]] -= f_y[l];
    fz[ja[l]] -= f_z[l];
  }
}

/* Special pairs [k0, k1) (pair_special.c) VF_W at a time: LJ and Coulomb scaled by
 * the pairs' factors, the Coulomb less (1 - f) q q / r, which the k-space sum holds
 * whole. Positions gathered and forces scattered lane by lane; nearest images, the
 * square root, rationals and divisions in the vector. Forces are weighted by w_lj and
 * w_coul, energies and per-term virials are not. */
VF_TARGET void VF(special_range)(const vf_pair_params *p, const vf_special_pairs *sp,
                                 const vf_system *s, double w_lj, double w_coul, int k0, int k1,
                                 double *fx, double *fy, double *fz, vf_pair_sums *sums) {
  const int nt = p->ntypes;
  const vf_d zero = VF(zero)(), one = VF(set1)(1.0);
  const vf_d cut_lj2 = VF(set1)(p->cut_lj * p->cut_lj);
  const vf_d cut_coul2 = VF(set1)(p->cut_coul * p->cut_coul);
  vf_d elj = zero, ec = zero, vlj[6], vc[6];
  for (int c = 0; c < 6; c++) vlj[c] = vc[c] = zero;
  for (int k = k0; k < k1; k += VF_W) {
    const int m = k1 - k < VF_W ? k1 - k : VF_W;
    int ia[VF_W], ja[VF_W];
    vf_d dx, dy, dz, lj1, lj2, lj3, lj4, f_lj, removed, qq;
    for (int l = 0; l < VF_W; l++) {
      const int kk = l < m ? k + l : k; /* spare lanes: masked out below */
      const int i = sp->i[kk], j = sp->j[kk], order = sp->order[kk];
      const int pair = s->type[i] * nt + s->type[j];
      ia[l] = i;
      ja[l] = j;
      dx[l] = s->x[i] - s->x[j];
      dy[l] = s->y[i] - s->y[j];
      dz[l] = s->z[i] - s->z[j];
      lj1[l] = p->lj1[pair];
      lj2[l] = p->lj2[pair];
      lj3[l] = p->lj3[pair];
      lj4[l] = p->lj4[pair];
      f_lj[l] = p->special_lj[order];
      removed[l] = 1.0 - p->special_coul[order];
      qq[l] = VF_QQR2E * s->q[i] * s->q[j];
    }
    VF(minimum_image)(&s->box, &dx, &dy, &dz);
    const vf_l on = VF(first_n)(m);
    const vf_d r2 = VF(fma)(dx, dx, VF(fma)(dy, dy, dz * dz));
    const vf_l in_lj = on & (r2 < cut_lj2), in_c = on & (r2 < cut_coul2);
    const vf_d r2s = VF(select)(in_lj | in_c, r2, one);
    vf_d rinv2, erfc_r = zero;
    const vf_d fc = p->lammps_erfc
                        ? VF(coul_long)(r2s, p->g_ewald, VF_COUL_LAMMPS, 1, &rinv2, &erfc_r)
                        : VF(coul_long)(r2s, p->g_ewald, VF_COUL_EWALD, 1, &rinv2, &erfc_r);
    const vf_d bare = removed * qq / VF(sqrt)(r2s);
    const vf_d frc = VF(select)(in_c, VF(fma)(qq, fc, -bare * rinv2), zero);
    ec += VF(select)(in_c, VF(fma)(qq, erfc_r, -bare), zero);
    const vf_d r6 = rinv2 * rinv2 * rinv2;
    const vf_d frl = VF(select)(in_lj, f_lj * r6 * VF(fma)(lj1, r6, -lj2) * rinv2, zero);
    elj += VF(select)(in_lj, f_lj * r6 * VF(fma)(lj3, r6, -lj4), zero);
    const vf_d fr = VF(fma)(VF(set1)(w_lj), frl, w_coul * frc);
    /* virial components xx yy zz xy xz yz */
    const vf_d va[6] = {dx, dy, dz, dx, dx, dy}, vb[6] = {dx, dy, dz, dy, dz, dz};
    for (int c = 0; c < 6; c++) {
      vlj[c] = VF(fma)(va[c] * vb[c], frl, vlj[c]);
      vc[c] = VF(fma)(va[c] * vb[c], frc, vc[c]);
    }
    const vf_d fx_ = dx * fr, fy_ = dy * fr, fz_ = dz * fr;
    VF(scatter_pairs)(m, ia, ja, fx_, fy_, fz_, fx, fy, fz);
  }
  sums->e_lj += VF(hsum)(elj);
  sums->e_coul += VF(hsum)(ec);
  for (int c = 0; c < 6; c++) {
    sums->v_lj[c] += VF(hsum)(vlj[c]);
    sums->v_coul[c] += VF(hsum)(vc[c]);
  }
}

/* Morse pairs [k0, k1) of the pruned Morse list (near_*), VF_W at a time: positions
 * gathered, parameters loaded, each pair's sqrt, exp and division in the vector (a
 * chain too long to overlap pair by pair in scalar code), forces scattered lane by
 * lane. Pairs beyond the cut-off (the list reaches the pruned radius) and spare
 * lanes get D0 = 0. Adds the energy to *energy and the virial to v. */
VF_TARGET void VF(morse_range)(const vf_pair_params *p, const vf_cluster_list *cl,
                               const vf_system *s, int k0, int k1, double *fx, double *fy,
                               double *fz, double *energy, double v[6]) {
  const vf_d cut2 = VF(set1)(p->cut_morse * p->cut_morse), zero = VF(zero)();
  vf_d e = zero, vv[6] = {zero, zero, zero, zero, zero, zero};
  for (int k = k0; k < k1; k += VF_W) {
    const int m = k1 - k < VF_W ? k1 - k : VF_W;
    const int *ia = cl->near_i + k, *ja = cl->near_j + k;
    vf_d dx, dy, dz;
    for (int l = 0; l < VF_W; l++) {
      const int i = ia[l < m ? l : 0], slot = cl->near_slot[k + (l < m ? l : 0)];
      dx[l] = s->x[i] - cl->x[slot];
      dy[l] = s->y[i] - cl->y[slot];
      dz[l] = s->z[i] - cl->z[slot];
    }
    const vf_d d0 = VF(load_partial)(cl->near_d0 + k, m, 0.0);
    const vf_d alpha = VF(load_partial)(cl->near_alpha + k, m, 0.0);
    const vf_d r0 = VF(load_partial)(cl->near_r0 + k, m, 0.0);
    const vf_d r2 = VF(fma)(dx, dx, VF(fma)(dy, dy, dz * dz));
    const vf_d d0_in = VF(select)(r2 < cut2, d0, zero);
    const vf_d r = VF(sqrt)(r2), x = VF(exp)(-alpha * (r - r0));
    /* E = D0 [x² - 2x], x = e^{-α(r - r0)}; fr = -dE/dr / r */
    const vf_d fr = (2.0 * d0_in * alpha) * (x * x - x) / r;
    e = VF(fma)(d0_in, x * x - 2.0 * x, e);
    const vf_d fx_ = dx * fr, fy_ = dy * fr, fz_ = dz * fr;
    vv[0] = VF(fma)(dx, fx_, vv[0]);
    vv[1] = VF(fma)(dy, fy_, vv[1]);
    vv[2] = VF(fma)(dz, fz_, vv[2]);
    vv[3] = VF(fma)(dx, fy_, vv[3]);
    vv[4] = VF(fma)(dx, fz_, vv[4]);
    vv[5] = VF(fma)(dy, fz_, vv[5]);
    VF(scatter_pairs)(m, ia, ja, fx_, fy_, fz_, fx, fy, fz);
  }
  *energy += VF(hsum)(e);
  for (int c = 0; c < 6; c++) v[c] += VF(hsum)(vv[c]);
}

#undef VF_NV
