/* pppm_tune.h — PPPM parameters from a force accuracy, as LAMMPS's pppm chooses them
 * for analytical differentiation ("kspace_modify diff ad"): g from the accuracy and
 * the real-space cut-off; the mesh by shrinking the spacing from 4/g in steps of 5 %
 * until the estimated k-space error meets the accuracy, then each edge rounded up to
 * 2^a 3^b 5^c points; g finally moved (Newton–Raphson) until the real- and k-space
 * error estimates are equal. The k-space estimate is the optimal-influence-function
 * error sum of Hockney and Eastwood as LAMMPS evaluates it (aliases |m| <= 2).
 * Triclinic cells: the same sum over the true (skewed) reciprocal lattice, and mesh
 * points along each edge in proportion to the edge's length. */
#ifndef VF_PPPM_TUNE_H
#define VF_PPPM_TUNE_H

#include "box.h"
#include "error.h"

typedef struct vf_pppm_tuning {
  double abs_accuracy; /* eV/Å */
  double cut;          /* real-space cut-off, Å */
  double q2;           /* C Σ q² */
  int natoms, order;
} vf_pppm_tuning;

/* Estimated RMS k-space force error (eV/Å) of this mesh and g. */
double vf_pppm_kspace_error(const vf_pppm_tuning *t, const vf_box *box, const int mesh[3],
                            double g);
/* Chooses whatever is not given: g (when *g <= 0) and the mesh (when mesh[0] <= 0).
 * A given mesh is still rounded up to FFT-friendly sizes, as LAMMPS does. */
int vf_pppm_choose(const vf_pppm_tuning *t, const vf_box *box, double *g, int mesh[3],
                   vf_error *err);
/* n has no prime factors other than 2, 3 and 5. */
int vf_pppm_fft_friendly(int n);

#endif
