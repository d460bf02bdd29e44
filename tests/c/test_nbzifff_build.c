/* test_nbzifff_build.c — the nb-ZIF-FF builder against the force field's authors:
 * from their CIF (../shared/structures/ZIF-zni_P1_salrodgom.cif), with their bonded
 * types (taken from the labels of their data file's Coeffs sections) and their way of
 * placing the N dummy, the build must give their data file — same atom order, types,
 * charges, masses, every bond, angle, dihedral and improper entry for entry, positions
 * to the CIF's rounding. Also: the dummy-site geometry of both placements, bonds across
 * the boundaries of a supercell, and errors naming the atom. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crystal.h"
#include "lammps_data.h"
#include "nbzifff_build.h"
#include "pointgrid.h"
#include "testlib.h"

static const char *const type_names[8] = {"Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne"};
static const double charges[8] = {0.3536, 0.27708, 0.0, -0.0662, 0.1141, 0.1141, 0.0884, -0.4203};

/* Bonded rows from a data file whose Coeffs lines are labelled "# Zn He". */
typedef struct table_from_file {
  vf_named_bonded_type rows[VF_NBONDED_KINDS][32];
  char names[VF_NBONDED_KINDS][32][64];
} table_from_file;

static void bonded_table(const vf_system *ref, table_from_file *tf, vf_named_bonded_table *table) {
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_coeff_table *ct = &ref->topo.coeff[k];
    table->n[k] = ct->ntypes;
    table->type[k] = tf->rows[k];
    for (int t = 0; t < ct->ntypes && t < 32; t++) {
      vf_named_bonded_type *row = &tf->rows[k][t];
      snprintf(tf->names[k][t], sizeof tf->names[k][t], "%s", ct->label[t] ? ct->label[t] : "");
      char *save = NULL;
      int m = 0;
      for (char *w = strtok_r(tf->names[k][t], " ", &save); w && m < 4;
           w = strtok_r(NULL, " ", &save))
        row->atom_type[m++] = w;
      row->ncoeff = ct->count[t];
      memcpy(row->coeff, vf_topology_coeff(&ref->topo, k, t), sizeof row->coeff);
    }
  }
}

static void make_spec(const vf_system *ref, table_from_file *tf, int placement,
                      vf_nbzifff_spec *spec) {
  memset(spec, 0, sizeof *spec);
  spec->ntypes = 8;
  spec->type_name = type_names;
  spec->mass = ref->mass;
  spec->charge = charges;
  for (int k = 0; k < VF_ZIF_NSITES; k++) spec->site_type[k] = k; /* same order as the enum */
  spec->zn_dummy_distance = 0.9;
  spec->n_dummy_distance = 0.5;
  spec->n_dummy_placement = placement;
  bonded_table(ref, tf, &spec->bonded);
}

static vf_system *build(const char *cif, const int n[3], const vf_nbzifff_spec *spec,
                        vf_error *err) {
  vf_crystal_options o;
  vf_crystal_defaults(&o);
  vf_crystal unit, c;
  memset(&c, 0, sizeof c);
  vf_system *s = NULL;
  if (!vf_crystal_read_cif(cif, &o, &unit, err) && !vf_crystal_supercell(&unit, n, &c, err))
    s = vf_build_nbzifff(&c, spec, err);
  vf_crystal_free(&unit);
  vf_crystal_free(&c);
  return s;
}

static double distance(const vf_system *s, int i, int j, double d[3]) {
  d[0] = s->x[j] - s->x[i];
  d[1] = s->y[j] - s->y[i];
  d[2] = s->z[j] - s->z[i];
  vf_box_minimum_image(&s->box, d);
  return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static void compare_topology(const vf_system *a, const vf_system *b) {
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_bonded_list *la = &a->topo.list[k], *lb = &b->topo.list[k];
    const char *kind = vf_bonded_kind_name[k];
    CHECK(la->n == lb->n, "%ss: %d, the authors have %d", kind, la->n, lb->n);
    if (la->n != lb->n) continue;
    int differ = 0;
    for (long e = 0; e < (long)la->n * la->width; e++) differ += la->atom[e] != lb->atom[e];
    for (int e = 0; e < la->n; e++) differ += la->type[e] != lb->type[e];
    CHECK(differ == 0, "%ss: %d atom or type entries differ from the authors' file", kind, differ);
    const vf_coeff_table *ca = &a->topo.coeff[k], *cb = &b->topo.coeff[k];
    CHECK(ca->ntypes == cb->ntypes &&
              !memcmp(ca->value, cb->value, sizeof(double) * VF_MAX_COEFF * (size_t)ca->ntypes),
          "%s coefficients differ", kind);
  }
}

static void compare_atoms(const vf_system *a, const vf_system *b, double tol) {
  int wrong = 0;
  double worst = 0;
  for (int i = 0; i < a->n; i++) {
    wrong += a->type[i] != b->type[i] || a->q[i] != b->q[i];
    double d[3] = {a->x[i] - b->x[i], a->y[i] - b->y[i], a->z[i] - b->z[i]};
    vf_box_minimum_image(&a->box, d);
    const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (r > worst) worst = r;
  }
  CHECK(wrong == 0, "%d atoms differ in type or charge", wrong);
  CHECK(worst < tol, "positions differ from the authors' by up to %g Å", worst);
  printf("built vs authors' data file: largest position difference %.2e Å\n", worst);
  for (int t = 0; t < 8; t++)
    CHECK(a->mass[t] == b->mass[t] && strcmp(a->type_name[t], type_names[t]) == 0, "type %d",
          t + 1);
}

static void test_authors_file(const vf_system *ref, table_from_file *tf) {
  vf_nbzifff_spec spec;
  make_spec(ref, tf, VF_N_DUMMY_TOWARD_ZN, &spec);
  const int one[3] = {1, 1, 1};
  vf_error err;
  vf_system *s = build(vf_test_shared("structures/ZIF-zni_P1_salrodgom.cif"), one, &spec, &err);
  CHECK(s != NULL, "%s", err.msg);
  if (!s) return;
  CHECK(s->n == ref->n, "%d atoms, the authors have %d", s->n, ref->n);
  if (s->n == ref->n) {
    compare_topology(s, ref);
    /* The CIF has 4 decimals (0.0025 Å) and a cell 1e-4 Å longer than the data file's. */
    compare_atoms(s, ref, 0.003);
  }
  vf_system_free(s);
}

/* Angle at j between i and k, degrees. */
static double angle(const vf_system *s, int i, int j, int k) {
  double a[3], b[3];
  const double ra = distance(s, j, i, a), rb = distance(s, j, k, b);
  return acos((a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (ra * rb)) * 180.0 / M_PI;
}

/* Bonded partners of atom i of type t. */
static int partners(const vf_system *s, int i, int t, int *out, int max) {
  const vf_bonded_list *b = &s->topo.list[VF_BONDS];
  int n = 0;
  for (int e = 0; e < b->n; e++)
    for (int m = 0; m < 2; m++)
      if (b->atom[2 * e + m] == i && s->type[b->atom[2 * e + 1 - m]] == t && n < max)
        out[n++] = b->atom[2 * e + 1 - m];
  return n;
}

/* Zn dummies 0.9 Å from Zn on the Zn–N line; N dummies 0.5 Å from N on the external
 * C–N–C bisector, in the ring plane. */
static void check_dummy_geometry(const vf_system *s) {
  double worst_he = 0, worst_ne = 0;
  const int zn = 0, c4 = 1, n1 = 2, c2 = 3, he = 6, ne = 7;
  for (int i = 0; i < s->n; i++) {
    if (s->type[i] == n1) {
      int c[1] = {-1}, cc[1] = {-1}, d[1] = {-1};
      if (partners(s, i, ne, d, 1) != 1 || partners(s, i, c4, c, 1) != 1 ||
          partners(s, i, c2, cc, 1) != 1) {
        CHECK(0, "N %d lacks its dummy or ring C", i + 1);
        continue;
      }
      double v[3];
      const double off = fabs(distance(s, i, d[0], v) - 0.5) +
                         fabs(angle(s, c[0], i, d[0]) - angle(s, cc[0], i, d[0])) +
                         fabs(angle(s, c[0], i, d[0]) + angle(s, cc[0], i, d[0]) +
                              angle(s, c[0], i, cc[0]) - 360.0);
      if (off > worst_ne) worst_ne = off;
    } else if (s->type[i] == zn) {
      int h[4];
      CHECK(partners(s, i, he, h, 4) == 4, "Zn %d has not four dummies", i + 1);
      for (int m = 0; m < 4; m++) {
        double v[3];
        const double off = fabs(distance(s, i, h[m], v) - 0.9);
        if (off > worst_he) worst_he = off;
      }
    }
  }
  CHECK(worst_ne < 1e-9, "N dummies off the bisector / 0.5 Å by %g", worst_ne);
  CHECK(worst_he < 1e-9, "Zn dummies off 0.9 Å by %g", worst_he);
}

static void test_bisector(const vf_system *ref, table_from_file *tf) {
  vf_nbzifff_spec spec;
  make_spec(ref, tf, VF_N_DUMMY_BISECTOR, &spec);
  const int one[3] = {1, 1, 1};
  vf_error err;
  vf_system *s = build(vf_test_shared("structures/ZIF-zni_P1_salrodgom.cif"), one, &spec, &err);
  CHECK(s != NULL, "%s", err.msg);
  if (!s) return;
  if (s->n == ref->n) compare_topology(s, ref); /* placement changes positions only */
  check_dummy_geometry(s);
  vf_system_free(s);
}

/* Every bond short under the minimum image, every atom in the box. */
static void test_supercell(const vf_system *ref, table_from_file *tf) {
  vf_nbzifff_spec spec;
  make_spec(ref, tf, VF_N_DUMMY_BISECTOR, &spec);
  const int n[3] = {2, 2, 1};
  char path[4096];
  snprintf(path, sizeof path, "%s/structures/ZIF-4.cif", VITRIFY_SOURCE_DIR);
  vf_error err;
  vf_system *s = build(path, n, &spec, &err);
  CHECK(s != NULL, "%s", err.msg);
  if (!s) return;
  const int expect[5] = {1600, 1920, 3840, 6400, 1920};
  CHECK(s->n == expect[0], "ZIF-4 2x2x1: %d atoms", s->n);
  for (int k = 0; k < VF_NBONDED_KINDS; k++)
    CHECK(s->topo.list[k].n == expect[k + 1], "ZIF-4 2x2x1: %d %ss", s->topo.list[k].n,
          vf_bonded_kind_name[k]);
  double longest = 0;
  const vf_bonded_list *b = &s->topo.list[VF_BONDS];
  for (int e = 0; e < b->n; e++) {
    double d[3];
    const double r = distance(s, b->atom[2 * e], b->atom[2 * e + 1], d);
    if (r > longest) longest = r;
  }
  CHECK(longest < 1.6, "longest bond %g Å (a bond across the boundary lost its image?)", longest);
  int outside = 0;
  for (int i = 0; i < s->n; i++) {
    double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
    vf_box_to_frac(&s->box, r, f);
    for (int d = 0; d < 3; d++) outside += f[d] < 0 || f[d] >= 1;
  }
  CHECK(outside == 0, "%d coordinates outside the box", outside);
  check_dummy_geometry(s);
  vf_system_free(s);
}

/* A crystal without one H: the error names the C that lost it. */
static void test_missing_h(const vf_system *ref, table_from_file *tf) {
  vf_nbzifff_spec spec;
  make_spec(ref, tf, VF_N_DUMMY_BISECTOR, &spec);
  char path[4096];
  snprintf(path, sizeof path, "%s/structures/ZIF-4.cif", VITRIFY_SOURCE_DIR);
  vf_crystal_options o;
  vf_crystal_defaults(&o);
  vf_crystal c;
  vf_error err;
  CHECK(vf_crystal_read_cif(path, &o, &c, &err) == 0, "%s", err.msg);
  /* the file starts C1, H1 (on C1): drop H1 */
  CHECK(c.n > 2 && strcmp(c.atom[1].label, "H1") == 0, "ZIF-4.cif starts with C1, H1");
  memmove(&c.atom[1], &c.atom[2], sizeof *c.atom * (size_t)(c.n - 2));
  c.n--;
  vf_system *s = vf_build_nbzifff(&c, &spec, &err);
  CHECK(!s && strstr(err.msg, "ZIF-4.cif:44: atom C1 (C) at (") &&
            strstr(err.msg, "Å: ring carbon without its hydrogen"),
        "missing H: %s", s ? "(built)" : err.msg);
  vf_system_free(s);
  vf_crystal_free(&c);
}

int main(void) {
  vf_error err;
  vf_system *ref =
      vf_read_lammps_data(vf_test_shared("forcefield/ZIF-zni_nbzifff_1600.data"), &err);
  CHECK(ref != NULL, "%s", err.msg);
  if (ref) {
    table_from_file *tf = calloc(1, sizeof *tf);
    test_authors_file(ref, tf);
    test_bisector(ref, tf);
    test_supercell(ref, tf);
    test_missing_h(ref, tf);
    free(tf);
    vf_system_free(ref);
  }
  return vf_test_report("test_nbzifff_build");
}
