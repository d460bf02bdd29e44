/* test_extxyz.c — extended XYZ frames of the ZIF-zni cell: layout, Lattice, species,
 * positions inside the cell, appending frames; chemical symbols from type names. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extxyz.h"
#include "lammps_data.h"
#include "testlib.h"

#define MAX_LINES 8000

/* The file's lines, each malloc'ed; returns how many. */
static int read_lines(const char *path, char **lines) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int n = 0;
  char buf[4096];
  while (n < MAX_LINES && fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\n")] = '\0';
    lines[n++] = strdup(buf);
  }
  fclose(f);
  return n;
}

static void free_lines(char **lines, int n) {
  for (int k = 0; k < n; k++) free(lines[k]);
}

/* Checks one frame starting at lines[first]: count line, header, atom lines. */
static void check_frame(const vf_system *s, char **lines, int first, const char *comment) {
  CHECK(atoi(lines[first]) == s->n, "frame at line %d: count '%s'", first + 1, lines[first]);
  const char *header = lines[first + 1];
  double h[9];
  const char *lat = strstr(header, "Lattice=\"");
  CHECK(lat && sscanf(lat, "Lattice=\"%lf %lf %lf %lf %lf %lf %lf %lf %lf\"", &h[0], &h[1], &h[2],
                      &h[3], &h[4], &h[5], &h[6], &h[7], &h[8]) == 9,
        "no Lattice in '%s'", header);
  if (!lat) return;
  const vf_box *b = &s->box;
  const double expect[9] = {b->lx, 0, 0, b->xy, b->ly, 0, b->xz, b->yz, b->lz};
  for (int k = 0; k < 9; k++)
    CHECK(fabs(h[k] - expect[k]) < 1e-9, "Lattice value %d: %.12g vs %.12g", k, h[k], expect[k]);
  CHECK(strstr(header, "Properties=species:S:1:pos:R:3:ff_type:S:1:charge:R:1 ") != NULL,
        "Properties in '%s'", header);
  CHECK(strstr(header, "pbc=\"T T T\"") != NULL, "pbc in '%s'", header);
  if (comment) CHECK(strstr(header, comment) != NULL, "'%s' not in '%s'", comment, header);
  int zn = 0, outside = 0;
  for (int i = 0; i < s->n; i++) {
    char species[8], ff[16];
    double r[3], q;
    int ok = sscanf(lines[first + 2 + i], "%7s %lf %lf %lf %15s %lf", species, &r[0], &r[1], &r[2],
                    ff, &q) == 6;
    CHECK(ok, "atom line '%s'", lines[first + 2 + i]);
    if (!ok) return;
    zn += strcmp(species, "Zn") == 0;
    /* Fractional coordinates in the written Lattice (upper-triangular cell). */
    double c = r[2] / h[8], bb = (r[1] - c * h[7]) / h[4], a = (r[0] - bb * h[3] - c * h[6]) / h[0];
    outside += a < -1e-9 || a > 1 + 1e-9 || bb < -1e-9 || bb > 1 + 1e-9 || c < -1e-9 ||
               c > 1 + 1e-9;
    if (i == 0)
      CHECK(strcmp(species, "Zn") == 0 && strcmp(ff, "Zn") == 0 && q == 0.3536 &&
                fabs(r[0] - 1.7509246) < 1e-9,
            "atom 1 '%s'", lines[first + 2]);
    if (i == 2) CHECK(strcmp(species, "C") == 0 && strcmp(ff, "C4") == 0, "atom 3 '%s'", lines[first + 4]);
  }
  CHECK(zn == 64, "%d Zn atoms", zn);
  CHECK(outside == 0, "%d atoms outside the Lattice cell", outside);
}

static void test_zif_frames(void) {
  vf_error err = {{0}};
  vf_system *s =
      vf_read_lammps_data(vf_test_shared("forcefield/ZIF-zni_nbzifff_1600.data"), &err);
  CHECK(s != NULL, "read: %s", err.msg);
  if (!s) return;
  const char *path = vf_test_tmp("zif.extxyz");
  char **lines = calloc(MAX_LINES, sizeof *lines);
  CHECK(vf_write_extxyz(s, path, 0, "first \"frame\"", &err) == 0, "write: %s", err.msg);
  int n = read_lines(path, lines);
  CHECK(n == s->n + 2, "%d lines", n);
  if (n == s->n + 2) check_frame(s, lines, 0, "comment=\"first \\\"frame\\\"\"");
  free_lines(lines, n > 0 ? n : 0);

  CHECK(vf_write_extxyz(s, path, 1, NULL, &err) == 0, "append: %s", err.msg);
  n = read_lines(path, lines);
  CHECK(n == 2 * (s->n + 2), "%d lines after appending", n);
  if (n == 2 * (s->n + 2)) check_frame(s, lines, s->n + 2, NULL);
  CHECK(n > s->n + 3 && !strstr(lines[s->n + 3], "comment="), "second frame has no comment");
  free_lines(lines, n > 0 ? n : 0);

  /* append = 0 replaces the trajectory with one frame. */
  CHECK(vf_write_extxyz(s, path, 0, NULL, &err) == 0, "rewrite: %s", err.msg);
  n = read_lines(path, lines);
  CHECK(n == s->n + 2, "%d lines after rewriting", n);
  free_lines(lines, n > 0 ? n : 0);

  /* Without type names the type index is written instead. */
  vf_system_set_type_name(s, 3, NULL);
  CHECK(vf_write_extxyz(s, path, 0, NULL, &err) == 0, "unnamed: %s", err.msg);
  n = read_lines(path, lines);
  CHECK(n > 2 && strstr(lines[1], ":type:I:1:") && strncmp(lines[2], "Zn ", 3) == 0 &&
            strstr(lines[2], " 1 0.3536"),
        "unnamed types: '%s' / '%s'", n > 1 ? lines[1] : "", n > 2 ? lines[2] : "");
  free_lines(lines, n > 0 ? n : 0);

  CHECK(vf_write_extxyz(s, "/nonexistent-dir/x.extxyz", 0, NULL, &err) != 0 &&
            strncmp(err.msg, "/nonexistent-dir/x.extxyz: ", 27) == 0,
        "bad path: '%s'", err.msg);
  CHECK(vf_write_extxyz(s, "/nonexistent-dir/x.extxyz", 1, NULL, &err) != 0 &&
            strncmp(err.msg, "/nonexistent-dir/x.extxyz: ", 27) == 0,
        "bad path, append: '%s'", err.msg);
  free(lines);
  vf_system_free(s);
}

static void test_element_symbols(void) {
  const char *cases[][2] = {
      {"Zn", "Zn"}, {"C4", "C"},   {"N1", "N"},   {"H4", "H"}, {"He", "He"}, {"Ne", "Ne"},
      {"Cl1", "Cl"}, {"CA", "C"},  {"Rn", "Rn"},  {"Og", "Og"}, {"O_w", "O"}, {"Xx", "X"},
      {"c3", "X"},   {"", "X"},    {"Qq", "X"},   {"Na+", "Na"}, {"Nb", "Nb"}, {"I", "I"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
    CHECK(strcmp(vf_element_symbol(cases[k][0]), cases[k][1]) == 0, "'%s' -> '%s', want '%s'",
          cases[k][0], vf_element_symbol(cases[k][0]), cases[k][1]);
  CHECK(strcmp(vf_element_symbol(NULL), "X") == 0, "NULL -> X");
}

int main(void) {
  test_zif_frames();
  test_element_symbols();
  return vf_test_report("test_extxyz");
}
