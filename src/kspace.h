/* kspace.h — what the reciprocal-space Coulomb solvers (Ewald, PPPM) share: LAMMPS's
 * first choice of the splitting parameter g, its real-space error estimate, and the
 * terms that do not depend on the method: the self energy and the neutralising
 * background of a net charge. Accuracies here are absolute (eV/Å). */
#ifndef VF_KSPACE_H
#define VF_KSPACE_H

#include "system.h"

void vf_kspace_charge_sums(const vf_system *s, double *qsum, double *qsqsum);
/* g (1/Å) such that the real-space error at the cut-off is about abs_accuracy;
 * q2 = C Σ q². LAMMPS's formula, so that both codes split identically. */
double vf_kspace_initial_g(double abs_accuracy, int natoms, double cut, const vf_box *box,
                           double q2);
/* LAMMPS's estimate of the RMS real-space force error (eV/Å). */
double vf_kspace_real_space_error(double q2, double cut, double g, int natoms, const vf_box *box);
/* Adds C (−g/√π Σq² − π Q²/(2 g² V)) to *energy and the background's virial (it
 * scales as 1/V) to the diagonal of virial. */
void vf_kspace_add_self_background(double g, double qsum, double qsqsum, double volume,
                                   double *energy, double virial[6]);

#endif
