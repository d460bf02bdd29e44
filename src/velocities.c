#include "velocities.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "units.h"

int vf_temperature_dof(const vf_system *s) { return s->n > 1 ? 3 * s->n - 3 : 3 * s->n; }

double vf_kinetic_tensor(const vf_system *s, double ke[6]) {
  /* per-thread sums over consecutive blocks, added in thread order: the same result
   * for the same thread count, run after run */
  const int nthreads = omp_get_max_threads();
  double part[nthreads][6];
  memset(part, 0, sizeof part);
#pragma omp parallel num_threads(nthreads)
  {
    double k[6] = {0};
#pragma omp for schedule(static)
    for (int i = 0; i < s->n; i++) {
      const double m = s->mass[s->type[i]] * VF_MVV2E;
      k[0] += m * s->vx[i] * s->vx[i];
      k[1] += m * s->vy[i] * s->vy[i];
      k[2] += m * s->vz[i] * s->vz[i];
      k[3] += m * s->vx[i] * s->vy[i];
      k[4] += m * s->vx[i] * s->vz[i];
      k[5] += m * s->vy[i] * s->vz[i];
    }
    memcpy(part[omp_get_thread_num()], k, sizeof k);
  }
  for (int c = 0; c < 6; c++) {
    ke[c] = 0;
    for (int t = 0; t < nthreads; t++) ke[c] += part[t][c];
  }
  return 0.5 * (ke[0] + ke[1] + ke[2]);
}

double vf_temperature(const vf_system *s) {
  double ke[6];
  return vf_temperature_of(s, vf_kinetic_tensor(s, ke));
}

double vf_temperature_of(const vf_system *s, double kinetic) {
  const int dof = vf_temperature_dof(s);
  return dof > 0 ? 2.0 * kinetic / (dof * VF_BOLTZ) : 0.0;
}

void vf_velocities_zero_momentum(vf_system *s) {
  double p[3] = {0}, mtot = 0;
  for (int i = 0; i < s->n; i++) {
    const double m = s->mass[s->type[i]];
    p[0] += m * s->vx[i];
    p[1] += m * s->vy[i];
    p[2] += m * s->vz[i];
    mtot += m;
  }
  if (mtot <= 0) return;
  for (int i = 0; i < s->n; i++) {
    s->vx[i] -= p[0] / mtot;
    s->vy[i] -= p[1] / mtot;
    s->vz[i] -= p[2] / mtot;
  }
}

void vf_velocities_create(vf_system *s, double temperature, vf_rng *rng) {
  for (int i = 0; i < s->n; i++) {
    /* Each component ~ N(0, kT/m) in Å/ps. */
    const double sigma = sqrt(VF_BOLTZ * temperature / (s->mass[s->type[i]] * VF_MVV2E));
    s->vx[i] = sigma * vf_rng_gaussian(rng);
    s->vy[i] = sigma * vf_rng_gaussian(rng);
    s->vz[i] = sigma * vf_rng_gaussian(rng);
  }
  vf_velocities_zero_momentum(s);
  const double t = vf_temperature(s);
  const double scale = t > 0 ? sqrt(temperature / t) : 0.0;
  for (int i = 0; i < s->n; i++) {
    s->vx[i] *= scale;
    s->vy[i] *= scale;
    s->vz[i] *= scale;
  }
  vf_system_touch(s);
}
