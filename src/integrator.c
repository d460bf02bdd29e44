#include "integrator.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "signals.h"
#include "units.h"
#include "velocities.h"

void vf_integrator_init(vf_integrator *it, int ensemble, int barostat, double dt, double t_damp,
                        double p_damp, int chain_length, unsigned long long seed) {
  memset(it, 0, sizeof *it);
  it->ensemble = ensemble;
  it->barostat = barostat;
  it->dt = dt;
  it->t_damp = t_damp;
  it->p_damp = p_damp;
  if (chain_length < 1) chain_length = 1;
  if (chain_length > VF_MAX_CHAIN) chain_length = VF_MAX_CHAIN;
  it->tchain.length = it->pchain.length = chain_length;
  it->limits.max_displacement = 0.5;
  it->limits.max_volume_ratio = 1.5;
  vf_rng_seed(&it->rng, seed);
}

static int thermostatted(const vf_integrator *it) { return it->ensemble != VF_NVE; }
static int barostatted(const vf_integrator *it) { return it->ensemble == VF_NPT; }

static double ramp_value(const vf_ramp *r, long j) {
  return r->total > 0 ? r->from + (r->to - r->from) * (double)j / (double)r->total : r->to;
}

/* Forces and virial; pair energies only when asked (the force loop does not need
 * them, and they cost a good part of it). */
static int evaluate(vf_integrator *it, vf_forcefield *ff, vf_system *s, int energy, vf_error *err) {
  if (it->rebuild_every > 0 && it->step % it->rebuild_every == 0) ff->rebuild_next = 1;
  ff->want_energy = energy;
  it->have_energy = energy;
  if (vf_forcefield_compute(ff, s, VF_ALL_TERMS, &it->res, err)) return -1;
  vf_result_virial(&it->res, it->virial);
  it->have_forces = 1;
  return 0;
}

/* --- Nosé–Hoover chains --------------------------------------------------- */

static void thermostat_masses(vf_integrator *it, double T) {
  /* Q = N_f kT τ², so that the chain oscillates with period ~ τ (tdamp). */
  const double kt = VF_BOLTZ * T, tau2 = it->t_damp * it->t_damp;
  it->tchain.mass[0] = it->tdof * kt * tau2;
  for (int k = 1; k < it->tchain.length; k++) it->tchain.mass[k] = kt * tau2;
}

/* Forces on the upper chain elements, from the current velocities of those below. */
static void chain_upper_forces(vf_chain *c, double kt) {
  for (int k = 1; k < c->length; k++)
    c->eta_dotdot[k] = (c->mass[k - 1] * c->eta_dot[k - 1] * c->eta_dot[k - 1] - kt) / c->mass[k];
}

/* Half a time step of a chain coupled to a kinetic energy 2K = twice_ke whose
 * target is twice_target; kt drives the upper elements. Returns the factor by which
 * the coupled velocities are to be scaled (Martyna et al. 1996, in LAMMPS's order). */
static double chain_half_step(vf_chain *c, double twice_ke, double twice_target, double kt,
                              double dt) {
  const double dt2 = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
  const int m = c->length;
  c->eta_dotdot[0] = (twice_ke - twice_target) / c->mass[0];
  for (int k = m - 1; k > 0; k--) {
    const double e = exp(-dt8 * c->eta_dot[k + 1]);
    c->eta_dot[k] = (c->eta_dot[k] * e + c->eta_dotdot[k] * dt4) * e;
  }
  const double e0 = exp(-dt8 * c->eta_dot[1]);
  c->eta_dot[0] = (c->eta_dot[0] * e0 + c->eta_dotdot[0] * dt4) * e0;
  const double factor = exp(-dt2 * c->eta_dot[0]);
  twice_ke *= factor * factor;
  c->eta_dotdot[0] = (twice_ke - twice_target) / c->mass[0];
  for (int k = 0; k < m; k++) c->eta[k] += dt2 * c->eta_dot[k];
  c->eta_dot[0] = (c->eta_dot[0] * e0 + c->eta_dotdot[0] * dt4) * e0;
  for (int k = 1; k < m; k++) {
    const double e = exp(-dt8 * c->eta_dot[k + 1]);
    c->eta_dotdot[k] = (c->mass[k - 1] * c->eta_dot[k - 1] * c->eta_dot[k - 1] - kt) / c->mass[k];
    c->eta_dot[k] = (c->eta_dot[k] * e + c->eta_dotdot[k] * dt4) * e;
  }
  return factor;
}

static void scale_velocities(vf_system *s, const double f[3]) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < s->n; i++) {
    s->vx[i] *= f[0];
    s->vy[i] *= f[1];
    s->vz[i] *= f[2];
  }
}

static void thermostat_half_step(vf_integrator *it, vf_system *s) {
  thermostat_masses(it, it->t_target);
  const double kt = VF_BOLTZ * it->t_target;
  const double twice_ke = it->tdof * VF_BOLTZ * vf_temperature(s);
  const double f = chain_half_step(&it->tchain, twice_ke, it->tdof * kt, kt, it->dt);
  const double f3[3] = {f, f, f};
  scale_velocities(s, f3);
}

static double barostat_twice_ke(const vf_integrator *it) {
  double sum = 0;
  for (int d = 0; d < 3; d++) sum += it->omega_mass[d] * it->omega_dot[d] * it->omega_dot[d];
  return sum;
}

static void barostat_chain_half_step(vf_integrator *it) {
  const double kt = VF_BOLTZ * it->t_target;
  const double f = chain_half_step(&it->pchain, barostat_twice_ke(it), kt, kt, it->dt);
  for (int d = 0; d < 3; d++) it->omega_dot[d] *= f;
}

/* --- barostat ------------------------------------------------------------- */

/* Pressures the barostat acts on, from the kinetic tensor ke: the scalar for iso, the
 * diagonal for aniso. */
static void coupled_pressure(const vf_integrator *it, const vf_system *s, const double ke[6],
                             double p[3]) {
  double tensor[6];
  vf_pressure_tensor_from(s, ke, it->virial, tensor);
  if (it->barostat == VF_BAROSTAT_ISO) {
    const double scalar = (tensor[0] + tensor[1] + tensor[2]) / 3.0;
    p[0] = p[1] = p[2] = scalar;
  } else {
    p[0] = tensor[0];
    p[1] = tensor[1];
    p[2] = tensor[2];
  }
}

/* Half-step kick of the barostat velocities by the pressure imbalance (the kinetic
 * tensor summed once for the pressure, the temperature and the MTK term). */
static void barostat_kick(vf_integrator *it, const vf_system *s) {
  double p[3], ke[6];
  const double kinetic = vf_kinetic_tensor(s, ke);
  coupled_pressure(it, s, ke, p);
  const double volume = vf_box_volume(&s->box);
  /* MTK's 1/N_f correction: the kinetic energy's share per barostat dimension. */
  double mtk1 = it->barostat == VF_BAROSTAT_ISO
                    ? it->tdof * VF_BOLTZ * vf_temperature_of(s, kinetic)
                    : ke[0] + ke[1] + ke[2];
  mtk1 /= 3.0 * s->n;
  for (int d = 0; d < 3; d++) {
    const double f = (p[d] - it->p_target) * volume / (it->omega_mass[d] * VF_NKTV2P) +
                     mtk1 / it->omega_mass[d];
    it->omega_dot[d] += f * 0.5 * it->dt;
  }
  it->mtk_term2 = (it->omega_dot[0] + it->omega_dot[1] + it->omega_dot[2]) / (3.0 * s->n);
}

static void barostat_scale_velocities(const vf_integrator *it, vf_system *s) {
  double f[3];
  for (int d = 0; d < 3; d++) {
    const double e = exp(-0.25 * it->dt * (it->omega_dot[d] + it->mtk_term2));
    f[d] = e * e;
  }
  scale_velocities(s, f);
}

/* Scales the cell (about its centre) and the atoms with it by exp(dt/2 ω̇). */
static void remap_half_step(vf_integrator *it, vf_system *s) {
  vf_box old = s->box, *b = &s->box;
  double g[3];
  for (int d = 0; d < 3; d++) {
    g[d] = exp(0.5 * it->dt * it->omega_dot[d]);
    it->omega[d] += 0.5 * it->dt * it->omega_dot[d];
  }
  const double len[3] = {old.lx, old.ly, old.lz};
  double newlen[3];
  for (int d = 0; d < 3; d++) {
    const double centre = old.lo[d] + 0.5 * len[d];
    b->lo[d] = centre - 0.5 * len[d] * g[d];
    newlen[d] = len[d] * g[d];
  }
  b->lx = newlen[0];
  b->ly = newlen[1];
  b->lz = newlen[2];
  /* Tilts follow the edge they are measured along, so the shape is kept. */
  b->xy = old.xy * g[1];
  b->xz = old.xz * g[2];
  b->yz = old.yz * g[2];
#pragma omp parallel for schedule(static)
  for (int i = 0; i < s->n; i++) {
    double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
    vf_box_to_frac(&old, r, f);
    vf_box_to_cart(b, f, r);
    s->x[i] = r[0];
    s->y[i] = r[1];
    s->z[i] = r[2];
  }
}

/* --- particles ------------------------------------------------------------ */

static void kick(vf_system *s, double dt) {
  const double dtf = 0.5 * dt * VF_FTM2V;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < s->n; i++) {
    const double a = dtf / s->mass[s->type[i]];
    s->vx[i] += a * s->fx[i];
    s->vy[i] += a * s->fy[i];
    s->vz[i] += a * s->fz[i];
  }
}

/* Whether displacement² d2 replaces the largest so far, m2: a NaN (from a non-finite
 * velocity) sticks, so that it is reported. */
static int moved_farther(double d2, double m2) { return !isnan(m2) && !(d2 <= m2); }

/* Moves atoms by dt v; returns the atom that moved farthest and its distance² (the
 * first in atom order on a tie, whatever the threads). */
static int drift(vf_system *s, double dt, double *max2) {
  const int nthreads = omp_get_max_threads();
  int worst[nthreads];
  double m2[nthreads];
  for (int t = 0; t < nthreads; t++) {
    worst[t] = -1;
    m2[t] = 0;
  }
#pragma omp parallel num_threads(nthreads)
  {
    const int t = omp_get_thread_num();
#pragma omp for schedule(static)
    for (int i = 0; i < s->n; i++) {
      const double dx = dt * s->vx[i], dy = dt * s->vy[i], dz = dt * s->vz[i];
      s->x[i] += dx;
      s->y[i] += dy;
      s->z[i] += dz;
      const double d2 = dx * dx + dy * dy + dz * dz;
      if (moved_farther(d2, m2[t])) {
        m2[t] = d2;
        worst[t] = i;
      }
    }
  }
  int w = -1; /* threads took consecutive blocks: combined in thread order */
  for (int t = 0; t < nthreads; t++)
    if (worst[t] >= 0 && (w < 0 || moved_farther(m2[t], *max2))) {
      w = worst[t];
      *max2 = m2[t];
    }
  if (w < 0) *max2 = 0;
  return w;
}

static const char *type_label(const vf_system *s, int i) {
  const char *name = s->type_name[s->type[i]];
  return name ? name : "unnamed type";
}

/* --- the step --------------------------------------------------------------- */

static int check_state(const vf_integrator *it, const vf_system *s, vf_error *err) {
  for (int i = 0; i < s->n; i++)
    if (!isfinite(s->fx[i]) || !isfinite(s->fy[i]) || !isfinite(s->fz[i]))
      return vf_fail(err, "step %ld: force on atom %d (%s) is not finite (%g %g %g)", it->step, i + 1,
                     type_label(s, i), s->fx[i], s->fy[i], s->fz[i]);
  const double e = vf_result_energy(&it->res);
  if (it->have_energy && !isfinite(e))
    return vf_fail(err, "step %ld: potential energy is %g", it->step, e);
  const double ratio = vf_box_volume(&s->box) / it->volume_start;
  const double r = it->limits.max_volume_ratio;
  if (!(ratio <= r && ratio >= 1.0 / r))
    return vf_fail(err,
                   "step %ld: box volume %.1f Å³ is %.3g times the %.1f Å³ the run started with "
                   "(limit %g); the system is exploding or collapsing",
                   it->step, vf_box_volume(&s->box), ratio, it->volume_start, r);
  return 0;
}

static int one_step(vf_integrator *it, vf_forcefield *ff, vf_system *s, vf_ramp *T, vf_ramp *P,
                    int want_energy, vf_error *err) {
  it->step++;
  T->done++;
  P->done++;
  it->t_target = ramp_value(T, T->done);
  it->p_target = ramp_value(P, P->done);

  if (barostatted(it)) barostat_chain_half_step(it);
  if (thermostatted(it)) thermostat_half_step(it, s);
  if (barostatted(it)) {
    barostat_kick(it, s);
    barostat_scale_velocities(it, s);
  }
  kick(s, it->dt);
  if (barostatted(it)) remap_half_step(it, s);
  double max2;
  int worst = drift(s, it->dt, &max2);
  if (barostatted(it)) remap_half_step(it, s);
  vf_system_touch(s);
  const double limit = it->limits.max_displacement;
  if (worst >= 0 && !isfinite(max2))
    return vf_fail(err, "step %ld: position of atom %d (%s) is not finite", it->step, worst + 1,
                   type_label(s, worst));
  if (worst >= 0 && !(max2 <= limit * limit))
    return vf_fail(err, "step %ld: atom %d (%s) moved %.3g Å in one step (limit %g Å)", it->step,
                   worst + 1, type_label(s, worst), sqrt(max2), limit);

  if (evaluate(it, ff, s, want_energy, err)) return vf_fail(err, "step %ld: %s", it->step, err->msg);
  if (check_state(it, s, err)) return -1;

  kick(s, it->dt);
  if (barostatted(it)) {
    barostat_scale_velocities(it, s);
    barostat_kick(it, s);
  }
  if (thermostatted(it)) thermostat_half_step(it, s);
  if (barostatted(it)) barostat_chain_half_step(it);
  it->t_current = vf_temperature(s);
  it->time += it->dt;
  return 0;
}

int vf_integrator_setup(vf_integrator *it, vf_forcefield *ff, vf_system *s, double T, double P,
                        vf_error *err) {
  it->tdof = vf_temperature_dof(s);
  it->t_target = T;
  it->p_target = P;
  it->volume_start = vf_box_volume(&s->box);
  if (evaluate(it, ff, s, 1, err)) return -1;
  if (check_state(it, s, err)) return -1;
  it->t_current = vf_temperature(s);
  const double kt = VF_BOLTZ * T;
  if (thermostatted(it)) {
    if (!(it->t_damp > 0) || !(T > 0))
      return vf_fail(err, "a thermostat needs a target temperature > 0 K and tdamp > 0 ps");
    thermostat_masses(it, T);
    chain_upper_forces(&it->tchain, kt);
  }
  if (barostatted(it)) {
    if (!(it->p_damp > 0)) return vf_fail(err, "a barostat needs pdamp > 0 ps");
    /* W = (N + 1) kT τ_P² (MTK's choice, and LAMMPS's), and the barostat's own chain
     * like the thermostat's. */
    const double tau2 = it->p_damp * it->p_damp;
    for (int d = 0; d < 3; d++) it->omega_mass[d] = (s->n + 1) * kt * tau2;
    for (int k = 0; k < it->pchain.length; k++) it->pchain.mass[k] = kt * tau2;
    chain_upper_forces(&it->pchain, kt);
    if (it->vol0 == 0.0) it->vol0 = vf_box_volume(&s->box);
  }
  return 0;
}

int vf_integrator_run(vf_integrator *it, vf_forcefield *ff, vf_system *s, long nsteps, vf_ramp *T,
                      vf_ramp *P, vf_error *err) {
  /* After a checkpoint is read the forces are recomputed, nothing else reset. */
  if (!it->have_forces && evaluate(it, ff, s, 1, err)) return -1;
  for (long k = 0; k < nsteps; k++) {
    /* Energies are reported after a run, so the last step computes them. */
    if (one_step(it, ff, s, T, P, k == nsteps - 1, err)) return -1;
    if (vf_signal_received()) return 1;
  }
  return 0;
}

static double chain_energy(const vf_chain *c, double first_target, double kt) {
  double e = first_target * c->eta[0] + 0.5 * c->mass[0] * c->eta_dot[0] * c->eta_dot[0];
  for (int k = 1; k < c->length; k++)
    e += kt * c->eta[k] + 0.5 * c->mass[k] * c->eta_dot[k] * c->eta_dot[k];
  return e;
}

double vf_integrator_extended_energy(const vf_integrator *it, const vf_system *s) {
  const double kt = VF_BOLTZ * it->t_target;
  double e = 0;
  if (thermostatted(it)) e += chain_energy(&it->tchain, it->tdof * kt, kt);
  if (barostatted(it)) {
    const double volume = vf_box_volume(&s->box);
    for (int d = 0; d < 3; d++)
      e += 0.5 * it->omega_mass[d] * it->omega_dot[d] * it->omega_dot[d] +
           it->p_target * (volume - it->vol0) / (3.0 * VF_NKTV2P);
    e += chain_energy(&it->pchain, kt, kt);
  }
  return e;
}

void vf_integrator_pressure(const vf_integrator *it, const vf_system *s, double p[6]) {
  vf_pressure_tensor(s, it->virial, p);
}
