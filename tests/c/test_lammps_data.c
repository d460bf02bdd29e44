/* test_lammps_data.c — LAMMPS data files: the nb-ZIF-FF ZIF-zni file reads with the
 * right counts and values, written files read back bit for bit (and LAMMPS accepts
 * them), and each kind of malformed file gives one message naming the right line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lammps_data.h"
#include "testlib.h"

static int same_doubles(const double *a, const double *b, size_t n) {
  return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int same_ints(const int *a, const int *b, size_t n) {
  return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int same_string(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void compare_topology(const vf_topology *a, const vf_topology *b, const char *what) {
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_bonded_list *la = &a->list[k], *lb = &b->list[k];
    const char *kind = vf_bonded_kind_name[k];
    CHECK(la->n == lb->n, "%s: %s count %d vs %d", what, kind, la->n, lb->n);
    if (la->n != lb->n) continue;
    CHECK(same_ints(la->atom, lb->atom, (size_t)la->n * la->width), "%s: %s atoms", what, kind);
    CHECK(same_ints(la->type, lb->type, (size_t)la->n), "%s: %s types", what, kind);
    const vf_coeff_table *ca = &a->coeff[k], *cb = &b->coeff[k];
    CHECK(ca->ntypes == cb->ntypes, "%s: %s types %d vs %d", what, kind, ca->ntypes, cb->ntypes);
    if (ca->ntypes != cb->ntypes) continue;
    CHECK(same_ints(ca->count, cb->count, (size_t)ca->ntypes), "%s: %s coeff counts", what, kind);
    CHECK(same_doubles(ca->value, cb->value, (size_t)ca->ntypes * VF_MAX_COEFF),
          "%s: %s coeffs", what, kind);
    for (int t = 0; t < ca->ntypes; t++)
      CHECK(same_string(ca->label[t], cb->label[t]), "%s: %s type %d label '%s' vs '%s'", what,
            kind, t + 1, ca->label[t] ? ca->label[t] : "(null)",
            cb->label[t] ? cb->label[t] : "(null)");
  }
  CHECK(a->special_n == b->special_n, "%s: special lists for %d vs %d atoms", what, a->special_n,
        b->special_n);
  if (a->special_n == b->special_n && a->special_n > 0) {
    int total = a->special_start[a->special_n];
    CHECK(same_ints(a->special_start, b->special_start, (size_t)a->special_n + 1),
          "%s: special offsets", what);
    CHECK(total == b->special_start[b->special_n] && same_ints(a->special_atom, b->special_atom,
                                                               (size_t)total),
          "%s: special atoms", what);
  }
}

/* Every field, compared bit for bit. */
static void compare_systems(const vf_system *a, const vf_system *b, const char *what) {
  CHECK(a->n == b->n && a->ntypes == b->ntypes, "%s: sizes differ", what);
  if (a->n != b->n || a->ntypes != b->ntypes) return;
  size_t n = (size_t)a->n;
  const double *da[] = {a->x, a->y, a->z, a->vx, a->vy, a->vz, a->q};
  const double *db[] = {b->x, b->y, b->z, b->vx, b->vy, b->vz, b->q};
  const char *dname[] = {"x", "y", "z", "vx", "vy", "vz", "q"};
  for (int k = 0; k < 7; k++) CHECK(same_doubles(da[k], db[k], n), "%s: %s differs", what, dname[k]);
  const int *ia[] = {a->type, a->mol, a->ix, a->iy, a->iz};
  const int *ib[] = {b->type, b->mol, b->ix, b->iy, b->iz};
  const char *iname[] = {"type", "mol", "ix", "iy", "iz"};
  for (int k = 0; k < 5; k++) CHECK(same_ints(ia[k], ib[k], n), "%s: %s differs", what, iname[k]);
  CHECK(same_doubles(a->mass, b->mass, (size_t)a->ntypes), "%s: masses differ", what);
  for (int t = 0; t < a->ntypes; t++)
    CHECK(same_string(a->type_name[t], b->type_name[t]), "%s: name of type %d", what, t + 1);
  CHECK(memcmp(&a->box, &b->box, sizeof a->box) == 0,
        "%s: box differs: lo %.17g %.17g %.17g l %.17g %.17g %.17g vs lo %.17g %.17g %.17g l "
        "%.17g %.17g %.17g",
        what, a->box.lo[0], a->box.lo[1], a->box.lo[2], a->box.lx, a->box.ly, a->box.lz,
        b->box.lo[0], b->box.lo[1], b->box.lo[2], b->box.lx, b->box.ly, b->box.lz);
  CHECK(same_string(a->title, b->title), "%s: title '%s' vs '%s'", what, a->title, b->title);
  compare_topology(&a->topo, &b->topo, what);
}

static const vf_bonded_list *list(const vf_system *s, int kind) { return &s->topo.list[kind]; }

static void check_zif_values(const vf_system *s) {
  CHECK(s->n == 1600, "atoms %d", s->n);
  CHECK(s->ntypes == 8, "atom types %d", s->ntypes);
  const int nentries[] = {1920, 3840, 6400, 1920}, ntypes[] = {8, 11, 14, 6};
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    CHECK(list(s, k)->n == nentries[k], "%ss %d", vf_bonded_kind_name[k], list(s, k)->n);
    CHECK(s->topo.coeff[k].ntypes == ntypes[k], "%s types %d", vf_bonded_kind_name[k],
          s->topo.coeff[k].ntypes);
  }
  const char *names[] = {"Zn", "C4", "N1", "C2", "H4", "H2", "He", "Ne"};
  for (int t = 0; t < 8 && t < s->ntypes; t++)
    CHECK(same_string(s->type_name[t], names[t]), "type %d name '%s'", t + 1,
          s->type_name[t] ? s->type_name[t] : "(null)");
  CHECK(s->mass[0] == 64.3720551 && s->mass[2] == 12.9987593, "masses %.17g %.17g", s->mass[0],
        s->mass[2]);
  CHECK(s->q[0] == 0.3536 && s->type[0] == 0 && s->mol[0] == 1, "atom 1 q %g type %d mol %d",
        s->q[0], s->type[0], s->mol[0]);
  CHECK(s->x[0] == 1.7509246 && s->y[0] == 14.8259182 && s->z[0] == 5.7639871,
        "atom 1 at %.17g %.17g %.17g", s->x[0], s->y[0], s->z[0]);
  CHECK(s->q[1599] == -0.4203 && s->type[1599] == 7 && s->z[1599] == 23.7002506,
        "atom 1600 q %g type %d z %.17g", s->q[1599], s->type[1599], s->z[1599]);
  CHECK(s->box.lx == 23.2520008 && s->box.lz == 25.2919998 && !vf_box_is_triclinic(&s->box),
        "box %.17g %.17g", s->box.lx, s->box.lz);
  const double *b1 = vf_topology_coeff(&s->topo, VF_BONDS, 0);
  CHECK(s->topo.coeff[VF_BONDS].count[0] == 2 && b1[0] == 23.4144001 && b1[1] == 0.899999976,
        "bond type 1 coeffs %.17g %.17g", b1[0], b1[1]);
  CHECK(same_string(s->topo.coeff[VF_BONDS].label[0], "Zn He"),
        "bond type 1 label '%s'", s->topo.coeff[VF_BONDS].label[0]);
  const double *a2 = vf_topology_coeff(&s->topo, VF_ANGLES, 1);
  CHECK(s->topo.coeff[VF_ANGLES].count[1] == 4 && a2[0] == 1.6940751 && a2[1] == 124.1969986 &&
            a2[2] == 0.8858448 && a2[3] == 2.1600001,
        "angle type 2 coeffs %g %g %g %g", a2[0], a2[1], a2[2], a2[3]);
  const double *i1 = vf_topology_coeff(&s->topo, VF_IMPROPERS, 0);
  CHECK(s->topo.coeff[VF_IMPROPERS].count[0] == 3 && i1[1] == -1 && i1[2] == 2,
        "improper type 1 coeffs %g %g %g", i1[0], i1[1], i1[2]);
  /* First bond "1 1 1 1089", last dihedral "6400 14 1597 1595 1593 1599". */
  const vf_bonded_list *b = list(s, VF_BONDS), *d = list(s, VF_DIHEDRALS);
  CHECK(b->n && b->type[0] == 0 && b->atom[0] == 0 && b->atom[1] == 1088, "bond 1");
  CHECK(d->n == 6400 && d->type[6399] == 13 && d->atom[4 * 6399] == 1596 &&
            d->atom[4 * 6399 + 3] == 1598,
        "dihedral 6400");
  /* Zn 1 is bonded to its four He dummies (1089, 1091, 1093, 1095). */
  const vf_topology *t = &s->topo;
  CHECK(t->special_n == 1600 && t->special_start[1600] > 0, "special lists missing");
  if (t->special_n == 1600) {
    int first = t->special_start[0], n12 = 0;
    for (int k = first; k < t->special_start[1]; k++) n12 += t->special_order[k] == 1;
    CHECK(n12 == 4 && t->special_atom[first] == 1088 && t->special_atom[first + 3] == 1094,
          "atom 1 has %d 1-2 partners", n12);
  }
}

static vf_system *read_ok(const char *path, const char *what) {
  vf_error err = {{0}};
  vf_system *s = vf_read_lammps_data(path, &err);
  CHECK(s != NULL, "%s: %s", what, err.msg);
  return s;
}

/* The minimised copy was written by LAMMPS itself: style comments on section lines,
 * image flags, a Velocities section and atoms out of id order. */
static void test_lammps_written_file(void) {
  vf_error err = {{0}};
  const char *path = vf_test_shared("forcefield/ZIF-zni_nbzifff_1600_minimized.data");
  /* The project's own copy (used when ../shared is absent) was rewritten with names. */
  const int lammps_written = strncmp(path, VITRIFY_SHARED_DIR, strlen(VITRIFY_SHARED_DIR)) == 0;
  vf_system *s = vf_read_lammps_data(path, &err);
  CHECK(s != NULL, "minimized file: %s", err.msg);
  if (!s) return;
  CHECK(s->n == 1600 && list(s, VF_IMPROPERS)->n == 1920, "minimized counts");
  /* "36 1 1 0.3536 2.431891230559842 3.4328519085911275 3.29956632471906 0 0 0" */
  CHECK(s->x[35] == 2.431891230559842 && s->z[35] == 3.29956632471906 && s->type[35] == 0,
        "atom 36 at %.17g", s->x[35]);
  CHECK(s->box.lo[2] == -0.007744337304515308, "zlo %.17g", s->box.lo[2]);
  if (lammps_written) CHECK(s->type_name[0] == NULL, "no names in a LAMMPS-written file");
  const char *out = vf_test_tmp("minimized_round_trip.data");
  CHECK(vf_write_lammps_data(s, out, &err) == 0, "write: %s", err.msg);
  vf_system *back = read_ok(out, "written minimized file");
  if (back) compare_systems(s, back, "minimized round trip");
  vf_system_free(back);
  vf_system_free(s);
}

/* Runs LAMMPS on a written file with the nb-ZIF-FF styles; skipped without lmp. */
static void check_lammps_accepts(const char *data, const char *styles, const char *coeffs) {
  if (system("command -v lmp >/dev/null 2>&1") != 0) {
    printf("lmp not found: LAMMPS cross-check skipped\n");
    return;
  }
  char input[4096], log[4096], cmd[12288];
  snprintf(input, sizeof input, "%s.in", data);
  snprintf(log, sizeof log, "%s.log", data);
  FILE *f = fopen(input, "w");
  CHECK(f != NULL, "cannot write %s", input);
  if (!f) return;
  fprintf(f, "units metal\natom_style full\n%s\nread_data %s\npair_coeff * *\n%srun 0\n", styles,
          data, coeffs);
  fclose(f);
  snprintf(cmd, sizeof cmd, "lmp -in %s -log %s -screen none >/dev/null 2>&1", input, log);
  CHECK(system(cmd) == 0, "LAMMPS rejects %s (see %s)", data, log);
}

static void test_zif_round_trip(void) {
  const char *path = vf_test_shared("forcefield/ZIF-zni_nbzifff_1600.data");
  vf_system *s = read_ok(path, "ZIF-zni");
  if (!s) return;
  check_zif_values(s);
  const char *out = vf_test_tmp("zif_round_trip.data");
  vf_error err = {{0}};
  CHECK(vf_write_lammps_data(s, out, &err) == 0, "write: %s", err.msg);
  vf_system *back = read_ok(out, "written ZIF-zni");
  if (back) compare_systems(s, back, "ZIF-zni round trip");
  check_lammps_accepts(out, "bond_style harmonic\nangle_style charmm\ndihedral_style charmm\n"
                            "improper_style cvff\npair_style zero 10",
                       "");
  vf_system_free(back);
  vf_system_free(s);
}

/* A small triclinic system built by hand: tilt, off-origin box, velocities, negative
 * image flags, a type without a name, a kind with types but no coefficients. */
static vf_system *make_triclinic(void) {
  vf_system *s = vf_system_new(5, 2);
  if (!s) return NULL;
  unsigned long long seed = 42;
  const double lo[3] = {-1.3, 0.1, -7.77}, hi[3] = {9.9, 11.123456789, 3.3};
  const double tilt[3] = {1.25, -0.3, 0.1 / 3};
  vf_box_set(&s->box, lo, hi, tilt, NULL);
  for (int i = 0; i < s->n; i++) {
    double *field[] = {&s->x[i], &s->y[i], &s->z[i], &s->vx[i], &s->vy[i], &s->vz[i], &s->q[i]};
    for (int k = 0; k < 7; k++) *field[k] = 10 * vf_test_uniform(&seed) - 5;
    s->type[i] = i % 2;
    s->mol[i] = i / 2 + 1;
    s->ix[i] = i - 2;
    s->iy[i] = -i;
    s->iz[i] = 3 * i;
  }
  s->vz[4] = -0.0;
  s->q[3] = 1e-300;
  s->mass[0] = 1.0 / 3;
  s->mass[1] = 65.38;
  vf_system_set_type_name(s, 1, "Zn");
  s->title = strdup("hand-made triclinic cell");
  vf_topology *t = &s->topo;
  vf_topology_set_ntypes(t, VF_BONDS, 2);
  vf_topology_set_ntypes(t, VF_ANGLES, 1);
  vf_topology_set_ntypes(t, VF_DIHEDRALS, 1);
  const int b1[] = {0, 1}, b2[] = {1, 2}, b3[] = {3, 4}, a1[] = {0, 1, 2}, d1[] = {0, 1, 2, 3};
  vf_topology_add(t, VF_BONDS, 1, b1);
  vf_topology_add(t, VF_BONDS, 0, b2);
  vf_topology_add(t, VF_BONDS, 1, b3);
  vf_topology_add(t, VF_ANGLES, 0, a1);
  vf_topology_add(t, VF_DIHEDRALS, 0, d1);
  const double bc1[] = {0.1, 2.0 / 3}, bc2[] = {1e-17, 1e17}, ac[] = {1, 2, 3, 4};
  vf_topology_set_coeff(t, VF_BONDS, 0, 2, bc1);
  vf_topology_set_coeff(t, VF_BONDS, 1, 2, bc2);
  vf_topology_set_coeff(t, VF_ANGLES, 0, 4, ac);
  vf_topology_set_label(t, VF_BONDS, 1, "Zn He");
  vf_topology_build_special(t, s->n, NULL);
  return s;
}

static void test_triclinic_round_trip(void) {
  vf_system *s = make_triclinic();
  CHECK(s != NULL, "cannot build the triclinic system");
  if (!s) return;
  const char *out = vf_test_tmp("triclinic_round_trip.data");
  vf_error err = {{0}};
  CHECK(vf_write_lammps_data(s, out, &err) == 0, "write: %s", err.msg);
  vf_system *back = read_ok(out, "triclinic");
  if (back) {
    compare_systems(s, back, "triclinic round trip");
    CHECK(vf_box_is_triclinic(&back->box), "tilt lost");
  }
  check_lammps_accepts(out, "bond_style harmonic\nangle_style charmm\ndihedral_style charmm\n"
                            "pair_style zero 10",
                       "dihedral_coeff * 0 1 0 0\n");
  vf_system_free(back);
  /* Writing replaces the file only when complete: a bad system leaves it intact. */
  s->mass[0] = 0;
  CHECK(vf_write_lammps_data(s, out, &err) != 0 && strstr(err.msg, "mass"), "zero mass: %s",
        err.msg);
  back = read_ok(out, "triclinic after a refused write");
  vf_system_free(back);
  vf_system_free(s);
}

/* ------------------------------------------------------------------ bad input */

/* A valid little file; each bad case replaces one line (1-based) or cuts it off. */
static const char *const good[] = {
    "bad-input test",  /* 1 */
    "",                /* 2 */
    "4 atoms",         /* 3 */
    "2 atom types",    /* 4 */
    "2 bonds",         /* 5 */
    "1 bond types",    /* 6 */
    "",                /* 7 */
    "0 10 xlo xhi",    /* 8 */
    "0 10 ylo yhi",    /* 9 */
    "0 10 zlo zhi",    /* 10 */
    "",                /* 11 */
    "Masses",          /* 12 */
    "",                /* 13 */
    "1 12.0 # C4",     /* 14 */
    "2 1.0 # H4",      /* 15 */
    "",                /* 16 */
    "Atoms # full",    /* 17 */
    "",                /* 18 */
    "1 1 1 0.5 1 1 1", /* 19 */
    "2 1 2 -0.5 2 1 1  # trailing comment   ", /* 20 */
    "3 1 1 0.5 3 1 1 0 0 1",                   /* 21 */
    "4 1 2 -0.5 4 1 1",                        /* 22 */
    "",                                        /* 23 */
    "Bonds",                                   /* 24 */
    "",                                        /* 25 */
    "1 1 1 2",                                 /* 26 */
    "2 1 3 4",                                 /* 27 */
};
#define NGOOD ((int)(sizeof good / sizeof *good))

/* Writes good[] with line `line` replaced by `text` (NULL: the file ends before it). */
static const char *write_variant(const char *name, int line, const char *text) {
  const char *path = vf_test_tmp(name);
  FILE *f = fopen(path, "w");
  if (!f) return path;
  for (int k = 1; k <= NGOOD; k++) {
    if (k == line && !text) break;
    fprintf(f, "%s\n", k == line ? text : good[k - 1]);
  }
  fclose(f);
  return path;
}

static void expect_error(const char *name, int line, const char *text, int error_line,
                         const char *words) {
  static char path[4096];
  snprintf(path, sizeof path, "%s", write_variant(name, line, text));
  vf_error err = {{0}};
  vf_system *s = vf_read_lammps_data(path, &err);
  CHECK(s == NULL, "%s: accepted", name);
  vf_system_free(s);
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s:%d: ", path, error_line);
  CHECK(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s: message '%s' does not start with '%s'",
        name, err.msg, prefix);
  CHECK(strstr(err.msg, words) != NULL, "%s: message '%s' lacks '%s'", name, err.msg, words);
}

static void test_bad_input(void) {
  /* The unmodified file must read, or the cases below prove nothing. */
  vf_system *s = read_ok(write_variant("good.data", 0, NULL), "good.data");
  if (s) {
    CHECK(s->iz[2] == 1 && s->q[1] == -0.5 && list(s, VF_BONDS)->atom[3] == 3, "good values");
    CHECK(same_string(s->type_name[1], "H4"), "type 2 name");
  }
  vf_system_free(s);
  expect_error("no_atoms.data", 17, NULL, 16, "missing Atoms section (header declares 4 atoms)");
  expect_error("columns.data", 20, "2 1 2 -0.5 2 1", 20,
               "Atoms: expected 7 or 10 columns (atom_style full), found 6");
  expect_error("id_range.data", 21, "5 1 1 0.5 3 1 1", 21, "atom id 5 out of range 1..4");
  expect_error("unknown_type.data", 22, "4 1 3 -0.5 4 1 1", 22, "unknown atom type 3 (header "
                                                                "declares 2)");
  expect_error("not_number.data", 19, "1 1 1 0.5 abc 1 1", 19, "Atoms: column 5 'abc' is not a "
                                                               "number");
  expect_error("fraction.data", 19, "1 1.5 1 0.5 1 1 1", 19, "column 2 '1.5' is not an integer");
  expect_error("truncated.data", 27, NULL, 26, "Bonds: file ends after 1 of 2 entries");
  expect_error("zero_box.data", 9, "5 5 ylo yhi", 9, "ylo yhi");
  expect_error("bond_atom.data", 27, "2 1 3 5", 27, "unknown atom id 5 (header declares 4)");
  expect_error("section.data", 24, "Bondz", 24, "unknown section 'Bondz'");
  expect_error("duplicate_id.data", 22, "2 1 2 -0.5 4 1 1", 22, "atom id 2 given twice (first on "
                                                                "line 20)");
  expect_error("header_key.data", 6, "1 bond typez", 6, "unknown header keyword 'bond typez'");
  expect_error("negative.data", 5, "-2 bonds", 5, "negative count");
  expect_error("duplicate_section.data", 24, "Masses", 24, "duplicate Masses section (first on "
                                                           "line 12)");
  expect_error("short_section.data", 22, "Bonds", 22, "Atoms: Bonds section starts after 3 of 4");
  expect_error("bad_mass.data", 15, "2 0", 15, "mass of type 2 must be positive");
  expect_error("atom_style.data", 17, "Atoms # atomic", 17, "atom_style 'atomic'");
  expect_error("bond_type.data", 26, "1 2 1 2", 26, "unknown bond type 2 (header declares 1)");

  expect_error("extra_entry.data", 27, "2 1 3 4\n3 1 1 3", 28, "Bonds: more than the 2 entries "
                                                                "the header declares");
  expect_error("empty.data", 1, NULL, 1, "empty file");

  const char *missing = vf_test_tmp("does_not_exist.data");
  vf_error err = {{0}};
  s = vf_read_lammps_data(missing, &err);
  char expected[4200];
  snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", missing);
  CHECK(s == NULL && strcmp(err.msg, expected) == 0, "missing file: '%s'", err.msg);
  vf_system_free(s);
}

/* What LAMMPS also accepts: any section order, pair coefficients (skipped), reserved
 * "extra" space, a tilt line, CRLF line ends, blank lines and comments anywhere. */
static const char tolerant[] =
    "tolerant input  \r\n\r\n"
    "  3 atoms # comment\r\n2 atom types\r\n1 bonds\r\n1 bond types\r\n"
    "2 extra bond per atom\r\n4 extra special per atom\r\n"
    "-1 4 xlo xhi\r\n-2 3 ylo yhi\r\n0 6 zlo zhi\r\n0.5 0 -0.25 xy xz yz\r\n"
    "\r\nBonds\r\n\r\n1 1 3 1\r\n"
    "\r\nPairIJ Coeffs # lj/cut\r\n\r\n1 1 0.1 3\r\n1 2 0.1 3\r\n2 2 0.1 3\r\n"
    "\r\nAtoms # full\r\n\r\n3 7 2 -1e-3 1 2 3 -1 0 2\r\n\r\n"
    "# a comment line between entries\r\n1 7 1 0.5 0 0 0 0 0 0\r\n2 7 2 0.5 1 1 1 0 0 0\r\n"
    "\r\nPair Coeffs\r\n\r\n1 0.1 3\r\n2 0.1 3\r\n"
    "\r\nBond   Coeffs\r\n\r\n1 300 1.5   #   C  H  \r\n"
    "\r\nMasses\r\n\r\n2 1.008#H\r\n1 12.011\r\n";

static void test_tolerant_input(void) {
  const char *path = vf_test_tmp("tolerant.data");
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL, "cannot write %s", path);
  if (!f) return;
  fputs(tolerant, f);
  fclose(f);
  vf_system *s = read_ok(path, "tolerant.data");
  if (!s) return;
  CHECK(same_string(s->title, "tolerant input"), "title '%s'", s->title);
  CHECK(s->n == 3 && s->type[2] == 1 && s->q[2] == -1e-3 && s->ix[2] == -1 && s->iz[2] == 2 &&
            s->mol[2] == 7 && s->z[2] == 3,
        "atom 3");
  CHECK(s->box.lo[1] == -2 && s->box.lx == 5 && s->box.xy == 0.5 && s->box.yz == -0.25,
        "box");
  CHECK(s->mass[0] == 12.011 && s->mass[1] == 1.008 && !s->type_name[0] &&
            same_string(s->type_name[1], "H"),
        "masses");
  const vf_bonded_list *b = list(s, VF_BONDS);
  CHECK(b->n == 1 && b->atom[0] == 2 && b->atom[1] == 0, "bond");
  CHECK(same_string(s->topo.coeff[VF_BONDS].label[0], "C H"), "bond label '%s'",
        s->topo.coeff[VF_BONDS].label[0]);
  vf_system_free(s);
}

int main(void) {
  test_tolerant_input();
  test_zif_round_trip();
  test_lammps_written_file();
  test_triclinic_round_trip();
  test_bad_input();
  return vf_test_report("test_lammps_data");
}
