/* test_bonded.c — the four bonded styles (bond harmonic, angle charmm, dihedral charmm,
 * improper cvff):
 *   - energies against an independent evaluation (acos / atan2 / cos) and a
 *     hand-built dihedral of known sign;
 *   - forces against central differences of the energy, term by term;
 *   - the virial against the strain derivative of the energy and against
 *     sum r (x) f over whole molecules, and its symmetry;
 *   - degenerate geometries stay finite, K = 0 contributes nothing, the checks
 *     reject bad coefficients with a message naming kind and type;
 *   - the ZIF-zni data file: finite differences on a sample of atoms and the
 *     LAMMPS reference energies; timings of the four computes;
 *   - threads: the same results for 1..4 threads up to rounding, and bit for bit
 *     run to run for a given number; a kept plan follows edits of the coefficients
 *     and of the topology. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <omp.h>

#include "accum.h"
#include "bonded.h"
#include "lammps_data.h"
#include "testlib.h"
#include "units.h"

#define FD_TOLERANCE 1e-6 /* worst relative error allowed for forces and virial */

typedef int (*compute_fn)(const vf_system *, vf_forcebuf *, double *, double[6]);
typedef int (*check_fn)(const vf_system *, vf_error *);

typedef struct term {
  const char *name;
  int kind;
  compute_fn compute;
  check_fn check;
} term;

static const term terms[VF_NBONDED_KINDS] = {
    {"bond harmonic", VF_BONDS, vf_bond_harmonic_compute, vf_bond_harmonic_check},
    {"angle charmm", VF_ANGLES, vf_angle_charmm_compute, vf_angle_charmm_check},
    {"dihedral charmm", VF_DIHEDRALS, vf_dihedral_charmm_compute, vf_dihedral_charmm_check},
    {"improper cvff", VF_IMPROPERS, vf_improper_cvff_compute, vf_improper_cvff_check},
};

/* ---- evaluation helpers ---------------------------------------------------------- */

static vf_accum accum_new(int n) {
  vf_accum a = {0};
  a.fx = calloc((size_t)n, sizeof(double));
  a.fy = calloc((size_t)n, sizeof(double));
  a.fz = calloc((size_t)n, sizeof(double));
  if (!a.fx || !a.fy || !a.fz) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return a;
}

static void accum_free(vf_accum *a) {
  free(a->fx);
  free(a->fy);
  free(a->fz);
}

/* Threads the evaluations use (the per-thread force blocks set the team size). */
static int threads = 1;

static vf_forcebuf forcebuf_new(int nthreads, int n) {
  vf_forcebuf fb = {0};
  if (vf_forcebuf_reserve(&fb, nthreads, n)) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  vf_forcebuf_zero(&fb);
  return fb;
}

/* Sums fb's thread blocks into a's force arrays, replacing them. */
static void collect_forces(const vf_forcebuf *fb, vf_accum *a) {
  memset(a->fx, 0, sizeof(double) * (size_t)fb->n);
  memset(a->fy, 0, sizeof(double) * (size_t)fb->n);
  memset(a->fz, 0, sizeof(double) * (size_t)fb->n);
  vf_forcebuf_reduce(fb, a->fx, a->fy, a->fz);
}

/* One term alone on nthreads threads, from zeroed accumulators. */
static void evaluate_on(const vf_system *s, compute_fn compute, int nthreads, vf_accum *a) {
  vf_forcebuf fb = forcebuf_new(nthreads, s->n);
  a->energy = 0.0;
  memset(a->virial, 0, sizeof a->virial);
  CHECK(compute(s, &fb, &a->energy, a->virial) == 0, "compute failed (out of memory)");
  collect_forces(&fb, a);
  vf_forcebuf_free(&fb);
}

static void evaluate(const vf_system *s, compute_fn compute, vf_accum *a) {
  evaluate_on(s, compute, threads, a);
}

static double *force_component(const vf_accum *a, int c) {
  return c == 0 ? a->fx : c == 1 ? a->fy : a->fz;
}

static double *coordinate(const vf_system *s, int c) {
  return c == 0 ? s->x : c == 1 ? s->y : s->z;
}

static double rms_force(const vf_accum *a, int n) {
  double sum = 0.0;
  for (int c = 0; c < 3; c++)
    for (int i = 0; i < n; i++) sum += force_component(a, c)[i] * force_component(a, c)[i];
  return sqrt(sum / (3.0 * n));
}

/* |estimate - exact| relative to max(|exact|, scale), scale being the typical size of
 * the quantity, so tiny components are not judged by their own size. */
static double relative_error(double estimate, double exact, double scale) {
  const double size = fmax(fabs(exact), scale);
  return fabs(estimate - exact) / fmax(size, DBL_MIN);
}

/* Worst relative error of the analytic forces of one term against central
 * differences of its energy, over the atoms sample[0..nsample-1]. s is restored. */
static double force_fd_error(vf_system *s, compute_fn compute, const int *sample, int nsample,
                             double step) {
  vf_accum exact = accum_new(s->n), probe = accum_new(s->n);
  evaluate(s, compute, &exact);
  const double scale = rms_force(&exact, s->n);
  CHECK(scale > 0.0, "term has no forces to test");
  double worst = 0.0;
  for (int k = 0; k < nsample; k++)
    for (int c = 0; c < 3; c++) {
      const int i = sample[k];
      double *x = coordinate(s, c);
      const double saved = x[i];
      x[i] = saved + step;
      evaluate(s, compute, &probe);
      const double e_plus = probe.energy;
      x[i] = saved - step;
      evaluate(s, compute, &probe);
      const double e_minus = probe.energy;
      x[i] = saved;
      const double fd = -(e_plus - e_minus) / (2.0 * step);
      worst = fmax(worst, relative_error(fd, force_component(&exact, c)[i], scale));
    }
  accum_free(&exact);
  accum_free(&probe);
  return worst;
}

/* Copies positions and box of src into dst deformed by r -> (1 + eps) r, eps upper
 * triangular in LAMMPS order xx yy zz xy xz yz (the same matrix vf_box_strain applies
 * to the cell). */
static void strain_copy(vf_system *dst, const vf_system *src, const double eps[6]) {
  for (int i = 0; i < src->n; i++) {
    const double x = src->x[i], y = src->y[i], z = src->z[i];
    dst->x[i] = (1.0 + eps[0]) * x + eps[3] * y + eps[4] * z;
    dst->y[i] = (1.0 + eps[1]) * y + eps[5] * z;
    dst->z[i] = (1.0 + eps[2]) * z;
  }
  dst->box = src->box;
  vf_box_strain(&dst->box, eps);
}

/* -dE/d eps_ab by central differences, for the six strain components. Since
 * dE/d eps_ab = sum_i (dE/dr_ia) r_ib = -sum_i r_ib f_ia, this is W_ba; a rotation-
 * invariant energy has a symmetric virial, so it must equal the reported W_ab. */
static void strain_derivative(const vf_system *s, compute_fn compute, double step, double out[6]) {
  vf_system *work = vf_system_copy(s);
  vf_accum probe = accum_new(s->n);
  for (int m = 0; m < 6; m++) {
    double eps[6] = {0};
    eps[m] = step;
    strain_copy(work, s, eps);
    evaluate(work, compute, &probe);
    const double e_plus = probe.energy;
    eps[m] = -step;
    strain_copy(work, s, eps);
    evaluate(work, compute, &probe);
    out[m] = -(e_plus - probe.energy) / (2.0 * step);
  }
  accum_free(&probe);
  vf_system_free(work);
}

static const int virial_row[6] = {0, 1, 2, 0, 0, 1}, virial_col[6] = {0, 1, 2, 1, 2, 2};

static double rms6(const double v[6]) {
  double sum = 0.0;
  for (int m = 0; m < 6; m++) sum += v[m] * v[m];
  return sqrt(sum / 6.0);
}

/* Worst relative error of the virial of one term against the strain derivative. */
static double virial_fd_error(const vf_system *s, compute_fn compute, double step) {
  vf_accum exact = accum_new(s->n);
  evaluate(s, compute, &exact);
  double derivative[6];
  strain_derivative(s, compute, step, derivative);
  const double scale = rms6(exact.virial);
  double worst = 0.0;
  for (int m = 0; m < 6; m++)
    worst = fmax(worst, relative_error(derivative[m], exact.virial[m], scale));
  accum_free(&exact);
  return worst;
}

/* ---- random molecules ------------------------------------------------------------ */

/* Five-atom molecules: a chain 0-1-2-3 with a branch 4 on atom 1. */
enum { NMOL = 12, MOL_ATOMS = 5 };
static const int mol_bonds[][2] = {{0, 1}, {1, 2}, {2, 3}, {1, 4}};
static const int mol_angles[][3] = {{0, 1, 2}, {1, 2, 3}, {0, 1, 4}, {2, 1, 4}};
static const int mol_dihedrals[][4] = {{0, 1, 2, 3}, {4, 1, 2, 3}};
static const int mol_impropers[][4] = {{1, 0, 2, 4}, {0, 1, 2, 3}};

/* Dihedral (n, d) pairs and improper n (0..6, d alternating +1/-1) to cover. */
static const int dihedral_n[] = {1, 2, 3, 2, 1, 3, 1, 2, 3};
static const int dihedral_d[] = {0, 53, 120, 180, 53, 180, 120, 0, 0};
enum { NBOND_TYPES = 3, NANGLE_TYPES = 3, NDIHEDRAL_TYPES = 9, NIMPROPER_TYPES = 7 };

/* The system plus its molecules unwrapped (whole), for reference energies and the
 * molecular virial. */
typedef struct random_system {
  vf_system *s;
  double (*u)[3];
} random_system;

static void random_unit(unsigned long long *rng, double v[3]) {
  double r2;
  do {
    for (int c = 0; c < 3; c++) v[c] = 2.0 * vf_test_uniform(rng) - 1.0;
    r2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
  } while (r2 > 1.0 || r2 < 0.01);
  for (int c = 0; c < 3; c++) v[c] /= sqrt(r2);
}

static void sub3(const double a[3], const double b[3], double d[3]) {
  for (int c = 0; c < 3; c++) d[c] = a[c] - b[c];
}
static double dot3(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static void cross3(const double a[3], const double b[3], double c[3]) {
  c[0] = a[1] * b[2] - a[2] * b[1];
  c[1] = a[2] * b[0] - a[0] * b[2];
  c[2] = a[0] * b[1] - a[1] * b[0];
}

/* Angle at b of a-b-c, by acos. */
static double angle_of(const double a[3], const double b[3], const double c[3]) {
  double u[3], v[3];
  sub3(a, b, u);
  sub3(c, b, v);
  return acos(dot3(u, v) / sqrt(dot3(u, u) * dot3(v, v)));
}

/* IUPAC dihedral of a-b-c-d, by atan2 as in the definition. */
static double dihedral_of(const double a[3], const double b[3], const double c[3],
                          const double d[3]) {
  double b1[3], b2[3], b3[3], m[3], n[3];
  sub3(b, a, b1);
  sub3(c, b, b2);
  sub3(d, c, b3);
  cross3(b1, b2, m);
  cross3(b2, b3, n);
  return atan2(sqrt(dot3(b2, b2)) * dot3(b1, n), dot3(m, n));
}

/* Whether every angle the molecule's terms use is safely away from 0 and 180 degrees,
 * so finite differences are not spoiled by the near-singular dihedral gradient. */
static int well_shaped(double u[][3]) {
  const double min_sin = 0.3;
  for (size_t k = 0; k < sizeof mol_angles / sizeof *mol_angles; k++)
    if (sin(angle_of(u[mol_angles[k][0]], u[mol_angles[k][1]], u[mol_angles[k][2]])) < min_sin)
      return 0;
  const int(*quads[2])[4] = {mol_dihedrals, mol_impropers};
  for (int q = 0; q < 2; q++)
    for (int k = 0; k < 2; k++) {
      const int *a = quads[q][k];
      if (sin(angle_of(u[a[0]], u[a[1]], u[a[2]])) < min_sin ||
          sin(angle_of(u[a[1]], u[a[2]], u[a[3]])) < min_sin)
        return 0;
    }
  return 1;
}

/* Places one molecule: atom 1 anywhere in the cell (near its corner for even mol, so
 * the molecule straddles faces), the others 0.9..1.6 Å from their partner. */
static void place_molecule(const vf_box *box, int mol, unsigned long long *rng, double u[][3]) {
  do {
    double frac[3];
    for (int c = 0; c < 3; c++)
      frac[c] = mol % 2 == 0 ? 0.08 * (vf_test_uniform(rng) - 0.5) : vf_test_uniform(rng);
    vf_box_to_cart(box, frac, u[1]);
    const int from[MOL_ATOMS] = {1, -1, 1, 2, 1};
    for (int a = 0; a < MOL_ATOMS; a++) {
      if (from[a] < 0) continue;
      double dir[3];
      random_unit(rng, dir);
      const double length = 0.9 + 0.7 * vf_test_uniform(rng);
      for (int c = 0; c < 3; c++) u[a][c] = u[from[a]][c] + length * dir[c];
    }
  } while (!well_shaped(u));
}

static void set_random_coefficients(vf_topology *t, unsigned long long *rng) {
  vf_topology_set_ntypes(t, VF_BONDS, NBOND_TYPES);
  vf_topology_set_ntypes(t, VF_ANGLES, NANGLE_TYPES);
  vf_topology_set_ntypes(t, VF_DIHEDRALS, NDIHEDRAL_TYPES);
  vf_topology_set_ntypes(t, VF_IMPROPERS, NIMPROPER_TYPES);
  for (int k = 0; k < NBOND_TYPES; k++) {
    const double c[2] = {5.0 + 20.0 * vf_test_uniform(rng), 0.9 + 0.7 * vf_test_uniform(rng)};
    vf_topology_set_coeff(t, VF_BONDS, k, 2, c);
  }
  for (int k = 0; k < NANGLE_TYPES; k++) {
    /* The first angle type has no Urey-Bradley term. */
    const double c[4] = {0.5 + 4.0 * vf_test_uniform(rng), 80.0 + 50.0 * vf_test_uniform(rng),
                         k == 0 ? 0.0 : 1.0 + 10.0 * vf_test_uniform(rng),
                         1.5 + vf_test_uniform(rng)};
    vf_topology_set_coeff(t, VF_ANGLES, k, 4, c);
  }
  for (int k = 0; k < NDIHEDRAL_TYPES; k++) {
    const double c[4] = {0.05 + vf_test_uniform(rng), dihedral_n[k], dihedral_d[k], 0.0};
    vf_topology_set_coeff(t, VF_DIHEDRALS, k, 4, c);
  }
  for (int k = 0; k < NIMPROPER_TYPES; k++) {
    const double c[3] = {0.05 + vf_test_uniform(rng), k % 2 == 0 ? 1.0 : -1.0, k};
    vf_topology_set_coeff(t, VF_IMPROPERS, k, 3, c);
  }
}

/* Adds a molecule's entries of one kind, types taken in turn so all are used. */
static void add_entries(vf_topology *t, int kind, const int *local, int count, int first_atom,
                        int ntypes, int *next_type) {
  const int width = vf_bonded_width[kind];
  for (int k = 0; k < count; k++) {
    int atoms[4];
    for (int m = 0; m < width; m++) atoms[m] = first_atom + local[k * width + m];
    vf_topology_add(t, kind, (*next_type)++ % ntypes, atoms);
  }
}

static random_system random_system_new(unsigned long long seed, int triclinic) {
  unsigned long long rng = seed;
  random_system r = {vf_system_new(NMOL * MOL_ATOMS, 1), NULL};
  r.u = malloc(sizeof *r.u * NMOL * MOL_ATOMS);
  if (!r.s || !r.u) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  const double lo[3] = {-2.0, 1.0, 0.5}, hi[3] = {9.0, 13.0, 13.5};
  const double tilt[3] = {2.0, -1.5, 1.0};
  vf_box_set(&r.s->box, lo, hi, triclinic ? tilt : NULL, NULL);
  set_random_coefficients(&r.s->topo, &rng);
  int next_type[VF_NBONDED_KINDS] = {0};
  for (int mol = 0; mol < NMOL; mol++) {
    const int first = mol * MOL_ATOMS;
    place_molecule(&r.s->box, mol, &rng, r.u + first);
    add_entries(&r.s->topo, VF_BONDS, &mol_bonds[0][0], 4, first, NBOND_TYPES,
                &next_type[VF_BONDS]);
    add_entries(&r.s->topo, VF_ANGLES, &mol_angles[0][0], 4, first, NANGLE_TYPES,
                &next_type[VF_ANGLES]);
    add_entries(&r.s->topo, VF_DIHEDRALS, &mol_dihedrals[0][0], 2, first, NDIHEDRAL_TYPES,
                &next_type[VF_DIHEDRALS]);
    add_entries(&r.s->topo, VF_IMPROPERS, &mol_impropers[0][0], 2, first, NIMPROPER_TYPES,
                &next_type[VF_IMPROPERS]);
  }
  for (int i = 0; i < r.s->n; i++) {
    double p[3] = {r.u[i][0], r.u[i][1], r.u[i][2]};
    int image[3] = {0, 0, 0};
    vf_box_wrap(&r.s->box, p, image);
    r.s->x[i] = p[0];
    r.s->y[i] = p[1];
    r.s->z[i] = p[2];
  }
  return r;
}

static void random_system_free(random_system *r) {
  vf_system_free(r->s);
  free(r->u);
}

/* Bonds whose atoms were wrapped to different images. */
static int split_bonds(const random_system *r) {
  const vf_bonded_list *l = &r->s->topo.list[VF_BONDS];
  int split = 0;
  for (int e = 0; e < l->n; e++) {
    const int i = l->atom[2 * e], j = l->atom[2 * e + 1];
    const double wrapped = fabs(r->s->x[i] - r->s->x[j]) + fabs(r->s->y[i] - r->s->y[j]) +
                           fabs(r->s->z[i] - r->s->z[j]);
    const double whole = fabs(r->u[i][0] - r->u[j][0]) + fabs(r->u[i][1] - r->u[j][1]) +
                         fabs(r->u[i][2] - r->u[j][2]);
    split += fabs(wrapped - whole) > 1e-9;
  }
  return split;
}

/* The energy of one kind from the whole molecules, straight from the definitions. */
static double reference_energy(const random_system *r, int kind) {
  const vf_topology *t = &r->s->topo;
  const vf_bonded_list *l = &t->list[kind];
  const double deg = VF_PI / 180.0;
  double energy = 0.0;
  for (int e = 0; e < l->n; e++) {
    const int *a = l->atom + e * l->width;
    const double *c = vf_topology_coeff(t, kind, l->type[e]);
    const double *r1 = r->u[a[0]], *r2 = r->u[a[1]], *r3 = r->u[a[2]];
    double d[3];
    if (kind == VF_BONDS) {
      sub3(r1, r2, d);
      energy += c[0] * pow(sqrt(dot3(d, d)) - c[1], 2);
    } else if (kind == VF_ANGLES) {
      sub3(r1, r3, d);
      energy +=
          c[0] * pow(angle_of(r1, r2, r3) - c[1] * deg, 2) + c[2] * pow(sqrt(dot3(d, d)) - c[3], 2);
    } else {
      const double phi = dihedral_of(r1, r2, r3, r->u[a[3]]);
      energy += kind == VF_DIHEDRALS ? c[0] * (1.0 + cos(c[1] * phi - c[2] * deg))
                                     : c[0] * (1.0 + c[1] * cos(c[2] * phi));
    }
  }
  return energy;
}

/* W_ab = sum_i u_ia f_ib over whole molecules: exact for the virial because every
 * term lies inside one molecule and its forces sum to zero. */
static void molecular_virial(const random_system *r, const vf_accum *a, double w[3][3]) {
  for (int p = 0; p < 3; p++)
    for (int q = 0; q < 3; q++) {
      w[p][q] = 0.0;
      for (int i = 0; i < r->s->n; i++) w[p][q] += r->u[i][p] * force_component(a, q)[i];
    }
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_random_molecules(unsigned long long seed, int triclinic) {
  random_system r = random_system_new(seed, triclinic);
  const char *cell = triclinic ? "triclinic" : "orthorhombic";
  CHECK(split_bonds(&r) > 0, "%s: no bond crosses the boundary; the test lost its point", cell);
  int all[NMOL * MOL_ATOMS];
  for (int i = 0; i < r.s->n; i++) all[i] = i;
  vf_accum a = accum_new(r.s->n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const term *tm = &terms[k];
    vf_error err = {{0}};
    CHECK(tm->check(r.s, &err) == 0, "%s %s: check failed: %s", cell, tm->name, err.msg);
    evaluate(r.s, tm->compute, &a);
    const double reference = reference_energy(&r, tm->kind);
    CHECK(relative_error(a.energy, reference, 1e-300) < 1e-12,
          "%s %s: energy %.15g, from the definition %.15g", cell, tm->name, a.energy, reference);

    double w[3][3];
    molecular_virial(&r, &a, w);
    const double scale = rms6(a.virial);
    double worst_molecular = 0.0, worst_asymmetry = 0.0;
    for (int m = 0; m < 6; m++) {
      const int p = virial_row[m], q = virial_col[m];
      worst_molecular = fmax(worst_molecular, relative_error(a.virial[m], w[p][q], scale));
      worst_asymmetry = fmax(worst_asymmetry, relative_error(w[q][p], w[p][q], scale));
    }
    CHECK(worst_molecular < 1e-12, "%s %s: virial differs from sum r f by %.2g", cell, tm->name,
          worst_molecular);
    CHECK(worst_asymmetry < 1e-12, "%s %s: sum r f is not symmetric (%.2g)", cell, tm->name,
          worst_asymmetry);

    const double force_error = force_fd_error(r.s, tm->compute, all, r.s->n, 1e-5);
    const double virial_error = virial_fd_error(r.s, tm->compute, 1e-6);
    printf("random %s %-16s E = %10.6f eV  worst FD error: forces %.1e, virial %.1e\n", cell,
           tm->name, a.energy, force_error, virial_error);
    CHECK(force_error <= FD_TOLERANCE, "%s %s: forces differ from -dE/dx by %.2g", cell, tm->name,
          force_error);
    CHECK(virial_error <= FD_TOLERANCE, "%s %s: virial differs from -dE/d eps by %.2g", cell,
          tm->name, virial_error);
  }
  accum_free(&a);
  random_system_free(&r);
}

/* Four atoms with an IUPAC dihedral of exactly +60 degrees (1 on x, 2-3 along z,
 * 4 turned 60 degrees counter-clockwise seen from 3): with d = 53 the sign of phi
 * matters, E = K (1 + cos 7 deg), not K (1 + cos 113 deg). */
static void test_dihedral_sign(void) {
  vf_system *s = vf_system_new(4, 1);
  const double lo[3] = {0, 0, 0}, hi[3] = {20, 20, 20};
  vf_box_set(&s->box, lo, hi, NULL, NULL);
  const double phi = 60.0 * VF_PI / 180.0;
  const double r[4][3] = {
      {11, 10, 10}, {10, 10, 10}, {10, 10, 11.5}, {10 + cos(phi), 10 + sin(phi), 11.5}};
  for (int i = 0; i < 4; i++) {
    s->x[i] = r[i][0];
    s->y[i] = r[i][1];
    s->z[i] = r[i][2];
  }
  const int atoms[4] = {0, 1, 2, 3};
  vf_topology_set_ntypes(&s->topo, VF_DIHEDRALS, 1);
  vf_topology_set_ntypes(&s->topo, VF_IMPROPERS, 1);
  vf_topology_set_coeff(&s->topo, VF_DIHEDRALS, 0, 4, (const double[]){0.7, 1, 53, 0});
  vf_topology_set_coeff(&s->topo, VF_IMPROPERS, 0, 3, (const double[]){0.3, -1, 3});
  vf_topology_add(&s->topo, VF_DIHEDRALS, 0, atoms);
  vf_topology_add(&s->topo, VF_IMPROPERS, 0, atoms);
  vf_accum a = accum_new(4);
  evaluate(s, vf_dihedral_charmm_compute, &a);
  const double expected = 0.7 * (1.0 + cos(7.0 * VF_PI / 180.0));
  CHECK(fabs(a.energy - expected) < 1e-14, "dihedral at +60 deg: E = %.15g, expected %.15g",
        a.energy, expected);
  evaluate(s, vf_improper_cvff_compute, &a);
  CHECK(fabs(a.energy - 0.6) < 1e-14, "cvff K 0.3, d -1, n 3 at 60 deg: E = %.15g, expected 0.6",
        a.energy);
  accum_free(&a);
  vf_system_free(s);
}

static int accum_is_finite(const vf_accum *a, int n) {
  int finite = isfinite(a->energy);
  for (int m = 0; m < 6; m++) finite &= isfinite(a->virial[m]);
  for (int i = 0; i < n; i++)
    finite &= isfinite(a->fx[i]) && isfinite(a->fy[i]) && isfinite(a->fz[i]);
  return finite;
}

/* Coincident atoms, exactly and nearly linear angles (at 180 and 0 degrees), dihedrals
 * with a zero-length or collinear arm: energies, forces and virials stay finite. */
static void test_degenerate_geometry(void) {
  /* clang-format off */
  const double r[][3] = {
      {10, 10, 10},               /* 0: 0-1-2 exactly linear */
      {11, 10, 10},               /* 1 */
      {12, 10, 10},               /* 2 */
      {12, 11, 10},               /* 3 */
      {11, 10, 10},               /* 4: on top of 1 */
      {13, 10 + 1e-9, 10},        /* 5: 1-2-5 and 2-5-6 nearly linear */
      {14, 10 + 2e-9, 10 + 1e-9}, /* 6 */
      {14, 11, 10},               /* 7 */
      {10.1, 10.3, 10.1},         /* 8: 8-0-9 at 0 degrees, cos rounds to > 1 */
      {10.3, 10.9, 10.3},         /* 9 */
      {9.7, 9.1, 9.7},            /* 10: 8-0-10 at 180 degrees, cos rounds to < -1 */
  };
  /* clang-format on */
  const int n = (int)(sizeof r / sizeof *r);
  vf_system *s = vf_system_new(n, 1);
  const double lo[3] = {0, 0, 0}, hi[3] = {20, 20, 20};
  vf_box_set(&s->box, lo, hi, NULL, NULL);
  for (int i = 0; i < n; i++) {
    s->x[i] = r[i][0];
    s->y[i] = r[i][1];
    s->z[i] = r[i][2];
  }
  vf_topology *t = &s->topo;
  for (int k = 0; k < VF_NBONDED_KINDS; k++) vf_topology_set_ntypes(t, k, 1);
  vf_topology_set_coeff(t, VF_BONDS, 0, 2, (const double[]){10, 1});
  vf_topology_set_coeff(t, VF_ANGLES, 0, 4, (const double[]){2, 109.5, 3, 2.4});
  vf_topology_set_coeff(t, VF_DIHEDRALS, 0, 4, (const double[]){0.5, 2, 53, 0});
  vf_topology_set_coeff(t, VF_IMPROPERS, 0, 3, (const double[]){0.5, -1, 3});
  vf_topology_add(t, VF_BONDS, 0, (const int[]){1, 4});
  vf_topology_add(t, VF_ANGLES, 0, (const int[]){0, 1, 2});
  vf_topology_add(t, VF_ANGLES, 0, (const int[]){1, 2, 5});
  vf_topology_add(t, VF_ANGLES, 0, (const int[]){4, 1, 2});
  vf_topology_add(t, VF_ANGLES, 0, (const int[]){8, 0, 9});
  vf_topology_add(t, VF_ANGLES, 0, (const int[]){8, 0, 10});
  const int quads[][4] = {{0, 1, 2, 3}, {4, 1, 2, 3}, {1, 2, 5, 6}, {2, 5, 6, 7}, {0, 1, 4, 2}};
  for (size_t q = 0; q < sizeof quads / sizeof *quads; q++) {
    vf_topology_add(t, VF_DIHEDRALS, 0, quads[q]);
    vf_topology_add(t, VF_IMPROPERS, 0, quads[q]);
  }
  vf_accum a = accum_new(n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    evaluate(s, terms[k].compute, &a);
    CHECK(accum_is_finite(&a, n), "%s: degenerate geometry gives non-finite results",
          terms[k].name);
  }
  accum_free(&a);
  vf_system_free(s);
}

/* With every K (and K_ub) zero nothing is added, not even rounding. */
static void test_zero_constants(void) {
  random_system r = random_system_new(7, 0);
  vf_coeff_table *c = r.s->topo.coeff;
  for (int k = 0; k < VF_NBONDED_KINDS; k++)
    for (int t = 0; t < c[k].ntypes; t++) c[k].value[t * VF_MAX_COEFF] = 0.0;
  for (int t = 0; t < c[VF_ANGLES].ntypes; t++) c[VF_ANGLES].value[t * VF_MAX_COEFF + 2] = 0.0;
  vf_accum a = accum_new(r.s->n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    evaluate(r.s, terms[k].compute, &a);
    double sum = fabs(a.energy) + rms6(a.virial) + rms_force(&a, r.s->n);
    CHECK(sum == 0.0, "%s with K = 0 still contributes (%g)", terms[k].name, sum);
  }
  accum_free(&a);
  random_system_free(&r);
}

/* One bad coefficient set or entry: the kind's check must fail naming it. */
typedef struct bad_case {
  int kind, type, count;
  double values[4];
  const char *expected;
} bad_case;

static void test_checks(void) {
  /* clang-format off */
  const bad_case cases[] = {
      {VF_BONDS, 1, 0, {0},
       "bond type 2: harmonic needs 2 coefficients (K r0), found 0"},
      {VF_BONDS, 0, 2, {10, -1},
       "bond type 1: harmonic r0 = -1 must be a distance >= 0"},
      {VF_ANGLES, 2, 2, {1, 2},
       "angle type 3: charmm needs 4 coefficients (K θ0 K_ub r_ub), found 2"},
      {VF_ANGLES, 0, 4, {1, 200, 0, 0},
       "angle type 1: charmm θ0 = 200 must be in 0..180"},
      {VF_DIHEDRALS, 0, 4, {1, 2, 180, 0.5},
       "dihedral type 1: charmm 1-4 weight w = 0.5 is not supported"},
      {VF_DIHEDRALS, 1, 4, {1, 1.5, 180, 0},
       "dihedral type 2: charmm n = 1.5 must be an integer"},
      {VF_DIHEDRALS, 2, 4, {1, -1, 180, 0},
       "dihedral type 3: charmm n = -1 must be an integer"},
      {VF_DIHEDRALS, 3, 4, {1, 2, 53.5, 0},
       "dihedral type 4: charmm d = 53.5 must be an integer"},
      {VF_DIHEDRALS, 4, 3, {1, 2, 180},
       "dihedral type 5: charmm needs 4 coefficients (K n d w), found 3"},
      {VF_IMPROPERS, 0, 3, {1, 0, 2},
       "improper type 1: cvff d = 0 must be +1 or -1"},
      {VF_IMPROPERS, 1, 3, {1, -1, 7},
       "improper type 2: cvff n = 7 must be an integer in 0..6"},
      {VF_IMPROPERS, 2, 3, {1, -1, 2.5},
       "improper type 3: cvff n = 2.5 must be an integer"},
      {VF_IMPROPERS, 3, 4, {1, -1, 2, 0},
       "improper type 4: cvff needs 3 coefficients (K d n), found 4"},
  };
  /* clang-format on */
  random_system r = random_system_new(11, 0);
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    const bad_case *b = &cases[k];
    vf_system *s = vf_system_copy(r.s);
    vf_topology_set_coeff(&s->topo, b->kind, b->type, b->count, b->values);
    vf_error err = {{0}};
    CHECK(terms[b->kind].check(s, &err) != 0, "check accepted: %s", b->expected);
    CHECK(strstr(err.msg, b->expected) != NULL, "message \"%s\" lacks \"%s\"", err.msg,
          b->expected);
    vf_system_free(s);
  }
  /* Entries pointing outside the type table or the atoms. */
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    vf_system *s = vf_system_copy(r.s);
    vf_error err = {{0}};
    s->topo.list[k].type[0] = 99;
    CHECK(terms[k].check(s, &err) != 0 && strstr(err.msg, "type 100 is not one of"),
          "%s: undefined type not reported (\"%s\")", terms[k].name, err.msg);
    s->topo.list[k].type[0] = 0;
    s->topo.list[k].atom[1] = s->n;
    CHECK(terms[k].check(s, &err) != 0 && strstr(err.msg, "is not one of the 60 atoms"),
          "%s: atom outside the system not reported (\"%s\")", terms[k].name, err.msg);
    vf_system_free(s);
  }
  random_system_free(&r);
}

/* ---- threads and the kept plan --------------------------------------------------- */

static int accum_identical(const vf_accum *a, const vf_accum *b, int n) {
  int same = a->energy == b->energy && memcmp(a->virial, b->virial, sizeof a->virial) == 0;
  same &= memcmp(a->fx, b->fx, sizeof(double) * (size_t)n) == 0;
  same &= memcmp(a->fy, b->fy, sizeof(double) * (size_t)n) == 0;
  same &= memcmp(a->fz, b->fz, sizeof(double) * (size_t)n) == 0;
  return same;
}

/* Worst difference between two evaluations: energy and virial relative to their own
 * size, forces relative to their RMS. */
static double accum_difference(const vf_accum *a, const vf_accum *b, int n) {
  double worst = relative_error(a->energy, b->energy, 1e-300);
  const double vscale = rms6(b->virial), fscale = rms_force(b, n);
  for (int m = 0; m < 6; m++) worst = fmax(worst, relative_error(a->virial[m], b->virial[m], vscale));
  for (int c = 0; c < 3; c++)
    for (int i = 0; i < n; i++)
      worst = fmax(worst, relative_error(force_component(a, c)[i], force_component(b, c)[i], fscale));
  return worst;
}

/* Every kind on 2..4 threads (more than the machine may have: the blocks set the
 * team) against 1 thread, and twice each for bit-for-bit reproducibility. */
static void test_threads(const vf_system *s, const char *label) {
  vf_accum one = accum_new(s->n), first = accum_new(s->n), again = accum_new(s->n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    evaluate_on(s, terms[k].compute, 1, &one);
    for (int t = 2; t <= 4; t++) {
      evaluate_on(s, terms[k].compute, t, &first);
      evaluate_on(s, terms[k].compute, t, &again);
      CHECK(accum_identical(&first, &again, s->n), "%s %s on %d threads: two runs differ", label,
            terms[k].name, t);
      const double diff = accum_difference(&first, &one, s->n);
      CHECK(diff < 1e-12, "%s %s on %d threads differs from 1 thread by %.2g", label,
            terms[k].name, t, diff);
    }
  }
  accum_free(&one);
  accum_free(&first);
  accum_free(&again);
}

/* All four kinds through one kept plan, against each style's fresh evaluation. */
static double kept_plan_difference(const vf_system *s, vf_bonded_plan *plan) {
  vf_forcebuf fb = forcebuf_new(threads, s->n);
  double e[VF_NBONDED_KINDS] = {0}, v[VF_NBONDED_KINDS][6] = {{0}};
  CHECK(vf_bonded_compute(s, plan, (1u << VF_NBONDED_KINDS) - 1, &fb, e, v) == 0,
        "vf_bonded_compute failed");
  vf_accum kept = accum_new(s->n), fresh = accum_new(s->n), sum = accum_new(s->n);
  collect_forces(&fb, &kept);
  double worst = 0.0;
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    evaluate(s, terms[k].compute, &fresh);
    worst = fmax(worst, relative_error(e[k], fresh.energy, 1e-300));
    for (int m = 0; m < 6; m++)
      worst = fmax(worst, relative_error(v[k][m], fresh.virial[m], rms6(fresh.virial)));
    for (int i = 0; i < s->n; i++) {
      sum.fx[i] += fresh.fx[i];
      sum.fy[i] += fresh.fy[i];
      sum.fz[i] += fresh.fz[i];
    }
  }
  kept.energy = sum.energy = 0.0;
  memset(kept.virial, 0, sizeof kept.virial);
  memset(sum.virial, 0, sizeof sum.virial);
  worst = fmax(worst, accum_difference(&kept, &sum, s->n));
  accum_free(&kept);
  accum_free(&fresh);
  accum_free(&sum);
  vf_forcebuf_free(&fb);
  return worst;
}

/* A plan kept across calls must notice a type switched off or on in place (no
 * generation bump), and new or renumbered entries once the structure is touched. */
static void test_kept_plan(void) {
  random_system r = random_system_new(4242, 1);
  vf_system *s = r.s;
  vf_bonded_plan plan;
  memset(&plan, 0, sizeof plan);
  double d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan, first call: differs from fresh evaluations by %.2g", d);

  double *k_dihedral = &s->topo.coeff[VF_DIHEDRALS].value[0];
  const double saved = *k_dihedral;
  *k_dihedral = 0.0;
  d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan after a dihedral type's K set to 0: differs by %.2g", d);
  *k_dihedral = saved;
  d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan after K restored: differs by %.2g", d);

  double *k_ub = &s->topo.coeff[VF_ANGLES].value[VF_MAX_COEFF + 2];
  *k_ub = 0.0;
  d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan after an angle type's K_ub set to 0: differs by %.2g", d);

  vf_topology_add(&s->topo, VF_DIHEDRALS, 1, (const int[]){4, 1, 2, 3});
  vf_system_touch_structure(s);
  d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan after a dihedral was added: differs by %.2g", d);

  s->topo.list[VF_BONDS].atom[1] = 2; /* bond 0-1 becomes 0-2: same arrays, same count */
  vf_system_touch_structure(s);
  d = kept_plan_difference(s, &plan);
  CHECK(d < 1e-12, "kept plan after a bond was renumbered: differs by %.2g", d);

  vf_bonded_plan_free(&plan);
  random_system_free(&r);
}

/* ---- the ZIF-zni data file ------------------------------------------------------- */

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Mean wall time of one evaluation of the kinds in mask on nthreads threads with a
 * kept plan (as the force field runs them), over at least 0.2 s. */
static double microseconds_per_call(const vf_system *s, unsigned mask, int nthreads) {
  vf_forcebuf fb = forcebuf_new(nthreads, s->n);
  vf_bonded_plan plan;
  memset(&plan, 0, sizeof plan);
  double e[VF_NBONDED_KINDS] = {0}, v[VF_NBONDED_KINDS][6] = {{0}};
  vf_bonded_compute(s, &plan, mask, &fb, e, v);
  int calls = 0;
  const double start = seconds_now();
  double elapsed;
  do {
    vf_bonded_compute(s, &plan, mask, &fb, e, v);
    calls++;
    elapsed = seconds_now() - start;
  } while (elapsed < 0.2);
  vf_bonded_plan_free(&plan);
  vf_forcebuf_free(&fb);
  return 1e6 * elapsed / calls;
}

static void test_zif_file(void) {
  /* LAMMPS (Debian 20210929 and 20220106) on the unminimised file, eV. */
  const double lammps_energy[VF_NBONDED_KINDS] = {170.014543895893, 158.942484899592,
                                                  7.796326369897, 0.815016994303};
  const char *path = vf_test_shared("forcefield/ZIF-zni_nbzifff_1600.data");
  vf_error err = {{0}};
  vf_system *s = vf_read_lammps_data(path, &err);
  CHECK(s != NULL, "cannot read %s: %s", path, err.msg);
  if (!s) return;
  enum { NSAMPLE = 50 };
  int sample[NSAMPLE];
  for (int k = 0; k < NSAMPLE; k++) sample[k] = (int)((37L * k + 11) % s->n);
  vf_accum a = accum_new(s->n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const term *tm = &terms[k];
    CHECK(tm->check(s, &err) == 0, "ZIF-zni %s: check failed: %s", tm->name, err.msg);
    evaluate(s, tm->compute, &a);
    const double energy_error = relative_error(a.energy, lammps_energy[k], 1e-300);
    const double force_error = force_fd_error(s, tm->compute, sample, NSAMPLE, 1e-5);
    const double virial_error = virial_fd_error(s, tm->compute, 1e-6);
    const double us = microseconds_per_call(s, 1u << tm->kind, 1);
    printf(
        "ZIF-zni %-16s E = %.12f eV (LAMMPS %.12f, rel. diff %.1e)  worst FD error: "
        "forces %.1e, virial %.1e  %.1f us/call on 1 thread (%d entries)\n",
        tm->name, a.energy, lammps_energy[k], energy_error, force_error, virial_error, us,
        s->topo.list[tm->kind].n);
    CHECK(energy_error <= 1e-9, "ZIF-zni %s: E = %.12f eV, LAMMPS %.12f eV", tm->name, a.energy,
          lammps_energy[k]);
    CHECK(force_error <= FD_TOLERANCE, "ZIF-zni %s: forces differ from -dE/dx by %.2g", tm->name,
          force_error);
    CHECK(virial_error <= FD_TOLERANCE, "ZIF-zni %s: virial differs from -dE/d eps by %.2g",
          tm->name, virial_error);
  }
  const int max_threads = omp_get_max_threads();
  printf("ZIF-zni all four kinds: %.1f us/call on 1 thread, %.1f us on %d\n",
         microseconds_per_call(s, (1u << VF_NBONDED_KINDS) - 1, 1),
         microseconds_per_call(s, (1u << VF_NBONDED_KINDS) - 1, max_threads), max_threads);
  accum_free(&a);
  test_threads(s, "ZIF-zni");
  vf_system_free(s);
}

int main(void) {
  threads = omp_get_max_threads();
  test_dihedral_sign();
  test_degenerate_geometry();
  test_zero_constants();
  test_checks();
  test_random_molecules(12345, 0);
  test_random_molecules(67890, 1);
  test_kept_plan();
  {
    random_system r = random_system_new(2024, 1);
    test_threads(r.s, "random triclinic");
    random_system_free(&r);
  }
  test_zif_file();
  return vf_test_report("test_bonded");
}
