#include "kspace.h"

#include <math.h>

#include "units.h"

void vf_kspace_charge_sums(const vf_system *s, double *qsum, double *qsqsum) {
  double a = 0, b = 0;
  for (int i = 0; i < s->n; i++) {
    a += s->q[i];
    b += s->q[i] * s->q[i];
  }
  *qsum = a;
  *qsqsum = b;
}

double vf_kspace_initial_g(double abs_accuracy, int natoms, double cut, const vf_box *box,
                           double q2) {
  /* In LAMMPS's order of operations, so that both codes pick the same g to the bit. */
  const double x = abs_accuracy * sqrt(natoms * cut * box->lx * box->ly * box->lz) / (2.0 * q2);
  return x >= 1.0 ? (1.35 - 0.15 * log(abs_accuracy)) / cut : sqrt(-log(x)) / cut;
}

double vf_kspace_real_space_error(double q2, double cut, double g, int natoms, const vf_box *box) {
  return 2.0 * q2 * exp(-g * g * cut * cut) / sqrt(natoms * cut * box->lx * box->ly * box->lz);
}

void vf_kspace_add_self_background(double g, double qsum, double qsqsum, double volume,
                                   double *energy, double virial[6]) {
  const double self = g * qsqsum / sqrt(VF_PI);
  const double background = VF_PI * qsum * qsum / (2.0 * g * g * volume);
  *energy -= VF_QQR2E * (self + background);
  for (int c = 0; c < 3; c++) virial[c] -= VF_QQR2E * background;
}
