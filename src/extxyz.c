/* extxyz.c — extended XYZ frames for OVITO and ASE: one header line with the cell and
 * the column layout, then one line per atom. */
#include "extxyz.h"

#include "atomic_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const elements[] = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",
    "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
    "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh",
    "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
    "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re",
    "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
    "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db",
    "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

/* The table entry spelled as the first len characters of name, or NULL. */
static const char *find_element(const char *name, size_t len) {
  for (size_t k = 0; k < sizeof elements / sizeof *elements; k++)
    if (strlen(elements[k]) == len && strncmp(elements[k], name, len) == 0) return elements[k];
  return NULL;
}

const char *vf_element_symbol(const char *type_name) {
  /* Longest properly capitalised prefix that is a symbol: "Cl1" -> Cl, "CA" -> C. */
  if (!type_name || !isupper((unsigned char)type_name[0])) return "X";
  const char *el = NULL;
  if (islower((unsigned char)type_name[1])) el = find_element(type_name, 2);
  if (!el) el = find_element(type_name, 1);
  return el ? el : "X";
}

/* A comment as a quoted extxyz value: quotes and backslashes escaped, line breaks
 * turned into spaces. */
static void put_quoted(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
  }
  fputc('"', f);
}

static int all_types_named(const vf_system *s) {
  for (int t = 0; t < s->ntypes; t++)
    if (!s->type_name[t]) return 0;
  return s->ntypes > 0;
}

static void write_frame(FILE *f, const vf_system *s, const char *comment,
                        const char *const *species) {
  const vf_box *b = &s->box;
  const int named = all_types_named(s);
  const double lattice[9] = {b->lx, 0, 0, b->xy, b->ly, 0, b->xz, b->yz, b->lz};
  fprintf(f, "%d\nLattice=\"", s->n);
  for (int k = 0; k < 9; k++) fprintf(f, k ? " %.10f" : "%.10f", lattice[k]);
  fputs("\" ", f);
  fprintf(f, "Properties=species:S:1:pos:R:3:%s:charge:R:1 pbc=\"T T T\"",
          named ? "ff_type:S:1" : "type:I:1");
  if (comment) {
    fputs(" comment=", f);
    put_quoted(f, comment);
  }
  fputc('\n', f);
  for (int i = 0; i < s->n; i++) {
    const int t = s->type[i];
    fprintf(f, "%s %.10f %.10f %.10f ", species[t], s->x[i] - b->lo[0], s->y[i] - b->lo[1],
            s->z[i] - b->lo[2]);
    if (named)
      fputs(s->type_name[t], f);
    else
      fprintf(f, "%d", t + 1);
    fprintf(f, " %.10g\n", s->q[i]);
  }
}

/* Adds a frame at the end of path; a failed write truncates the file back. */
static int append_frame(const vf_system *s, const char *path, const char *comment,
                        const char *const *species, vf_error *err) {
  FILE *f = fopen(path, "a");
  if (!f) return vf_fail(err, "%s: cannot open: %s", path, strerror(errno));
  long start = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  errno = 0;
  write_frame(f, s, comment, species);
  int code = 0;
  if (ferror(f) || fflush(f)) code = errno ? errno : EIO;
  if (code && start >= 0 && ftruncate(fileno(f), start)) {
    /* Nothing more can be done; the message below reports the write error. */
  }
  if (fclose(f) && !code) code = errno ? errno : EIO;
  return code ? vf_fail(err, "%s: cannot write: %s", path, strerror(code)) : 0;
}

/* A new file replaces path only once completely written. */
static int replace_file(const vf_system *s, const char *path, const char *comment,
                        const char *const *species, vf_error *err) {
  vf_atomic_file out;
  FILE *f = vf_atomic_open(&out, path, err);
  if (!f) return -1;
  write_frame(f, s, comment, species);
  return vf_atomic_commit(&out, err);
}

int vf_write_extxyz(const vf_system *s, const char *path, int append, const char *comment,
                    vf_error *err) {
  /* Symbols per type, looked up once rather than per atom. */
  const char **species = malloc(sizeof *species * (size_t)(s->ntypes ? s->ntypes : 1));
  if (!species) return vf_fail(err, "%s: out of memory", path);
  for (int t = 0; t < s->ntypes; t++) species[t] = vf_element_symbol(s->type_name[t]);
  int rc = append ? append_frame(s, path, comment, species, err)
                  : replace_file(s, path, comment, species, err);
  free(species);
  return rc;
}
