/* pair_functions.h — one pair's LJ and real-space Coulomb, shared by the kernels
 * that walk atom lists (the reference kernel, special pairs). Each returns the energy
 * and sets *fr = -dE/dr / r, so the force on the first atom is fr * (r1 - r2). */
#ifndef VF_PAIR_FUNCTIONS_H
#define VF_PAIR_FUNCTIONS_H

#include <math.h>

#include "nonbonded.h"
#define VF_W 1
#include "simd_math.h"
#undef VF_W

#define TWO_OVER_SQRT_PI 1.12837916709551257390

/* LAMMPS's erfc for coul/long without tables (Abramowitz & Stegun 7.1.26). */
static inline double vf_erfc_lammps(double x, double exp_mx2) {
  const double t = 1.0 / (1.0 + 0.3275911 * x);
  return t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 +
                                                                      t * 1.061405429)))) *
         exp_mx2;
}

/* Coulomb between charges qq (already times C) at distance r, with the fraction
 * (1 - factor) of the bare interaction removed. Returns energy; *fr = -dE/dr / r.
 * The screened part as the vector kernels compute it (simd_math.h), or with LAMMPS's
 * erfc when asked for comparisons with it. */
static inline double vf_coulomb_long(double qq, double r2, double g, double factor, int lammps,
                                  double *fr) {
  const double r = sqrt(r2);
  const double removed = (1.0 - factor) * qq / r;
  if (!lammps) {
    double inv_r2;
    *fr = qq * vf_scalar_ewald_force(r2, g, &inv_r2) - removed * inv_r2;
    return qq * vf_scalar_ewald_energy(r2, g) - removed;
  }
  const double gr = g * r;
  const double exp_mgr2 = exp(-gr * gr);
  const double bare = qq / r, erfc_gr = vf_erfc_lammps(gr, exp_mgr2);
  *fr = (bare * (erfc_gr + TWO_OVER_SQRT_PI * gr * exp_mgr2) - removed) / r2;
  return bare * erfc_gr - removed;
}

/* LJ energy; *fr = -dE/dr / r. */
static inline double vf_lennard_jones(const vf_pair_params *p, int pair, double r2, double *fr) {
  const double r2inv = 1.0 / r2;
  const double r6inv = r2inv * r2inv * r2inv;
  *fr = r6inv * (p->lj1[pair] * r6inv - p->lj2[pair]) * r2inv;
  return r6inv * (p->lj3[pair] * r6inv - p->lj4[pair]);
}

#endif
