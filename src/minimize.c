/* minimize.c — FIRE and Polak–Ribière CG on one vector of generalised coordinates.
 *
 * With n atoms and c cell coordinates (0 fixed, 1 iso, 3 aniso) the vector q holds
 *   q[3i+a]    atom i's position in the frame of the reference cell (the cell at the
 *              start), so that r = (1 + ε) u when the cell is strained by ε;
 *   q[3n+k]    the cell strain scaled to a length, L0 ε (L0 the reference cell length;
 *              iso uses the cube root of the volume), so that the cell's steps and
 *              forces compare with the atoms' and dmax caps both.
 * The objective is the enthalpy H = E + P V (just E with a fixed box); the generalised
 * forces −∂H/∂q, with W the virial (−∂E/∂ε about the current cell) and L = L0 (1 + ε):
 *   atoms   (1 + ε_a) f_ia
 *   aniso   (W_aa − P V) / L_a
 *   iso     (W_xx + W_yy + W_zz − 3 P V) / L
 * At the minimum W_aa = P V, i.e. the virial pressure equals the target.
 * One correction makes H and these forces agree: the tail virial tail_w/V also counts
 * the pairs a strain carries across the LJ cut-off (the pressure of the untruncated
 * potential), which −∂E_tail/∂ε = tail_e/V does not, so with box relaxation the
 * objective carries tail_w/V in place of E_tail. (Otherwise CG's line search, which
 * trusts energies, and the pressure criterion, which trusts the virial, disagree by
 * hundreds of bar on a small LJ crystal.) */
#include "minimize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* FIRE, Bitzek et al., PRL 97, 170201 (2006): the standard parameters. Time is in
 * units where every mass is 1: a step moves atoms by dt² f (Å with f in eV/Å), so
 * dt² is in Å²/eV. The largest step must stay below the stability limit of the
 * stiffest motion: for nb-ZIF-FF it lies between 0.10 and 0.12, and FIRE stalls
 * above it (ZIF-zni: dt_max 0.12 does not converge in 3000 steps, 0.10
 * and 0.08 take ~590). */
#define FIRE_N_MIN 5
#define FIRE_F_INC 1.1
#define FIRE_F_DEC 0.5
#define FIRE_ALPHA_START 0.1
#define FIRE_F_ALPHA 0.99
#define FIRE_DT_MAX 0.08
#define FIRE_DT_START (FIRE_DT_MAX / 10)

/* CG line search: sufficient decrease (Armijo) and curvature (strong Wolfe) constants,
 * and the evaluations one search may spend. */
#define LS_C1 1e-4
#define LS_C2 0.1 /* the usual choice for CG: near-exact line minima keep directions conjugate */
#define LS_MAX_TRIES 12

/* Added to |E| in the relative energy test so that E ≈ 0 does not stall it (LAMMPS). */
#define EPS_ENERGY 1e-8

void vf_min_defaults(vf_min_options *o) {
  memset(o, 0, sizeof *o);
  o->style = VF_MIN_FIRE;
  o->box = VF_MIN_BOX_FIXED;
  o->pressure = 1.0;
  o->ftol = 1e-3;
  o->etol = 1e-10;
  o->ptol = 1.0;
  o->max_iterations = 10000;
  o->dmax = 0.1;
}

/* ---- the problem: generalised coordinates, their forces and the objective ---- */

/* What one evaluation found. */
typedef struct min_eval {
  double energy;      /* E, eV */
  double objective;   /* E, or with box relaxation H = E + P V (see the top), eV */
  double fmax;        /* largest Cartesian force component, eV/Å */
  double pressure[6]; /* virial pressure, bar */
} min_eval;

typedef struct min_problem {
  vf_forcefield *ff;
  vf_system *s;
  const vf_min_options *o;
  int n, ncell, dim;
  double pv_density; /* target P in eV/Å³, so that P V is in eV */
  vf_box box0;       /* reference cell */
  double length0[3]; /* L0 of each cell coordinate */
  int *image0;       /* image flags at the start, 3 per atom */
  double *scattered; /* the q last written into the system */
  int evaluations;
  min_eval now;      /* at the last evaluation */
} min_problem;

static double dot(const double *a, const double *b, int n) {
  double sum = 0;
  for (int k = 0; k < n; k++) sum += a[k] * b[k];
  return sum;
}

/* The largest displacement a step along d makes: per atom its length, per cell
 * coordinate its size. */
static double largest_step(const min_problem *p, const double *d) {
  double worst2 = 0;
  for (int i = 0; i < p->n; i++) {
    const double *di = d + 3 * i;
    worst2 = fmax(worst2, di[0] * di[0] + di[1] * di[1] + di[2] * di[2]);
  }
  double worst = sqrt(worst2);
  for (int k = 3 * p->n; k < p->dim; k++) worst = fmax(worst, fabs(d[k]));
  return worst;
}

static int problem_init(min_problem *p, vf_forcefield *ff, vf_system *s, const vf_min_options *o) {
  memset(p, 0, sizeof *p);
  p->ff = ff;
  p->s = s;
  p->o = o;
  p->n = s->n;
  p->ncell = o->box == VF_MIN_BOX_ISO ? 1 : o->box == VF_MIN_BOX_ANISO ? 3 : 0;
  p->dim = 3 * s->n + p->ncell;
  p->pv_density = p->ncell ? o->pressure / VF_NKTV2P : 0.0;
  p->box0 = s->box;
  if (o->box == VF_MIN_BOX_ISO) p->length0[0] = cbrt(vf_box_volume(&s->box));
  else {
    p->length0[0] = s->box.lx;
    p->length0[1] = s->box.ly;
    p->length0[2] = s->box.lz;
  }
  p->image0 = malloc(sizeof(int) * 3 * (size_t)s->n);
  p->scattered = malloc(sizeof(double) * (size_t)p->dim);
  if (!p->image0 || !p->scattered) return -1;
  for (int i = 0; i < s->n; i++) {
    p->image0[3 * i] = s->ix[i];
    p->image0[3 * i + 1] = s->iy[i];
    p->image0[3 * i + 2] = s->iz[i];
  }
  return 0;
}

static void problem_free(min_problem *p) {
  free(p->image0);
  free(p->scattered);
}

/* The strain ε (LAMMPS order, diagonal only) that the cell coordinates of q stand for. */
static void cell_strain(const min_problem *p, const double *q, double eps[6]) {
  memset(eps, 0, 6 * sizeof *eps);
  const double *c = q + 3 * p->n;
  for (int a = 0; a < 3 && p->ncell; a++)
    eps[a] = p->ncell == 1 ? c[0] / p->length0[0] : c[a] / p->length0[a];
}

static void gather(const min_problem *p, double *q) {
  const vf_system *s = p->s;
  for (int i = 0; i < p->n; i++) {
    q[3 * i] = s->x[i];
    q[3 * i + 1] = s->y[i];
    q[3 * i + 2] = s->z[i];
  }
  for (int k = 3 * p->n; k < p->dim; k++) q[k] = 0.0;
}

/* Writes q into the system. Neighbour-list builds wrap atoms into the cell and count
 * the lattice translations in the image flags; positions are written in that same
 * wrapped frame, so that the lists do not see a jump of a whole cell and rebuild. */
static void scatter(min_problem *p, const double *q) {
  vf_system *s = p->s;
  s->box = p->box0;
  for (int i = 0; i < p->n; i++) {
    const int *im0 = p->image0 + 3 * i;
    const int wraps[3] = {s->ix[i] - im0[0], s->iy[i] - im0[1], s->iz[i] - im0[2]};
    double shift[3] = {0, 0, 0};
    if (wraps[0] | wraps[1] | wraps[2]) vf_box_shift(&p->box0, wraps[0], wraps[1], wraps[2], shift);
    s->x[i] = q[3 * i] - shift[0];
    s->y[i] = q[3 * i + 1] - shift[1];
    s->z[i] = q[3 * i + 2] - shift[2];
  }
  double eps[6];
  cell_strain(p, q, eps);
  if (p->ncell) vf_system_strain(s, eps); /* also marks the system changed */
  else vf_system_touch(s);
  memcpy(p->scattered, q, sizeof(double) * (size_t)p->dim);
}

/* Generalised forces of the cell coordinates from the virial (see the top). */
static void cell_forces(const min_problem *p, const double eps[6], const double w[6], double volume,
                        double *fcell) {
  const double pv = p->pv_density * volume;
  if (p->ncell == 1)
    fcell[0] = (w[0] + w[1] + w[2] - 3 * pv) / (p->length0[0] * (1 + eps[0]));
  else
    for (int a = 0; a < p->ncell; a++) fcell[a] = (w[a] - pv) / (p->length0[a] * (1 + eps[a]));
}

/* Puts the system at q, evaluates, and fills f with the generalised forces and p->now. */
static int evaluate(min_problem *p, const double *q, double *f, vf_error *err) {
  scatter(p, q);
  vf_system *s = p->s;
  vf_result res;
  if (vf_forcefield_compute(p->ff, s, VF_ALL_TERMS, &res, err)) return -1;
  p->evaluations++;
  double w[6], eps[6];
  vf_result_virial(&res, w);
  const double volume = vf_box_volume(&s->box);
  min_eval *e = &p->now;
  e->energy = vf_result_energy(&res);
  e->objective = e->energy;
  if (p->ncell) e->objective += p->pv_density * volume + (p->ff->tail_w - p->ff->tail_e) / volume;
  if (!isfinite(e->objective))
    return vf_fail(err, "minimize: the energy became %g at evaluation %d (atoms on top of each other?)",
                   e->energy, p->evaluations);
  for (int c = 0; c < 6; c++) e->pressure[c] = w[c] * VF_NKTV2P / volume;
  cell_strain(p, q, eps);
  double largest = 0;
  for (int i = 0; i < p->n; i++) {
    const double fi[3] = {s->fx[i], s->fy[i], s->fz[i]};
    for (int a = 0; a < 3; a++) {
      f[3 * i + a] = (1 + eps[a]) * fi[a];
      largest = fmax(largest, fabs(fi[a]));
    }
  }
  e->fmax = largest;
  if (p->ncell) cell_forces(p, eps, w, volume, f + 3 * p->n);
  return 0;
}

/* ---- stopping ---- */

static int pressure_converged(const min_problem *p) {
  const double *pr = p->now.pressure, target = p->o->pressure, tol = p->o->ptol;
  if (p->ncell == 1) return fabs((pr[0] + pr[1] + pr[2]) / 3 - target) < tol;
  for (int a = 0; a < p->ncell; a++)
    if (!(fabs(pr[a] - target) < tol)) return 0;
  return 1;
}

static int forces_converged(const min_problem *p) {
  return p->now.fmax < p->o->ftol && pressure_converged(p);
}

static int energy_converged(const min_problem *p, double before) {
  const double now = p->now.objective;
  return fabs(now - before) < p->o->etol * 0.5 * (fabs(now) + fabs(before) + EPS_ENERGY);
}

static void report_iteration(const min_problem *p, vf_min_result *r, int iteration) {
  r->iterations = iteration;
  if (p->o->monitor) p->o->monitor(p->o->monitor_context, iteration, p->now.objective, p->now.fmax);
}

static void stop(vf_min_result *r, int converged, const char *reason) {
  r->converged = converged;
  r->reason = reason;
}

/* ---- FIRE ---- */

typedef struct fire_state {
  double dt, alpha;
  int steps_since_reset;
} fire_state;

/* Steers v toward the force while the motion goes downhill; stops it otherwise. */
static void fire_adapt(fire_state *st, double *v, const double *f, int dim) {
  const double power = dot(f, v, dim);
  if (power > 0) {
    const double vnorm = sqrt(dot(v, v, dim)), fnorm = sqrt(dot(f, f, dim));
    const double mix = fnorm > 0 ? st->alpha * vnorm / fnorm : 0.0;
    for (int k = 0; k < dim; k++) v[k] = (1 - st->alpha) * v[k] + mix * f[k];
    if (++st->steps_since_reset > FIRE_N_MIN) {
      st->dt = fmin(st->dt * FIRE_F_INC, FIRE_DT_MAX);
      st->alpha *= FIRE_F_ALPHA;
    }
  } else {
    st->dt *= FIRE_F_DEC;
    st->alpha = FIRE_ALPHA_START;
    st->steps_since_reset = 0;
    memset(v, 0, sizeof(double) * (size_t)dim);
  }
}

/* One semi-implicit Euler step with unit masses, shortened so nothing moves further
 * than dmax. */
static void fire_move(const min_problem *p, const fire_state *st, double *q, double *v,
                      const double *f) {
  for (int k = 0; k < p->dim; k++) v[k] += st->dt * f[k];
  const double vmax = largest_step(p, v);
  const double dt = vmax * st->dt > p->o->dmax ? p->o->dmax / vmax : st->dt;
  for (int k = 0; k < p->dim; k++) q[k] += dt * v[k];
}

static int fire(min_problem *p, double *q, double *f, vf_min_result *r, vf_error *err) {
  double *v = calloc((size_t)p->dim, sizeof *v);
  if (!v) return vf_fail(err, "minimize: out of memory");
  fire_state st = {FIRE_DT_START, FIRE_ALPHA_START, 0};
  int status = 0;
  stop(r, 0, "max iterations");
  for (int it = 1; it <= p->o->max_iterations; it++) {
    if (forces_converged(p)) {
      stop(r, 1, "force tolerance");
      break;
    }
    fire_adapt(&st, v, f, p->dim);
    fire_move(p, &st, q, v, f);
    const double before = p->now.objective;
    if ((status = evaluate(p, q, f, err))) break;
    report_iteration(p, r, it);
    /* Right after a reset the steps are tiny by design: not a sign of convergence. */
    if (st.steps_since_reset > FIRE_N_MIN && energy_converged(p, before)) {
      stop(r, 1, "energy tolerance");
      break;
    }
  }
  if (!status && r->converged == 0 && forces_converged(p)) stop(r, 1, "force tolerance");
  free(v);
  return status;
}

/* ---- conjugate gradient ---- */

typedef struct cg_work {
  double *q0, *f0, *h, *f_best;
} cg_work;

/* A point on the search line: step α, objective φ and slope dφ/dα. */
typedef struct line_point {
  double alpha, phi, slope;
} line_point;

/* Minimiser of the cubic through lo and hi (values and slopes), kept inside the
 * bracket away from its ends; bisection when the cubic has no minimum. */
static double interpolate(const line_point *lo, const line_point *hi) {
  const double span = hi->alpha - lo->alpha;
  const double d1 = lo->slope + hi->slope - 3 * (lo->phi - hi->phi) / (lo->alpha - hi->alpha);
  const double disc = d1 * d1 - lo->slope * hi->slope;
  double alpha = lo->alpha + 0.5 * span;
  if (disc >= 0) {
    const double d2 = copysign(sqrt(disc), span);
    const double denom = hi->slope - lo->slope + 2 * d2;
    if (denom != 0) alpha = hi->alpha - span * (hi->slope + d2 - d1) / denom;
  }
  const double a = lo->alpha + 0.1 * span, b = hi->alpha - 0.1 * span;
  return fmin(fmax(alpha, fmin(a, b)), fmax(a, b));
}

/* Searches along h from q0 (objective phi0, forces f0) for a point of sufficiently
 * lower objective whose slope has flattened (strong Wolfe conditions), starting at
 * step alpha and never moving anything further than dmax. On success q, f and p->now
 * hold the accepted point and *taken its step; returns 1 when no lower point was found
 * (q, f and p->now then hold the start again), -1 on error. */
static int line_search(min_problem *p, cg_work *w, double alpha, double *q, double *f,
                       double *taken, vf_error *err) {
  const int dim = p->dim;
  const min_eval start = p->now;
  const double alpha_max = p->o->dmax / largest_step(p, w->h);
  line_point lo = {0.0, start.objective, -dot(w->f0, w->h, dim)}, hi = {-1.0, 0, 0};
  const double slope0 = lo.slope;
  if (!(slope0 < 0)) return 1; /* not downhill (or no direction at all) */
  min_eval best = start;
  int have_hi = 0;
  alpha = fmin(alpha, alpha_max);
  for (int tries = 0; tries < LS_MAX_TRIES; tries++) {
    for (int k = 0; k < dim; k++) q[k] = w->q0[k] + alpha * w->h[k];
    if (evaluate(p, q, f, err)) return -1;
    const line_point t = {alpha, p->now.objective, -dot(f, w->h, dim)};
    if (t.phi > start.objective + LS_C1 * alpha * slope0 || t.phi >= lo.phi) {
      hi = t; /* too far: the minimum lies between lo and here */
      have_hi = 1;
    } else {
      if (have_hi ? t.slope * (hi.alpha - lo.alpha) >= 0 : t.slope > 0) {
        hi = lo;
        have_hi = 1;
      }
      lo = t;
      best = p->now;
      memcpy(w->f_best, f, sizeof(double) * (size_t)dim);
      if (fabs(t.slope) <= -LS_C2 * slope0 || (!have_hi && alpha >= alpha_max)) break;
    }
    alpha = have_hi ? interpolate(&lo, &hi) : fmin(4 * alpha, alpha_max);
  }
  if (lo.alpha == 0.0) {
    memcpy(q, w->q0, sizeof(double) * (size_t)dim);
    memcpy(f, w->f0, sizeof(double) * (size_t)dim);
    p->now = start;
    return 1;
  }
  for (int k = 0; k < dim; k++) q[k] = w->q0[k] + lo.alpha * w->h[k];
  memcpy(f, w->f_best, sizeof(double) * (size_t)dim);
  p->now = best;
  *taken = lo.alpha;
  return 0;
}

/* Polak–Ribière (clamped at zero, restarted every dim iterations): the new direction.
 * Returns 1 when it is plain steepest descent. */
static int cg_direction(const min_problem *p, cg_work *w, const double *f, int iteration) {
  const int dim = p->dim;
  const double ff0 = dot(w->f0, w->f0, dim);
  double beta = ff0 > 0 ? (dot(f, f, dim) - dot(f, w->f0, dim)) / ff0 : 0.0;
  if (beta < 0 || iteration % dim == 0) beta = 0.0;
  for (int k = 0; k < dim; k++) w->h[k] = f[k] + beta * w->h[k];
  if (beta == 0.0) return 1;
  if (dot(f, w->h, dim) > 0) return 0;
  memcpy(w->h, f, sizeof(double) * (size_t)dim); /* not downhill: start again */
  return 1;
}

static int cg_alloc(cg_work *w, int dim) {
  w->q0 = malloc(sizeof(double) * (size_t)dim);
  w->f0 = malloc(sizeof(double) * (size_t)dim);
  w->h = malloc(sizeof(double) * (size_t)dim);
  w->f_best = malloc(sizeof(double) * (size_t)dim);
  return w->q0 && w->f0 && w->h && w->f_best ? 0 : -1;
}

static void cg_free(cg_work *w) {
  free(w->q0);
  free(w->f0);
  free(w->h);
  free(w->f_best);
}

static int cg(min_problem *p, double *q, double *f, vf_min_result *r, vf_error *err) {
  const int dim = p->dim;
  cg_work w;
  int status = cg_alloc(&w, dim) ? vf_fail(err, "minimize: out of memory") : 0;
  if (!status) memcpy(w.h, f, sizeof(double) * (size_t)dim);
  int steepest = 1;
  double alpha = INFINITY, last_slope = 0.0; /* first step: as far as dmax allows */
  stop(r, 0, "max iterations");
  for (int it = 1; !status && it <= p->o->max_iterations; it++) {
    if (forces_converged(p)) {
      stop(r, 1, "force tolerance");
      break;
    }
    memcpy(w.q0, q, sizeof(double) * (size_t)dim);
    memcpy(w.f0, f, sizeof(double) * (size_t)dim);
    const double before = p->now.objective, slope = -dot(f, w.h, dim);
    /* Start where the last step would have brought the same first-order decrease. */
    if (last_slope < 0) alpha *= last_slope / slope;
    double taken = 0.0;
    status = line_search(p, &w, alpha, q, f, &taken, err);
    if (status == 1) { /* nothing lower along h */
      status = 0;
      if (steepest) {
        stop(r, 0, "line search found no lower energy");
        break;
      }
      memcpy(w.h, f, sizeof(double) * (size_t)dim);
      steepest = 1;
      alpha = INFINITY;
      last_slope = 0.0;
      continue;
    }
    if (status) break;
    report_iteration(p, r, it);
    if (energy_converged(p, before)) {
      stop(r, 1, "energy tolerance");
      break;
    }
    alpha = taken;
    last_slope = slope;
    steepest = cg_direction(p, &w, f, it);
  }
  if (!status && r->converged == 0 && forces_converged(p)) stop(r, 1, "force tolerance");
  cg_free(&w);
  return status;
}

/* ---- driver ---- */

static int check_options(const vf_min_options *o, vf_error *err) {
  if (o->style != VF_MIN_FIRE && o->style != VF_MIN_CG)
    return vf_fail(err, "minimize: unknown style %d", o->style);
  if (o->box != VF_MIN_BOX_FIXED && o->box != VF_MIN_BOX_ISO && o->box != VF_MIN_BOX_ANISO)
    return vf_fail(err, "minimize: unknown box relaxation %d", o->box);
  if (!(o->ftol >= 0) || !(o->etol >= 0) || !(o->ptol > 0))
    return vf_fail(err, "minimize: ftol and etol must be >= 0 and ptol > 0 (got %g, %g, %g)",
                   o->ftol, o->etol, o->ptol);
  if (!(o->dmax > 0) || !isfinite(o->dmax))
    return vf_fail(err, "minimize: dmax must be a distance > 0 (got %g)", o->dmax);
  if (o->max_iterations < 0)
    return vf_fail(err, "minimize: max_iterations must be >= 0 (got %d)", o->max_iterations);
  if (!isfinite(o->pressure)) return vf_fail(err, "minimize: the target pressure is not finite");
  return 0;
}

/* Leaves the system at the accepted point with its forces, atoms in the cell. */
static int finish(min_problem *p, const double *q, double *f, vf_min_result *r, vf_error *err) {
  if (memcmp(p->scattered, q, sizeof(double) * (size_t)p->dim) != 0 && evaluate(p, q, f, err))
    return -1;
  vf_system_wrap(p->s);
  r->evaluations = p->evaluations;
  r->energy = p->now.energy;
  r->fmax = p->now.fmax;
  memcpy(r->pressure, p->now.pressure, sizeof r->pressure);
  return 0;
}

int vf_minimize(vf_forcefield *ff, vf_system *s, const vf_min_options *o, vf_min_result *r,
                vf_error *err) {
  memset(r, 0, sizeof *r);
  if (check_options(o, err)) return -1;
  if (s->n < 1) return vf_fail(err, "minimize: the system has no atoms");
  min_problem p;
  double *q = malloc(sizeof(double) * (3 * (size_t)s->n + 3));
  double *f = malloc(sizeof(double) * (3 * (size_t)s->n + 3));
  int status = problem_init(&p, ff, s, o) || !q || !f ? vf_fail(err, "minimize: out of memory") : 0;
  if (!status) {
    gather(&p, q);
    status = evaluate(&p, q, f, err);
  }
  if (!status) {
    r->energy_initial = p.now.energy;
    status = o->style == VF_MIN_FIRE ? fire(&p, q, f, r, err) : cg(&p, q, f, r, err);
  }
  if (!status) status = finish(&p, q, f, r, err);
  problem_free(&p);
  free(q);
  free(f);
  return status;
}
