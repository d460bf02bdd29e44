/* bonded.h — the intramolecular terms of nb-ZIF-FF, LAMMPS styles and conventions:
 *   bond harmonic     E = K (r - r0)^2                       coeffs K r0
 *   angle charmm      E = K (θ - θ0)^2 + K_ub (r13 - r_ub)^2  coeffs K θ0(deg) K_ub r_ub
 *   dihedral charmm   E = K [1 + cos(n φ - d)]                coeffs K n d(deg, integer) w
 *                     (w is the 1-4 weight; only w = 0 is supported, as in nb-ZIF-FF)
 *   improper cvff     E = K [1 + d cos(n φ)]                  coeffs K d(±1) n(0..6)
 * φ is the IUPAC dihedral of atoms 1-2-3-4. Displacements use the nearest periodic
 * image, so bonded atoms may sit on opposite sides of the box.
 * Each compute adds forces into out->fx/fy/fz and energy/virial into out. */
#ifndef VF_BONDED_H
#define VF_BONDED_H

#include "accum.h"
#include "error.h"
#include "system.h"

/* Check that every type used has the coefficients its style needs. */
int vf_bond_harmonic_check(const vf_system *s, vf_error *err);
int vf_angle_charmm_check(const vf_system *s, vf_error *err);
int vf_dihedral_charmm_check(const vf_system *s, vf_error *err);
int vf_improper_cvff_check(const vf_system *s, vf_error *err);

void vf_bond_harmonic_compute(const vf_system *s, vf_accum *out);
void vf_angle_charmm_compute(const vf_system *s, vf_accum *out);
void vf_dihedral_charmm_compute(const vf_system *s, vf_accum *out);
void vf_improper_cvff_compute(const vf_system *s, vf_accum *out);

#endif
