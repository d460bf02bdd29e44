/* ewald.h — reciprocal-space part of Ewald summation.
 *   E_k = C [ Σ_{k in half space} (4π/V) e^{-k²/4g²}/k² |S(k)|²
 *             - g/√π Σ q_i² - π Q²/(2 g² V) ],   S(k) = Σ q_i e^{i k·r_i}
 * The splitting parameter g and the k-vector set are chosen as LAMMPS chooses them
 * from a relative force accuracy and the real-space cut-off, so that the real and
 * reciprocal parts split identically. The integer k-vectors are fixed at setup; when
 * the box changes, their coefficients follow it (the energy stays differentiable). */
#ifndef VF_EWALD_H
#define VF_EWALD_H

#include "error.h"
#include "forcebuf.h"
#include "system.h"

typedef struct vf_ewald {
  double accuracy; /* relative force accuracy requested */
  double g_ewald;
  double cut_coul;
  int kmax[3];
  int nk;
  int *kvec;     /* 3 per k-vector: integer multiples of the reciprocal vectors */
  double *ug;    /* per k: (4π/V) e^{-k²/4g²}/k² */
  double *kcart; /* per k: Cartesian k (3) */
  double qsum, qsqsum;
  vf_box box; /* box the coefficients were made for */
  /* work space: phases e^{i 2π m s_d} per dimension d, m in [-kmax_d, kmax_d], atom */
  double *phase_re, *phase_im;
  double *sk_re, *sk_im;
  long *kstart; /* 3 per k: offsets of its three phase rows */
  int n_work;
} vf_ewald;

/* Chooses g (unless g_ewald > 0 is given) and the k-vectors for the system. */
int vf_ewald_setup(vf_ewald *ew, const vf_system *s, double cut_coul, double accuracy,
                   double g_ewald, vf_error *err);
void vf_ewald_free(vf_ewald *ew);
/* Re-creates a set-up from its parameters (a checkpoint's): g, kmax and the integer
 * k-vectors, with coefficients for the system's current cell. */
int vf_ewald_restore(vf_ewald *ew, const vf_system *s, double cut_coul, double accuracy,
                     double g_ewald, const int kmax[3], int nk, const int *kvec, vf_error *err);
/* Adds w times the forces to the thread buffers (thread 0's block), the energy and
 * the virial. */
void vf_ewald_compute(vf_ewald *ew, const vf_system *s, double w, vf_forcebuf *fb,
                      double *energy, double virial[6]);
/* LAMMPS's estimate of the RMS force error of the real-space part. */
double vf_ewald_real_space_error(const vf_ewald *ew, const vf_system *s);

#endif
