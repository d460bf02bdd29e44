#include "zif_perceive.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pointgrid.h"

#define COVALENT_HEAVY 1.70 /* C–C, C–N, N–N */
#define COVALENT_H 1.30     /* C–H, N–H */
#define COVALENT_HH 1.00
#define ZN_N_CONTACT 2.60
#define OVERLAP 0.70

enum element { EL_ZN, EL_C, EL_N, EL_H, EL_OTHER };

/* Contacts of every atom: covalent neighbours and Zn–N coordination, as CSR lists. */
typedef struct contacts {
  int *start, *nbr;     /* covalent */
  int *cstart, *coord;  /* Zn–N */
} contacts;

typedef struct pair_list {
  int *p;
  int n, cap;
} pair_list;

/* Everything the perception steps share. */
typedef struct perception {
  const vf_crystal *c;
  int *element;
  pair_list covalent, coordination;
  contacts k;
  vf_zif_graph *g;
  vf_error *err;
  int overlap_i, overlap_j; /* set when two atoms overlap */
  int atom;                 /* the atom whose neighbours are being searched */
} perception;

static int element_of(const char *symbol) {
  static const char *const known[] = {"Zn", "C", "N", "H"};
  for (int e = 0; e < EL_OTHER; e++)
    if (strcmp(symbol, known[e]) == 0) return e;
  return EL_OTHER;
}

static int fail_atom(const perception *p, int i, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* "file:line: atom C4A (C) at (x, y, z) Å: what". */
static int fail_atom(const perception *p, int i, const char *fmt, ...) {
  char what[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  const vf_crystal_atom *a = &p->c->atom[i];
  double r[3];
  vf_crystal_cartesian(p->c, i, r);
  return vf_fail(p->err, "%s:%d: atom %s (%s) at (%.3f, %.3f, %.3f) Å: %s", p->c->source, a->line,
                 a->label, a->symbol, r[0], r[1], r[2], what);
}

/* ---- contacts ---- */

static int push_pair(pair_list *l, int i, int j) {
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 1024;
    int *np = realloc(l->p, sizeof *np * 2 * (size_t)cap);
    if (!np) return -1;
    l->p = np;
    l->cap = cap;
  }
  l->p[2 * l->n] = i;
  l->p[2 * l->n + 1] = j;
  l->n++;
  return 0;
}

static double covalent_reach(int a, int b) {
  if (a > b) return covalent_reach(b, a);
  if (a == EL_ZN || b == EL_OTHER) return 0.0;
  if (b == EL_H) return a == EL_H ? COVALENT_HH : COVALENT_H;
  return COVALENT_HEAVY;
}

static int is_coordination(int a, int b) {
  return (a == EL_ZN && b == EL_N) || (a == EL_N && b == EL_ZN);
}

/* Classifies the contact of p->atom with j (each pair once, j > atom). */
static int visit_contact(int j, void *ctx) {
  perception *p = ctx;
  const int i = p->atom;
  if (j <= i) return 0;
  double d[3];
  const double r = sqrt(vf_periodic_delta(&p->c->box, p->c->atom[i].frac, p->c->atom[j].frac, d));
  if (r < OVERLAP) {
    p->overlap_i = i;
    p->overlap_j = j;
    return 1;
  }
  const int a = p->element[i], b = p->element[j];
  if (r <= covalent_reach(a, b)) return push_pair(&p->covalent, i, j) ? -1 : 0;
  if (is_coordination(a, b) && r <= ZN_N_CONTACT) return push_pair(&p->coordination, i, j) ? -1 : 0;
  return 0;
}

/* CSR adjacency of a pair list; neighbours in ascending order (pairs arrive sorted by
 * their first atom, the second ascending within bins only, so sort each list). */
static int cmp_int(const void *a, const void *b) {
  const int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int adjacency(const pair_list *l, int n, int **start_out, int **nbr_out) {
  int *start = calloc((size_t)n + 1, sizeof *start);
  int *nbr = malloc(sizeof *nbr * (size_t)(2 * l->n + 1));
  int *fill = malloc(sizeof *fill * (size_t)(n + 1));
  *start_out = start;
  *nbr_out = nbr;
  if (!start || !nbr || !fill) {
    free(fill);
    return -1;
  }
  for (int k = 0; k < 2 * l->n; k++) start[l->p[k] + 1]++;
  for (int i = 0; i < n; i++) start[i + 1] += start[i];
  memcpy(fill, start, sizeof *fill * (size_t)n);
  for (int k = 0; k < l->n; k++) {
    const int i = l->p[2 * k], j = l->p[2 * k + 1];
    nbr[fill[i]++] = j;
    nbr[fill[j]++] = i;
  }
  for (int i = 0; i < n; i++)
    qsort(nbr + start[i], (size_t)(start[i + 1] - start[i]), sizeof(int), cmp_int);
  free(fill);
  return 0;
}

static int find_contacts(perception *p) {
  const vf_crystal *c = p->c;
  vf_pointgrid grid;
  vf_error why;
  if (vf_pointgrid_init(&grid, &c->box, ZN_N_CONTACT, &why))
    return vf_fail(p->err, "%s: %s", c->source, why.msg);
  int rc = 0;
  for (int i = 0; i < c->n && !rc; i++) rc = vf_pointgrid_insert(&grid, i, c->atom[i].frac);
  for (int i = 0; i < c->n && !rc; i++) {
    p->atom = i;
    rc = vf_pointgrid_visit_near(&grid, c->atom[i].frac, visit_contact, p);
  }
  vf_pointgrid_free(&grid);
  if (rc > 0) {
    const vf_crystal_atom *b = &c->atom[p->overlap_j];
    double d[3];
    const double r = sqrt(vf_periodic_delta(&c->box, c->atom[p->overlap_i].frac, b->frac, d));
    return fail_atom(p, p->overlap_i, "only %.3f Å from atom %s (%s, line %d): overlapping atoms "
                     "(unresolved disorder or duplicates?)", r, b->label, b->symbol, b->line);
  }
  if (rc || adjacency(&p->covalent, c->n, &p->k.start, &p->k.nbr) ||
      adjacency(&p->coordination, c->n, &p->k.cstart, &p->k.coord))
    return vf_fail(p->err, "out of memory perceiving bonds");
  return 0;
}

/* ---- sites ---- */

static int degree(const perception *p, int i) { return p->k.start[i + 1] - p->k.start[i]; }
static int neighbour(const perception *p, int i, int m) { return p->k.nbr[p->k.start[i] + m]; }
static int coordination(const perception *p, int i) { return p->k.cstart[i + 1] - p->k.cstart[i]; }

/* Covalent neighbours of i by element. */
static void count_neighbours(const perception *p, int i, int count[EL_OTHER + 1]) {
  memset(count, 0, sizeof(int) * (EL_OTHER + 1));
  for (int m = 0; m < degree(p, i); m++) count[p->element[neighbour(p, i, m)]]++;
}

static int check_elements(const perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->element[i] != EL_OTHER) continue;
    const char *s = p->c->atom[i].symbol;
    if (strcmp(s, "He") == 0 || strcmp(s, "Ne") == 0)
      return fail_atom(p, i, "the nb-ZIF-FF dummy sites are added by the builder; remove the "
                       "He and Ne sites from the structure");
    return fail_atom(p, i, "%s is not part of a zinc-imidazolate framework (Zn, C, N, H only): "
                     "remove solvent and guest molecules from the structure", s);
  }
  return 0;
}

static int type_hydrogens(perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->element[i] != EL_H) continue;
    if (degree(p, i) != 1 || p->element[neighbour(p, i, 0)] != EL_C)
      return fail_atom(p, i, "a hydrogen must be bonded to exactly one ring C (found %d "
                       "neighbours within %.2f Å); stray H, or part of a solvent molecule?",
                       degree(p, i), COVALENT_H);
  }
  return 0;
}

static int type_carbons(perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->element[i] != EL_C) continue;
    int n[EL_OTHER + 1];
    count_neighbours(p, i, n);
    if (n[EL_N] == 2 && n[EL_C] == 0 && n[EL_H] == 1) {
      p->g->site[i] = VF_ZIF_C_NCN;
    } else if (n[EL_N] == 1 && n[EL_C] == 1 && n[EL_H] == 1) {
      p->g->site[i] = VF_ZIF_C_CC;
    } else if (n[EL_H] == 0 && n[EL_N] + n[EL_C] == 2) {
      return fail_atom(p, i, "ring carbon without its hydrogen (none within %.2f Å): missing H?",
                       COVALENT_H);
    } else {
      return fail_atom(p, i, "bonded to %d N, %d C and %d H; an imidazolate carbon has 2 N and "
                       "1 H, or 1 N, 1 C and 1 H (substituted imidazolate or solvent?)",
                       n[EL_N], n[EL_C], n[EL_H]);
    }
  }
  for (int i = 0; i < p->c->n; i++)
    if (p->element[i] == EL_H)
      p->g->site[i] = p->g->site[neighbour(p, i, 0)] == VF_ZIF_C_NCN ? VF_ZIF_H_NCN : VF_ZIF_H_CC;
  return 0;
}

/* An N needs one Zn and two ring C, one of each kind. */
static int type_nitrogens(perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->element[i] != EL_N) continue;
    int n[EL_OTHER + 1];
    count_neighbours(p, i, n);
    if (n[EL_C] != 2 || degree(p, i) != 2)
      return fail_atom(p, i, "bonded to %d C, %d N and %d H; an imidazolate N has two ring C",
                       n[EL_C], n[EL_N], n[EL_H]);
    int *rc = p->g->ring_c + 2 * i;
    for (int m = 0; m < 2; m++) {
      const int c = neighbour(p, i, m);
      rc[p->g->site[c] == VF_ZIF_C_NCN ? 0 : 1] = c;
    }
    if (rc[0] < 0 || rc[1] < 0)
      return fail_atom(p, i, "its two ring C are both %s; an imidazolate N sits between the C "
                       "joining the two N and a backbone C", rc[0] < 0 ? "backbone C" :
                       "between two N");
    if (coordination(p, i) != 1)
      return fail_atom(p, i, "coordinated by %d Zn within %.2f Å (an imidazolate N binds "
                       "exactly one)", coordination(p, i), ZN_N_CONTACT);
    p->g->site[i] = VF_ZIF_N;
  }
  return 0;
}

static int type_zincs(perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->element[i] != EL_ZN) continue;
    if (coordination(p, i) != 4)
      return fail_atom(p, i, "%d N within %.2f Å; a framework Zn has four", coordination(p, i),
                       ZN_N_CONTACT);
    memcpy(p->g->ligand + 4 * i, p->k.coord + p->k.cstart[i], 4 * sizeof(int));
    p->g->site[i] = VF_ZIF_ZN;
  }
  return 0;
}

/* The backbone C of an N's ring, then the ring's other N. */
static int other_n_of_backbone(const perception *p, int cc, int n_from) {
  for (int m = 0; m < degree(p, cc); m++) {
    const int x = neighbour(p, cc, m);
    if (p->element[x] == EL_C) {
      for (int q = 0; q < degree(p, x); q++) {
        const int y = neighbour(p, x, q);
        if (p->element[y] == EL_N && y != n_from) return y;
      }
    }
  }
  return -1;
}

/* Each ring closes: N–C(between)–N' and N–C–C–N'. */
static int check_rings(const perception *p) {
  for (int i = 0; i < p->c->n; i++) {
    if (p->g->site[i] != VF_ZIF_C_NCN) continue;
    int ns[2], k = 0;
    for (int m = 0; m < degree(p, i); m++)
      if (p->element[neighbour(p, i, m)] == EL_N) ns[k++] = neighbour(p, i, m);
    const int across = other_n_of_backbone(p, p->g->ring_c[2 * ns[0] + 1], ns[0]);
    if (across != ns[1])
      return fail_atom(p, i, "its imidazolate ring does not close (N–C–C–N path missing)");
  }
  return 0;
}

static int collect_bonds(perception *p) {
  vf_zif_graph *g = p->g;
  g->bond = malloc(sizeof *g->bond * 2 * (size_t)(p->covalent.n ? p->covalent.n : 1));
  if (!g->bond) return vf_fail(p->err, "out of memory");
  memcpy(g->bond, p->covalent.p, sizeof *g->bond * 2 * (size_t)p->covalent.n);
  g->nbonds = p->covalent.n;
  return 0;
}

static int allocate_graph(vf_zif_graph *g, int n) {
  memset(g, 0, sizeof *g);
  g->n = n;
  g->site = malloc(sizeof *g->site * (size_t)(n ? n : 1));
  g->ligand = malloc(sizeof *g->ligand * 4 * (size_t)(n ? n : 1));
  g->ring_c = malloc(sizeof *g->ring_c * 2 * (size_t)(n ? n : 1));
  if (!g->site || !g->ligand || !g->ring_c) return -1;
  for (int i = 0; i < n; i++) g->site[i] = -1;
  for (int k = 0; k < 4 * n; k++) g->ligand[k] = -1;
  for (int k = 0; k < 2 * n; k++) g->ring_c[k] = -1;
  return 0;
}

static void free_perception(perception *p) {
  free(p->element);
  free(p->covalent.p);
  free(p->coordination.p);
  free(p->k.start);
  free(p->k.nbr);
  free(p->k.cstart);
  free(p->k.coord);
}

int vf_zif_perceive(const vf_crystal *c, vf_zif_graph *g, vf_error *err) {
  perception p = {.c = c, .g = g, .err = err};
  if (allocate_graph(g, c->n) || !(p.element = malloc(sizeof *p.element * (size_t)(c->n + 1)))) {
    free_perception(&p);
    return vf_fail(err, "out of memory for %d atoms", c->n);
  }
  for (int i = 0; i < c->n; i++) p.element[i] = element_of(c->atom[i].symbol);
  int rc = check_elements(&p);
  if (!rc) rc = find_contacts(&p);
  if (!rc) rc = type_hydrogens(&p);
  if (!rc) rc = type_carbons(&p);
  if (!rc) rc = type_nitrogens(&p);
  if (!rc) rc = type_zincs(&p);
  if (!rc) rc = check_rings(&p);
  if (!rc) rc = collect_bonds(&p);
  free_perception(&p);
  return rc;
}

void vf_zif_graph_free(vf_zif_graph *g) {
  free(g->site);
  free(g->bond);
  free(g->ligand);
  free(g->ring_c);
  memset(g, 0, sizeof *g);
}
