/* pppm_stencil.h — each atom's PPPM stencil, VF_W atoms at a time (the layout is
 * pppm.c's vf_pppm_work): along each edge the first mesh point of the order-P
 * B-spline, its P weights and their derivatives, and sin and cos of 2πu for the
 * self-force correction. */
#ifndef VF_PPPM_STENCIL_H
#define VF_PPPM_STENCIL_H

#include "pppm.h"

/* Atoms [i0, i1) at positions x, y, z in box, on a mesh of mesh[3] points, order P:
 * first[3 i + d], weights[6 P i + d P + j] (weights) and [6 P i + (3 + d) P + j]
 * (derivatives), phase[6 i + d] = sin 2πu_d and [6 i + 3 + d] = cos 2πu_d. */
#define VF_DECLARE_PPPM_STENCILS(W)                                                           \
  void vf##W##_pppm_stencils(const vf_box *box, const int mesh[3], int order, const double *x, \
                             const double *y, const double *z, int i0, int i1, int *first,     \
                             double *weights, double *phase);
VF_DECLARE_PPPM_STENCILS(8)
VF_DECLARE_PPPM_STENCILS(4)
VF_DECLARE_PPPM_STENCILS(2)
VF_DECLARE_PPPM_STENCILS(1)

/* Stencil rows are handled as vectors of VF_PPPM_ROW doubles (the order's P points,
 * then lanes that only ever add or meet zero weights), so a padded mesh needs
 * VF_PPPM_ROW - 1 readable and writable doubles past its last row. */
#define VF_PPPM_ROW 8

/* Atoms [i0, i1) with charges q, stencils as vf{W}_pppm_stencils stores them, added
 * to a padded mesh (n0 n1 rows of row_padded points, the first point of a stencil's
 * row at first[3 i + 2]); the same sums in the same order as point by point. */
#define VF_DECLARE_PPPM_SPREAD(W)                                                            \
  void vf##W##_pppm_spread(const int mesh[3], int order, int row_padded, const int *first,    \
                           const double *weights, const double *q, int i0, int i1,            \
                           double *padded);
VF_DECLARE_PPPM_SPREAD(8)
VF_DECLARE_PPPM_SPREAD(4)
VF_DECLARE_PPPM_SPREAD(2)
VF_DECLARE_PPPM_SPREAD(1)

/* For atoms [i0, i1): Σ over the stencil of the padded mesh's values times the
 * derivative of the weights along each edge, grad[3 (i - i0) + d] (the charge left out). */
typedef void vf_pppm_gradient_fn(const int mesh[3], int order, int row_padded, const int *first,
                                 const double *weights, const double *padded, int i0, int i1,
                                 double *grad);
#define VF_DECLARE_PPPM_GRADIENT(W) vf_pppm_gradient_fn vf##W##_pppm_gradient;
VF_DECLARE_PPPM_GRADIENT(8)
VF_DECLARE_PPPM_GRADIENT(4)
VF_DECLARE_PPPM_GRADIENT(2)
VF_DECLARE_PPPM_GRADIENT(1)

#endif
