/* box.h — the periodic simulation cell.
 * LAMMPS's convention: origin lo, edge vectors a = (lx,0,0), b = (xy,ly,0),
 * c = (xz,yz,lz). Orthorhombic when all tilts are zero. Fractional coordinates s
 * satisfy r = lo + s0*a + s1*b + s2*c. */
#ifndef VF_BOX_H
#define VF_BOX_H

#include <math.h>

#include "error.h"

typedef struct vf_box {
  double lo[3];
  double lx, ly, lz;
  double xy, xz, yz;
} vf_box;

/* Sets the box from LAMMPS-style bounds; rejects non-positive lengths and
 * non-finite values. */
int vf_box_set(vf_box *box, const double lo[3], const double hi[3], const double tilt[3],
               vf_error *err);
int vf_box_is_triclinic(const vf_box *box);
double vf_box_volume(const vf_box *box);
/* Cell matrix with edge vectors as columns: h[row][col], col 0 = a, 1 = b, 2 = c. */
void vf_box_matrix(const vf_box *box, double h[3][3]);
/* Inverse of the (upper-triangular) cell matrix. */
void vf_box_inverse(const vf_box *box, double hinv[3][3]);
/* Distances between opposite faces (the widths a sphere must fit in). */
void vf_box_face_widths(const vf_box *box, double w[3]);
void vf_box_to_frac(const vf_box *box, const double r[3], double s[3]);
void vf_box_to_cart(const vf_box *box, const double s[3], double r[3]);
/* Cartesian displacement of the lattice translation n0*a + n1*b + n2*c. */
void vf_box_shift(const vf_box *box, int n0, int n1, int n2, double d[3]);
/* Maps r into the cell, adding the lattice translations removed to image[]. */
void vf_box_wrap(const vf_box *box, double r[3], int image[3]);
/* x rounded to the nearest integer (ties to even) by adding and subtracting 1.5 * 2^52:
 * exact for |x| < 2^51 in the default rounding mode, and two additions where
 * nearbyint is a library call (baseline x86-64 has no rounding instruction). */
static inline double vf_round_nearest(double x) {
  const double shift = 6755399441055744.0; /* 1.5 * 2^52 */
  return (x + shift) - shift;
}

/* Replaces d by its nearest periodic image (exact for orthorhombic cells and for
 * displacements shorter than half the smallest face width in triclinic ones).
 * Reduces along c, then b, then a: each step only touches components the later edge
 * vectors do not have, the way LAMMPS does it. Inline and branch-light because
 * bonded terms call it for every bond vector, which is almost always inside. */
static inline void vf_box_minimum_image(const vf_box *box, double d[3]) {
  if (d[2] > 0.5 * box->lz || d[2] < -0.5 * box->lz) {
    const double n = nearbyint(d[2] / box->lz);
    d[0] -= n * box->xz;
    d[1] -= n * box->yz;
    d[2] -= n * box->lz;
  }
  if (d[1] > 0.5 * box->ly || d[1] < -0.5 * box->ly) {
    const double n = nearbyint(d[1] / box->ly);
    d[0] -= n * box->xy;
    d[1] -= n * box->ly;
  }
  if (d[0] > 0.5 * box->lx || d[0] < -0.5 * box->lx) d[0] -= nearbyint(d[0] / box->lx) * box->lx;
}
/* Applies the homogeneous deformation r -> (1 + eps) r about the origin to the cell,
 * eps being a small upper-triangular strain in LAMMPS order xx yy zz xy xz yz, where
 * the off-diagonal entries are the tilt changes per unit length (used by tests and
 * barostats). */
void vf_box_strain(vf_box *box, const double eps[6]);

#endif
