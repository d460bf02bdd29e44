/* cif.c — CIF 1.1 syntax into tag -> column-of-values, then the few items a crystal
 * needs. Only the first data block is read. */
#include "cif.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extxyz.h" /* vf_element_symbol */

/* ---- tokens ---- */

enum token_kind { TOK_END, TOK_DATA, TOK_LOOP, TOK_TAG, TOK_VALUE, TOK_RESERVED };

typedef struct token {
  int kind;
  const char *text; /* in the parser's arena; NULL for TOK_END */
  int line;
} token;

typedef struct lexer {
  const char *p;
  int line;
  int line_start; /* p is at the beginning of a line */
} lexer;

/* Shared by the parsing steps: where we are, for "path:line: what" messages. Token
 * texts live in an arena freed at the end, so no step has to track who owns them. */
typedef struct parser {
  const char *path;
  lexer lex;
  vf_error *err;
  char **arena;
  int narena, arena_cap;
} parser;

static int fail_at(const parser *ps, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail_at(const parser *ps, int line, const char *fmt, ...) {
  char what[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return vf_fail(ps->err, "%s:%d: %s", ps->path, line, what);
}

static void advance(lexer *lx) {
  if (*lx->p == '\n') {
    lx->line++;
    lx->line_start = 1;
  } else {
    lx->line_start = 0;
  }
  lx->p++;
}

static void skip_blanks_and_comments(lexer *lx) {
  for (;;) {
    while (*lx->p && isspace((unsigned char)*lx->p)) advance(lx);
    if (*lx->p != '#') return;
    while (*lx->p && *lx->p != '\n') advance(lx);
  }
}

/* A copy of [begin, end) kept until the parse ends; NULL when out of memory. */
static const char *keep(parser *ps, const char *begin, const char *end) {
  if (ps->narena == ps->arena_cap) {
    int cap = ps->arena_cap ? 2 * ps->arena_cap : 1024;
    char **a = realloc(ps->arena, sizeof *a * (size_t)cap);
    if (!a) return NULL;
    ps->arena = a;
    ps->arena_cap = cap;
  }
  char *s = malloc((size_t)(end - begin) + 1);
  if (!s) return NULL;
  memcpy(s, begin, (size_t)(end - begin));
  s[end - begin] = '\0';
  return ps->arena[ps->narena++] = s;
}

static void free_arena(parser *ps) {
  for (int k = 0; k < ps->narena; k++) free(ps->arena[k]);
  free(ps->arena);
}

/* ;-delimited text field: from after the opening ';' to the next line starting with ';'. */
static int lex_text_field(parser *ps, token *t) {
  lexer *lx = &ps->lex;
  advance(lx);
  const char *begin = lx->p;
  for (;;) {
    if (!*lx->p) return fail_at(ps, t->line, "text field opened with ';' here is never closed");
    if (lx->line_start && *lx->p == ';') break;
    advance(lx);
  }
  const char *end = lx->p;
  if (end > begin && end[-1] == '\n') end--;
  advance(lx);
  t->kind = TOK_VALUE;
  t->text = keep(ps, begin, end);
  return t->text ? 0 : fail_at(ps, t->line, "out of memory");
}

/* 'quoted' or "quoted": the quote closes only when followed by a blank or line end. */
static int lex_quoted(parser *ps, token *t) {
  lexer *lx = &ps->lex;
  const char quote = *lx->p;
  advance(lx);
  const char *begin = lx->p;
  for (;;) {
    if (!*lx->p || *lx->p == '\n')
      return fail_at(ps, t->line, "quoted string (%c) is not closed on its line", quote);
    if (*lx->p == quote && (!lx->p[1] || isspace((unsigned char)lx->p[1]))) break;
    advance(lx);
  }
  t->kind = TOK_VALUE;
  t->text = keep(ps, begin, lx->p);
  advance(lx);
  return t->text ? 0 : fail_at(ps, t->line, "out of memory");
}

static int starts_with_nocase(const char *s, const char *prefix) {
  return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int word_kind(const char *w) {
  if (w[0] == '_') return TOK_TAG;
  if (starts_with_nocase(w, "data_")) return TOK_DATA;
  if (strcasecmp(w, "loop_") == 0) return TOK_LOOP;
  if (starts_with_nocase(w, "save_") || strcasecmp(w, "global_") == 0 ||
      strcasecmp(w, "stop_") == 0)
    return TOK_RESERVED;
  return TOK_VALUE;
}

static int next_token(parser *ps, token *t) {
  lexer *lx = &ps->lex;
  skip_blanks_and_comments(lx);
  t->text = NULL;
  t->line = lx->line;
  if (!*lx->p) {
    t->kind = TOK_END;
    return 0;
  }
  if (lx->line_start && *lx->p == ';') return lex_text_field(ps, t);
  if (*lx->p == '\'' || *lx->p == '"') return lex_quoted(ps, t);
  const char *begin = lx->p;
  while (*lx->p && !isspace((unsigned char)*lx->p)) advance(lx);
  t->text = keep(ps, begin, lx->p);
  if (!t->text) return fail_at(ps, t->line, "out of memory");
  t->kind = word_kind(t->text);
  return 0;
}

/* ---- items: every tag of the block with its values (one for plain items) ---- */

typedef struct column {
  const char *tag;
  int tag_line;
  int loop; /* loop number, or -1 for a plain item */
  int n, cap;
  const char **value;
  int *line;
} column;

typedef struct items {
  column *col;
  int n, cap;
  int nloops;
} items;

static void free_items(items *it) {
  for (int c = 0; c < it->n; c++) {
    free(it->col[c].value);
    free(it->col[c].line);
  }
  free(it->col);
}

static column *find_column(const items *it, const char *tag) {
  for (int c = 0; c < it->n; c++)
    if (strcasecmp(it->col[c].tag, tag) == 0) return &it->col[c];
  return NULL;
}

static int add_column(parser *ps, items *it, const token *tag, int loop) {
  const column *old = find_column(it, tag->text);
  if (old)
    return fail_at(ps, tag->line, "%s is given twice (first at line %d)", tag->text,
                   old->tag_line);
  if (it->n == it->cap) {
    int cap = it->cap ? 2 * it->cap : 32;
    column *c = realloc(it->col, sizeof *c * (size_t)cap);
    if (!c) return fail_at(ps, tag->line, "out of memory");
    it->col = c;
    it->cap = cap;
  }
  column *c = &it->col[it->n++];
  memset(c, 0, sizeof *c);
  c->tag = tag->text;
  c->tag_line = tag->line;
  c->loop = loop;
  return 0;
}

static int add_value(parser *ps, column *c, const token *v) {
  if (c->n == c->cap) {
    int cap = c->cap ? 2 * c->cap : 8;
    const char **nv = realloc(c->value, sizeof *nv * (size_t)cap);
    if (nv) c->value = nv;
    int *nl = realloc(c->line, sizeof *nl * (size_t)cap);
    if (nl) c->line = nl;
    if (!nv || !nl) return fail_at(ps, v->line, "out of memory");
    c->cap = cap;
  }
  c->value[c->n] = v->text;
  c->line[c->n++] = v->line;
  return 0;
}

/* Line of value k of a loop whose columns start at first. */
static int loop_value_line(const items *it, int first, int ntags, long k) {
  return it->col[first + k % ntags].line[k / ntags];
}

/* A loop whose values do not fill whole rows. Rows are usually one per line, so the
 * first line holding a different number of values is most likely the broken row. */
static int fail_ragged_loop(parser *ps, const items *it, int first, int ntags, long nvalues,
                            int loop_line) {
  for (long k = 0; k < nvalues;) {
    const int line = loop_value_line(it, first, ntags, k);
    long on_line = 0;
    while (k < nvalues && loop_value_line(it, first, ntags, k) == line) k++, on_line++;
    if (on_line != ntags)
      return fail_at(ps, line,
                     "row of the loop_ of line %d has %ld values, expected %d (one per tag); "
                     "a value is missing or one with spaces is not quoted",
                     loop_line, on_line, ntags);
  }
  return fail_at(ps, loop_line, "loop_ has %d tags but %ld values, not a whole number of rows",
                 ntags, nvalues);
}

/* loop_ tag... value...: the values fill the columns row by row. *next receives the
 * token after the loop. */
static int parse_loop(parser *ps, items *it, const token *loop_token, token *next) {
  const int first = it->n, loop = it->nloops++;
  int rc = 0;
  while (!(rc = next_token(ps, next)) && next->kind == TOK_TAG)
    if ((rc = add_column(ps, it, next, loop))) return rc;
  if (rc) return rc;
  const int ntags = it->n - first;
  if (ntags == 0) return fail_at(ps, loop_token->line, "loop_ has no tags");
  long nvalues = 0;
  while (next->kind == TOK_VALUE) {
    if ((rc = add_value(ps, &it->col[first + nvalues % ntags], next))) return rc;
    nvalues++;
    if ((rc = next_token(ps, next))) return rc;
  }
  if (nvalues == 0)
    return fail_at(ps, loop_token->line, "loop_ with %s has no values", it->col[first].tag);
  if (nvalues % ntags) return fail_ragged_loop(ps, it, first, ntags, nvalues, loop_token->line);
  return 0;
}

static const char *kind_word(const token *t) {
  switch (t->kind) {
    case TOK_END: return "the end of the file";
    case TOK_DATA: return "a data_ block header";
    case TOK_LOOP: return "loop_";
    case TOK_TAG: return "a tag";
    default: return "a value";
  }
}

/* tag value: one plain item. *t is the tag on entry and the token after on return. */
static int parse_item(parser *ps, items *it, token *t) {
  const token tag = *t;
  int rc = next_token(ps, t);
  if (rc) return rc;
  if (t->kind != TOK_VALUE)
    return fail_at(ps, tag.line, "%s has no value (found %s)", tag.text, kind_word(t));
  if ((rc = add_column(ps, it, &tag, -1)) || (rc = add_value(ps, &it->col[it->n - 1], t)))
    return rc;
  return next_token(ps, t);
}

/* Reads the first data block into it; a second data_ header ends it. */
static int parse_block(parser *ps, items *it) {
  token t;
  int rc = next_token(ps, &t);
  if (rc) return rc;
  if (t.kind == TOK_END) return fail_at(ps, t.line, "no data_ block: not a CIF file");
  if (t.kind != TOK_DATA)
    return fail_at(ps, t.line, "expected a data_ block header, found '%s'", t.text);
  if ((rc = next_token(ps, &t))) return rc;
  while (t.kind != TOK_END && t.kind != TOK_DATA) {
    if (t.kind == TOK_LOOP) {
      const token loop = t;
      rc = parse_loop(ps, it, &loop, &t);
    } else if (t.kind == TOK_TAG) {
      rc = parse_item(ps, it, &t);
    } else if (t.kind == TOK_VALUE) {
      rc = fail_at(ps, t.line, "value '%s' has no tag", t.text);
    } else {
      rc = fail_at(ps, t.line, "%s is not supported", t.text);
    }
    if (rc) return rc;
  }
  return 0;
}

/* ---- values ---- */

static int is_null(const char *v) { return strcmp(v, "?") == 0 || strcmp(v, ".") == 0; }

/* A number with an optional standard uncertainty in parentheses: "1.234(5)". */
static int to_number(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno == ERANGE || !isfinite(v)) return -1;
  if (*end == '(') {
    const char *d = end + 1;
    while (isdigit((unsigned char)*d)) d++;
    if (d == end + 1 || *d != ')') return -1;
    end = (char *)d + 1;
  }
  if (*end) return -1;
  *out = v;
  return 0;
}

static int number_at(parser *ps, const column *c, int row, const char *what, double *out) {
  if (to_number(c->value[row], out))
    return fail_at(ps, c->line[row], "%s%s: '%s' is not a number", c->tag, what, c->value[row]);
  return 0;
}

/* "ZN1" -> "Zn", "c4a" -> "C", "Zn2+" -> "Zn"; "" when no symbol fits. */
static void element_of(const char *s, char out[4]) {
  char word[4] = {0};
  for (int k = 0; k < 3 && isalpha((unsigned char)s[k]); k++)
    word[k] = (char)(k ? tolower((unsigned char)s[k]) : toupper((unsigned char)s[k]));
  const char *el = vf_element_symbol(word);
  snprintf(out, 4, "%s", strcmp(el, "X") == 0 ? "" : el);
}

/* ---- the items a crystal needs ---- */

static const char *const cell_tags[6] = {"_cell_length_a",    "_cell_length_b",
                                         "_cell_length_c",    "_cell_angle_alpha",
                                         "_cell_angle_beta",  "_cell_angle_gamma"};

static int read_cell(parser *ps, const items *it, vf_cif *cif) {
  for (int k = 0; k < 6; k++) {
    const column *c = find_column(it, cell_tags[k]);
    if (!c) return vf_fail(ps->err, "%s: no %s (the cell is required)", ps->path, cell_tags[k]);
    if (c->loop >= 0) return fail_at(ps, c->tag_line, "%s must not be in a loop", c->tag);
    if (number_at(ps, c, 0, "", &cif->cell[k])) return -1;
    cif->cell_line[k] = c->line[0];
  }
  return 0;
}

/* The column tag of the atom-site loop, or NULL; it must belong to the loop of x. */
static int site_column(parser *ps, const items *it, const char *tag, const column *x,
                       const column **out) {
  const column *c = find_column(it, tag);
  if (c && c->loop != x->loop)
    return fail_at(ps, c->tag_line, "%s is not in the loop of _atom_site_fract_x (line %d)", tag,
                   x->tag_line);
  *out = c;
  return 0;
}

static int read_site(parser *ps, const column *col[6], int row, vf_cif_site *s) {
  const column *label = col[0], *symbol = col[1], *occ = col[5];
  const column *const *xyz = col + 2;
  s->line = xyz[0]->line[row];
  if (label)
    snprintf(s->label, sizeof s->label, "%s", label->value[row]);
  else
    snprintf(s->label, sizeof s->label, "%s%d", symbol ? symbol->value[row] : "site", row + 1);
  char where[VF_CIF_LABEL_MAX + 16];
  snprintf(where, sizeof where, " of site %s", s->label);
  for (int d = 0; d < 3; d++)
    if (number_at(ps, xyz[d], row, where, &s->frac[d])) return -1;
  s->occupancy = 1.0;
  if (occ && !is_null(occ->value[row]) && number_at(ps, occ, row, where, &s->occupancy)) return -1;
  const char *from = symbol ? symbol->value[row] : s->label;
  element_of(from, s->symbol);
  if (!s->symbol[0])
    return fail_at(ps, s->line, "site %s: cannot tell the element from '%s'%s", s->label, from,
                   symbol ? "" : " (no _atom_site_type_symbol)");
  return 0;
}

static int read_sites(parser *ps, const items *it, vf_cif *cif) {
  static const char *const tags[6] = {"_atom_site_label",   "_atom_site_type_symbol",
                                      "_atom_site_fract_x", "_atom_site_fract_y",
                                      "_atom_site_fract_z", "_atom_site_occupancy"};
  const column *x = find_column(it, tags[2]);
  if (!x)
    return vf_fail(ps->err, "%s: no _atom_site_fract_x (atom sites with fractional coordinates "
                   "are required)", ps->path);
  const column *col[6];
  for (int k = 0; k < 6; k++)
    if (site_column(ps, it, tags[k], x, &col[k])) return -1;
  for (int d = 3; d <= 4; d++)
    if (!col[d]) return vf_fail(ps->err, "%s: no %s", ps->path, tags[d]);
  cif->site = calloc((size_t)x->n, sizeof *cif->site);
  if (!cif->site) return vf_fail(ps->err, "%s: out of memory for %d sites", ps->path, x->n);
  for (int row = 0; row < x->n; row++) {
    if (read_site(ps, col, row, &cif->site[row])) return -1;
    cif->nsites++;
  }
  return 0;
}

static int read_symops(parser *ps, const items *it, vf_cif *cif) {
  const column *c = find_column(it, "_space_group_symop_operation_xyz");
  if (!c) c = find_column(it, "_symmetry_equiv_pos_as_xyz");
  const int n = c ? c->n : 1;
  cif->op = calloc((size_t)n, sizeof *cif->op);
  cif->op_line = calloc((size_t)n, sizeof *cif->op_line);
  if (!cif->op || !cif->op_line) return vf_fail(ps->err, "%s: out of memory", ps->path);
  if (!c) {
    vf_symop_identity(&cif->op[0]);
    cif->nops = 1;
    return 0;
  }
  for (int k = 0; k < n; k++) {
    vf_error why;
    if (vf_symop_parse(c->value[k], &cif->op[k], &why))
      return fail_at(ps, c->line[k], "%s", why.msg);
    cif->op_line[k] = c->line[k];
    cif->nops++;
  }
  return 0;
}

int vf_cif_parse(const char *text, const char *path, vf_cif *cif, vf_error *err) {
  memset(cif, 0, sizeof *cif);
  if (!(cif->path = strdup(path))) return vf_fail(err, "%s: out of memory", path);
  parser ps = {.path = path, .lex = {.p = text, .line = 1, .line_start = 1}, .err = err};
  items it = {0};
  int rc = parse_block(&ps, &it);
  if (!rc) rc = read_cell(&ps, &it, cif);
  if (!rc) rc = read_sites(&ps, &it, cif);
  if (!rc) rc = read_symops(&ps, &it, cif);
  free_items(&it);
  free_arena(&ps);
  return rc;
}

static char *slurp(const char *path, vf_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    vf_fail(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    char *grown = realloc(buf, cap *= 2);
    if (!grown) free(buf);
    buf = grown;
  }
  const int failed = ferror(f);
  fclose(f);
  if (!buf) {
    vf_fail(err, "%s: out of memory reading it", path);
    return NULL;
  }
  if (failed) {
    free(buf);
    vf_fail(err, "%s: cannot read: input error", path);
    return NULL;
  }
  buf[n] = '\0';
  if (memchr(buf, '\0', n)) {
    free(buf);
    vf_fail(err, "%s: contains NUL bytes: not a text (CIF) file", path);
    return NULL;
  }
  return buf;
}

int vf_cif_read(const char *path, vf_cif *cif, vf_error *err) {
  memset(cif, 0, sizeof *cif);
  char *text = slurp(path, err);
  if (!text) return -1;
  int rc = vf_cif_parse(text, path, cif, err);
  free(text);
  return rc;
}

void vf_cif_free(vf_cif *cif) {
  free(cif->path);
  free(cif->site);
  free(cif->op);
  free(cif->op_line);
  memset(cif, 0, sizeof *cif);
}
