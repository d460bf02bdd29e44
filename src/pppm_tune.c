#include "pppm_tune.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bspline.h"
#include "kspace.h"
#include "units.h"

#define ALIASES 5         /* images m = -2..2 per dimension in the error sum */
#define NEWTON_TOL 1e-5   /* eV/Å: LAMMPS's tolerance on real- minus k-space error */
#define NEWTON_STEP 1e-6  /* 1/Å: forward-difference step for the derivative */
#define NEWTON_MAX 10000
#define MESH_TRIES 500
#define MESH_MAX 16384

int vf_pppm_fft_friendly(int n) {
  static const int primes[3] = {2, 3, 5};
  for (int p = 0; p < 3; p++)
    while (n % primes[p] == 0) n /= primes[p];
  return n == 1;
}

/* Signed wave number of FFT index i on an n-point mesh, LAMMPS's convention
 * (n/2 counts as -n/2). */
static int wave_number(int i, int n) { return i - n * (2 * i / n); }

/* Per dimension and alias: Cartesian wave vector, Gaussian and (sinc)^(2P) factor of
 * wave number k + n m, for every mesh index. */
typedef struct alias_table {
  double *k[3];    /* 3 per entry */
  double *gauss;   /* exp(-|k|²/4g²) of this dimension alone (orthorhombic cells) */
  double *shape;
} alias_table;

static void free_alias_table(alias_table *t) {
  for (int c = 0; c < 3; c++) free(t->k[c]);
  free(t->gauss);
  free(t->shape);
}

static int make_alias_table(alias_table *t, int d, int n, const double hinv[3][3], double g,
                            int order) {
  const size_t len = (size_t)n * ALIASES;
  for (int c = 0; c < 3; c++) t->k[c] = malloc(sizeof(double) * len);
  t->gauss = malloc(sizeof(double) * len);
  t->shape = malloc(sizeof(double) * len);
  if (!t->k[0] || !t->k[1] || !t->k[2] || !t->gauss || !t->shape) return -1;
  for (int i = 0; i < n; i++)
    for (int m = 0; m < ALIASES; m++) {
      const double v = wave_number(i, n) + (double)n * (m - ALIASES / 2);
      const size_t e = (size_t)i * ALIASES + m;
      double k2 = 0;
      for (int c = 0; c < 3; c++) {
        t->k[c][e] = 2.0 * VF_PI * hinv[d][c] * v;
        k2 += t->k[c][e] * t->k[c][e];
      }
      t->gauss[e] = exp(-0.25 * k2 / (g * g));
      t->shape[e] = vf_sinc_pow(v / n, 2 * order);
    }
  return 0;
}

/* Hockney–Eastwood's error functional at one mesh wave vector (sums over aliases):
 * Σ|R|² - (Σ U² R·k)² / (Σ U² Σ k² U²), R the reference force kernel, U the
 * assignment function's transform. */
static double error_at(const alias_table *t, const size_t idx[3], double inv4g2, int ortho) {
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  for (int a = 0; a < ALIASES; a++) {
    const size_t ea = idx[0] + a;
    for (int b = 0; b < ALIASES; b++) {
      const size_t eb = idx[1] + b;
      const double kx = t[0].k[0][ea] + t[1].k[0][eb], ky = t[0].k[1][ea] + t[1].k[1][eb];
      const double kz = t[0].k[2][ea] + t[1].k[2][eb];
      const double gab = t[0].gauss[ea] * t[1].gauss[eb], wab = t[0].shape[ea] * t[1].shape[eb];
      for (int c = 0; c < ALIASES; c++) {
        const size_t ec = idx[2] + c;
        const double x = kx + t[2].k[0][ec], y = ky + t[2].k[1][ec], z = kz + t[2].k[2][ec];
        const double k2 = x * x + y * y + z * z;
        const double u1 = ortho ? gab * t[2].gauss[ec] : exp(-k2 * inv4g2);
        const double u2 = wab * t[2].shape[ec];
        s1 += u1 * u1 / k2 * (16.0 * VF_PI * VF_PI);
        s2 += u1 * u2 * 4.0 * VF_PI;
        s3 += u2;
        s4 += k2 * u2;
      }
    }
  }
  return s1 - s2 * s2 / (s3 * s4);
}

/* Σ of the error functional over the mesh's wave vectors (k = 0 left out). The sum
 * is even in k, so the last dimension runs over half of it with weights. */
static double error_sum(const vf_box *box, const int n[3], double g, int order) {
  double hinv[3][3];
  vf_box_inverse(box, hinv);
  alias_table t[3];
  memset(t, 0, sizeof t);
  int ok = 1;
  for (int d = 0; d < 3; d++) ok &= make_alias_table(&t[d], d, n[d], hinv, g, order) == 0;
  double total = NAN;
  const int nthreads = omp_get_max_threads();
  double *partial = calloc((size_t)nthreads, sizeof(double));
  if (ok && partial) {
    const int ortho = !vf_box_is_triclinic(box), half = n[2] / 2 + 1;
    const double inv4g2 = 0.25 / (g * g);
#pragma omp parallel num_threads(nthreads)
    {
      double sum = 0;
#pragma omp for schedule(static)
      for (int i0 = 0; i0 < n[0]; i0++)
        for (int i1 = 0; i1 < n[1]; i1++)
          for (int i2 = 0; i2 < half; i2++) {
            if (i0 == 0 && i1 == 0 && i2 == 0) continue;
            const size_t idx[3] = {(size_t)i0 * ALIASES, (size_t)i1 * ALIASES, (size_t)i2 * ALIASES};
            const double weight = (i2 == 0 || 2 * i2 == n[2]) ? 1.0 : 2.0;
            sum += weight * error_at(t, idx, inv4g2, ortho);
          }
      partial[omp_get_thread_num()] = sum;
    }
    total = 0;
    for (int k = 0; k < nthreads; k++) total += partial[k]; /* fixed order: deterministic */
  }
  free(partial);
  for (int d = 0; d < 3; d++) free_alias_table(&t[d]);
  return total;
}

double vf_pppm_kspace_error(const vf_pppm_tuning *t, const vf_box *box, const int mesh[3],
                            double g) {
  const double q = error_sum(box, mesh, g, t->order);
  return sqrt(q / t->natoms) * t->q2 / (box->lx * box->ly * box->lz);
}

static double edge_length(const vf_box *box, int d) {
  double h[3][3];
  vf_box_matrix(box, h);
  return sqrt(h[0][d] * h[0][d] + h[1][d] * h[1][d] + h[2][d] * h[2][d]);
}

/* The coarsest mesh (spacing 4/g, then 5 % finer each try) meeting the accuracy. */
static int search_mesh(const vf_pppm_tuning *t, const vf_box *box, double g, int mesh[3],
                       vf_error *err) {
  double h = 4.0 / g;
  for (int tries = 1;; tries++) {
    for (int d = 0; d < 3; d++) {
      mesh[d] = (int)(edge_length(box, d) / h);
      if (mesh[d] <= 1) mesh[d] = 2;
    }
    if (vf_pppm_kspace_error(t, box, mesh, g) <= t->abs_accuracy) return 0;
    if (tries > MESH_TRIES || mesh[0] > MESH_MAX || mesh[1] > MESH_MAX || mesh[2] > MESH_MAX)
      return vf_fail(err, "PPPM: no mesh reaches the accuracy %g (relative) with g = %g",
                     t->abs_accuracy / VF_QQR2E, g);
    h *= 0.95;
  }
}

/* Real-space minus k-space error estimate at g (what the final g makes zero). */
static double error_balance(const vf_pppm_tuning *t, const vf_box *box, const int mesh[3],
                            double g) {
  return vf_kspace_real_space_error(t->q2, t->cut, g, t->natoms, box) -
         vf_pppm_kspace_error(t, box, mesh, g);
}

static int balance_g(const vf_pppm_tuning *t, const vf_box *box, const int mesh[3], double *g,
                     vf_error *err) {
  double f = error_balance(t, box, mesh, *g);
  for (int it = 0; it < NEWTON_MAX; it++) {
    const double slope = (error_balance(t, box, mesh, *g + NEWTON_STEP) - f) / NEWTON_STEP;
    *g -= f / slope;
    if (!(*g > 0.0) || !isfinite(*g)) break;
    f = error_balance(t, box, mesh, *g);
    if (fabs(f) < NEWTON_TOL) return 0;
  }
  return vf_fail(err, "PPPM: could not balance the real- and k-space errors (g = %g)", *g);
}

int vf_pppm_choose(const vf_pppm_tuning *t, const vf_box *box, double *g, int mesh[3],
                   vf_error *err) {
  const int choose_g = !(*g > 0.0);
  if (choose_g) *g = vf_kspace_initial_g(t->abs_accuracy, t->natoms, t->cut, box, t->q2);
  if (mesh[0] <= 0 && search_mesh(t, box, *g, mesh, err)) return -1;
  for (int d = 0; d < 3; d++) {
    if (mesh[d] < 2 || mesh[d] > MESH_MAX)
      return vf_fail(err, "PPPM mesh must have 2..%d points per edge (got %d %d %d)", MESH_MAX,
                     mesh[0], mesh[1], mesh[2]);
    while (!vf_pppm_fft_friendly(mesh[d])) mesh[d]++;
  }
  return choose_g ? balance_g(t, box, mesh, g, err) : 0;
}
