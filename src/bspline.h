/* bspline.h — cardinal B-splines, the charge assignment functions of PPPM.
 * M_P is the B-spline of order P on [0, P] (the unit box convolved with itself P
 * times); a charge at mesh coordinate u gives mesh point m the weight
 * W(u − m) = M_P(u − m + P/2), Hockney and Eastwood's assignment function of order P.
 * Its Fourier transform is (sin πξ / πξ)^P, ξ in cycles per mesh spacing. The
 * weights of each atom's stencil are computed by pppm_stencil_kernel.h. */
#ifndef VF_BSPLINE_H
#define VF_BSPLINE_H

#define VF_BSPLINE_MAX_ORDER 14 /* 2 × the largest assignment order (for alias sums) */

/* (sin πx / πx)^p */
double vf_sinc_pow(double x, int p);
/* Σ_j (sin π(x+j) / π(x+j))^(2P) over all integers j, in closed form: the
 * autocorrelation of M_P is M_2P, so the sum is Σ_m M_2P(P + m) cos 2πmx. */
double vf_bspline_alias_sum(double x, int order);

#endif
