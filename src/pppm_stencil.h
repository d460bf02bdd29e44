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

#endif
