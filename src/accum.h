/* accum.h — where a force term puts its results: forces added into three arrays,
 * its energy, and its virial W_ab = sum r_a f_b in LAMMPS order xx yy zz xy xz yz
 * (eV). Pressure follows as P_ab = (kinetic_ab + W_ab) / V. */
#ifndef VF_ACCUM_H
#define VF_ACCUM_H

typedef struct vf_accum {
  double *fx, *fy, *fz;
  double energy;
  double virial[6];
} vf_accum;

/* Virial of a pair force f acting on the first atom, d = r_first - r_second. */
static inline void vf_virial_pair(double v[6], double dx, double dy, double dz, double fx,
                                  double fy, double fz) {
  v[0] += dx * fx;
  v[1] += dy * fy;
  v[2] += dz * fz;
  v[3] += dx * fy;
  v[4] += dx * fz;
  v[5] += dy * fz;
}

/* Virial of a central pair force: f = fr * d on the first atom, d = r_first - r_second. */
static inline void vf_virial_radial(double v[6], double dx, double dy, double dz, double fr) {
  v[0] += dx * dx * fr;
  v[1] += dy * dy * fr;
  v[2] += dz * dz * fr;
  v[3] += dx * dy * fr;
  v[4] += dx * dz * fr;
  v[5] += dy * dz * fr;
}

#endif
