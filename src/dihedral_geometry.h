/* dihedral_geometry.h — the dihedral angle of four atoms and its gradient, shared by
 * the dihedral and improper styles (both use the IUPAC angle of atoms 1-2-3-4):
 *   b1 = r2 - r1, b2 = r3 - r2, b3 = r4 - r3 (nearest periodic images),
 *   m = b1 x b2, n = b2 x b3,
 *   phi = atan2(|b2| b1.n, m.n), trans = 180 degrees.
 * Work goes a block of entries at a time: vf_dihedral_gather takes the bond vectors,
 * vf_dihedral_geometry gives cos(phi), sin(phi) and the gradient, a style turns
 * those into E and dE/dphi, and vf_dihedral_scatter adds the forces
 * -dE/dphi dphi/dr_i and their virial. The geometry is straight-line arithmetic on
 * arrays, which the compiler vectorises; gather and scatter stay scalar. */
#ifndef VF_DIHEDRAL_GEOMETRY_H
#define VF_DIHEDRAL_GEOMETRY_H

#include <math.h>

#include "accum.h"
#include "bonded.h"
#include "system.h"

/* Below this sine of a bond angle (1-2-3 or 2-3-4) phi is ill-defined and its
 * gradient diverges as 1/sin; the gradient is capped there instead (as LAMMPS's
 * improper styles do), so near-linear atoms get large but finite forces. */
#define VF_DIHEDRAL_MIN_SIN 1e-3

#define VF_DIHEDRAL_BLOCK 32

typedef struct vf_dihedral_block {
  int n; /* entries in the block */
  double b1[3][VF_DIHEDRAL_BLOCK], b2[3][VF_DIHEDRAL_BLOCK], b3[3][VF_DIHEDRAL_BLOCK];
  double cos_phi[VF_DIHEDRAL_BLOCK], sin_phi[VF_DIHEDRAL_BLOCK];
  /* dphi/dr1 and dphi/dr4; the other two gradients follow from these */
  double dphi_dr1[3][VF_DIHEDRAL_BLOCK], dphi_dr4[3][VF_DIHEDRAL_BLOCK];
  double p[VF_DIHEDRAL_BLOCK], q[VF_DIHEDRAL_BLOCK]; /* (b1.b2)/|b2|^2, (b3.b2)/|b2|^2 */
} vf_dihedral_block;

/* Bond vectors of the n entries atom[4k .. 4k+3], k < n <= VF_DIHEDRAL_BLOCK. */
static inline void vf_dihedral_gather(const vf_system *s, const int *atom, int n,
                                      vf_dihedral_block *g) {
  const double *restrict x = s->x, *restrict y = s->y, *restrict z = s->z;
  g->n = n;
  for (int k = 0; k < n; k++) {
    const int *a = atom + 4 * k;
    g->b1[0][k] = x[a[1]] - x[a[0]];
    g->b1[1][k] = y[a[1]] - y[a[0]];
    g->b1[2][k] = z[a[1]] - z[a[0]];
    g->b2[0][k] = x[a[2]] - x[a[1]];
    g->b2[1][k] = y[a[2]] - y[a[1]];
    g->b2[2][k] = z[a[2]] - z[a[1]];
    g->b3[0][k] = x[a[3]] - x[a[2]];
    g->b3[1][k] = y[a[3]] - y[a[2]];
    g->b3[2][k] = z[a[3]] - z[a[2]];
  }
  vf_bonded_minimum_image(&s->box, n, g->b1[0], g->b1[1], g->b1[2]);
  vf_bonded_minimum_image(&s->box, n, g->b2[0], g->b2[1], g->b2[2]);
  vf_bonded_minimum_image(&s->box, n, g->b3[0], g->b3[1], g->b3[2]);
}

/* 1 / |c|^2 with |c|^2 floored at (MIN_SIN |a| |b|)^2, for c = a x b; 0 when c = 0.
 * Conditions are arithmetic (ok is 0 or 1) so the loops around stay vectorisable. */
static inline double vf_dihedral_inv_cross_sq(double c_sq, double a_sq, double b_sq) {
  const double floor_sq = VF_DIHEDRAL_MIN_SIN * VF_DIHEDRAL_MIN_SIN * a_sq * b_sq;
  const double den = c_sq > floor_sq ? c_sq : floor_sq;
  const double ok = c_sq > 0.0;
  return ok / (den + (1.0 - ok));
}

/* cos(phi), sin(phi), the gradient, p and q of the gathered entries. Degenerate
 * geometries (coincident or collinear atoms) give phi = 0 and zero gradient rather
 * than NaN. */
static inline void vf_dihedral_geometry(vf_dihedral_block *g) {
  for (int k = 0; k < g->n; k++) {
    const double b1[3] = {g->b1[0][k], g->b1[1][k], g->b1[2][k]};
    const double b2[3] = {g->b2[0][k], g->b2[1][k], g->b2[2][k]};
    const double b3[3] = {g->b3[0][k], g->b3[1][k], g->b3[2][k]};
    const double m[3] = {b1[1] * b2[2] - b1[2] * b2[1], b1[2] * b2[0] - b1[0] * b2[2],
                         b1[0] * b2[1] - b1[1] * b2[0]};
    const double n[3] = {b2[1] * b3[2] - b2[2] * b3[1], b2[2] * b3[0] - b2[0] * b3[2],
                         b2[0] * b3[1] - b2[1] * b3[0]};
    const double b1_sq = b1[0] * b1[0] + b1[1] * b1[1] + b1[2] * b1[2];
    const double b2_sq = b2[0] * b2[0] + b2[1] * b2[1] + b2[2] * b2[2];
    const double b3_sq = b3[0] * b3[0] + b3[1] * b3[1] + b3[2] * b3[2];
    const double b2_len = sqrt(b2_sq);

    /* |m.n|^2 + (|b2| b1.n)^2 = |m|^2 |n|^2, so this normalises (cos, sin) exactly. */
    const double x = m[0] * n[0] + m[1] * n[1] + m[2] * n[2];
    const double y = b2_len * (b1[0] * n[0] + b1[1] * n[1] + b1[2] * n[2]);
    const double r = sqrt(x * x + y * y);
    const double ok = r > 0.0;
    const double inv_r = ok / (r + (1.0 - ok));
    g->cos_phi[k] = x * inv_r + (1.0 - ok);
    g->sin_phi[k] = y * inv_r;

    /* dphi/dr1 = -|b2| m / |m|^2, dphi/dr4 = |b2| n / |n|^2. */
    const double m_sq = m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
    const double n_sq = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
    const double a1 = -b2_len * vf_dihedral_inv_cross_sq(m_sq, b1_sq, b2_sq);
    const double a4 = b2_len * vf_dihedral_inv_cross_sq(n_sq, b2_sq, b3_sq);
    for (int c = 0; c < 3; c++) {
      g->dphi_dr1[c][k] = a1 * m[c];
      g->dphi_dr4[c][k] = a4 * n[c];
    }
    const double ok2 = b2_sq > 0.0;
    const double inv_b2_sq = ok2 / (b2_sq + (1.0 - ok2));
    g->p[k] = (b1[0] * b2[0] + b1[1] * b2[1] + b1[2] * b2[2]) * inv_b2_sq;
    g->q[k] = (b3[0] * b2[0] + b3[1] * b2[1] + b3[2] * b2[2]) * inv_b2_sq;
  }
}

/* Adds the forces of energies with derivatives de_dphi[k] to the entries' four atoms
 * (into the arrays fx, fy, fz) and their virial (positions taken relative to atom 2:
 * -b1, 0, b2, b2 + b3). The middle gradients are dphi/dr2 = -(1+p) dphi/dr1 +
 * q dphi/dr4 and dphi/dr3 = p dphi/dr1 - (1+q) dphi/dr4, so the forces sum to zero. */
static inline void vf_dihedral_scatter(const vf_dihedral_block *g, const double *de_dphi,
                                       const int *atom, double *restrict fx,
                                       double *restrict fy, double *restrict fz,
                                       double virial[6]) {
  for (int k = 0; k < g->n; k++) {
    double f1[3], f2[3], f3[3], f4[3];
    for (int c = 0; c < 3; c++) {
      f1[c] = -de_dphi[k] * g->dphi_dr1[c][k];
      f4[c] = -de_dphi[k] * g->dphi_dr4[c][k];
      f2[c] = -(1.0 + g->p[k]) * f1[c] + g->q[k] * f4[c];
      f3[c] = g->p[k] * f1[c] - (1.0 + g->q[k]) * f4[c];
    }
    const int *a = atom + 4 * k;
    const double *f[4] = {f1, f2, f3, f4};
    for (int m = 0; m < 4; m++) {
      fx[a[m]] += f[m][0];
      fy[a[m]] += f[m][1];
      fz[a[m]] += f[m][2];
    }
    const double b1[3] = {g->b1[0][k], g->b1[1][k], g->b1[2][k]};
    const double b2[3] = {g->b2[0][k], g->b2[1][k], g->b2[2][k]};
    const double b23[3] = {b2[0] + g->b3[0][k], b2[1] + g->b3[1][k], b2[2] + g->b3[2][k]};
    vf_virial_pair(virial, -b1[0], -b1[1], -b1[2], f1[0], f1[1], f1[2]);
    vf_virial_pair(virial, b2[0], b2[1], b2[2], f3[0], f3[1], f3[2]);
    vf_virial_pair(virial, b23[0], b23[1], b23[2], f4[0], f4[1], f4[2]);
  }
}

/* cos(n phi) and sin(n phi) from cos(phi), sin(phi) by repeated rotation (n >= 0),
 * cheaper than trigonometric calls and exact for the small n force fields use. */
static inline void vf_dihedral_multiple(double c, double s, int n, double *cn, double *sn) {
  double cr = 1.0, sr = 0.0;
  for (int k = 0; k < n; k++) {
    const double t = cr * c - sr * s;
    sr = sr * c + cr * s;
    cr = t;
  }
  *cn = cr;
  *sn = sr;
}

#endif
