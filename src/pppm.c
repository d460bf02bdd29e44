#include "pppm.h"

#include <fftw3.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bspline.h"
#include "kspace.h"
#include "pppm_stencil.h"
#include "pppm_tune.h"
#include "simd.h"
#include "units.h"

#define FFT_THREADS_FROM 32768 /* mesh points from which FFTW runs on all threads */
#define NHARM 2          /* self-energy harmonics kept: cos 2πu and cos 4πu (LAMMPS's) */
#define SELF_ALIASES 2   /* images m = -2..2 in the self-force sums (LAMMPS's) */
/* Per-thread sums of the k-space pass: energy, virial, self coefficients and their
 * virials. */
#define SUM_ENERGY 0
#define SUM_VIRIAL 1
#define SUM_SELF 7
#define SUM_SELF_VIRIAL (SUM_SELF + 3 * NHARM)
#define NSUMS (SUM_SELF_VIRIAL + 3 * NHARM * 6)

struct vf_pppm_work {
  size_t nreal, nhalf; /* points of the real mesh and of its half-complex transform */
  double *mesh;        /* charges, then the potential */
  fftw_complex *rho_hat;
  fftw_plan forward, backward;
  int nthreads;         /* threads the scratch below was sized for */
  /* Padded meshes, one per thread: rows of the last index carry order - 1 points past
   * the end, so a stencil's row is contiguous (no wrap): the threads' charges, then
   * (thread 0's) the potential for the force pass. */
  int row_padded;       /* n2 + order - 1 */
  size_t mesh_stride;   /* n0 n1 row_padded and the slack a stencil row's vector reaches
                         * past the last row */
  double *thread_mesh;
  double *thread_sums;  /* NSUMS per thread */
  /* Cell-independent, per dimension and mesh index. */
  int *wave[3];             /* signed wave number */
  double *shape[3];         /* U²/(Σ_m U_m²)²: G's factor from the assignment function */
  double *self_alias[3];    /* Σ_m U_m² over |m| <= 2 */
  double *self_shift[3][NHARM]; /* Σ_m U_m U_{m+h}, made even in k */
  /* For the cell of the last evaluation. */
  vf_box box;
  int have_box;
  double *kvec[3];  /* 3 per index: Cartesian wave vector of this dimension's part */
  double *gauss[3]; /* exp(-|k_d|²/4g²), which factorises in orthorhombic cells */
  /* Each atom's stencil as the charge spreading found it, for the force pass at the
   * same positions: per atom and dimension the first mesh index, the P weights and
   * their derivatives (wt[3][P] then dwt[3][P]), and sin, cos of 2πu. */
  int natoms;
  int *first;
  double *weights;
  double *phase;
  double self_coeff[3][NHARM];        /* c_dh */
  double self_coeff_virial[3][NHARM][6];
};

/* ---------------------------------------------------------------- set-up --- */

static void free_work(vf_pppm_work *w) {
  if (!w) return;
  if (w->forward) fftw_destroy_plan(w->forward);
  if (w->backward) fftw_destroy_plan(w->backward);
  fftw_free(w->mesh);
  fftw_free(w->rho_hat);
  free(w->thread_mesh);
  free(w->thread_sums);
  free(w->first);
  free(w->weights);
  free(w->phase);
  for (int d = 0; d < 3; d++) {
    free(w->wave[d]);
    free(w->shape[d]);
    free(w->self_alias[d]);
    for (int h = 0; h < NHARM; h++) free(w->self_shift[d][h]);
    free(w->kvec[d]);
    free(w->gauss[d]);
  }
  free(w);
}

void vf_pppm_free(vf_pppm *pm) {
  free_work(pm->work);
  memset(pm, 0, sizeof *pm);
}

static int wave_number(int i, int n) { return i - n * (2 * i / n); } /* n/2 -> -n/2 */

/* Σ_m U(x+m) U(x+m+h) over |m| <= 2, U = sinc^P: the overlap of a charge's mesh
 * image with itself shifted by h cells, which sets its self-energy harmonic h. */
static double shifted_overlap(double x, int h, int order) {
  double sum = 0;
  for (int m = -SELF_ALIASES; m <= SELF_ALIASES; m++)
    sum += vf_sinc_pow(x + m, order) * vf_sinc_pow(x + m + h, order);
  return sum;
}

static int make_dimension_tables(vf_pppm_work *w, int d, int n, int order) {
  w->wave[d] = malloc(sizeof(int) * n);
  w->shape[d] = malloc(sizeof(double) * n);
  w->self_alias[d] = malloc(sizeof(double) * n);
  w->kvec[d] = malloc(sizeof(double) * 3 * n);
  w->gauss[d] = malloc(sizeof(double) * n);
  int ok = w->wave[d] && w->shape[d] && w->self_alias[d] && w->kvec[d] && w->gauss[d];
  for (int h = 0; h < NHARM; h++) ok &= (w->self_shift[d][h] = malloc(sizeof(double) * n)) != NULL;
  if (!ok) return -1;
  for (int i = 0; i < n; i++) {
    const int k = wave_number(i, n);
    const double x = (double)k / n, alias = vf_bspline_alias_sum(x, order);
    w->wave[d][i] = k;
    w->shape[d][i] = vf_sinc_pow(x, 2 * order) / (alias * alias);
    w->self_alias[d][i] = 0;
    for (int m = -SELF_ALIASES; m <= SELF_ALIASES; m++)
      w->self_alias[d][i] += vf_sinc_pow(x + m, 2 * order);
    for (int h = 0; h < NHARM; h++)
      w->self_shift[d][h][i] = 0.5 * (shifted_overlap(x, h + 1, order) +
                                      shifted_overlap(-x, h + 1, order));
  }
  return 0;
}

static int use_fftw_threads(void) {
  static int initialised = 0; /* FFTW's own global state: set once, at a set-up */
  if (!initialised) initialised = fftw_init_threads() ? 1 : -1;
  return initialised > 0;
}

static int reserve_threads(vf_pppm_work *w, int nthreads) {
  if (w->nthreads >= nthreads) return 0;
  free(w->thread_mesh);
  free(w->thread_sums);
  w->thread_mesh = malloc(sizeof(double) * w->mesh_stride * (size_t)nthreads);
  w->thread_sums = malloc(sizeof(double) * NSUMS * (size_t)nthreads);
  const int ok = w->thread_sums && w->thread_mesh;
  w->nthreads = ok ? nthreads : 0;
  return ok ? 0 : -1;
}

/* Room for the stencils of n atoms. */
static int reserve_atoms(vf_pppm_work *w, int n, int order) {
  if (w->natoms >= n) return 0;
  free(w->first);
  free(w->weights);
  free(w->phase);
  w->first = malloc(sizeof(int) * 3 * (size_t)n);
  w->weights = malloc(sizeof(double) * 6 * (size_t)order * (size_t)n);
  w->phase = malloc(sizeof(double) * 6 * (size_t)n);
  const int ok = w->first && w->weights && w->phase;
  w->natoms = ok ? n : 0;
  return ok ? 0 : -1;
}

static int make_work(vf_pppm *pm, vf_error *err) {
  vf_pppm_work *w = calloc(1, sizeof *w);
  if (!w) return vf_fail(err, "out of memory for PPPM");
  pm->work = w;
  const int *n = pm->mesh;
  w->nreal = (size_t)n[0] * n[1] * n[2];
  w->nhalf = (size_t)n[0] * n[1] * (n[2] / 2 + 1);
  w->row_padded = n[2] + pm->order - 1;
  w->mesh_stride = (size_t)n[0] * n[1] * w->row_padded + VF_PPPM_ROW - 1;
  w->mesh = fftw_alloc_real(w->nreal);
  w->rho_hat = fftw_alloc_complex(w->nhalf);
  int ok = w->mesh && w->rho_hat && reserve_threads(w, omp_get_max_threads()) == 0;
  for (int d = 0; d < 3 && ok; d++) ok = make_dimension_tables(w, d, n[d], pm->order) == 0;
  if (!ok)
    return vf_fail(err, "out of memory for a %d x %d x %d PPPM mesh", n[0], n[1], n[2]);
  /* FFTW_ESTIMATE: the plan (and so every rounding) is the same in every run. Small
   * meshes transform on one thread: there the threads' synchronisation costs more than
   * they share (measured on 2 threads: 15x15x16 faster on one, 30x30x72 on two). */
  if (use_fftw_threads())
    fftw_plan_with_nthreads(w->nreal < FFT_THREADS_FROM ? 1 : omp_get_max_threads());
  w->forward = fftw_plan_dft_r2c_3d(n[0], n[1], n[2], w->mesh, w->rho_hat, FFTW_ESTIMATE);
  w->backward = fftw_plan_dft_c2r_3d(n[0], n[1], n[2], w->rho_hat, w->mesh, FFTW_ESTIMATE);
  if (!w->forward || !w->backward) return vf_fail(err, "FFTW could not plan the PPPM transforms");
  return 0;
}

static int setup(vf_pppm *pm, const vf_system *s, double cut_coul, double accuracy, double g_ewald,
                 const int mesh[3], int order, vf_error *err) {
  vf_pppm_free(pm);
  if (order == 0) order = VF_PPPM_ORDER_DEFAULT;
  if (order < VF_PPPM_ORDER_MIN || order > VF_PPPM_ORDER_MAX)
    return vf_fail(err, "PPPM order must be %d..%d (got %d)", VF_PPPM_ORDER_MIN,
                   VF_PPPM_ORDER_MAX, order);
  vf_kspace_charge_sums(s, &pm->qsum, &pm->qsqsum);
  if (pm->qsqsum == 0.0) return vf_fail(err, "PPPM needs charges: all are zero");
  if (!(accuracy > 0.0) && !(g_ewald > 0.0 && mesh))
    return vf_fail(err, "kspace accuracy must be > 0 (got %g) unless g and the mesh are given",
                   accuracy);
  const vf_pppm_tuning t = {accuracy * VF_QQR2E, cut_coul, pm->qsqsum * VF_QQR2E, s->n, order};
  int m[3] = {0, 0, 0};
  if (mesh) memcpy(m, mesh, sizeof m);
  double g = g_ewald;
  if (vf_pppm_choose(&t, &s->box, &g, m, err)) return -1;
  pm->accuracy = accuracy;
  pm->cut_coul = cut_coul;
  pm->g_ewald = g;
  pm->order = order;
  memcpy(pm->mesh, m, sizeof m);
  pm->error_kspace = vf_pppm_kspace_error(&t, &s->box, m, g) / VF_QQR2E;
  pm->error_real = vf_kspace_real_space_error(t.q2, cut_coul, g, s->n, &s->box) / VF_QQR2E;
  pm->estimated_error = hypot(pm->error_kspace, pm->error_real);
  return make_work(pm, err);
}

int vf_pppm_setup(vf_pppm *pm, const vf_system *s, double cut_coul, double accuracy,
                  double g_ewald, const int mesh[3], int order, vf_error *err) {
  if (setup(pm, s, cut_coul, accuracy, g_ewald, mesh, order, err)) {
    vf_pppm_free(pm);
    return -1;
  }
  return 0;
}

int vf_pppm_restore(vf_pppm *pm, const vf_system *s, double cut_coul, double accuracy,
                    double g_ewald, const int mesh[3], int order, vf_error *err) {
  if (!(g_ewald > 0.0)) return vf_fail(err, "PPPM restore: g must be > 0 (got %g)", g_ewald);
  for (int d = 0; d < 3; d++)
    if (mesh[d] < 2 || !vf_pppm_fft_friendly(mesh[d]))
      return vf_fail(err, "PPPM restore: %d is not a PPPM mesh size", mesh[d]);
  if (vf_pppm_setup(pm, s, cut_coul, 0.0, g_ewald, mesh, order, err)) return -1;
  pm->accuracy = accuracy;
  return 0;
}

/* ------------------------------------------------------------ evaluation --- */

/* Wave-vector tables for the current cell: k = Σ_d kvec[d][i_d]. */
static void follow_cell(vf_pppm *pm, const vf_box *box) {
  vf_pppm_work *w = pm->work;
  double hinv[3][3];
  vf_box_inverse(box, hinv);
  const double inv4g2 = 0.25 / (pm->g_ewald * pm->g_ewald);
  for (int d = 0; d < 3; d++)
    for (int i = 0; i < pm->mesh[d]; i++) {
      double *k = w->kvec[d] + 3 * i;
      for (int c = 0; c < 3; c++) k[c] = 2.0 * VF_PI * hinv[d][c] * w->wave[d][i];
      w->gauss[d][i] = exp(-(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]) * inv4g2);
    }
  w->box = *box;
  w->have_box = 1;
}

/* Atoms [i0, i1)'s stencils (see vf_pppm_work), at the widest vector this CPU runs. */
static void atom_stencils(const vf_pppm *pm, const vf_system *s, int i0, int i1) {
  const vf_pppm_work *w = pm->work;
  VF_WIDEST(pppm_stencils)(&s->box, pm->mesh, pm->order, s->x, s->y, s->z, i0, i1, w->first, w->weights, w->phase);
}

/* Σ_i q_i² cos(2πh u_id), the positions' part of the self-force energy. */
static void add_self_phases(double q2, const double *phase, double *sums) {
  for (int d = 0; d < 3; d++) {
    const double c = phase[3 + d];
    sums[d * NHARM] += q2 * c;
    sums[d * NHARM + 1] += q2 * (2.0 * c * c - 1.0);
  }
}

/* Charges onto the mesh: every thread spreads its block of atoms onto its own padded
 * mesh (contiguous stencil rows, which vectorise), then the meshes are summed point by
 * point in thread order (deterministic), each row's padding folded onto its start. */
static void spread_charges(vf_pppm *pm, const vf_system *s, int nthreads, double phases[3 * NHARM]) {
  vf_pppm_work *w = pm->work;
  const int P = pm->order, n1 = pm->mesh[1], n2 = pm->mesh[2];
  memset(w->thread_sums, 0, sizeof(double) * NSUMS * (size_t)nthreads);
#pragma omp parallel num_threads(nthreads)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    double *mesh = w->thread_mesh + (size_t)t * w->mesh_stride;
    double *sums = w->thread_sums + (size_t)t * NSUMS;
    memset(mesh, 0, sizeof(double) * w->mesh_stride);
    const int i0 = (int)((long)s->n * t / nt), i1 = (int)((long)s->n * (t + 1) / nt);
    atom_stencils(pm, s, i0, i1);
    VF_WIDEST(pppm_spread)(pm->mesh, P, w->row_padded, w->first, w->weights, s->q, i0, i1, mesh);
    for (int i = i0; i < i1; i++)
      add_self_phases(s->q[i] * s->q[i], w->phase + 6 * (size_t)i, sums);
#pragma omp barrier
#pragma omp for schedule(static)
    for (int r = 0; r < pm->mesh[0] * n1; r++) {
      double *out = w->mesh + (size_t)r * n2;
      for (int c = 0; c < w->row_padded; c++) {
        double v = 0;
        for (int k = 0; k < nt; k++)
          v += w->thread_mesh[(size_t)k * w->mesh_stride + (size_t)r * w->row_padded + c];
        if (c < n2) out[c] = v;
        else out[c % n2] += v;
      }
    }
  }
  memset(phases, 0, sizeof(double) * 3 * NHARM);
  for (int t = 0; t < nthreads; t++) /* in thread order: deterministic */
    for (int c = 0; c < 3 * NHARM; c++) phases[c] += w->thread_sums[(size_t)t * NSUMS + c];
}

/* Influence function at one half-mesh point, and G times the virial kernel
 * δ - 2(1/k² + 1/4g²) k k. A Nyquist wave number (n/2 on an even mesh) stands for both
 * +n/2 and -n/2, so both are averaged: in a triclinic cell they give different |k|,
 * and the average keeps G even in k as the real transform needs; in any cell it makes
 * the virial the strain derivative of that energy (cross terms of the two cancel). */
static double influence(const vf_pppm *pm, const int i[3], int ortho, double inv4g2,
                        double gvg[6]) {
  const vf_pppm_work *w = pm->work;
  int nyquist[3], nvariants = 1;
  for (int d = 0; d < 3; d++) {
    nyquist[d] = 2 * i[d] == pm->mesh[d];
    if (nyquist[d]) nvariants *= 2;
  }
  const double shape = w->shape[0][i[0]] * w->shape[1][i[1]] * w->shape[2][i[2]];
  double G = 0;
  for (int c = 0; c < 6; c++) gvg[c] = 0;
  for (int v = 0, bit; v < nvariants; v++) {
    double k[3] = {0, 0, 0};
    bit = 0;
    for (int d = 0; d < 3; d++) {
      const double sign = (nyquist[d] && ((v >> bit++) & 1)) ? -1.0 : 1.0;
      for (int c = 0; c < 3; c++) k[c] += sign * w->kvec[d][3 * i[d] + c];
    }
    const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
    const double gauss = ortho ? w->gauss[0][i[0]] * w->gauss[1][i[1]] * w->gauss[2][i[2]]
                               : exp(-k2 * inv4g2);
    const double g = 4.0 * VF_PI / k2 * gauss * shape / nvariants;
    const double vterm = -2.0 * (1.0 / k2 + inv4g2);
    G += g;
    gvg[0] += g * (1.0 + vterm * k[0] * k[0]);
    gvg[1] += g * (1.0 + vterm * k[1] * k[1]);
    gvg[2] += g * (1.0 + vterm * k[2] * k[2]);
    gvg[3] += g * vterm * k[0] * k[1];
    gvg[4] += g * vterm * k[0] * k[2];
    gvg[5] += g * vterm * k[1] * k[2];
  }
  return G;
}

/* Energy and virial of the mesh charges, and ρ̂ -> G ρ̂ / V (the potential's transform).
 * When the cell changed, also the self-force coefficients for it:
 *   c_dh = Σ_k S_dh(k) G(k), S_dh = shift_dh(i_d) Π_{e≠d} alias_e(i_e)
 * (and the same with G's virial kernel). Along a row of the last index only alias_2
 * and shift_2h vary, so each row sums Σ weight alias_2 X and Σ weight shift_2h X
 * (X = G and its six virial terms) in local variables and folds them into the
 * coefficients once: a few additions per point instead of 49 into memory. */
enum { NX = 7 }; /* G and G's six virial terms */
static void convolve(vf_pppm *pm, int nthreads, int new_cell, double out[NSUMS]) {
  vf_pppm_work *w = pm->work;
  const int n0 = pm->mesh[0], n1 = pm->mesh[1], n2 = pm->mesh[2], half = n2 / 2 + 1;
  const int ortho = !vf_box_is_triclinic(&w->box);
  const double inv4g2 = 0.25 / (pm->g_ewald * pm->g_ewald), inv_volume = 1.0 / vf_box_volume(&w->box);
  memset(w->thread_sums, 0, sizeof(double) * NSUMS * (size_t)nthreads);
#pragma omp parallel num_threads(nthreads)
  {
    double *sums = w->thread_sums + (size_t)omp_get_thread_num() * NSUMS;
    double energy = 0, virial[6] = {0}, self[NSUMS] = {0};
#pragma omp for schedule(static)
    for (int row = 0; row < n0 * n1; row++) {
      const int i0 = row / n1, i1 = row % n1;
      double by_alias[NX] = {0}, by_shift[NHARM][NX] = {{0}};
      for (int i2 = 0; i2 < half; i2++) {
        fftw_complex *rk = w->rho_hat + (size_t)row * half + i2;
        if (i0 == 0 && i1 == 0 && i2 == 0) {
          (*rk)[0] = (*rk)[1] = 0.0; /* the background carries k = 0 */
          continue;
        }
        const int i[3] = {i0, i1, i2};
        double x[NX];
        x[0] = influence(pm, i, ortho, inv4g2, x + 1) * inv_volume;
        const double weight = (i2 == 0 || 2 * i2 == n2) ? 1.0 : 2.0; /* ±k both in the sum */
        const double rho2 = (*rk)[0] * (*rk)[0] + (*rk)[1] * (*rk)[1];
        energy += 0.5 * weight * x[0] * rho2;
        for (int c = 0; c < 6; c++) virial[c] += 0.5 * weight * rho2 * x[1 + c] * inv_volume;
        if (new_cell) {
          const double wa = weight * w->self_alias[2][i2];
          const double ws[NHARM] = {weight * w->self_shift[2][0][i2], weight * w->self_shift[2][1][i2]};
          for (int c = 0; c < NX; c++) {
            const double v = c == 0 ? x[0] : x[c] * inv_volume;
            by_alias[c] += wa * v;
            for (int h = 0; h < NHARM; h++) by_shift[h][c] += ws[h] * v;
          }
        }
        (*rk)[0] *= x[0];
        (*rk)[1] *= x[0];
      }
      if (!new_cell) continue;
      const double a0 = w->self_alias[0][i0], a1 = w->self_alias[1][i1];
      for (int h = 0; h < NHARM; h++) {
        const double f[3] = {w->self_shift[0][h][i0] * a1, w->self_shift[1][h][i1] * a0, a0 * a1};
        for (int d = 0; d < 3; d++) {
          const double *acc = d < 2 ? by_alias : by_shift[h];
          self[SUM_SELF + d * NHARM + h] += f[d] * acc[0];
          for (int c = 0; c < 6; c++)
            self[SUM_SELF_VIRIAL + (d * NHARM + h) * 6 + c] += f[d] * acc[1 + c];
        }
      }
    }
    sums[SUM_ENERGY] = energy;
    for (int c = 0; c < 6; c++) sums[SUM_VIRIAL + c] = virial[c];
    for (int c = SUM_SELF; c < NSUMS; c++) sums[c] = self[c];
  }
  memset(out, 0, sizeof(double) * NSUMS);
  for (int t = 0; t < nthreads; t++)
    for (int c = 0; c < NSUMS; c++) out[c] += w->thread_sums[(size_t)t * NSUMS + c];
}

/* The potential into thread 0's padded mesh, each row continued periodically. */
static void pad_potential(const vf_pppm *pm, int nthreads) {
  const vf_pppm_work *w = pm->work;
  const int n2 = pm->mesh[2];
#pragma omp parallel for schedule(static) num_threads(nthreads)
  for (int r = 0; r < pm->mesh[0] * pm->mesh[1]; r++) {
    const double *in = w->mesh + (size_t)r * n2;
    double *out = w->thread_mesh + (size_t)r * w->row_padded;
    for (int c = 0; c < w->row_padded; c++) out[c] = in[c % n2];
  }
}

/* dE/du_d (energy in units of C) of atom i from its mesh part g (the potential's
 * gradient through the assignment weights, without the charge) and the self-force
 * term's: E_sf = -q² Σ_h c_h cos(2π(h+1)u), whose u-derivative comes from sin 2πu and
 * sin 4πu = 2 sin cos. */
static void atom_gradient(const vf_pppm *pm, double q, const double *phase, const double g[3],
                          double grad[3]) {
  _Static_assert(NHARM == 2, "the self-force harmonics are written out for h = 1, 2");
  const vf_pppm_work *w = pm->work;
  for (int d = 0; d < 3; d++) {
    const double sn = phase[d], cs = phase[3 + d];
    grad[d] = q * g[d] + q * q * 2.0 * VF_PI *
                             (w->self_coeff[d][0] * sn + 2.0 * w->self_coeff[d][1] * 2.0 * sn * cs);
  }
}

/* Atoms a block at a time: the mesh parts from thread 0's padded mesh (pad_potential)
 * at the widest vector, then each atom's force. */
static void add_forces(const vf_pppm *pm, const vf_system *s, int nthreads, double scale, double *f) {
  enum { BLOCK = 64 };
  const vf_pppm_work *w = pm->work;
  double hinv[3][3];
  vf_box_inverse(&s->box, hinv);
  const int n = s->n;
  vf_pppm_gradient_fn *const gradient = VF_WIDEST(pppm_gradient); /* chosen once, not per block */
#pragma omp parallel for schedule(static) num_threads(nthreads)
  for (int i0 = 0; i0 < n; i0 += BLOCK) {
    const int i1 = n - i0 < BLOCK ? n : i0 + BLOCK;
    double mesh_part[3 * BLOCK];
    gradient(pm->mesh, pm->order, w->row_padded, w->first, w->weights, w->thread_mesh, i0, i1,
             mesh_part);
    for (int i = i0; i < i1; i++) {
      double grad[3];
      atom_gradient(pm, s->q[i], w->phase + 6 * (size_t)i, mesh_part + 3 * (i - i0), grad);
      for (int d = 0; d < 3; d++) grad[d] *= pm->mesh[d]; /* du_d/ds_d */
      /* F_a = -Σ_d dE/ds_d ds_d/dr_a; h⁻¹ is upper triangular. */
      f[i] -= scale * (grad[0] * hinv[0][0]);
      f[n + i] -= scale * (grad[0] * hinv[0][1] + grad[1] * hinv[1][1]);
      f[2 * n + i] -= scale * (grad[0] * hinv[0][2] + grad[1] * hinv[1][2] + grad[2] * hinv[2][2]);
    }
  }
}

int vf_pppm_compute(vf_pppm *pm, const vf_system *s, double w, vf_forcebuf *fb, double *energy,
                    double virial[6]) {
  vf_pppm_work *wk = pm->work;
  const int nthreads = omp_get_max_threads();
  if (reserve_threads(wk, nthreads) || reserve_atoms(wk, s->n, pm->order)) return -1;
  const int new_cell = !wk->have_box || memcmp(&wk->box, &s->box, sizeof s->box) != 0;
  if (new_cell) follow_cell(pm, &s->box);

  double phases[3 * NHARM], sums[NSUMS];
  spread_charges(pm, s, nthreads, phases);
  fftw_execute(wk->forward);
  convolve(pm, nthreads, new_cell, sums);
  if (new_cell)
    for (int dh = 0; dh < 3 * NHARM; dh++) {
      wk->self_coeff[dh / NHARM][dh % NHARM] = sums[SUM_SELF + dh];
      memcpy(wk->self_coeff_virial[dh / NHARM][dh % NHARM], sums + SUM_SELF_VIRIAL + 6 * dh,
             sizeof(double) * 6);
    }

  /* E_sf = -Σ_dh c_dh Σ_i q_i² cos(2πh u_id); its virial has c -> the c's virial. */
  double e_sf = 0, w_sf[6] = {0};
  for (int dh = 0; dh < 3 * NHARM; dh++) {
    const double *c = &wk->self_coeff[dh / NHARM][dh % NHARM];
    e_sf -= *c * phases[dh];
    for (int k = 0; k < 6; k++) w_sf[k] -= wk->self_coeff_virial[dh / NHARM][dh % NHARM][k] * phases[dh];
  }
  pm->self_force_energy = VF_QQR2E * e_sf;
  *energy += VF_QQR2E * (sums[SUM_ENERGY] + e_sf);
  for (int c = 0; c < 6; c++) {
    pm->self_force_virial[c] = VF_QQR2E * w_sf[c];
    virial[c] += VF_QQR2E * (sums[SUM_VIRIAL + c] + w_sf[c]);
  }
  vf_kspace_add_self_background(pm->g_ewald, pm->qsum, pm->qsqsum, vf_box_volume(&s->box), energy,
                                virial);
  if (w == 0.0) return 0;
  fftw_execute(wk->backward); /* the potential on the mesh */
  pad_potential(pm, nthreads);
  add_forces(pm, s, nthreads, w * VF_QQR2E, vf_forcebuf_thread(fb, 0));
  return 0;
}
