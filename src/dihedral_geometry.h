/* dihedral_geometry.h — the dihedral angle of four atoms and its gradient, shared by
 * the dihedral and improper styles (both use the IUPAC angle of atoms 1-2-3-4):
 *   b1 = r2 - r1, b2 = r3 - r2, b3 = r4 - r3 (nearest periodic images, chained),
 *   m = b1 x b2, n = b2 x b3,
 *   phi = atan2(|b2| b1.n, m.n), trans = 180 degrees.
 * A style turns cos(phi), sin(phi) into E and dE/dphi; vf_dihedral_apply then adds
 * the forces -dE/dphi dphi/dr_i and their virial. */
#ifndef VF_DIHEDRAL_GEOMETRY_H
#define VF_DIHEDRAL_GEOMETRY_H

#include <math.h>

#include "accum.h"
#include "system.h"

/* Below this sine of a bond angle (1-2-3 or 2-3-4) phi is ill-defined and its
 * gradient diverges as 1/sin; the gradient is capped there instead (as LAMMPS's
 * improper styles do), so near-linear atoms get large but finite forces. */
#define VF_DIHEDRAL_MIN_SIN 1e-3

typedef struct vf_dihedral_geometry {
  double b1[3], b2[3], b3[3];
  double cos_phi, sin_phi;
  double dphi_dr1[3], dphi_dr4[3]; /* the other two gradients follow from these */
  double p, q;                     /* (b1.b2)/|b2|^2 and (b3.b2)/|b2|^2 */
} vf_dihedral_geometry;

static inline void vf_dihedral_cross(const double a[3], const double b[3], double c[3]) {
  c[0] = a[1] * b[2] - a[2] * b[1];
  c[1] = a[2] * b[0] - a[0] * b[2];
  c[2] = a[0] * b[1] - a[1] * b[0];
}

static inline double vf_dihedral_dot(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Nearest-image vector r_j - r_i. */
static inline void vf_dihedral_bond(const vf_system *s, int i, int j, double d[3]) {
  d[0] = s->x[j] - s->x[i];
  d[1] = s->y[j] - s->y[i];
  d[2] = s->z[j] - s->z[i];
  vf_box_minimum_image(&s->box, d);
}

/* 1 / |c|^2 with |c|^2 floored at (MIN_SIN |a| |b|)^2, for c = a x b; 0 when c = 0. */
static inline double vf_dihedral_inv_cross_sq(double c_sq, double a_sq, double b_sq) {
  if (c_sq <= 0.0) return 0.0;
  const double floor_sq = VF_DIHEDRAL_MIN_SIN * VF_DIHEDRAL_MIN_SIN * a_sq * b_sq;
  return 1.0 / (c_sq > floor_sq ? c_sq : floor_sq);
}

/* Fills g for the atoms atom[0..3]. Degenerate geometries (coincident or collinear
 * atoms) give phi = 0 and zero gradient rather than NaN. */
static inline void vf_dihedral_geometry_of(const vf_system *s, const int atom[4],
                                           vf_dihedral_geometry *g) {
  vf_dihedral_bond(s, atom[0], atom[1], g->b1);
  vf_dihedral_bond(s, atom[1], atom[2], g->b2);
  vf_dihedral_bond(s, atom[2], atom[3], g->b3);
  double m[3], n[3];
  vf_dihedral_cross(g->b1, g->b2, m);
  vf_dihedral_cross(g->b2, g->b3, n);
  const double b1_sq = vf_dihedral_dot(g->b1, g->b1);
  const double b2_sq = vf_dihedral_dot(g->b2, g->b2);
  const double b3_sq = vf_dihedral_dot(g->b3, g->b3);
  const double b2_len = sqrt(b2_sq);

  /* |m.n|^2 + (|b2| b1.n)^2 = |m|^2 |n|^2, so this normalises (cos, sin) exactly. */
  const double x = vf_dihedral_dot(m, n);
  const double y = b2_len * vf_dihedral_dot(g->b1, n);
  const double r = sqrt(x * x + y * y);
  g->cos_phi = r > 0.0 ? x / r : 1.0;
  g->sin_phi = r > 0.0 ? y / r : 0.0;

  /* dphi/dr1 = -|b2| m / |m|^2, dphi/dr4 = |b2| n / |n|^2. */
  const double a1 = -b2_len * vf_dihedral_inv_cross_sq(vf_dihedral_dot(m, m), b1_sq, b2_sq);
  const double a4 = b2_len * vf_dihedral_inv_cross_sq(vf_dihedral_dot(n, n), b2_sq, b3_sq);
  const double inv_b2_sq = b2_sq > 0.0 ? 1.0 / b2_sq : 0.0;
  for (int c = 0; c < 3; c++) {
    g->dphi_dr1[c] = a1 * m[c];
    g->dphi_dr4[c] = a4 * n[c];
  }
  g->p = vf_dihedral_dot(g->b1, g->b2) * inv_b2_sq;
  g->q = vf_dihedral_dot(g->b3, g->b2) * inv_b2_sq;
}

/* Adds the forces of an energy with derivative de_dphi to the four atoms, and their
 * virial (positions taken relative to atom 2: -b1, 0, b2, b2 + b3). The middle
 * gradients are dphi/dr2 = -(1+p) dphi/dr1 + q dphi/dr4 and
 * dphi/dr3 = p dphi/dr1 - (1+q) dphi/dr4, so the four forces sum to zero. */
static inline void vf_dihedral_apply(const vf_dihedral_geometry *g, double de_dphi,
                                     const int atom[4], vf_accum *out, double virial[6]) {
  double f1[3], f2[3], f3[3], f4[3];
  for (int c = 0; c < 3; c++) {
    f1[c] = -de_dphi * g->dphi_dr1[c];
    f4[c] = -de_dphi * g->dphi_dr4[c];
    f2[c] = -(1.0 + g->p) * f1[c] + g->q * f4[c];
    f3[c] = g->p * f1[c] - (1.0 + g->q) * f4[c];
  }
  const double *f[4] = {f1, f2, f3, f4};
  for (int k = 0; k < 4; k++) {
    out->fx[atom[k]] += f[k][0];
    out->fy[atom[k]] += f[k][1];
    out->fz[atom[k]] += f[k][2];
  }
  const double b23[3] = {g->b2[0] + g->b3[0], g->b2[1] + g->b3[1], g->b2[2] + g->b3[2]};
  vf_virial_pair(virial, -g->b1[0], -g->b1[1], -g->b1[2], f1[0], f1[1], f1[2]);
  vf_virial_pair(virial, g->b2[0], g->b2[1], g->b2[2], f3[0], f3[1], f3[2]);
  vf_virial_pair(virial, b23[0], b23[1], b23[2], f4[0], f4[1], f4[2]);
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
