/* Energy minimisation on systems whose minimum is known: a harmonic dimer ends at r0,
 * LJ dimers and trimers at 2^(1/6)σ (the trimer an equilateral triangle, E = −3ε);
 * both FIRE and CG. Box relaxation of a small LJ fcc crystal reaches the target
 * pressure (iso and aniso, from a strained, rattled start), a cubic crystal stays
 * cubic, and 1000 bar gives a smaller cell than 1 bar. CG never accepts a step that
 * raises the energy. Bad input ends in one clear error. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "forcefield.h"
#include "minimize.h"
#include "testlib.h"

static const char *const style_name[2] = {"FIRE", "CG"};

/* n atoms of one type in a cubic box of edge l, no charges. */
static vf_system *empty_system(int n, double l) {
  vf_system *s = vf_system_new(n, 1);
  const double lo[3] = {0, 0, 0}, hi[3] = {l, l, l}, tilt[3] = {0, 0, 0};
  vf_box_set(&s->box, lo, hi, tilt, NULL);
  s->mass[0] = 39.948;
  return s;
}

static void place(vf_system *s, int i, double x, double y, double z) {
  s->x[i] = x;
  s->y[i] = y;
  s->z[i] = z;
}

/* LJ between type 0 and itself (epsilon 0 = no LJ), cut at cut, no Coulomb sum. */
static void lj_forcefield(vf_forcefield *ff, double epsilon, double sigma, double cut, int tail) {
  vf_pair_params p;
  vf_pair_params_alloc(&p, 1);
  if (epsilon > 0) vf_pair_params_set_lj(&p, 0, 0, epsilon, sigma);
  p.cut_lj = p.cut_coul = p.cut_morse = cut;
  vf_forcefield_init(ff, &p);
  ff->tail = tail;
  ff->kspace = VF_KSPACE_NONE;
  ff->skin = 1.0;
}

static double distance(const vf_system *s, int i, int j) {
  double d[3] = {s->x[i] - s->x[j], s->y[i] - s->y[j], s->z[i] - s->z[j]};
  vf_box_minimum_image(&s->box, d);
  return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static int run(vf_forcefield *ff, vf_system *s, const vf_min_options *o, vf_min_result *r,
               const char *label) {
  vf_error err;
  int status = vf_forcefield_bind(ff, s, &err);
  if (!status) status = vf_minimize(ff, s, o, r, &err);
  CHECK(status == 0, "%s: %s", label, err.msg);
  if (status) return -1;
  printf("%-30s %5d iterations %5d evaluations  E %.10f -> %.10f eV  fmax %.1e  %s\n", label,
         r->iterations, r->evaluations, r->energy_initial, r->energy, r->fmax, r->reason);
  CHECK(r->converged, "%s: did not converge (%s)", label, r->reason);
  return 0;
}

/* Tight force tolerance alone: the positions are then known to ~ftol/stiffness. */
static vf_min_options tight(int style) {
  vf_min_options o;
  vf_min_defaults(&o);
  o.style = style;
  o.ftol = 1e-9;
  o.etol = 0.0;
  return o;
}

static void harmonic_dimer(int style) {
  const double k = 5.0, r0 = 1.5; /* E = K (r − r0)² */
  vf_system *s = empty_system(2, 20.0);
  place(s, 0, 5.0, 5.0, 5.0);
  place(s, 1, 7.1, 5.3, 4.8);
  vf_topology_set_ntypes(&s->topo, VF_BONDS, 1);
  const double coeff[2] = {k, r0};
  vf_topology_set_coeff(&s->topo, VF_BONDS, 0, 2, coeff);
  const int pair[2] = {0, 1};
  vf_topology_add(&s->topo, VF_BONDS, 0, pair);
  vf_forcefield ff;
  lj_forcefield(&ff, 0.0, 1.0, 3.0, 0);
  vf_min_options o = tight(style);
  vf_min_result r;
  char label[64];
  snprintf(label, sizeof label, "harmonic dimer, %s", style_name[style]);
  if (!run(&ff, s, &o, &r, label)) {
    CHECK(fabs(distance(s, 0, 1) - r0) < 1e-9, "%s: r = %.12f, want %.12f", label, distance(s, 0, 1), r0);
    CHECK(fabs(r.energy) < 1e-15, "%s: E = %g, want 0", label, r.energy);
  }
  vf_forcefield_free(&ff);
  vf_system_free(s);
}

static void lj_cluster(int style, int n) {
  const double epsilon = 0.01, sigma = 3.4, rmin = pow(2.0, 1.0 / 6.0) * sigma;
  vf_system *s = empty_system(n, 40.0);
  const double start[3][3] = {{10.0, 10.0, 10.0}, {13.6, 10.4, 10.2}, {11.5, 13.9, 9.6}};
  for (int i = 0; i < n; i++) place(s, i, start[i][0], start[i][1], start[i][2]);
  vf_forcefield ff;
  lj_forcefield(&ff, epsilon, sigma, 12.0, 0);
  vf_min_options o = tight(style);
  vf_min_result r;
  char label[64];
  snprintf(label, sizeof label, "LJ %s, %s", n == 2 ? "dimer" : "trimer", style_name[style]);
  if (!run(&ff, s, &o, &r, label)) {
    /* stiffness 72 ε / (2^(1/3) σ²) ≈ 0.05 eV/Å²: ftol 1e-9 eV/Å leaves < 1e-7 Å */
    for (int i = 0; i < n; i++)
      for (int j = i + 1; j < n; j++)
        CHECK(fabs(distance(s, i, j) - rmin) < 1e-7, "%s: r%d%d = %.12f, want 2^(1/6) sigma = %.12f",
              label, i, j, distance(s, i, j), rmin);
    const double pairs = n * (n - 1) / 2;
    CHECK(fabs(r.energy + pairs * epsilon) < 1e-12, "%s: E = %.15f, want %.15f", label, r.energy,
          -pairs * epsilon);
  }
  vf_forcefield_free(&ff);
  vf_system_free(s);
}

/* Argon-like fcc crystal of 4x4x4 cells, cell edges a*(1+stretch[d]), atoms rattled. */
static vf_system *fcc_crystal(double a, const double stretch[3], unsigned long long seed) {
  const int cells = 4, n = 4 * cells * cells * cells;
  vf_system *s = vf_system_new(n, 1);
  const double lo[3] = {0, 0, 0}, tilt[3] = {0, 0, 0};
  double hi[3], edge[3];
  for (int d = 0; d < 3; d++) {
    edge[d] = a * (1 + stretch[d]);
    hi[d] = cells * edge[d];
  }
  vf_box_set(&s->box, lo, hi, tilt, NULL);
  s->mass[0] = 39.948;
  static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  int i = 0;
  for (int cx = 0; cx < cells; cx++)
    for (int cy = 0; cy < cells; cy++)
      for (int cz = 0; cz < cells; cz++)
        for (int b = 0; b < 4; b++, i++) {
          const int c[3] = {cx, cy, cz};
          double r[3];
          for (int d = 0; d < 3; d++) r[d] = (c[d] + basis[b][d]) * edge[d] + 0.05 * (vf_test_uniform(&seed) - 0.5);
          place(s, i, r[0], r[1], r[2]);
        }
  return s;
}

typedef struct energy_trace {
  int n, increases;
  double last, worst_rise;
} energy_trace;

static void record(void *context, int iteration, double objective, double largest_force) {
  energy_trace *t = context;
  if (t->n > 0 && objective > t->last) {
    t->increases++;
    t->worst_rise = fmax(t->worst_rise, objective - t->last);
  }
  t->last = objective;
  t->n++;
}

/* CG takes 20-25 iterations on these crystals; steepest descent (β = 0) 60-170. */
#define CG_ITERATIONS 45

/* Cut-off between the fifth and sixth neighbour shells all the way (no pair crosses it,
 * so the energy has no steps), with the tail correction. */
#define FCC_CUT 8.8

static double volume_after_relaxation(int style, int box, double pressure, energy_trace *trace) {
  /* iso keeps the cell's shape: start it cubic */
  const double aniso[3] = {0.03, -0.01, 0.02}, iso[3] = {0.02, 0.02, 0.02};
  vf_system *s = fcc_crystal(5.26, box == VF_MIN_BOX_ISO ? iso : aniso, 7);
  vf_forcefield ff;
  lj_forcefield(&ff, 0.0104, 3.405, FCC_CUT, 1);
  vf_min_options o;
  vf_min_defaults(&o);
  o.style = style;
  o.box = box;
  o.pressure = pressure;
  o.ftol = 1e-5;
  o.ptol = 0.1;
  o.etol = 0.0;
  o.monitor = record;
  o.monitor_context = trace;
  vf_min_result r;
  char label[64];
  snprintf(label, sizeof label, "fcc %s %g bar, %s", box == VF_MIN_BOX_ISO ? "iso" : "aniso", pressure,
           style_name[style]);
  double volume = NAN;
  if (!run(&ff, s, &o, &r, label)) {
    const double *p = r.pressure, scalar = (p[0] + p[1] + p[2]) / 3;
    printf("%-30s P = %.4f %.4f %.4f bar, cell %.6f x %.6f x %.6f A\n", "", p[0], p[1], p[2],
           s->box.lx, s->box.ly, s->box.lz);
    if (box == VF_MIN_BOX_ISO) {
      CHECK(fabs(scalar - pressure) < o.ptol, "%s: P = %.4f bar", label, scalar);
    } else {
      for (int a = 0; a < 3; a++)
        CHECK(fabs(p[a] - pressure) < o.ptol, "%s: P_%c%c = %.4f bar", label, "xyz"[a], "xyz"[a], p[a]);
      /* A cubic crystal relaxes to a cube. */
      CHECK(fabs(s->box.lx - s->box.lz) < 1e-3 && fabs(s->box.ly - s->box.lz) < 1e-3,
            "%s: cell %.6f %.6f %.6f is not cubic", label, s->box.lx, s->box.ly, s->box.lz);
    }
    CHECK(r.fmax < o.ftol, "%s: fmax %g", label, r.fmax);
    CHECK(style != VF_MIN_CG || r.iterations <= CG_ITERATIONS, "%s: %d iterations", label, r.iterations);
    volume = vf_box_volume(&s->box);
  }
  vf_forcefield_free(&ff);
  vf_system_free(s);
  return volume;
}

static void box_relaxation(void) {
  for (int style = VF_MIN_FIRE; style <= VF_MIN_CG; style++) {
    energy_trace iso = {0}, aniso = {0}, squeezed = {0};
    const double v_iso = volume_after_relaxation(style, VF_MIN_BOX_ISO, 1.0, &iso);
    const double v_aniso = volume_after_relaxation(style, VF_MIN_BOX_ANISO, 1.0, &aniso);
    const double v_1000 = volume_after_relaxation(style, VF_MIN_BOX_ANISO, 1000.0, &squeezed);
    CHECK(fabs(v_iso - v_aniso) < 1e-4 * v_aniso, "%s: iso volume %.6f, aniso %.6f A^3",
          style_name[style], v_iso, v_aniso);
    CHECK(v_1000 < v_aniso, "%s: volume at 1000 bar %.4f is not below that at 1 bar %.4f",
          style_name[style], v_1000, v_aniso);
    /* Bulk modulus of LJ argon at 0 K is near 3 GPa: 1 kbar squeezes ~3%. */
    const double squeeze = 1 - v_1000 / v_aniso;
    CHECK(squeeze > 0.01 && squeeze < 0.1, "%s: 1000 bar compresses by %.4f", style_name[style], squeeze);
    if (style == VF_MIN_CG) {
      energy_trace *traces[3] = {&iso, &aniso, &squeezed};
      for (int t = 0; t < 3; t++)
        CHECK(traces[t]->n > 0 && traces[t]->increases == 0,
              "CG: the enthalpy rose %d times in %d iterations (worst %g eV)", traces[t]->increases,
              traces[t]->n, traces[t]->worst_rise);
    }
  }
}

/* CG on a rattled fixed-box crystal: the energy sequence never rises, and the image
 * bookkeeping keeps atoms that cross the cell's faces from forcing list rebuilds. */
static void cg_monotone_fixed_box(void) {
  const double none[3] = {0, 0, 0};
  vf_system *s = fcc_crystal(5.26, none, 11);
  unsigned long long seed = 5;
  for (int i = 0; i < s->n; i += 3) s->x[i] += 0.3 * (vf_test_uniform(&seed) - 0.5);
  vf_forcefield ff;
  lj_forcefield(&ff, 0.0104, 3.405, FCC_CUT, 1);
  vf_min_options o = tight(VF_MIN_CG);
  o.ftol = 1e-6;
  energy_trace trace = {0};
  o.monitor = record;
  o.monitor_context = &trace;
  vf_min_result r;
  if (!run(&ff, s, &o, &r, "fcc fixed box, CG")) {
    CHECK(trace.n == r.iterations && trace.increases == 0,
          "CG: the energy rose %d times in %d iterations (worst %g eV)", trace.increases, trace.n,
          trace.worst_rise);
    CHECK(ff.nb.builds <= 3, "%lu neighbour-list builds for moves of < 0.2 A", ff.nb.builds);
    CHECK(r.iterations <= CG_ITERATIONS, "CG took %d iterations", r.iterations);
  }
  vf_forcefield_free(&ff);
  vf_system_free(s);
}

static void errors(void) {
  vf_system *s = empty_system(2, 20.0);
  place(s, 0, 5.0, 5.0, 5.0);
  place(s, 1, 5.0, 5.0, 5.0); /* on top of each other */
  vf_forcefield ff;
  lj_forcefield(&ff, 0.01, 3.4, 8.0, 0);
  vf_error err = {{0}};
  vf_min_options o;
  vf_min_defaults(&o);
  vf_min_result r;
  CHECK(vf_forcefield_bind(&ff, s, &err) == 0, "%s", err.msg);
  CHECK(vf_minimize(&ff, s, &o, &r, &err) == -1 && strstr(err.msg, "energy"),
        "overlapping atoms should fail with a message about the energy (got '%s')", err.msg);
  place(s, 1, 9.0, 5.0, 5.0);
  o.dmax = 0.0;
  CHECK(vf_minimize(&ff, s, &o, &r, &err) == -1 && strstr(err.msg, "dmax"),
        "dmax = 0 should be refused (got '%s')", err.msg);
  vf_min_defaults(&o);
  o.max_iterations = 2;
  o.ftol = 1e-12;
  o.etol = 0.0;
  CHECK(vf_minimize(&ff, s, &o, &r, &err) == 0 && !r.converged && r.iterations == 2 &&
            strcmp(r.reason, "max iterations") == 0,
        "two iterations should stop at max iterations (got %d, %s)", r.iterations, r.reason);
  vf_forcefield_free(&ff);
  vf_system_free(s);
}

int main(void) {
  /* A few hundred atoms: threads would only add barrier waits (and spinning when the
   * machine is busy with other tests). */
  omp_set_num_threads(1);
  for (int style = VF_MIN_FIRE; style <= VF_MIN_CG; style++) {
    harmonic_dimer(style);
    lj_cluster(style, 2);
    lj_cluster(style, 3);
  }
  box_relaxation();
  cg_monotone_fixed_box();
  errors();
  return vf_test_report("test_minimize");
}
