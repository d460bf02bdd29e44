#include "topology.h"

#include <stdlib.h>
#include <string.h>

const char *const vf_bonded_kind_name[VF_NBONDED_KINDS] = {"bond", "angle", "dihedral",
                                                           "improper"};
const int vf_bonded_width[VF_NBONDED_KINDS] = {2, 3, 4, 4};

void vf_topology_init(vf_topology *t) {
  memset(t, 0, sizeof *t);
  for (int k = 0; k < VF_NBONDED_KINDS; k++) t->list[k].width = vf_bonded_width[k];
}

static void free_labels(vf_coeff_table *c) {
  if (c->label)
    for (int i = 0; i < c->ntypes; i++) free(c->label[i]);
  free(c->label);
}

void vf_topology_free(vf_topology *t) {
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    free(t->list[k].atom);
    free(t->list[k].type);
    free(t->coeff[k].count);
    free(t->coeff[k].value);
    free_labels(&t->coeff[k]);
  }
  free(t->special_start);
  free(t->special_atom);
  free(t->special_order);
  vf_topology_init(t);
}

int vf_topology_add(vf_topology *t, int kind, int type, const int *atoms) {
  vf_bonded_list *l = &t->list[kind];
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 64;
    int *a = realloc(l->atom, sizeof(int) * (size_t)cap * l->width);
    if (!a) return -1;
    l->atom = a;
    int *ty = realloc(l->type, sizeof(int) * (size_t)cap);
    if (!ty) return -1;
    l->type = ty;
    l->cap = cap;
  }
  memcpy(l->atom + (size_t)l->n * l->width, atoms, sizeof(int) * l->width);
  l->type[l->n++] = type;
  return 0;
}

int vf_topology_set_ntypes(vf_topology *t, int kind, int ntypes) {
  vf_coeff_table *c = &t->coeff[kind];
  free(c->count);
  free(c->value);
  free_labels(c);
  c->ntypes = ntypes;
  c->count = calloc(ntypes ? ntypes : 1, sizeof(int));
  c->value = calloc((size_t)(ntypes ? ntypes : 1) * VF_MAX_COEFF, sizeof(double));
  c->label = calloc(ntypes ? ntypes : 1, sizeof(char *));
  return (c->count && c->value && c->label) ? 0 : -1;
}

int vf_topology_set_coeff(vf_topology *t, int kind, int type, int count, const double *values) {
  vf_coeff_table *c = &t->coeff[kind];
  if (type < 0 || type >= c->ntypes || count < 0 || count > VF_MAX_COEFF) return -1;
  c->count[type] = count;
  for (int m = 0; m < VF_MAX_COEFF; m++)
    c->value[(size_t)type * VF_MAX_COEFF + m] = m < count ? values[m] : 0.0;
  return 0;
}

int vf_topology_set_label(vf_topology *t, int kind, int type, const char *label) {
  vf_coeff_table *c = &t->coeff[kind];
  if (type < 0 || type >= c->ntypes) return -1;
  free(c->label[type]);
  c->label[type] = label ? strdup(label) : NULL;
  return (label && !c->label[type]) ? -1 : 0;
}

int vf_topology_check(const vf_topology *t, int kind, int natoms, const char *style, int ncoeff,
                      const char *coeff_names, vf_coeff_check check_values, vf_error *err) {
  const vf_bonded_list *l = &t->list[kind];
  const vf_coeff_table *table = &t->coeff[kind];
  const char *what = vf_bonded_kind_name[kind];
  unsigned char *seen = calloc(table->ntypes ? (size_t)table->ntypes : 1, 1);
  if (!seen) return vf_fail(err, "out of memory checking %ss", what);
  int status = 0;
  for (int e = 0; e < l->n && status == 0; e++) {
    const int type = l->type[e];
    if (type < 0 || type >= table->ntypes) {
      status = vf_fail(err, "%s %d: type %d is not one of the %d %s types", what, e + 1, type + 1,
                       table->ntypes, what);
      break;
    }
    for (int m = 0; m < l->width && status == 0; m++) {
      const int a = l->atom[e * l->width + m];
      if (a < 0 || a >= natoms)
        status = vf_fail(err, "%s %d: atom %d is not one of the %d atoms", what, e + 1, a + 1, natoms);
    }
    if (status || seen[type]) continue;
    seen[type] = 1;
    if (table->count[type] != ncoeff)
      status = vf_fail(err, "%s type %d: %s needs %d coefficients (%s), found %d", what, type + 1,
                       style, ncoeff, coeff_names, table->count[type]);
    else
      status = check_values(vf_topology_coeff(t, kind, type), type, err);
  }
  free(seen);
  return status;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int vf_topology_build_special(vf_topology *t, int natoms, vf_error *err) {
  const vf_bonded_list *b = &t->list[VF_BONDS];
  /* Bond graph as CSR adjacency. */
  int *deg = calloc((size_t)natoms + 1, sizeof(int));
  int *adj = malloc(sizeof(int) * (size_t)(2 * b->n + 1));
  int *fill = NULL, *dist = NULL, *found = NULL;
  int *start = NULL, *atom = NULL;
  unsigned char *order = NULL;
  if (!deg || !adj) goto oom;
  for (int k = 0; k < b->n; k++) {
    int i = b->atom[2 * k], j = b->atom[2 * k + 1];
    if (i < 0 || j < 0 || i >= natoms || j >= natoms) {
      free(deg);
      free(adj);
      return vf_fail(err, "bond %d refers to an atom outside 1..%d", k + 1, natoms);
    }
    deg[i + 1]++;
    deg[j + 1]++;
  }
  for (int i = 0; i < natoms; i++) deg[i + 1] += deg[i];
  fill = malloc(sizeof(int) * (size_t)(natoms ? natoms : 1));
  if (!fill) goto oom;
  memcpy(fill, deg, sizeof(int) * (size_t)natoms);
  for (int k = 0; k < b->n; k++) {
    int i = b->atom[2 * k], j = b->atom[2 * k + 1];
    adj[fill[i]++] = j;
    adj[fill[j]++] = i;
  }

  /* Breadth-first search to depth 3 from every atom; dist[] marks visited atoms and
   * is reset through found[] so each search costs only what it visits. */
  dist = malloc(sizeof(int) * (size_t)(natoms ? natoms : 1));
  if (!dist) goto oom;
  for (int i = 0; i < natoms; i++) dist[i] = -1;
  int cap = 1024, total = 0;
  found = malloc(sizeof(int) * 4096);
  start = malloc(sizeof(int) * ((size_t)natoms + 1));
  atom = malloc(sizeof(int) * (size_t)cap);
  order = malloc((size_t)cap);
  if (!found || !start || !atom || !order) goto oom;
  int found_cap = 4096;
  for (int i = 0; i < natoms; i++) {
    start[i] = total;
    int nfound = 0;
    dist[i] = 0;
    found[nfound++] = i;
    int level_begin = 0;
    for (int depth = 1; depth <= 3; depth++) {
      int level_end = nfound;
      for (int f = level_begin; f < level_end; f++) {
        int u = found[f];
        for (int a = deg[u]; a < deg[u + 1]; a++) {
          int v = adj[a];
          if (dist[v] >= 0) continue;
          dist[v] = depth;
          if (nfound == found_cap) {
            found_cap *= 2;
            int *nf = realloc(found, sizeof(int) * (size_t)found_cap);
            if (!nf) goto oom;
            found = nf;
          }
          found[nfound++] = v;
        }
      }
      /* Within one order the partners are listed by index. */
      qsort(found + level_end, (size_t)(nfound - level_end), sizeof(int), cmp_int);
      level_begin = level_end;
    }
    if (total + nfound > cap) {
      while (total + nfound > cap) cap *= 2;
      int *na = realloc(atom, sizeof(int) * (size_t)cap);
      if (!na) goto oom;
      atom = na;
      unsigned char *no = realloc(order, (size_t)cap);
      if (!no) goto oom;
      order = no;
    }
    for (int f = 1; f < nfound; f++) {
      atom[total] = found[f];
      order[total] = (unsigned char)dist[found[f]];
      total++;
    }
    for (int f = 0; f < nfound; f++) dist[found[f]] = -1;
  }
  start[natoms] = total;
  free(t->special_start);
  free(t->special_atom);
  free(t->special_order);
  t->special_start = start;
  t->special_atom = atom;
  t->special_order = order;
  t->special_n = natoms;
  free(deg);
  free(adj);
  free(fill);
  free(dist);
  free(found);
  return 0;
oom:
  free(deg);
  free(adj);
  free(fill);
  free(dist);
  free(found);
  free(start);
  free(atom);
  free(order);
  return vf_fail(err, "out of memory building special neighbour lists");
}

static int copy_array(void **dst, const void *src, size_t bytes) {
  *dst = NULL;
  if (!src || bytes == 0) return 0;
  *dst = malloc(bytes);
  if (!*dst) return -1;
  memcpy(*dst, src, bytes);
  return 0;
}

int vf_topology_copy(vf_topology *dst, const vf_topology *src) {
  vf_topology_init(dst);
  int fail = 0;
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_bonded_list *l = &src->list[k];
    vf_bonded_list *d = &dst->list[k];
    d->n = d->cap = l->n;
    fail |= copy_array((void **)&d->atom, l->atom, sizeof(int) * (size_t)l->n * l->width);
    fail |= copy_array((void **)&d->type, l->type, sizeof(int) * (size_t)l->n);
    const vf_coeff_table *c = &src->coeff[k];
    if (c->ntypes > 0) {
      fail |= vf_topology_set_ntypes(dst, k, c->ntypes);
      if (!fail) {
        memcpy(dst->coeff[k].count, c->count, sizeof(int) * (size_t)c->ntypes);
        memcpy(dst->coeff[k].value, c->value, sizeof(double) * (size_t)c->ntypes * VF_MAX_COEFF);
        for (int i = 0; i < c->ntypes; i++) fail |= vf_topology_set_label(dst, k, i, c->label[i]);
      }
    }
  }
  if (src->special_n > 0) {
    int total = src->special_start[src->special_n];
    dst->special_n = src->special_n;
    fail |= copy_array((void **)&dst->special_start, src->special_start,
                       sizeof(int) * ((size_t)src->special_n + 1));
    fail |= copy_array((void **)&dst->special_atom, src->special_atom, sizeof(int) * (size_t)total);
    fail |= copy_array((void **)&dst->special_order, src->special_order, (size_t)total);
  }
  if (fail) {
    vf_topology_free(dst);
    return -1;
  }
  return 0;
}
