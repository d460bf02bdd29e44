#include "ewald.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "kspace.h"
#include "units.h"

/* Kolafa–Perram estimate of the RMS force error from truncating the k-sum at km
 * along an edge of length prd, in LAMMPS's form. */
static double kspace_rms(int km, double prd, int natoms, double q2, double g) {
  if (natoms == 0) natoms = 1;
  return 2.0 * q2 * g / prd * sqrt(1.0 / (VF_PI * km * natoms)) *
         exp(-VF_PI * VF_PI * km * km / (g * g * prd * prd));
}

/* Cartesian k = 2π h^{-T} n and the k-dependent prefactor, for the current box. */
static void make_coefficients(vf_ewald *ew, const vf_system *s) {
  double hinv[3][3];
  vf_box_inverse(&s->box, hinv);
  const double volume = vf_box_volume(&s->box);
  const double preu = 4.0 * VF_PI / volume, inv4g2 = 0.25 / (ew->g_ewald * ew->g_ewald);
  for (int k = 0; k < ew->nk; k++) {
    const int *n = ew->kvec + 3 * k;
    double *kc = ew->kcart + 3 * k;
    for (int a = 0; a < 3; a++)
      kc[a] = 2.0 * VF_PI * (hinv[0][a] * n[0] + hinv[1][a] * n[1] + hinv[2][a] * n[2]);
    const double k2 = kc[0] * kc[0] + kc[1] * kc[1] + kc[2] * kc[2];
    ew->ug[k] = preu * exp(-k2 * inv4g2) / k2;
  }
  ew->box = s->box;
}

/* Allocates the per-k arrays for ew->nk vectors and fills the coefficients. */
static int finish_setup(vf_ewald *ew, const vf_system *s, vf_error *err) {
  const size_t nk = (size_t)(ew->nk ? ew->nk : 1);
  ew->ug = malloc(sizeof(double) * nk);
  ew->kcart = malloc(sizeof(double) * 3 * nk);
  ew->sk_re = malloc(sizeof(double) * nk);
  ew->sk_im = malloc(sizeof(double) * nk);
  if (!ew->ug || !ew->kcart || !ew->sk_re || !ew->sk_im)
    return vf_fail(err, "out of memory for Ewald coefficients");
  make_coefficients(ew, s);
  return 0;
}

static int in_half_space(int a, int b, int c) {
  return a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)));
}

int vf_ewald_setup(vf_ewald *ew, const vf_system *s, double cut_coul, double accuracy,
                   double g_ewald, vf_error *err) {
  vf_ewald_free(ew);
  ew->accuracy = accuracy;
  ew->cut_coul = cut_coul;
  vf_kspace_charge_sums(s, &ew->qsum, &ew->qsqsum);
  if (ew->qsqsum == 0.0) return vf_fail(err, "Ewald summation needs charges: all are zero");
  if (!(accuracy > 0.0)) return vf_fail(err, "kspace accuracy must be > 0 (got %g)", accuracy);
  const vf_box *box = &s->box;
  const double abs_acc = accuracy * VF_QQR2E; /* relative to the force between two unit charges 1 Å apart */
  const double q2 = ew->qsqsum * VF_QQR2E;
  const double prd[3] = {box->lx, box->ly, box->lz};
  ew->g_ewald = g_ewald > 0.0 ? g_ewald : vf_kspace_initial_g(abs_acc, s->n, cut_coul, box, q2);
  double gsqmx = 0;
  for (int d = 0; d < 3; d++) {
    int km = 1;
    while (kspace_rms(km, prd[d], s->n, q2, ew->g_ewald) > abs_acc) km++;
    ew->kmax[d] = km;
    const double gk = 2.0 * VF_PI * km / prd[d];
    if (gk * gk > gsqmx) gsqmx = gk * gk;
  }
  gsqmx *= 1.00001;
  /* Triclinic cells: take every integer vector inside the sphere |k| <= kmax. */
  if (vf_box_is_triclinic(box)) {
    const double h[3][3] = {{box->lx, box->xy, box->xz}, {0, box->ly, box->yz}, {0, 0, box->lz}};
    for (int d = 0; d < 3; d++) {
      const double edge = sqrt(h[0][d] * h[0][d] + h[1][d] * h[1][d] + h[2][d] * h[2][d]);
      ew->kmax[d] = (int)floor(sqrt(gsqmx) * edge / (2.0 * VF_PI));
      if (ew->kmax[d] < 1) ew->kmax[d] = 1;
    }
  }
  const int *km = ew->kmax;
  const long maxk = (long)(2 * km[0] + 1) * (2 * km[1] + 1) * (2 * km[2] + 1);
  ew->kvec = malloc(sizeof(int) * 3 * (size_t)maxk);
  if (!ew->kvec) return vf_fail(err, "out of memory for %ld Ewald k-vectors", maxk);
  double hinv[3][3];
  vf_box_inverse(box, hinv);
  ew->nk = 0;
  for (int a = 0; a <= km[0]; a++)
    for (int b = -km[1]; b <= km[1]; b++)
      for (int c = -km[2]; c <= km[2]; c++) {
        if (!in_half_space(a, b, c)) continue;
        double k2 = 0;
        for (int d = 0; d < 3; d++) {
          double kd = 2.0 * VF_PI * (hinv[0][d] * a + hinv[1][d] * b + hinv[2][d] * c);
          k2 += kd * kd;
        }
        if (k2 > gsqmx) continue;
        int *v = ew->kvec + 3 * ew->nk++;
        v[0] = a;
        v[1] = b;
        v[2] = c;
      }
  return finish_setup(ew, s, err);
}

int vf_ewald_restore(vf_ewald *ew, const vf_system *s, double cut_coul, double accuracy,
                     double g_ewald, const int kmax[3], int nk, const int *kvec, vf_error *err) {
  vf_ewald_free(ew);
  ew->accuracy = accuracy;
  ew->cut_coul = cut_coul;
  ew->g_ewald = g_ewald;
  vf_kspace_charge_sums(s, &ew->qsum, &ew->qsqsum);
  for (int d = 0; d < 3; d++) ew->kmax[d] = kmax[d];
  ew->nk = nk;
  ew->kvec = malloc(sizeof(int) * 3 * (size_t)(nk ? nk : 1));
  if (!ew->kvec) return vf_fail(err, "out of memory for %d Ewald k-vectors", nk);
  for (int k = 0; k < 3 * nk; k++) {
    const int d = k % 3;
    if (kvec[k] < -kmax[d] || kvec[k] > kmax[d])
      return vf_fail(err, "Ewald k-vector %d exceeds kmax", k / 3 + 1);
    ew->kvec[k] = kvec[k];
  }
  return finish_setup(ew, s, err);
}

void vf_ewald_free(vf_ewald *ew) {
  free(ew->kvec);
  free(ew->kstart);
  free(ew->ug);
  free(ew->kcart);
  free(ew->phase_re);
  free(ew->phase_im);
  free(ew->sk_re);
  free(ew->sk_im);
  memset(ew, 0, sizeof *ew);
}

double vf_ewald_real_space_error(const vf_ewald *ew, const vf_system *s) {
  return vf_kspace_real_space_error(ew->qsqsum * VF_QQR2E, ew->cut_coul, ew->g_ewald, s->n, &s->box);
}

/* Row of the phase table holding e^{i 2π m s_d} for all atoms: rows for d = 0 come
 * first (m = -kmax_0..kmax_0), then d = 1, then d = 2. */
static long phase_row(const vf_ewald *ew, int d, int m) {
  long row = m + ew->kmax[d];
  for (int e = 0; e < d; e++) row += 2 * ew->kmax[e] + 1;
  return row;
}

/* Per-atom phase factors, and for every k-vector where its three factors start. */
static int compute_phases(vf_ewald *ew, const vf_system *s) {
  const int n = s->n;
  const long rows = phase_row(ew, 2, ew->kmax[2]) + 1;
  if (ew->n_work != n) {
    free(ew->phase_re);
    free(ew->phase_im);
    free(ew->kstart);
    ew->phase_re = malloc(sizeof(double) * (size_t)rows * (size_t)n);
    ew->phase_im = malloc(sizeof(double) * (size_t)rows * (size_t)n);
    ew->kstart = malloc(sizeof(long) * 3 * (size_t)(ew->nk ? ew->nk : 1));
    if (!ew->phase_re || !ew->phase_im || !ew->kstart) {
      ew->n_work = 0;
      return -1;
    }
    for (int k = 0; k < ew->nk; k++)
      for (int d = 0; d < 3; d++) ew->kstart[3 * k + d] = phase_row(ew, d, ew->kvec[3 * k + d]) * n;
    ew->n_work = n;
  }
  double *re = ew->phase_re, *im = ew->phase_im;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; i++) {
    double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
    vf_box_to_frac(&s->box, r, f);
    for (int d = 0; d < 3; d++) {
      const double c1 = cos(2.0 * VF_PI * f[d]), s1 = sin(2.0 * VF_PI * f[d]);
      const long zero = phase_row(ew, d, 0) * n + i;
      double c = 1.0, sn = 0.0;
      re[zero] = 1.0;
      im[zero] = 0.0;
      for (int m = 1; m <= ew->kmax[d]; m++) {
        const double cn = c * c1 - sn * s1;
        sn = sn * c1 + c * s1;
        c = cn;
        re[zero + (long)m * n] = c;
        im[zero + (long)m * n] = sn;
        re[zero - (long)m * n] = c;
        im[zero - (long)m * n] = -sn;
      }
    }
  }
  return 0;
}

/* e^{i k·r_i} for the atoms i0..i1-1 of k-vector k: products of the three factors. */
static inline void kphases(const vf_ewald *ew, int k, int i0, int i1, double *c, double *sn) {
  const long *start = ew->kstart + 3 * k;
  const double *ar = ew->phase_re + start[0], *ai = ew->phase_im + start[0];
  const double *br = ew->phase_re + start[1], *bi = ew->phase_im + start[1];
  const double *cr = ew->phase_re + start[2], *ci = ew->phase_im + start[2];
#pragma omp simd
  for (int i = i0; i < i1; i++) {
    const double bcr = br[i] * cr[i] - bi[i] * ci[i];
    const double bci = br[i] * ci[i] + bi[i] * cr[i];
    c[i - i0] = ar[i] * bcr - ai[i] * bci;
    sn[i - i0] = ar[i] * bci + ai[i] * bcr;
  }
}

/* Atoms per block of the force loop: the block's phases stay in cache across k. */
#define EWALD_BLOCK 128

void vf_ewald_compute(vf_ewald *ew, const vf_system *s, double w, vf_forcebuf *fb,
                      double *energy, double virial[6]) {
  const int n = s->n;
  if (memcmp(&ew->box, &s->box, sizeof s->box) != 0) make_coefficients(ew, s);
  if (compute_phases(ew, s)) return;
  const int nk = ew->nk;
  const double *q = s->q;

  /* Structure factors: threads take k-vectors, each summing over all atoms. */
#pragma omp parallel
  {
    double c[EWALD_BLOCK], sn[EWALD_BLOCK];
#pragma omp for schedule(static)
    for (int k = 0; k < nk; k++) {
      double sr = 0, si = 0;
      for (int i0 = 0; i0 < n; i0 += EWALD_BLOCK) {
        const int i1 = i0 + EWALD_BLOCK < n ? i0 + EWALD_BLOCK : n;
        kphases(ew, k, i0, i1, c, sn);
        for (int i = i0; i < i1; i++) {
          sr += q[i] * c[i - i0];
          si += q[i] * sn[i - i0];
        }
      }
      ew->sk_re[k] = sr;
      ew->sk_im[k] = si;
    }
  }

  /* Energy and virial. */
  const double inv4g2 = 0.25 / (ew->g_ewald * ew->g_ewald);
  double e = 0, vir[6] = {0};
  for (int k = 0; k < nk; k++) {
    const double *kc = ew->kcart + 3 * k;
    const double uk = ew->ug[k] * (ew->sk_re[k] * ew->sk_re[k] + ew->sk_im[k] * ew->sk_im[k]);
    const double k2 = kc[0] * kc[0] + kc[1] * kc[1] + kc[2] * kc[2];
    const double vterm = -2.0 * (1.0 / k2 + inv4g2);
    e += uk;
    vir[0] += uk * (1.0 + vterm * kc[0] * kc[0]);
    vir[1] += uk * (1.0 + vterm * kc[1] * kc[1]);
    vir[2] += uk * (1.0 + vterm * kc[2] * kc[2]);
    vir[3] += uk * vterm * kc[0] * kc[1];
    vir[4] += uk * vterm * kc[0] * kc[2];
    vir[5] += uk * vterm * kc[1] * kc[2];
  }
  *energy += VF_QQR2E * e;
  for (int c = 0; c < 6; c++) virial[c] += VF_QQR2E * vir[c];
  vf_kspace_add_self_background(ew->g_ewald, ew->qsum, ew->qsqsum, vf_box_volume(&s->box), energy,
                                virial);

  /* Forces: F_i = C q_i Σ_k 2 ug k (sin(k·r_i) Re S - cos(k·r_i) Im S). */
  if (w == 0.0) return;
  double *f = vf_forcebuf_thread(fb, 0);
#pragma omp parallel
  {
    double c[EWALD_BLOCK], sn[EWALD_BLOCK], ex[EWALD_BLOCK], ey[EWALD_BLOCK], ez[EWALD_BLOCK];
#pragma omp for schedule(static)
    for (int i0 = 0; i0 < n; i0 += EWALD_BLOCK) {
      const int i1 = i0 + EWALD_BLOCK < n ? i0 + EWALD_BLOCK : n, m = i1 - i0;
      for (int i = 0; i < m; i++) ex[i] = ey[i] = ez[i] = 0.0;
      for (int k = 0; k < nk; k++) {
        kphases(ew, k, i0, i1, c, sn);
        const double a = 2.0 * ew->ug[k] * ew->sk_re[k], b = 2.0 * ew->ug[k] * ew->sk_im[k];
        const double kx = ew->kcart[3 * k], ky = ew->kcart[3 * k + 1], kz = ew->kcart[3 * k + 2];
#pragma omp simd
        for (int i = 0; i < m; i++) {
          const double partial = sn[i] * a - c[i] * b;
          ex[i] += partial * kx;
          ey[i] += partial * ky;
          ez[i] += partial * kz;
        }
      }
      for (int i = i0; i < i1; i++) {
        const double qf = w * VF_QQR2E * q[i];
        f[i] += qf * ex[i - i0];
        f[n + i] += qf * ey[i - i0];
        f[2 * n + i] += qf * ez[i - i0];
      }
    }
  }
}
