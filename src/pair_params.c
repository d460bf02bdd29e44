#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nonbonded.h"

int vf_pair_params_alloc(vf_pair_params *p, int ntypes) {
  memset(p, 0, sizeof *p);
  p->ntypes = ntypes;
  size_t m = (size_t)ntypes * (size_t)ntypes;
  if (m == 0) m = 1;
  p->has_lj = calloc(m, 1);
  p->has_morse = calloc(m, 1);
  double **tables[] = {&p->lj_epsilon, &p->lj_sigma, &p->morse_d0, &p->morse_alpha, &p->morse_r0,
                       &p->lj1,        &p->lj2,      &p->lj3,      &p->lj4};
  int fail = !p->has_lj || !p->has_morse;
  for (size_t k = 0; k < sizeof tables / sizeof *tables; k++)
    fail |= !(*tables[k] = calloc(m, sizeof(double)));
  for (int k = 0; k < 4; k++) p->special_lj[k] = p->special_coul[k] = 1.0;
  if (fail) vf_pair_params_free(p);
  return fail ? -1 : 0;
}

void vf_pair_params_free(vf_pair_params *p) {
  free(p->has_lj); free(p->has_morse);
  free(p->lj_epsilon); free(p->lj_sigma);
  free(p->morse_d0); free(p->morse_alpha); free(p->morse_r0);
  free(p->lj1); free(p->lj2); free(p->lj3); free(p->lj4);
  free(p->lj_padded);
  memset(p, 0, sizeof *p);
}

void vf_pair_params_set_lj(vf_pair_params *p, int ti, int tj, double epsilon, double sigma) {
  const int a = ti * p->ntypes + tj, b = tj * p->ntypes + ti;
  p->has_lj[a] = p->has_lj[b] = 1;
  p->lj_epsilon[a] = p->lj_epsilon[b] = epsilon;
  p->lj_sigma[a] = p->lj_sigma[b] = sigma;
}

void vf_pair_params_set_morse(vf_pair_params *p, int ti, int tj, double d0, double alpha,
                              double r0) {
  const int a = ti * p->ntypes + tj, b = tj * p->ntypes + ti;
  p->has_morse[a] = p->has_morse[b] = 1;
  p->morse_d0[a] = p->morse_d0[b] = d0;
  p->morse_alpha[a] = p->morse_alpha[b] = alpha;
  p->morse_r0[a] = p->morse_r0[b] = r0;
}

void vf_pair_params_init(vf_pair_params *p) {
  const int m = p->ntypes * p->ntypes, nt1 = p->ntypes + 1;
  free(p->lj_padded);
  p->lj_padded = calloc((size_t)nt1 * nt1 * 4, sizeof(double));
  for (int k = 0; k < m; k++) {
    const double eps = p->has_lj[k] ? p->lj_epsilon[k] : 0.0;
    const double s6 = pow(p->lj_sigma[k], 6.0);
    p->lj1[k] = 48.0 * eps * s6 * s6;
    p->lj2[k] = 24.0 * eps * s6;
    p->lj3[k] = 4.0 * eps * s6 * s6;
    p->lj4[k] = 4.0 * eps * s6;
    if (p->lj_padded) {
      double *row = p->lj_padded + 4 * ((k / p->ntypes) * nt1 + k % p->ntypes);
      row[0] = p->lj1[k];
      row[1] = p->lj2[k];
      row[2] = p->lj3[k];
      row[3] = p->lj4[k];
    }
  }
}
