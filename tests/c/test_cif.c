/* test_cif.c — the CIF reader and crystal expansion: syntax (quotes, comments, text
 * fields, uncertainties, both symmetry-operation spellings), symmetry operations,
 * expansion with merging of special positions, cells to LAMMPS boxes, supercells, and
 * one message naming file and line for each kind of malformed file. The symmetric
 * test files (tests/data, made by make_asymmetric_units.lua) expand back into the P1
 * cells they were reduced from. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cif.h"
#include "crystal.h"
#include "pointgrid.h"
#include "testlib.h"

static const char *data_file(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/tests/data/%s", VITRIFY_SOURCE_DIR, name);
  return path;
}

/* Parses text; on failure returns -1 with the message in err. */
static int parse(const char *text, vf_cif *cif, vf_error *err) {
  return vf_cif_parse(text, "test.cif", cif, err);
}

/* The message of a text that must fail. */
static const char *parse_error(const char *text) {
  static vf_error err;
  vf_cif cif;
  err.msg[0] = '\0';
  int rc = parse(text, &cif, &err);
  vf_cif_free(&cif);
  if (rc == 0) snprintf(err.msg, sizeof err.msg, "(no error)");
  return err.msg;
}

#define CELL_ITEMS                                                                        \
  "_cell_length_a 10\n_cell_length_b 11\n_cell_length_c 12\n_cell_angle_alpha 90\n"      \
  "_cell_angle_beta 90\n_cell_angle_gamma 90\n"

static void test_syntax(void) {
  const char *text =
      "# a comment before the block\n"
      "data_test\n"
      "_audit_creation_method 'hand, with \"quotes\"'  # trailing comment\n"
      "_publ_section_title\n"
      ";\n"
      "A title; with 'quotes'\n"
      " and _tags_ inside # not a comment\n"
      ";\n"
      "_cell_length_a 10.00(2)\n_cell_length_b 11\n_cell_length_c 12.5\n"
      "_cell_angle_alpha 90\n_cell_angle_beta -90.0\n_cell_angle_gamma 90\n"
      "_symmetry_equiv_pos_as_xyz 'x, y, z'\n"
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
      "_atom_site_occupancy\n"
      "Zn1 0.1(1) 0.2 0.3 1.0\n"
      "C4A 0.5 .25 0.75(12) ?\n"
      "'H 1' -0.1 1.2 0 .\n";
  vf_cif cif;
  vf_error err;
  int rc = parse(text, &cif, &err);
  CHECK(rc == 0, "valid CIF rejected: %s", err.msg);
  if (rc == 0) {
    CHECK(cif.cell[0] == 10.0 && cif.cell[2] == 12.5 && cif.cell[4] == -90.0, "cell %g %g %g",
          cif.cell[0], cif.cell[2], cif.cell[4]);
    CHECK(cif.nsites == 3, "%d sites", cif.nsites);
    CHECK(cif.nops == 1, "%d operations", cif.nops);
    CHECK(strcmp(cif.site[0].symbol, "Zn") == 0 && strcmp(cif.site[1].symbol, "C") == 0 &&
              strcmp(cif.site[2].symbol, "H") == 0,
          "symbols from labels: %s %s %s", cif.site[0].symbol, cif.site[1].symbol,
          cif.site[2].symbol);
    CHECK(strcmp(cif.site[2].label, "H 1") == 0, "quoted label '%s'", cif.site[2].label);
    CHECK(cif.site[0].frac[0] == 0.1 && cif.site[1].frac[1] == 0.25 && cif.site[1].frac[2] == 0.75,
          "uncertainties stripped");
    CHECK(cif.site[1].occupancy == 1.0 && cif.site[2].occupancy == 1.0, "? and . occupancy is 1");
    CHECK(cif.site[2].line == 24, "site line %d", cif.site[2].line);
  }
  vf_cif_free(&cif);
}

static void test_type_symbols(void) {
  const char *text = "data_t\n" CELL_ITEMS
                     "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
                     "_atom_site_fract_y\n_atom_site_fract_z\n"
                     "X1 ZN2+ 0 0 0\nCa1 C 0.1 0.1 0.1\nn7 n 0.2 0.2 0.2\n";
  vf_cif cif;
  vf_error err;
  CHECK(parse(text, &cif, &err) == 0, "%s", err.msg);
  if (cif.nsites == 3)
    CHECK(strcmp(cif.site[0].symbol, "Zn") == 0 && strcmp(cif.site[1].symbol, "C") == 0 &&
              strcmp(cif.site[2].symbol, "N") == 0,
          "type symbols win over labels: %s %s %s", cif.site[0].symbol, cif.site[1].symbol,
          cif.site[2].symbol);
  vf_cif_free(&cif);
}

static int same_op(const vf_symop *op, const double rot[9], const double t[3]) {
  for (int r = 0; r < 3; r++) {
    for (int c = 0; c < 3; c++)
      if (fabs(op->rot[r][c] - rot[3 * r + c]) > 1e-12) return 0;
    if (fabs(op->trans[r] - t[r]) > 1e-12) return 0;
  }
  return 1;
}

static void test_symops(void) {
  struct {
    const char *text;
    double rot[9], t[3];
  } good[] = {
      {"x,y,z", {1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 0}},
      {"-x+1/2, -y, z+1/2", {-1, 0, 0, 0, -1, 0, 0, 0, 1}, {0.5, 0, 0.5}},
      {"1/2+X,-Y,Z", {1, 0, 0, 0, -1, 0, 0, 0, 1}, {0.5, 0, 0}},
      {"-y,x-y,z+2/3", {0, -1, 0, 1, -1, 0, 0, 0, 1}, {0, 0, 2.0 / 3}},
      {"y,x+0.25,-z+0.75", {0, 1, 0, 1, 0, 0, 0, 0, -1}, {0, 0.25, 0.75}},
  };
  for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
    vf_symop op;
    vf_error err;
    CHECK(vf_symop_parse(good[k].text, &op, &err) == 0, "'%s': %s", good[k].text, err.msg);
    CHECK(same_op(&op, good[k].rot, good[k].t), "'%s' read wrongly", good[k].text);
  }
  const char *bad[] = {"x,y", "x,y,z,x", "x,y,q", "x,x,z", "", "x,,z", "x+,y,z"};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    vf_symop op;
    vf_error err;
    CHECK(vf_symop_parse(bad[k], &op, &err) != 0, "'%s' accepted", bad[k]);
  }
}

/* The message must start with "test.cif:<line>:" and contain what. */
static void expect_error(const char *text, int line, const char *what) {
  const char *msg = parse_error(text);
  char prefix[32];
  snprintf(prefix, sizeof prefix, "test.cif:%d:", line);
  CHECK(strncmp(msg, prefix, strlen(prefix)) == 0 && strstr(msg, what),
        "expected '%s ... %s', got '%s'", prefix, what, msg);
}

static void test_malformed(void) {
  expect_error("data_t\n" CELL_ITEMS
               "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
               "_atom_site_fract_z\n"
               "C1 0.1 0.2 0.3\nC2 0.1 0.2\nC3 0.5 0.5 0.5\n",
               14, "row of the loop_ of line 8 has 3 values, expected 4");
  expect_error("data_t\n" CELL_ITEMS "loop_\n_atom_site_label\n_atom_site_fract_x\n"
               "_atom_site_fract_y\n_atom_site_fract_z\n"
               "C1 0.1 0.2 0.3 C2 0.1 0.2\n",
               13, "has 7 values, expected 4");
  expect_error("data_t\n_cell_length_a\n_cell_length_b 3\n", 2, "_cell_length_a has no value");
  expect_error("data_t\n_cell_length_a 'ten\n", 2, "quoted string (') is not closed");
  expect_error("data_t\n_title\n;\nnever closed\n", 3, "text field opened with ';' here");
  expect_error("_cell_length_a 10\n", 1, "expected a data_ block header");
  expect_error("data_t\n_cell_length_a 10\n_cell_length_a 11\n", 3,
               "given twice (first at line 2)");
  expect_error("data_t\n" CELL_ITEMS "loop_\n_atom_site_label\n_atom_site_fract_x\n"
               "_atom_site_fract_y\n_atom_site_fract_z\nC1 0.1 0.2a 0.3\n",
               13, "_atom_site_fract_y of site C1: '0.2a' is not a number");
  expect_error("data_t\n" CELL_ITEMS "loop_\n_atom_site_label\n_atom_site_fract_x\n"
               "_atom_site_fract_y\n_atom_site_fract_z\nQq1 0.1 0.2 0.3\n",
               13, "site Qq1: cannot tell the element");
  expect_error("data_t\n" CELL_ITEMS "loop_\n_symmetry_equiv_pos_as_xyz\n'x,y'\n"
               "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
               "_atom_site_fract_z\nC1 0 0 0\n",
               10, "three comma-separated parts");
  expect_error("data_t\nloose_value\n", 2, "value 'loose_value' has no tag");
  expect_error("data_t\nloop_\ndata_u\n", 2, "loop_ has no tags");
  CHECK(strstr(parse_error("data_t\n_cell_length_a 10\n"), "no _cell_length_b"), "missing cell");
  CHECK(strstr(parse_error("data_t\n" CELL_ITEMS), "no _atom_site_fract_x"), "missing sites");
}

/* Builds a crystal from CIF text. */
static int crystal_of(const char *text, int allow_partial, vf_crystal *c, vf_error *err) {
  vf_cif cif;
  vf_crystal_options o;
  vf_crystal_defaults(&o);
  o.allow_partial = allow_partial;
  memset(c, 0, sizeof *c);
  int rc = parse(text, &cif, err);
  if (!rc) rc = vf_crystal_from_cif(&cif, &o, c, err);
  vf_cif_free(&cif);
  return rc;
}

static void test_special_positions(void) {
  /* P-1: the origin and the body centre are their own images; a site 0.001 Å off the
   * inversion centre at (1/2, 0, 0) merges with its image too. */
  const char *text = "data_t\n" CELL_ITEMS
                     "loop_\n_space_group_symop_operation_xyz\nx,y,z\n-x,-y,-z\n"
                     "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
                     "_atom_site_fract_y\n_atom_site_fract_z\n"
                     "Zn1 Zn 0 0 0\nZn2 Zn 0.5 0.5 0.5\nC1 C 0.1 0.2 0.3\nN1 N 0.5 0.00005 0\n";
  vf_crystal c;
  vf_error err;
  int rc = crystal_of(text, 0, &c, &err);
  CHECK(rc == 0, "%s", err.msg);
  CHECK(c.n == 5, "P-1 with three special positions: %d atoms, expected 5", c.n);
  if (c.n == 5) {
    CHECK(fabs(c.atom[3].frac[0] - 0.9) < 1e-12 && fabs(c.atom[3].frac[1] - 0.8) < 1e-12 &&
              fabs(c.atom[3].frac[2] - 0.7) < 1e-12,
          "image of C1 wrapped into the cell");
  }
  vf_crystal_free(&c);
  /* ...unless the element differs, which is an error naming both sites. */
  const char *clash = "data_t\n" CELL_ITEMS
                      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
                      "_atom_site_fract_z\nZn1 0 0 0\nN1 0.0001 0 0.9999\n";
  rc = crystal_of(clash, 0, &c, &err);
  CHECK(rc != 0 &&
            strstr(err.msg, "test.cif:14: site N1 (N) coincides with site Zn1 (Zn, line 13)"),
        "clash: %s", rc ? err.msg : "(accepted)");
  vf_crystal_free(&c);
}

static void test_occupancy(void) {
  const char *text = "data_t\n" CELL_ITEMS
                     "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
                     "_atom_site_fract_z\n_atom_site_occupancy\n"
                     "Zn1 0 0 0 1\nC4A 0.2 0.2 0.2 0.5\nC4B 0.3 0.2 0.2 0.50(2)\n";
  vf_crystal c;
  vf_error err;
  int rc = crystal_of(text, 0, &c, &err);
  CHECK(rc != 0 && strstr(err.msg, "test.cif:15: site C4A has occupancy 0.5"), "partial: %s",
        rc ? err.msg : "(accepted)");
  vf_crystal_free(&c);
  rc = crystal_of(text, 1, &c, &err);
  CHECK(rc == 0 && c.n == 3 && c.nwarnings == 2, "allowed partial occupancy: %d atoms, %d warnings",
        c.n, c.nwarnings);
  if (c.nwarnings == 2)
    CHECK(strstr(c.warning[1], "test.cif:16: site C4B has occupancy 0.5") &&
              strstr(c.warning[1], "; built as fully occupied"),
          "warning '%s'", c.warning[1]);
  vf_crystal_free(&c);
}

static double dot(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void test_cell_to_box(void) {
  const double cell[6] = {17.98, 17.98, 18.05, 97.2, 97.2, 138.6};
  vf_box box;
  vf_error err;
  CHECK(vf_cell_to_box(cell, &box, &err) == 0, "%s", err.msg);
  const double a[3] = {box.lx, 0, 0}, b[3] = {box.xy, box.ly, 0}, c[3] = {box.xz, box.yz, box.lz};
  const double la = sqrt(dot(a, a)), lb = sqrt(dot(b, b)), lc = sqrt(dot(c, c));
  CHECK(fabs(la - 17.98) < 1e-12 && fabs(lb - 17.98) < 1e-12 && fabs(lc - 18.05) < 1e-12,
        "lengths %g %g %g", la, lb, lc);
  const double deg = 180.0 / M_PI;
  CHECK(fabs(acos(dot(b, c) / (lb * lc)) * deg - 97.2) < 1e-9, "alpha");
  CHECK(fabs(acos(dot(a, c) / (la * lc)) * deg - 97.2) < 1e-9, "beta");
  CHECK(fabs(acos(dot(a, b) / (la * lb)) * deg - 138.6) < 1e-9, "gamma");
  const double right[6] = {23.2521, 23.2521, 25.292, 90, -90, 90};
  CHECK(vf_cell_to_box(right, &box, &err) == 0 && !vf_box_is_triclinic(&box) &&
            box.lz == 25.292,
        "beta -90 is an orthorhombic cell");
  const double bad[6] = {10, 10, 10, 90, 90, 190};
  CHECK(vf_cell_to_box(bad, &box, &err) != 0 && strstr(err.msg, "gamma = 190"), "%s", err.msg);
  const double flat[6] = {10, 10, 10, 120, 120, 120};
  CHECK(vf_cell_to_box(flat, &box, &err) != 0 && strstr(err.msg, "do not make a cell"), "%s",
        err.msg);
}

/* Every atom of a has one atom of the same element in b within tol Å, and the counts match. */
static void expect_same_atoms(const vf_crystal *a, const vf_crystal *b, double tol,
                              const char *what) {
  CHECK(a->n == b->n, "%s: %d atoms, expected %d", what, a->n, b->n);
  int unmatched = 0;
  double worst = 0;
  for (int i = 0; i < a->n; i++) {
    double best = 1e9;
    for (int j = 0; j < b->n; j++) {
      if (strcmp(a->atom[i].symbol, b->atom[j].symbol)) continue;
      double d[3];
      const double r = sqrt(vf_periodic_delta(&b->box, a->atom[i].frac, b->atom[j].frac, d));
      if (r < best) best = r;
    }
    if (best > tol) unmatched++;
    if (best > worst) worst = best;
  }
  CHECK(unmatched == 0, "%s: %d atoms have no partner within %g Å (worst %g)", what, unmatched,
        tol, worst);
  printf("%s: %d atoms, largest distance to the P1 atom %.2e Å\n", what, a->n, worst);
}

static void expand_and_compare(const char *symmetric, const char *p1, double tol) {
  vf_crystal_options o;
  vf_crystal_defaults(&o);
  vf_crystal a, b;
  vf_error err;
  int rc = vf_crystal_read_cif(data_file(symmetric), &o, &a, &err);
  CHECK(rc == 0, "%s", err.msg);
  int rc2 = vf_crystal_read_cif(vf_test_shared(p1), &o, &b, &err);
  CHECK(rc2 == 0, "%s", err.msg);
  if (!rc && !rc2) expect_same_atoms(&a, &b, tol, symmetric);
  vf_crystal_free(&a);
  vf_crystal_free(&b);
}

static void test_supercell(void) {
  const char *text = "data_t\n" CELL_ITEMS
                     "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
                     "_atom_site_fract_z\nZn1 0.5 0.25 0.1\nC1 0 0 0\n";
  vf_crystal c, s;
  vf_error err;
  CHECK(crystal_of(text, 0, &c, &err) == 0, "%s", err.msg);
  const int n[3] = {2, 3, 1};
  CHECK(vf_crystal_supercell(&c, n, &s, &err) == 0, "%s", err.msg);
  CHECK(s.n == 12 && s.box.lx == 20 && s.box.ly == 33 && s.box.lz == 12, "supercell size");
  if (s.n == 12) {
    /* replica (1, 2, 0) is the sixth: atoms 10 and 11 */
    CHECK(s.atom[10].frac[0] == 0.75 && fabs(s.atom[10].frac[1] - 2.25 / 3) < 1e-15 &&
              s.atom[10].frac[2] == 0.1 && strcmp(s.atom[10].label, "Zn1") == 0,
          "replica order: a fastest");
  }
  vf_crystal_free(&c);
  vf_crystal_free(&s);
}

int main(void) {
  test_syntax();
  test_type_symbols();
  test_symops();
  test_malformed();
  test_special_positions();
  test_occupancy();
  test_cell_to_box();
  test_supercell();
  /* I4_1cd with the centring written out (16 operations), _symmetry_equiv_pos_as_xyz */
  expand_and_compare("ZIF-zni_I41cd.cif",
                     "structures/ZIF-zni_citable-data_Widmer2019_DFT-fixedcell_P1.cif", 0.002);
  /* Pbca, _space_group_symop_operation_xyz, coordinates with uncertainties; the P1 cell's
   * angles are 90.0004-90.0018 degrees, the reduced file's 90 */
  expand_and_compare("ZIF-4_Pbca.cif", "structures/ZIF-4_citable-data_Lewis2009_DFT_P1.cif",
                     0.002);
  return vf_test_report("test_cif");
}
