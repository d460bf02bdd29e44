/* lammps_data.c — LAMMPS data files (atom_style full), read in one pass and written
 * atomically. The reader handles the header line by line, then dispatches each
 * section through a table saying how many entries it has, which columns it takes and
 * which function stores one entry. */
#include "lammps_data.h"

#include "atomic_file.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TOKENS 16 /* more than any entry line has; extra tokens are only counted */

/* ------------------------------------------------------------------ lines */

typedef struct reader {
  FILE *f;
  const char *path;
  vf_error *err;
  char *buf;
  size_t cap;
  long lineno;   /* 1-based number of the current line */
  char *comment; /* trimmed text after the first '#', NULL when none or empty */
  char *tok[MAX_TOKENS];
  int ntok; /* tokens on the line, possibly more than MAX_TOKENS */
} reader;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail_at(const reader *r, const char *fmt, ...) {
  char what[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return vf_fail(r->err, "%s:%ld: %s", r->path, r->lineno > 0 ? r->lineno : 1, what);
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  return s;
}

/* Reads the next line without interpreting it. 1 = line, 0 = end of file, -1 = error. */
static int read_raw(reader *r) {
  errno = 0;
  if (getline(&r->buf, &r->cap, r->f) < 0) {
    if (feof(r->f)) return 0;
    return fail_at(r, "cannot read: %s", strerror(errno ? errno : EIO));
  }
  r->lineno++;
  return 1;
}

static void tokenize(reader *r) {
  r->ntok = 0;
  char *p = r->buf;
  for (;;) {
    while (isspace((unsigned char)*p)) p++;
    if (!*p) return;
    if (r->ntok < MAX_TOKENS) r->tok[r->ntok] = p;
    r->ntok++;
    while (*p && !isspace((unsigned char)*p)) p++;
    if (*p) *p++ = '\0';
  }
}

/* Reads the next line, splits off its comment and cuts the rest into tokens. */
static int next_line(reader *r) {
  int got = read_raw(r);
  if (got <= 0) return got;
  char *hash = strchr(r->buf, '#');
  r->comment = NULL;
  if (hash) {
    *hash = '\0';
    r->comment = trim(hash + 1);
    if (!*r->comment) r->comment = NULL;
  }
  tokenize(r);
  return 1;
}

/* Skips lines that are blank once comments are removed. */
static int next_content_line(reader *r) {
  int got;
  while ((got = next_line(r)) > 0 && r->ntok == 0) {
  }
  return got;
}

/* Tokens from..ntok-1 joined by single spaces: "Bond   Coeffs" reads as "Bond Coeffs". */
static const char *joined(const reader *r, int from, char *buf, size_t size) {
  buf[0] = '\0';
  int last = r->ntok < MAX_TOKENS ? r->ntok : MAX_TOKENS;
  for (int k = from; k < last; k++) {
    if (k > from) strncat(buf, " ", size - strlen(buf) - 1);
    strncat(buf, r->tok[k], size - strlen(buf) - 1);
  }
  return buf;
}

/* ------------------------------------------------------------------ numbers */

/* Whole-token conversions: trailing characters, fractions and overflow fail. */
static int to_double(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return end != s && *end == '\0' && isfinite(*v);
}

static int to_long(const char *s, long *v) {
  char *end;
  errno = 0;
  *v = strtol(s, &end, 10);
  return end != s && *end == '\0' && errno == 0;
}

static int col_double(const reader *r, const char *sec, int col, double *v) {
  if (to_double(r->tok[col], v)) return 0;
  return fail_at(r, "%s: column %d '%s' is not a number", sec, col + 1, r->tok[col]);
}

static int col_int(const reader *r, const char *sec, int col, int *v) {
  long l;
  if (!to_long(r->tok[col], &l) || l < INT_MIN || l > INT_MAX)
    return fail_at(r, "%s: column %d '%s' is not an integer", sec, col + 1, r->tok[col]);
  *v = (int)l;
  return 0;
}

/* An integer naming one of n atoms or types (1-based in the file), stored 0-based. */
static int col_ref(const reader *r, const char *sec, int col, long n, const char *what, int *v) {
  if (col_int(r, sec, col, v)) return -1;
  if (*v < 1 || *v > n)
    return fail_at(r, "%s: unknown %s %d (header declares %ld)", sec, what, *v, n);
  (*v)--;
  return 0;
}

/* ------------------------------------------------------------------ header */

/* Counts declared by the header; C_BONDS + kind and C_BOND_TYPES + kind address the
 * bonded kinds. Their names are also the header keywords. */
enum {
  C_ATOMS, C_BONDS, C_ANGLES, C_DIHEDRALS, C_IMPROPERS,
  C_ATOM_TYPES, C_BOND_TYPES, C_ANGLE_TYPES, C_DIHEDRAL_TYPES, C_IMPROPER_TYPES,
  C_PAIR_IJ, /* derived: lines of PairIJ Coeffs */
  NCOUNTS
};
static const char *const count_name[NCOUNTS] = {
    "atoms", "bonds", "angles", "dihedrals", "impropers", "atom types", "bond types",
    "angle types", "dihedral types", "improper types", "atom type pairs"};
enum { NHEADER_COUNTS = C_PAIR_IJ };

typedef enum { H_IGNORE, H_BOUNDS, H_TILT } header_action;
static const struct header_key {
  const char *words;
  int nvalues;
  header_action action;
  int axis;
} header_keys[] = {
    {"xlo xhi", 2, H_BOUNDS, 0},
    {"ylo yhi", 2, H_BOUNDS, 1},
    {"zlo zhi", 2, H_BOUNDS, 2},
    {"xy xz yz", 3, H_TILT, 0},
    /* Space reserved for topology added later: irrelevant to a static file. */
    {"extra bond per atom", 1, H_IGNORE, 0},
    {"extra angle per atom", 1, H_IGNORE, 0},
    {"extra dihedral per atom", 1, H_IGNORE, 0},
    {"extra improper per atom", 1, H_IGNORE, 0},
    {"extra special per atom", 1, H_IGNORE, 0},
};
#define NHEADER_KEYS ((int)(sizeof header_keys / sizeof *header_keys))

enum { NSECTIONS = 13 }; /* rows of the sections table below */

typedef struct parse {
  reader r;
  char *title; /* until the system exists */
  vf_system *s;
  long count[NCOUNTS];
  double lo[3], hi[3], tilt[3];
  long section_line[NSECTIONS]; /* line of each section's keyword, 0 = not seen */
  long *key_line; /* per key of the section being read: line it was given on */
} parse;

static int header_count(parse *p, int c) {
  long v;
  if (!to_long(p->r.tok[0], &v))
    return fail_at(&p->r, "'%s %s': the count must be an integer", p->r.tok[0], count_name[c]);
  if (v < 0) return fail_at(&p->r, "negative count: %ld %s", v, count_name[c]);
  if (v > INT_MAX) return fail_at(&p->r, "too many %s: %ld", count_name[c], v);
  p->count[c] = v;
  return 0;
}

static int header_key(parse *p, const struct header_key *k) {
  double v[3];
  for (int j = 0; j < k->nvalues; j++) to_double(p->r.tok[j], &v[j]);
  if (k->action == H_BOUNDS) {
    if (!(v[1] > v[0]))
      return fail_at(&p->r, "box %s = %.17g %.17g: hi must be greater than lo", k->words, v[0],
                     v[1]);
    p->lo[k->axis] = v[0];
    p->hi[k->axis] = v[1];
  } else if (k->action == H_TILT) {
    memcpy(p->tilt, v, sizeof v);
  }
  return 0;
}

/* One value-first header line, e.g. "1600 atoms" or "0 23.25 xlo xhi". */
static int header_line(parse *p) {
  reader *r = &p->r;
  int nnum = 0;
  double v;
  while (nnum < r->ntok && nnum < MAX_TOKENS && to_double(r->tok[nnum], &v)) nnum++;
  char words[256];
  joined(r, nnum, words, sizeof words);
  for (int c = 0; c < NHEADER_COUNTS; c++)
    if (strcmp(words, count_name[c]) == 0) {
      if (nnum != 1) return fail_at(r, "header '%s' takes 1 number, found %d", words, nnum);
      return header_count(p, c);
    }
  for (int k = 0; k < NHEADER_KEYS; k++)
    if (strcmp(words, header_keys[k].words) == 0) {
      if (nnum != header_keys[k].nvalues)
        return fail_at(r, "header '%s' takes %d numbers, found %d", words,
                       header_keys[k].nvalues, nnum);
      return header_key(p, &header_keys[k]);
    }
  if (!*words) return fail_at(r, "header line has numbers but no keyword");
  return fail_at(r, "unknown header keyword '%s'", words);
}

/* Title, then header lines up to the first section keyword (left as the current
 * line). 1 = a section follows, 0 = end of file, -1 = error. */
static int read_header(parse *p) {
  reader *r = &p->r;
  int got = read_raw(r);
  if (got <= 0) return got < 0 ? -1 : fail_at(r, "empty file (expected a title line)");
  if (!(p->title = strdup(trim(r->buf)))) return fail_at(r, "out of memory");
  double v;
  while ((got = next_content_line(r)) > 0 && to_double(r->tok[0], &v))
    if (header_line(p)) return -1;
  return got;
}

/* Allocates the system the header describes. */
static int make_system(parse *p) {
  reader *r = &p->r;
  if (p->count[C_ATOMS] == 0) return fail_at(r, "header declares no atoms");
  if (p->count[C_ATOM_TYPES] == 0) return fail_at(r, "header declares no atom types");
  long nt = p->count[C_ATOM_TYPES];
  p->count[C_PAIR_IJ] = nt * (nt + 1) / 2;
  if (!(p->s = vf_system_new((int)p->count[C_ATOMS], (int)nt)))
    return fail_at(r, "out of memory for %ld atoms", p->count[C_ATOMS]);
  p->s->title = p->title;
  p->title = NULL;
  vf_error box_err;
  if (vf_box_set(&p->s->box, p->lo, p->hi, p->tilt, &box_err))
    return fail_at(r, "%s", box_err.msg);
  for (int k = 0; k < VF_NBONDED_KINDS; k++)
    if (vf_topology_set_ntypes(&p->s->topo, k, (int)p->count[C_BOND_TYPES + k]))
      return fail_at(r, "out of memory");
  return 0;
}

/* ------------------------------------------------------------------ sections */

typedef struct section section;
/* Stores one entry; key is the 0-based value of column 1 for keyed sections. */
typedef int (*entry_fn)(parse *p, const section *sec, int key);

struct section {
  const char *name;
  int count;            /* index into parse.count: number of entries */
  unsigned columns;     /* bit n set when n columns are allowed */
  const char *expected; /* the allowed columns, for the error message */
  const char *key;      /* what column 1 names when it must be unique ("atom id"), or NULL */
  int kind;             /* bonded kind of topology and Coeffs sections */
  int required;         /* must be present when its count is positive */
  const char *style;    /* atom style the section's comment may name */
  entry_fn parse;
};

#define COLS(n) (1u << (n))
#define ANY_COLS (~0u)
_Static_assert(VF_MAX_COEFF == 4, "update the Coeffs column description");
#define COEFF_COLS (COLS(2) | COLS(3) | COLS(4) | COLS(5))
#define COEFF_EXPECTED "2 to 5 columns (type and 1 to 4 coefficients)"

static int parse_mass(parse *p, const section *sec, int type) {
  const reader *r = &p->r;
  double m;
  if (col_double(r, sec->name, 1, &m)) return -1;
  if (!(m > 0))
    return fail_at(r, "%s: mass of type %d must be positive, found %s", sec->name, type + 1,
                   r->tok[1]);
  p->s->mass[type] = m;
  if (!r->comment) return 0;
  /* The first word of the comment names the type: "1 64.37 # Zn  Zn_c". */
  char *name = strndup(r->comment, strcspn(r->comment, " \t\r\n\v\f"));
  int bad = !name || vf_system_set_type_name(p->s, type, name);
  free(name);
  return bad ? fail_at(r, "out of memory") : 0;
}

static int parse_atom(parse *p, const section *sec, int i) {
  const reader *r = &p->r;
  vf_system *s = p->s;
  int *image[3] = {&s->ix[i], &s->iy[i], &s->iz[i]};
  if (col_int(r, sec->name, 1, &s->mol[i]) ||
      col_ref(r, sec->name, 2, s->ntypes, "atom type", &s->type[i]) ||
      col_double(r, sec->name, 3, &s->q[i]) || col_double(r, sec->name, 4, &s->x[i]) ||
      col_double(r, sec->name, 5, &s->y[i]) || col_double(r, sec->name, 6, &s->z[i]))
    return -1;
  for (int d = 0; d < 3; d++) {
    *image[d] = 0;
    if (r->ntok == 10 && col_int(r, sec->name, 7 + d, image[d])) return -1;
  }
  return 0;
}

static int parse_velocity(parse *p, const section *sec, int i) {
  const reader *r = &p->r;
  if (col_double(r, sec->name, 1, &p->s->vx[i]) || col_double(r, sec->name, 2, &p->s->vy[i]) ||
      col_double(r, sec->name, 3, &p->s->vz[i]))
    return -1;
  return 0;
}

static int parse_bonded(parse *p, const section *sec, int key) {
  const reader *r = &p->r;
  vf_topology *t = &p->s->topo;
  int id = 0, type = 0, atoms[4] = {0};
  char what[32];
  snprintf(what, sizeof what, "%s type", vf_bonded_kind_name[sec->kind]);
  if (col_int(r, sec->name, 0, &id) ||
      col_ref(r, sec->name, 1, t->coeff[sec->kind].ntypes, what, &type))
    return -1;
  for (int a = 0; a < vf_bonded_width[sec->kind]; a++)
    if (col_ref(r, sec->name, 2 + a, p->s->n, "atom id", &atoms[a])) return -1;
  return vf_topology_add(t, sec->kind, type, atoms) ? fail_at(r, "out of memory") : 0;
}

/* The label of a coefficient line is the last part of its comment with single
 * spaces: "harmonic    # Zn  He" (style, then atom types) gives "Zn He". */
static char *coeff_label(const char *comment) {
  const char *text = strrchr(comment, '#');
  text = text ? text + 1 : comment;
  char *label = malloc(strlen(text) + 1);
  if (!label) return NULL;
  size_t n = 0;
  for (const char *c = text; *c; c++) {
    if (isspace((unsigned char)*c)) {
      if (n > 0 && label[n - 1] != ' ') label[n++] = ' ';
    } else {
      label[n++] = *c;
    }
  }
  while (n > 0 && label[n - 1] == ' ') n--;
  label[n] = '\0';
  return label;
}

static int parse_coeff(parse *p, const section *sec, int type) {
  const reader *r = &p->r;
  double v[VF_MAX_COEFF];
  int n = r->ntok - 1;
  for (int m = 0; m < n; m++)
    if (col_double(r, sec->name, 1 + m, &v[m])) return -1;
  vf_topology *t = &p->s->topo;
  char *label = r->comment ? coeff_label(r->comment) : NULL;
  int failed = (r->comment && !label) || vf_topology_set_coeff(t, sec->kind, type, n, v) ||
               vf_topology_set_label(t, sec->kind, type, label);
  free(label);
  return failed ? fail_at(r, "out of memory") : 0;
}

static int skip_entry(parse *p, const section *sec, int key) { return 0; }

static const section sections[] = {
    {"Atoms", C_ATOMS, COLS(7) | COLS(10), "7 or 10 columns (atom_style full)", "atom id", 0, 1,
     "full", parse_atom},
    {"Masses", C_ATOM_TYPES, COLS(2), "2 columns (type mass)", "atom type", 0, 1, NULL,
     parse_mass},
    {"Velocities", C_ATOMS, COLS(4), "4 columns (id vx vy vz)", "atom id", 0, 0, NULL,
     parse_velocity},
    {"Bonds", C_BONDS, COLS(4), "4 columns (id type atom1 atom2)", NULL, VF_BONDS, 1, NULL,
     parse_bonded},
    {"Angles", C_ANGLES, COLS(5), "5 columns (id type atom1 atom2 atom3)", NULL, VF_ANGLES, 1,
     NULL, parse_bonded},
    {"Dihedrals", C_DIHEDRALS, COLS(6), "6 columns (id type atom1 .. atom4)", NULL, VF_DIHEDRALS,
     1, NULL, parse_bonded},
    {"Impropers", C_IMPROPERS, COLS(6), "6 columns (id type atom1 .. atom4)", NULL, VF_IMPROPERS,
     1, NULL, parse_bonded},
    {"Bond Coeffs", C_BOND_TYPES, COEFF_COLS, COEFF_EXPECTED, "bond type", VF_BONDS, 0, NULL,
     parse_coeff},
    {"Angle Coeffs", C_ANGLE_TYPES, COEFF_COLS, COEFF_EXPECTED, "angle type", VF_ANGLES, 0, NULL,
     parse_coeff},
    {"Dihedral Coeffs", C_DIHEDRAL_TYPES, COEFF_COLS, COEFF_EXPECTED, "dihedral type",
     VF_DIHEDRALS, 0, NULL, parse_coeff},
    {"Improper Coeffs", C_IMPROPER_TYPES, COEFF_COLS, COEFF_EXPECTED, "improper type",
     VF_IMPROPERS, 0, NULL, parse_coeff},
    /* Pair coefficients belong to the force field set up in the script. */
    {"Pair Coeffs", C_ATOM_TYPES, ANY_COLS, "", NULL, 0, 0, NULL, skip_entry},
    {"PairIJ Coeffs", C_PAIR_IJ, ANY_COLS, "", NULL, 0, 0, NULL, skip_entry},
};
_Static_assert(sizeof sections / sizeof *sections == NSECTIONS, "NSECTIONS must match the table");

/* The section whose keyword is the current line, or NULL. */
static const section *find_section(const reader *r) {
  char name[256];
  joined(r, 0, name, sizeof name);
  for (int k = 0; k < NSECTIONS; k++)
    if (strcmp(name, sections[k].name) == 0) return &sections[k];
  return NULL;
}

/* Column 1 of a keyed section: a number 1..n given at most once, returned 0-based. */
static int entry_key(parse *p, const section *sec, long n, int *key) {
  const reader *r = &p->r;
  if (col_int(r, sec->name, 0, key)) return -1;
  if (*key < 1 || *key > n)
    return fail_at(r, "%s: %s %d out of range 1..%ld", sec->name, sec->key, *key, n);
  long *first = &p->key_line[*key - 1];
  if (*first)
    return fail_at(r, "%s: %s %d given twice (first on line %ld)", sec->name, sec->key, *key,
                   *first);
  *first = r->lineno;
  (*key)--;
  return 0;
}

/* Moves to entry k of n; the section must not end (by end of file or by another
 * section's keyword) early. */
static int next_entry(parse *p, const section *sec, long k, long n) {
  reader *r = &p->r;
  int got = next_content_line(r);
  if (got < 0) return -1;
  if (got == 0)
    return fail_at(r, "%s: file ends after %ld of %ld entries", sec->name, k, n);
  const section *other = find_section(r);
  if (other)
    return fail_at(r, "%s: %s section starts after %ld of %ld entries", sec->name, other->name, k,
                   n);
  return 0;
}

static int check_style(const reader *r, const section *sec) {
  if (!sec->style || !r->comment) return 0;
  size_t len = strcspn(r->comment, " \t");
  if (len == strlen(sec->style) && strncmp(r->comment, sec->style, len) == 0) return 0;
  return fail_at(r, "%s section is for atom_style '%.*s'; vitrify reads atom_style %s", sec->name,
                 (int)len, r->comment, sec->style);
}

static int read_section(parse *p, const section *sec) {
  reader *r = &p->r;
  long *seen = &p->section_line[sec - sections];
  if (*seen) return fail_at(r, "duplicate %s section (first on line %ld)", sec->name, *seen);
  *seen = r->lineno;
  long n = p->count[sec->count];
  if (n == 0) return fail_at(r, "%s section, but the header declares no %s", sec->name,
                             count_name[sec->count]);
  if (check_style(r, sec)) return -1;
  if (sec->key && !(p->key_line = calloc((size_t)n, sizeof *p->key_line)))
    return fail_at(r, "out of memory");
  for (long k = 0; k < n; k++) {
    int key = 0;
    if (next_entry(p, sec, k, n)) return -1;
    if (r->ntok >= 32 || !(sec->columns & COLS(r->ntok)))
      return fail_at(r, "%s: expected %s, found %d", sec->name, sec->expected, r->ntok);
    if ((sec->key && entry_key(p, sec, n, &key)) || sec->parse(p, sec, key)) return -1;
  }
  free(p->key_line);
  p->key_line = NULL;
  return 0;
}

/* The current line must be a section keyword; reads the section. */
static int dispatch(parse *p, const section **last) {
  reader *r = &p->r;
  const section *sec = find_section(r);
  if (sec) {
    *last = sec;
    return read_section(p, sec);
  }
  double v;
  if (*last && to_double(r->tok[0], &v))
    return fail_at(r, "%s: more than the %ld entries the header declares", (*last)->name,
                   p->count[(*last)->count]);
  char name[256];
  return fail_at(r, "unknown section '%s'", joined(r, 0, name, sizeof name));
}

static int check_required(parse *p) {
  for (int k = 0; k < NSECTIONS; k++) {
    const section *sec = &sections[k];
    long n = p->count[sec->count];
    if (sec->required && n > 0 && !p->section_line[k])
      return fail_at(&p->r, "missing %s section (header declares %ld %s)", sec->name, n,
                     count_name[sec->count]);
  }
  return 0;
}

static int read_all(parse *p) {
  int got = read_header(p);
  if (got < 0 || make_system(p)) return -1;
  const section *last = NULL;
  for (; got > 0; got = next_content_line(&p->r))
    if (dispatch(p, &last)) return -1;
  if (got < 0 || check_required(p)) return -1;
  vf_error special_err;
  if (vf_topology_build_special(&p->s->topo, p->s->n, &special_err))
    return fail_at(&p->r, "%s", special_err.msg);
  return 0;
}

vf_system *vf_read_lammps_data(const char *path, vf_error *err) {
  parse p = {.r = {.path = path, .err = err}};
  /* LAMMPS's defaults when the header gives no box. */
  for (int d = 0; d < 3; d++) {
    p.lo[d] = -0.5;
    p.hi[d] = 0.5;
  }
  if (!(p.r.f = fopen(path, "r"))) {
    vf_fail(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  int bad = read_all(&p);
  fclose(p.r.f);
  free(p.r.buf);
  free(p.key_line);
  free(p.title);
  if (bad) {
    vf_system_free(p.s);
    return NULL;
  }
  return p.s;
}

/* ------------------------------------------------------------------ writer */

/* Text for a one-line field: control characters (newlines) become spaces. */
static void put_text(FILE *f, const char *s) {
  for (; *s; s++) fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

/* Writes " v" with the fewest digits (15 to 17) that read back as exactly v. */
static void put_real(FILE *f, double v) {
  char buf[40];
  for (int digits = 15; digits <= 17; digits++) {
    snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (digits == 17 || strtod(buf, NULL) == v) break;
  }
  fputc(' ', f);
  fputs(buf, f);
}

static void write_header(FILE *f, const vf_system *s) {
  put_text(f, s->title ? s->title : "LAMMPS data file written by vitrify");
  fprintf(f, "\n\n%d atoms\n%d atom types\n", s->n, s->ntypes);
  for (int k = 0; k < VF_NBONDED_KINDS; k++)
    fprintf(f, "%d %ss\n%d %s types\n", s->topo.list[k].n, vf_bonded_kind_name[k],
            s->topo.coeff[k].ntypes, vf_bonded_kind_name[k]);
  const vf_box *b = &s->box;
  const double len[3] = {b->lx, b->ly, b->lz};
  fputc('\n', f);
  /* A file stores bounds, not lengths: a length read as hi - lo comes back exactly,
   * but one changed in memory (strain) can differ by an ulp when lo is not 0. */
  for (int d = 0; d < 3; d++) {
    put_real(f, b->lo[d]);
    put_real(f, b->lo[d] + len[d]);
    fprintf(f, " %clo %chi\n", "xyz"[d], "xyz"[d]);
  }
  if (vf_box_is_triclinic(b)) {
    put_real(f, b->xy);
    put_real(f, b->xz);
    put_real(f, b->yz);
    fputs(" xy xz yz\n", f);
  }
}

static void write_masses(FILE *f, const vf_system *s) {
  fputs("\nMasses\n\n", f);
  for (int t = 0; t < s->ntypes; t++) {
    fprintf(f, "%d", t + 1);
    put_real(f, s->mass[t]);
    if (s->type_name[t]) {
      fputs(" # ", f);
      put_text(f, s->type_name[t]);
    }
    fputc('\n', f);
  }
}

static const char *const coeff_section[VF_NBONDED_KINDS] = {"Bond Coeffs", "Angle Coeffs",
                                                            "Dihedral Coeffs", "Improper Coeffs"};
static const char *const list_section[VF_NBONDED_KINDS] = {"Bonds", "Angles", "Dihedrals",
                                                           "Impropers"};

/* Coefficients are written only when every type of the kind has them (checked
 * before writing); a kind without any is left to the input script. */
static void write_coeffs(FILE *f, const vf_topology *t, int kind) {
  const vf_coeff_table *c = &t->coeff[kind];
  if (c->ntypes == 0 || c->count[0] == 0) return;
  fprintf(f, "\n%s\n\n", coeff_section[kind]);
  for (int type = 0; type < c->ntypes; type++) {
    fprintf(f, "%d", type + 1);
    const double *v = vf_topology_coeff(t, kind, type);
    for (int m = 0; m < c->count[type]; m++) put_real(f, v[m]);
    if (c->label[type]) {
      fputs(" # ", f);
      put_text(f, c->label[type]);
    }
    fputc('\n', f);
  }
}

static void write_atoms(FILE *f, const vf_system *s) {
  fputs("\nAtoms # full\n\n", f);
  for (int i = 0; i < s->n; i++) {
    fprintf(f, "%d %d %d", i + 1, s->mol[i], s->type[i] + 1);
    put_real(f, s->q[i]);
    put_real(f, s->x[i]);
    put_real(f, s->y[i]);
    put_real(f, s->z[i]);
    fprintf(f, " %d %d %d\n", s->ix[i], s->iy[i], s->iz[i]);
  }
  fputs("\nVelocities\n\n", f);
  for (int i = 0; i < s->n; i++) {
    fprintf(f, "%d", i + 1);
    put_real(f, s->vx[i]);
    put_real(f, s->vy[i]);
    put_real(f, s->vz[i]);
    fputc('\n', f);
  }
}

static void write_list(FILE *f, const vf_bonded_list *l, int kind) {
  if (l->n == 0) return;
  fprintf(f, "\n%s\n\n", list_section[kind]);
  for (int k = 0; k < l->n; k++) {
    fprintf(f, "%d %d", k + 1, l->type[k] + 1);
    for (int a = 0; a < l->width; a++) fprintf(f, " %d", l->atom[(size_t)k * l->width + a] + 1);
    fputc('\n', f);
  }
}

/* What LAMMPS (and the reader) would reject, caught before anything is written. */
static int check_writable(const vf_system *s, const char *path, vf_error *err) {
  for (int t = 0; t < s->ntypes; t++)
    if (!(s->mass[t] > 0) || !isfinite(s->mass[t]))
      return vf_fail(err, "%s: atom type %d has mass %g; a data file needs positive masses", path,
                     t + 1, s->mass[t]);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_coeff_table *c = &s->topo.coeff[k];
    for (int t = 1; t < c->ntypes; t++)
      if ((c->count[t] == 0) != (c->count[0] == 0))
        return vf_fail(err, "%s: %s types 1 and %d: only one has coefficients; %s needs all or none",
                       path, vf_bonded_kind_name[k], t + 1, coeff_section[k]);
  }
  return 0;
}

int vf_write_lammps_data(const vf_system *s, const char *path, vf_error *err) {
  if (check_writable(s, path, err)) return -1;
  vf_atomic_file out;
  FILE *f = vf_atomic_open(&out, path, err);
  if (!f) return -1;
  write_header(f, s);
  write_masses(f, s);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) write_coeffs(f, &s->topo, k);
  write_atoms(f, s);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) write_list(f, &s->topo.list[k], k);
  return vf_atomic_commit(&out, err);
}
