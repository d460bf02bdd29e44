#include "bonded_typing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One table row as system atom types (-1 for a name the system does not have). */
typedef struct row_types {
  int t[4];
} row_types;

static int same_order(const int *a, const int *b, int width) {
  for (int k = 0; k < width; k++)
    if (a[k] != b[k]) return 0;
  return 1;
}

static int reversed_order(const int *a, const int *b, int width) {
  for (int k = 0; k < width; k++)
    if (a[k] != b[width - 1 - k]) return 0;
  return 1;
}

/* Central atom equal, the other three the same multiset. */
static int improper_order(const int *a, const int *b) {
  if (a[0] != b[0]) return 0;
  int used[3] = {0, 0, 0};
  for (int k = 1; k < 4; k++) {
    int found = 0;
    for (int m = 0; m < 3 && !found; m++)
      if (!used[m] && b[m + 1] == a[k]) used[m] = found = 1;
    if (!found) return 0;
  }
  return 1;
}

static int matches(int kind, const int *entry, const int *row) {
  const int width = vf_bonded_width[kind];
  if (kind == VF_IMPROPERS) return improper_order(entry, row);
  return same_order(entry, row, width) || reversed_order(entry, row, width);
}

static void label_of(const vf_named_bonded_type *row, int width, char *buf, size_t n) {
  buf[0] = '\0';
  for (int k = 0; k < width; k++) {
    if (k) strncat(buf, " ", n - strlen(buf) - 1);
    strncat(buf, row->atom_type[k], n - strlen(buf) - 1);
  }
}

static int set_kind_types(vf_system *s, int kind, const vf_named_bonded_type *rows, int nrows,
                          row_types *out, vf_error *err) {
  const int width = vf_bonded_width[kind];
  if (vf_topology_set_ntypes(&s->topo, kind, nrows)) return vf_fail(err, "out of memory");
  for (int r = 0; r < nrows; r++) {
    char label[64];
    label_of(&rows[r], width, label, sizeof label);
    if (vf_topology_set_coeff(&s->topo, kind, r, rows[r].ncoeff, rows[r].coeff))
      return vf_fail(err, "%s type %s: %d coefficients (at most %d)", vf_bonded_kind_name[kind],
                     label, rows[r].ncoeff, VF_MAX_COEFF);
    if (vf_topology_set_label(&s->topo, kind, r, label)) return vf_fail(err, "out of memory");
    for (int k = 0; k < width; k++) out[r].t[k] = vf_system_find_type(s, rows[r].atom_type[k]);
  }
  return 0;
}

static int fail_untyped(const vf_system *s, int kind, const int *atoms, vf_error *err) {
  char names[64] = "", ids[64] = "";
  for (int k = 0; k < vf_bonded_width[kind]; k++) {
    const char *name = s->type_name[s->type[atoms[k]]];
    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? " " : "",
             name ? name : "?");
    snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%d", k ? " " : "", atoms[k] + 1);
  }
  return vf_fail(err, "no %s type for atom types %s (atoms %s)", vf_bonded_kind_name[kind], names,
                 ids);
}

static int type_entries(vf_system *s, int kind, const row_types *rows, int nrows, vf_error *err) {
  vf_bonded_list *l = &s->topo.list[kind];
  for (int e = 0; e < l->n; e++) {
    const int *atoms = l->atom + (size_t)e * l->width;
    int entry[4];
    for (int k = 0; k < l->width; k++) entry[k] = s->type[atoms[k]];
    int r = 0;
    while (r < nrows && !matches(kind, entry, rows[r].t)) r++;
    if (r == nrows) return fail_untyped(s, kind, atoms, err);
    l->type[e] = r;
  }
  return 0;
}

int vf_assign_bonded_types(vf_system *s, const vf_named_bonded_table *table, vf_error *err) {
  for (int kind = 0; kind < VF_NBONDED_KINDS; kind++) {
    const int nrows = table->n[kind];
    row_types *rows = malloc(sizeof *rows * (size_t)(nrows ? nrows : 1));
    if (!rows) return vf_fail(err, "out of memory");
    int rc = set_kind_types(s, kind, table->type[kind], nrows, rows, err);
    if (!rc) rc = type_entries(s, kind, rows, nrows, err);
    free(rows);
    if (rc) return rc;
  }
  vf_system_touch_structure(s);
  return 0;
}
