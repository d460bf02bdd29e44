/* nonbonded.h — pair interactions between atoms that are not bonded partners:
 *   LJ 12-6    E = 4ε[(σ/r)^12 - (σ/r)^6], per type pair, cut at cut_lj, no shift,
 *              with the long-range tail correction to energy and pressure
 *   Morse      E = D0[e^{-2α(r-r0)} - 2e^{-α(r-r0)}], only for the pairs given
 *   Coulomb    real-space Ewald part C q_i q_j erfc(g r)/r, cut at cut_coul
 * 1-2, 1-3, 1-4 partners are scaled by special_lj / special_coul (index = order,
 * index 0 is 1). For Coulomb the scaled-away part (1-f) C q q / r is subtracted
 * whole, because the reciprocal-space sum contains every pair. */
#ifndef VF_NONBONDED_H
#define VF_NONBONDED_H

#include "forcebuf.h"
#include "neighbor.h"
#include "system.h"

typedef struct vf_pair_params {
  int ntypes;
  /* ntypes x ntypes, symmetric */
  unsigned char *has_lj, *has_morse;
  double *lj_epsilon, *lj_sigma;
  double *morse_d0, *morse_alpha, *morse_r0;
  double cut_lj, cut_morse, cut_coul;
  double g_ewald;
  /* Use LAMMPS's polynomial erfc (Abramowitz & Stegun 7.1.26, absolute error ~1e-7)
   * instead of the accurate one: for trajectories that must follow LAMMPS's closely. */
  int lammps_erfc;
  /* The cluster kernel's LJ and real-space Coulomb in single precision per pair,
   * sums in double and 64-bit fixed point (pair_mixed_kernel.h); not with
   * lammps_erfc. */
  int mixed;
  double special_lj[4], special_coul[4];
  /* derived by vf_pair_params_init: LJ force and energy prefactors */
  double *lj1, *lj2, *lj3, *lj4;
  /* the same with one more type, ntypes, that interacts with nothing (padding of
   * the cluster kernel): (ntypes + 1)^2 each, packed 48εσ¹², 24εσ⁶, 4εσ¹², 4εσ⁶ */
  double *lj_padded;
} vf_pair_params;

/* Allocates the tables for ntypes (zeroed: no interactions) and sets special
 * factors to 1. */
int vf_pair_params_alloc(vf_pair_params *p, int ntypes);
void vf_pair_params_free(vf_pair_params *p);
/* Sets the symmetric entries of one type pair. */
void vf_pair_params_set_lj(vf_pair_params *p, int ti, int tj, double epsilon, double sigma);
void vf_pair_params_set_morse(vf_pair_params *p, int ti, int tj, double d0, double alpha,
                              double r0);
/* Derives the kernel constants; call after the last set. */
void vf_pair_params_init(vf_pair_params *p);

/* Energies and virials of the three pair terms of one evaluation. */
typedef struct vf_pair_sums {
  double e_lj, e_coul, e_morse;
  double v_lj[6], v_coul[6], v_morse[6];
} vf_pair_sums;

static inline void vf_pair_sums_add(vf_pair_sums *to, const vf_pair_sums *from) {
  to->e_lj += from->e_lj;
  to->e_coul += from->e_coul;
  to->e_morse += from->e_morse;
  for (int c = 0; c < 6; c++) {
    to->v_lj[c] += from->v_lj[c];
    to->v_coul[c] += from->v_coul[c];
    to->v_morse[c] += from->v_morse[c];
  }
}

/* Atoms per work unit of the pair loops. Half lists give low-numbered atoms more
 * partners, so threads take interleaved chunks (balanced, and with a fixed
 * assignment: results do not depend on timing). */
#define VF_PAIR_CHUNK 16

/* LJ and real-space Coulomb over the plain and special lists. Forces, scaled by
 * w_lj and w_coul (1 to include, 0 to leave out), go to the thread buffers;
 * energies and virials always go to sums. */
void vf_lj_coul_long_compute(const vf_pair_params *p, const vf_neighbor *nb, const vf_system *s,
                             double w_lj, double w_coul, vf_forcebuf *fb, vf_pair_sums *sums);
/* Morse over the morse list. */
void vf_morse_compute(const vf_pair_params *p, const vf_neighbor *nb, const vf_system *s,
                      vf_forcebuf *fb, vf_pair_sums *sums);
struct vf_cluster_list;
/* Morse over the Morse pairs a cluster list collected (vf_clusters_build). */
void vf_morse_cluster_compute(const vf_pair_params *p, const struct vf_cluster_list *cl,
                              const vf_system *s, vf_forcebuf *fb, vf_pair_sums *sums);

/* Special (1-2, 1-3, 1-4) pairs, scaled, at their nearest image, straight from the
 * topology: the cluster kernel leaves them out. pairs: i < j with order, built by
 * vf_special_pairs_build; only those with LJ or both charged. */
typedef struct vf_special_pairs {
  int n;
  int *i, *j;
  unsigned char *order;
} vf_special_pairs;
int vf_special_pairs_build(vf_special_pairs *sp, const vf_pair_params *p, const vf_system *s);
void vf_special_pairs_free(vf_special_pairs *sp);
void vf_special_compute(const vf_pair_params *p, const vf_special_pairs *sp, const vf_system *s,
                        double w_lj, double w_coul, vf_forcebuf *fb, vf_pair_sums *sums);

/* Tail correction: E_tail = e/V and virial diagonal += w/V, from type counts. */
void vf_lj_tail_coefficients(const vf_pair_params *p, const vf_system *s, double *e, double *w);

#endif
