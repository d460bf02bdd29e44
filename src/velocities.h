/* velocities.h — kinetic energy, temperature and Maxwell–Boltzmann velocities.
 * Temperature counts 3N - 3 degrees of freedom (total momentum is conserved and
 * kept at zero), as LAMMPS's default compute temp does. */
#ifndef VF_VELOCITIES_H
#define VF_VELOCITIES_H

#include "rng.h"
#include "system.h"

int vf_temperature_dof(const vf_system *s);
/* Kinetic energy tensor Σ m v_a v_b (eV), LAMMPS order xx yy zz xy xz yz; returns the
 * kinetic energy (half its trace). */
double vf_kinetic_tensor(const vf_system *s, double ke[6]);
double vf_temperature(const vf_system *s);
/* The temperature of a kinetic energy (eV) of s's atoms. */
double vf_temperature_of(const vf_system *s, double kinetic);
/* Gaussian velocities for temperature T with zero total momentum, rescaled so the
 * temperature is exactly T. */
void vf_velocities_create(vf_system *s, double temperature, vf_rng *rng);
/* Removes the centre-of-mass velocity. */
void vf_velocities_zero_momentum(vf_system *s);

#endif
