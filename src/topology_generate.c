#include "topology_generate.h"

#include <stdlib.h>
#include <string.h>

/* Bond graph as adjacency lists, neighbours in ascending order. */
typedef struct graph {
  int *start; /* natoms + 1 offsets */
  int *nbr;
} graph;

static int cmp_int(const void *a, const void *b) {
  const int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void free_graph(graph *g) {
  free(g->start);
  free(g->nbr);
}

static int make_graph(const vf_bonded_list *bonds, int natoms, graph *g) {
  g->start = calloc((size_t)natoms + 1, sizeof *g->start);
  g->nbr = malloc(sizeof *g->nbr * (size_t)(2 * bonds->n + 1));
  int *fill = malloc(sizeof *fill * (size_t)(natoms + 1));
  if (!g->start || !g->nbr || !fill) {
    free(fill);
    return -1;
  }
  for (int b = 0; b < bonds->n; b++) {
    g->start[bonds->atom[2 * b] + 1]++;
    g->start[bonds->atom[2 * b + 1] + 1]++;
  }
  for (int i = 0; i < natoms; i++) g->start[i + 1] += g->start[i];
  memcpy(fill, g->start, sizeof *fill * (size_t)natoms);
  for (int b = 0; b < bonds->n; b++) {
    const int i = bonds->atom[2 * b], j = bonds->atom[2 * b + 1];
    g->nbr[fill[i]++] = j;
    g->nbr[fill[j]++] = i;
  }
  for (int i = 0; i < natoms; i++)
    qsort(g->nbr + g->start[i], (size_t)(g->start[i + 1] - g->start[i]), sizeof(int), cmp_int);
  free(fill);
  return 0;
}

/* Lexicographic order of entries (bonds have width 2, dihedrals 4). */
static int cmp_ints(const int *x, const int *y, int width) {
  for (int k = 0; k < width; k++)
    if (x[k] != y[k]) return (x[k] > y[k]) - (x[k] < y[k]);
  return 0;
}
static int cmp_entry2(const void *a, const void *b) { return cmp_ints(a, b, 2); }
static int cmp_entry4(const void *a, const void *b) { return cmp_ints(a, b, 4); }

/* Sorts the entries of a list whose types are all 0 (so only atoms move). */
static void sort_list(vf_bonded_list *l) {
  qsort(l->atom, (size_t)l->n, sizeof(int) * (size_t)l->width,
        l->width == 2 ? cmp_entry2 : cmp_entry4);
}

static void clear_list(vf_bonded_list *l) { l->n = 0; }

static int canonical_bonds(vf_bonded_list *bonds, int natoms, vf_error *err) {
  for (int b = 0; b < bonds->n; b++) {
    int *p = bonds->atom + 2 * b;
    if (p[0] < 0 || p[1] < 0 || p[0] >= natoms || p[1] >= natoms || p[0] == p[1])
      return vf_fail(err, "bond %d joins atoms %d and %d: not two distinct atoms of 1..%d", b + 1,
                     p[0] + 1, p[1] + 1, natoms);
    if (p[0] > p[1]) {
      const int t = p[0];
      p[0] = p[1];
      p[1] = t;
    }
    bonds->type[b] = 0;
  }
  sort_list(bonds);
  return 0;
}

static int add_angles(vf_topology *t, const graph *g, int natoms) {
  for (int j = 0; j < natoms; j++)
    for (int a = g->start[j]; a < g->start[j + 1]; a++)
      for (int b = a + 1; b < g->start[j + 1]; b++) {
        const int e[3] = {g->nbr[a], j, g->nbr[b]};
        if (vf_topology_add(t, VF_ANGLES, 0, e)) return -1;
      }
  return 0;
}

/* Every path i-j-k-l around each bond j-k, once, written with i < l. */
static int add_dihedrals(vf_topology *t, const graph *g) {
  const vf_bonded_list *bonds = &t->list[VF_BONDS];
  for (int b = 0; b < bonds->n; b++) {
    const int j = bonds->atom[2 * b], k = bonds->atom[2 * b + 1];
    for (int a = g->start[j]; a < g->start[j + 1]; a++)
      for (int c = g->start[k]; c < g->start[k + 1]; c++) {
        const int i = g->nbr[a], l = g->nbr[c];
        if (i == k || l == j || i == l) continue;
        const int forward[4] = {i, j, k, l}, backward[4] = {l, k, j, i};
        if (vf_topology_add(t, VF_DIHEDRALS, 0, i < l ? forward : backward)) return -1;
      }
  }
  sort_list(&t->list[VF_DIHEDRALS]);
  return 0;
}

static int add_impropers(vf_topology *t, const graph *g, int natoms) {
  for (int j = 0; j < natoms; j++) {
    const int *n = g->nbr + g->start[j], deg = g->start[j + 1] - g->start[j];
    for (int a = 0; a < deg; a++)
      for (int b = a + 1; b < deg; b++)
        for (int c = b + 1; c < deg; c++) {
          const int e[4] = {j, n[a], n[b], n[c]};
          if (vf_topology_add(t, VF_IMPROPERS, 0, e)) return -1;
        }
  }
  return 0;
}

int vf_topology_generate(vf_topology *t, int natoms, vf_error *err) {
  vf_bonded_list *bonds = &t->list[VF_BONDS];
  if (canonical_bonds(bonds, natoms, err)) return -1;
  for (int k = VF_ANGLES; k < VF_NBONDED_KINDS; k++) clear_list(&t->list[k]);
  graph g = {0};
  int rc = make_graph(bonds, natoms, &g);
  if (!rc) rc = add_angles(t, &g, natoms);
  if (!rc) rc = add_dihedrals(t, &g);
  if (!rc) rc = add_impropers(t, &g, natoms);
  free_graph(&g);
  return rc ? vf_fail(err, "out of memory generating angles, dihedrals and impropers") : 0;
}
