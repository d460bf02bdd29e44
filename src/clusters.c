#include "clusters.h"

#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Padding slots sit far away, each at its own place, so no arithmetic on them can
 * divide by zero even before masking. */
#define PAD_DISTANCE 1.0e6

/* One thread's share of a build. */
typedef struct vf_cluster_scratch {
  int *cj;
  uint64_t *mask;
  int n, cap;
  int *morse_atom, *morse_slot;
  unsigned char *morse_order;
  int nmorse, cap_morse;
  uint32_t *mark; /* per atom: 4-bit special order relative to each atom of the i cluster */
  int mark_n;
} vf_cluster_scratch;

void vf_clusters_init(vf_cluster_list *cl) { memset(cl, 0, sizeof *cl); }

static void scratch_free(vf_cluster_scratch *t) {
  free(t->cj);
  free(t->mask);
  free(t->morse_atom);
  free(t->morse_slot);
  free(t->morse_order);
  free(t->mark);
}

void vf_clusters_free(vf_cluster_list *cl) {
  free(cl->x); free(cl->y); free(cl->z); free(cl->q);
  free(cl->type); free(cl->atom); free(cl->source); free(cl->shift);
  free(cl->lj_c12); free(cl->lj_c6); free(cl->lj_c12f); free(cl->lj_c6f); free(cl->qf);
  free(cl->pair_start); free(cl->outer_cj); free(cl->outer_mask);
  free(cl->pair_far); free(cl->pair_end); free(cl->work_end); free(cl->energy);
  free(cl->pair_cj); free(cl->pair_mask);
  free(cl->pair_coul_rows);
  free(cl->morse_atom); free(cl->morse_slot); free(cl->morse_order);
  free(cl->near_i); free(cl->near_j); free(cl->near_slot);
  free(cl->near_d0); free(cl->near_alpha); free(cl->near_r0);
  free(cl->atom_start); free(cl->atom_slots);
  for (int t = 0; t < cl->nscratch; t++) scratch_free(&cl->scratch[t]);
  free(cl->scratch);
  vf_clusters_init(cl);
}

/* Resizes *p to hold n items of size bytes (at least one). */
static int resize(void **p, long n, size_t size) {
  void *q = realloc(*p, size * (size_t)(n > 0 ? n : 1));
  if (!q) return -1;
  *p = q;
  return 0;
}

/* --- clusters of the atoms ---------------------------------------------------- */

typedef struct sort_key {
  double z;
  int index;
} sort_key;

static int by_z(const void *a, const void *b) {
  const sort_key *p = a, *q = b;
  if (p->z != q->z) return p->z < q->z ? -1 : 1;
  return (p->index > q->index) - (p->index < q->index);
}

/* Atoms into columns of a grid in x-y whose cross-section holds about one cluster per
 * cluster height, each column sorted by z and cut into clusters; fills order with
 * atom indices (padding -1) and returns its length (a multiple of VF_CLUSTER). */
static int cluster_atoms(const vf_system *s, int *order) {
  const int n = s->n;
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (int i = 0; i < n; i++) {
    lo[0] = fmin(lo[0], s->x[i]); hi[0] = fmax(hi[0], s->x[i]);
    lo[1] = fmin(lo[1], s->y[i]); hi[1] = fmax(hi[1], s->y[i]);
  }
  const double edge = cbrt(VF_CLUSTER * vf_box_volume(&s->box) / (n ? n : 1));
  const int ncx = (int)fmax(1, ceil((hi[0] - lo[0]) / edge));
  const int ncy = (int)fmax(1, ceil((hi[1] - lo[1]) / edge));
  const int ncol = ncx * ncy;
  int *start = calloc((size_t)ncol + 1, sizeof(int));
  int *column = malloc(sizeof(int) * (size_t)(n ? n : 1));
  sort_key *keys = malloc(sizeof *keys * (size_t)(n ? n : 1));
  int *fill = malloc(sizeof(int) * (size_t)ncol);
  int norder = -1;
  if (!start || !column || !keys || !fill) goto done;
  for (int i = 0; i < n; i++) {
    int cx = (int)((s->x[i] - lo[0]) / edge), cy = (int)((s->y[i] - lo[1]) / edge);
    cx = cx < 0 ? 0 : (cx >= ncx ? ncx - 1 : cx);
    cy = cy < 0 ? 0 : (cy >= ncy ? ncy - 1 : cy);
    column[i] = cy * ncx + cx;
    start[column[i] + 1]++;
  }
  for (int c = 0; c < ncol; c++) start[c + 1] += start[c];
  memcpy(fill, start, sizeof(int) * (size_t)ncol);
  for (int i = 0; i < n; i++) keys[fill[column[i]]++] = (sort_key){s->z[i], i};
  norder = 0;
  for (int c = 0; c < ncol; c++) {
    const int m = start[c + 1] - start[c];
    if (m == 0) continue;
    qsort(keys + start[c], (size_t)m, sizeof *keys, by_z);
    const int padded = (m + VF_CLUSTER - 1) / VF_CLUSTER * VF_CLUSTER;
    for (int k = 0; k < padded; k++) order[norder++] = k < m ? keys[start[c] + k].index : -1;
  }
done:
  free(start);
  free(column);
  free(keys);
  free(fill);
  return norder;
}

/* Fractional extent of a local cluster (its atoms' wrapped positions). */
static void fractional_extent(const vf_cluster_list *cl, const vf_system *s, int c, double lo[3],
                              double hi[3]) {
  for (int d = 0; d < 3; d++) {
    lo[d] = INFINITY;
    hi[d] = -INFINITY;
  }
  for (int k = c * VF_CLUSTER; k < (c + 1) * VF_CLUSTER; k++) {
    if (cl->atom[k] < 0) continue;
    const double r[3] = {cl->x[k], cl->y[k], cl->z[k]};
    double f[3];
    vf_box_to_frac(&s->box, r, f);
    for (int d = 0; d < 3; d++) {
      lo[d] = fmin(lo[d], f[d]);
      hi[d] = fmax(hi[d], f[d]);
    }
  }
}

/* The half rule's direction of a lattice shift: its last nonzero component's sign. */
static int shift_sign(const int S[3]) { return S[2] ? S[2] : S[1] ? S[1] : S[0]; }

/* Images of whole clusters within rlist of the cell (fractional margin cf), for the
 * positive shifts only: by the half rule (half_key) a local cluster meets only those,
 * the negative ones' pairs being their mirrors. */
static int make_images(vf_cluster_list *cl, const vf_system *s, double rlist) {
  double w[3], cf[3];
  int reach[3];
  vf_box_face_widths(&s->box, w);
  for (int d = 0; d < 3; d++) {
    cf[d] = rlist / w[d];
    reach[d] = (int)ceil(cf[d]) + 1;
  }
  double *ext = malloc(sizeof(double) * 6 * (size_t)(cl->nlocal ? cl->nlocal : 1));
  if (!ext) return -1;
  for (int c = 0; c < cl->nlocal; c++) fractional_extent(cl, s, c, ext + 6 * c, ext + 6 * c + 3);
  long cap = cl->nlocal, count = cl->nlocal;
  if (resize((void **)&cl->source, cap, sizeof(int)) ||
      resize((void **)&cl->shift, 3 * cap, sizeof(int))) {
    free(ext);
    return -1;
  }
  for (int c = 0; c < cl->nlocal; c++) {
    cl->source[c] = c;
    cl->shift[3 * c] = cl->shift[3 * c + 1] = cl->shift[3 * c + 2] = 0;
  }
  for (int a = -reach[0]; a <= reach[0]; a++)
    for (int b = -reach[1]; b <= reach[1]; b++)
      for (int k = -reach[2]; k <= reach[2]; k++) {
        const int S[3] = {a, b, k};
        if (shift_sign(S) <= 0) continue; /* 0: the cell itself */
        for (int c = 0; c < cl->nlocal; c++) {
          const double *lo = ext + 6 * c, *hi = lo + 3;
          int inside = 1;
          for (int d = 0; d < 3 && inside; d++)
            inside = lo[d] + S[d] < 1.0 + cf[d] && hi[d] + S[d] > -cf[d];
          if (!inside) continue;
          if (count == cap) {
            cap *= 2;
            if (resize((void **)&cl->source, cap, sizeof(int)) ||
                resize((void **)&cl->shift, 3 * cap, sizeof(int))) {
              free(ext);
              return -1;
            }
          }
          cl->source[count] = c;
          for (int d = 0; d < 3; d++) cl->shift[3 * count + d] = S[d];
          count++;
        }
      }
  free(ext);
  cl->nclusters = (int)count;
  cl->nslots = (int)count * VF_CLUSTER;
  return 0;
}

static int fill_slots(vf_cluster_list *cl, const vf_system *s, const int *order, int ntypes) {
  double **d[] = {&cl->x, &cl->y, &cl->z, &cl->q};
  for (size_t k = 0; k < 4; k++)
    if (resize((void **)d[k], cl->nslots, sizeof(double))) return -1;
  if (resize((void **)&cl->type, cl->nslots, sizeof(int)) ||
      resize((void **)&cl->atom, cl->nslots, sizeof(int)) ||
      resize((void **)&cl->qf, cl->nslots, sizeof(float)))
    return -1;
  for (int k = 0; k < cl->nslots; k++) {
    const int c = k / VF_CLUSTER, local = cl->source[c] * VF_CLUSTER + k % VF_CLUSTER;
    const int a = order ? order[local] : cl->atom[local];
    cl->atom[k] = a;
    cl->type[k] = a >= 0 ? s->type[a] : ntypes;
    cl->q[k] = a >= 0 ? s->q[a] : 0.0;
    cl->qf[k] = (float)cl->q[k];
  }
  return 0;
}

/* The per-type rows of LJ coefficients (see clusters.h). */
static int fill_lj_rows(vf_cluster_list *cl, const vf_pair_params *p) {
  const long n = (long)p->ntypes * cl->nslots;
  if (resize((void **)&cl->lj_c12, n, sizeof(double)) ||
      resize((void **)&cl->lj_c6, n, sizeof(double)) ||
      resize((void **)&cl->lj_c12f, n, sizeof(float)) ||
      resize((void **)&cl->lj_c6f, n, sizeof(float)))
    return -1;
#pragma omp parallel for schedule(static)
  for (int t = 0; t < p->ntypes; t++)
    for (int k = 0; k < cl->nslots; k++) {
      const int tj = cl->type[k], pair = t * p->ntypes + tj;
      const int lj = tj < p->ntypes && p->has_lj[pair];
      cl->lj_c12[(long)t * cl->nslots + k] = lj ? p->lj1[pair] : 0.0;
      cl->lj_c6[(long)t * cl->nslots + k] = lj ? p->lj2[pair] : 0.0;
      cl->lj_c12f[(long)t * cl->nslots + k] = (float)cl->lj_c12[(long)t * cl->nslots + k];
      cl->lj_c6f[(long)t * cl->nslots + k] = (float)cl->lj_c6[(long)t * cl->nslots + k];
    }
  return 0;
}

void vf_clusters_update_positions(vf_cluster_list *cl, const vf_system *s) {
  const vf_box *b = &s->box;
#pragma omp parallel for schedule(static)
  for (int k = 0; k < cl->nslots; k++) {
    const int a = cl->atom[k];
    if (a < 0) {
      cl->x[k] = cl->y[k] = PAD_DISTANCE * (1 + k);
      cl->z[k] = -PAD_DISTANCE * (1 + k);
      continue;
    }
    const int *S = cl->shift + 3 * (k / VF_CLUSTER);
    cl->x[k] = s->x[a] + S[0] * b->lx + S[1] * b->xy + S[2] * b->xz;
    cl->y[k] = s->y[a] + S[1] * b->ly + S[2] * b->yz;
    cl->z[k] = s->z[a] + S[2] * b->lz;
  }
}

/* --- cluster pairs ----------------------------------------------------------- */

#define VF_GRID_REACH_MAX 16 /* cells searched either side of a cluster's */

typedef struct box6 {
  double lo[3], hi[3];
} box6;

static double box_distance2(const box6 *a, const box6 *b) {
  double d2 = 0;
  for (int d = 0; d < 3; d++) {
    /* (two maxsd, no branches; fmax would be a libm call per use here) */
    const double below = a->lo[d] - b->hi[d], above = b->lo[d] - a->hi[d];
    const double larger = below > above ? below : above;
    const double gap = larger > 0.0 ? larger : 0.0;
    d2 += gap * gap;
  }
  return d2;
}

static void cluster_box(const vf_cluster_list *cl, int c, box6 *b) {
  for (int d = 0; d < 3; d++) {
    b->lo[d] = INFINITY;
    b->hi[d] = -INFINITY;
  }
  for (int k = c * VF_CLUSTER; k < (c + 1) * VF_CLUSTER; k++) {
    if (cl->atom[k] < 0) continue;
    const double r[3] = {cl->x[k], cl->y[k], cl->z[k]};
    for (int d = 0; d < 3; d++) {
      b->lo[d] = fmin(b->lo[d], r[d]);
      b->hi[d] = fmax(b->hi[d], r[d]);
    }
  }
}

typedef struct grid {
  double lo[3], cell, widest;
  int n[3];
  int *start, *members; /* clusters by cell */
  /* per member, in the same order (the search reads them in sequence): its box and
   * half_key */
  box6 *box;
  int *key;
  int reach;            /* cells to search either side */
} grid;

static void cell_of(const grid *g, const box6 *b, int idx[3]) {
  for (int d = 0; d < 3; d++) {
    const double centre = 0.5 * (b->lo[d] + b->hi[d]);
    int k = (int)((centre - g->lo[d]) / g->cell);
    idx[d] = k < 0 ? 0 : (k >= g->n[d] ? g->n[d] - 1 : k);
  }
}

/* The cluster-level half rule: (ci, image cj) is kept from ci, its mirror is not.
 * As a key: kept when half_key(cl, cj) >= ci. */
static int half_key(const vf_cluster_list *cl, int cj) {
  const int sign = shift_sign(cl->shift + 3 * cj);
  return sign > 0 ? INT_MAX : sign < 0 ? -1 : cl->source[cj];
}

static int build_grid(grid *g, const vf_cluster_list *cl, const box6 *boxes, int nclusters,
                      double rlist) {
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
  double widest = 0;
  for (int c = 0; c < nclusters; c++)
    for (int d = 0; d < 3; d++) {
      lo[d] = fmin(lo[d], boxes[c].lo[d]);
      hi[d] = fmax(hi[d], boxes[c].hi[d]);
      widest = fmax(widest, boxes[c].hi[d] - boxes[c].lo[d]);
    }
  /* Cells of half the widest cluster (the sphere searched in search_cluster then
   * leaves out more of the cube's corners), but no more than VF_GRID_REACH_MAX of
   * them either side. Boxes within rlist have centres within rlist + widest. */
  g->widest = widest;
  g->cell = fmax(fmax(0.5 * widest, 0.5), (rlist + widest) / (VF_GRID_REACH_MAX - 0.5));
  g->reach = (int)ceil((rlist + widest) / g->cell);
  long cells = 1;
  for (int d = 0; d < 3; d++) {
    g->lo[d] = lo[d];
    g->n[d] = (int)fmax(1, ceil((hi[d] - lo[d]) / g->cell));
    cells *= g->n[d];
  }
  const size_t nmembers = (size_t)(nclusters ? nclusters : 1);
  g->start = calloc((size_t)cells + 1, sizeof(int));
  g->members = malloc(sizeof(int) * nmembers);
  g->box = malloc(sizeof(box6) * nmembers);
  g->key = malloc(sizeof(int) * nmembers);
  int *cell = malloc(sizeof(int) * nmembers);
  int *fill = malloc(sizeof(int) * (size_t)cells);
  int status = -1;
  if (g->start && g->members && g->box && g->key && cell && fill) {
    for (int c = 0; c < nclusters; c++) {
      int idx[3];
      cell_of(g, &boxes[c], idx);
      cell[c] = (idx[2] * g->n[1] + idx[1]) * g->n[0] + idx[0];
      g->start[cell[c] + 1]++;
    }
    for (long k = 0; k < cells; k++) g->start[k + 1] += g->start[k];
    memcpy(fill, g->start, sizeof(int) * (size_t)cells);
    for (int c = 0; c < nclusters; c++) {
      const int k = fill[cell[c]]++;
      g->members[k] = c;
      g->box[k] = boxes[c];
      g->key[k] = half_key(cl, c);
    }
    status = 0;
  }
  free(cell);
  free(fill);
  return status;
}

static void grid_free(grid *g) {
  free(g->start);
  free(g->members);
  free(g->box);
  free(g->key);
}

static int is_nearest_image(const vf_box *box, double dx, double dy, double dz) {
  double d[3] = {dx, dy, dz};
  vf_box_minimum_image(box, d);
  return fabs(d[0] - dx) + fabs(d[1] - dy) + fabs(d[2] - dz) < 1e-9;
}

static int scratch_reserve(vf_cluster_list *cl, int nthreads, int natoms) {
  if (nthreads > cl->nscratch) {
    vf_cluster_scratch *t = realloc(cl->scratch, sizeof *t * (size_t)nthreads);
    if (!t) return -1;
    memset(t + cl->nscratch, 0, sizeof *t * (size_t)(nthreads - cl->nscratch));
    cl->scratch = t;
    cl->nscratch = nthreads;
  }
  for (int k = 0; k < nthreads; k++) {
    vf_cluster_scratch *t = &cl->scratch[k];
    if (t->mark_n < natoms) {
      uint32_t *m = realloc(t->mark, sizeof(uint32_t) * (size_t)natoms);
      if (!m) return -1;
      t->mark = m;
      t->mark_n = natoms;
    }
    memset(t->mark, 0, sizeof(uint32_t) * (size_t)natoms);
    t->n = t->nmorse = 0;
  }
  return 0;
}

static int push_pair(vf_cluster_scratch *t, int cj, uint64_t mask) {
  if (t->n == t->cap) {
    const int cap = t->cap ? 2 * t->cap : 1024;
    if (resize((void **)&t->cj, cap, sizeof(int)) || resize((void **)&t->mask, cap, sizeof(uint64_t)))
      return -1;
    t->cap = cap;
  }
  t->cj[t->n] = cj;
  t->mask[t->n] = mask;
  t->n++;
  return 0;
}

static int push_morse(vf_cluster_scratch *t, int atom, int slot, int order) {
  if (t->nmorse == t->cap_morse) {
    const int cap = t->cap_morse ? 2 * t->cap_morse : 1024;
    if (resize((void **)&t->morse_atom, cap, sizeof(int)) ||
        resize((void **)&t->morse_slot, cap, sizeof(int)) || resize((void **)&t->morse_order, cap, 1))
      return -1;
    t->cap_morse = cap;
  }
  t->morse_atom[t->nmorse] = atom;
  t->morse_slot[t->nmorse] = slot;
  t->morse_order[t->nmorse] = (unsigned char)order;
  t->nmorse++;
  return 0;
}

/* Marks the special partners of the atoms of cluster ci (order in 4 bits per atom);
 * set = 0 clears the marks again. */
static void mark_specials(const vf_cluster_list *cl, const vf_topology *topo, int ci,
                          uint32_t *mark, int set) {
  if (topo->special_n == 0) return;
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    const int a = cl->atom[ci * VF_CLUSTER + ii];
    if (a < 0) continue;
    for (int k = topo->special_start[a]; k < topo->special_start[a + 1]; k++) {
      const uint32_t bits = (uint32_t)topo->special_order[k] << (4 * ii);
      if (set) mark[topo->special_atom[k]] |= bits;
      else mark[topo->special_atom[k]] = 0;
    }
  }
}

/* What the search of every i cluster reads: the list being built, the system, the
 * pair parameters, per cluster the bits of its slots that hold an atom and of those
 * whose type has a Morse partner type, the grid and the clusters' boxes. */
typedef struct search_ctx {
  const vf_cluster_list *cl;
  const vf_system *s;
  const vf_pair_params *p;
  const unsigned char *real_bits, *morse_bits;
  const grid *g;
  const box6 *boxes;
  double rlist;
  /* squared distance beyond which two boxes hold no special pair at its nearest image
   * (the farthest such pair now, plus a margin for is_nearest_image's tolerance) */
  double special_reach2;
} search_ctx;

/* Per cluster: the slots holding an atom, and those of a type with a Morse partner
 * type (morse_type[t]). */
static void cluster_bits(const vf_cluster_list *cl, const unsigned char *morse_type,
                         unsigned char *real_bits, unsigned char *morse_bits) {
#pragma omp parallel for schedule(static)
  for (int c = 0; c < cl->nclusters; c++) {
    unsigned real = 0, mo = 0;
    for (int k = 0; k < VF_CLUSTER; k++) {
      const int slot = c * VF_CLUSTER + k;
      if (cl->atom[slot] < 0) continue;
      real |= 1u << k;
      mo |= (unsigned)morse_type[cl->type[slot]] << k;
    }
    real_bits[c] = (unsigned char)real;
    morse_bits[c] = (unsigned char)mo;
  }
}

/* The farthest any special pair lies apart (nearest images), squared. */
static double special_reach2(const vf_system *s) {
  const vf_topology *topo = &s->topo;
  double reach2 = 0.0;
#pragma omp parallel for schedule(static) reduction(max : reach2)
  for (int a = 0; a < topo->special_n; a++)
    for (int k = topo->special_start[a]; k < topo->special_start[a + 1]; k++) {
      const int b = topo->special_atom[k];
      double d[3] = {s->x[b] - s->x[a], s->y[b] - s->y[a], s->z[b] - s->z[a]};
      vf_box_minimum_image(&s->box, d);
      const double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      reach2 = d2 > reach2 ? d2 : reach2;
    }
  return reach2;
}

/* The special order of atom pair (a, b) as the kernel must see it: that of the
 * partners if this is their nearest image (LAMMPS's rule), else 0. */
static int image_order(const vf_cluster_list *cl, const vf_system *s, const uint32_t *mark,
                       int ii, int a, int b) {
  const int order = (mark[cl->atom[b]] >> (4 * ii)) & 0xF;
  if (!order) return 0;
  return is_nearest_image(&s->box, cl->x[b] - cl->x[a], cl->y[b] - cl->y[a], cl->z[b] - cl->z[a])
             ? order
             : 0;
}

/* The mask of atom pairs cluster pair (ci, cj) computes; its Morse pairs go to t.
 * Most cluster pairs hold neither special partners nor Morse types on both sides,
 * and their mask is every atom pair: only the rest are looked at pair by pair. */
static int pair_mask(const search_ctx *x, const uint32_t *mark, int ci, int cj, double box2,
                     vf_cluster_scratch *t, uint64_t *mask) {
  const vf_cluster_list *cl = x->cl;
  const vf_pair_params *p = x->p;
  const double rlist2 = x->rlist * x->rlist;
  const unsigned real_i = x->real_bits[ci], real_j = x->real_bits[cj];
  const unsigned morse_i = x->morse_bits[ci], morse_j = x->morse_bits[cj];
  const int diagonal = cj == ci;
  uint32_t marks = 0;
  if (box2 <= x->special_reach2)
    for (int jj = 0; jj < VF_CLUSTER; jj++)
      if (real_j >> jj & 1) marks |= mark[cl->atom[cj * VF_CLUSTER + jj]];
  uint64_t m = 0;
  for (int ii = 0; ii < VF_CLUSTER; ii++) {
    if (!(real_i >> ii & 1)) continue;
    /* the diagonal cluster pair: only j > i */
    const unsigned row = diagonal ? real_j & ~((2u << ii) - 1) : real_j;
    m |= (uint64_t)row << (ii * VF_CLUSTER);
    const int a = ci * VF_CLUSTER + ii;
    const unsigned specials = (marks >> (4 * ii)) & 0xF ? row : 0;
    const unsigned morse = morse_i >> ii & 1 ? row & morse_j : 0;
    for (int jj = 0; jj < VF_CLUSTER; jj++) {
      if (!((specials | morse) >> jj & 1)) continue;
      const int b = cj * VF_CLUSTER + jj;
      const int order = specials >> jj & 1 ? image_order(cl, x->s, mark, ii, a, b) : 0;
      if (order) m &= ~((uint64_t)1 << (ii * VF_CLUSTER + jj));
      if (!(morse >> jj & 1) || !p->has_morse[cl->type[a] * p->ntypes + cl->type[b]]) continue;
      const double dx = cl->x[b] - cl->x[a], dy = cl->y[b] - cl->y[a], dz = cl->z[b] - cl->z[a];
      if (dx * dx + dy * dy + dz * dz < rlist2 && push_morse(t, cl->atom[a], b, order)) return -1;
    }
  }
  *mask = m;
  return 0;
}

/* All cluster pairs kept from cluster ci, by cell of cj; returns their number or -1. */
static int search_cluster(const search_ctx *x, int ci, vf_cluster_scratch *t) {
  const vf_cluster_list *cl = x->cl;
  const grid *g = x->g;
  const box6 *boxes = x->boxes;
  const double rlist = x->rlist;
  const int before = t->n;
  int idx[3];
  cell_of(g, &boxes[ci], idx);
  mark_specials(cl, &x->s->topo, ci, t->mark, 1);
  const double rlist2 = rlist * rlist;
  /* Cells (of cluster centres) farther from ci's centre than rlist plus the widest
   * cluster can hold no cluster within rlist: the cube of cells searched is cut to
   * the sphere that can. */
  double centre[3], gap2[3][2 * VF_GRID_REACH_MAX + 1];
  const int reach = g->reach;
  for (int d = 0; d < 3; d++) {
    centre[d] = 0.5 * (boxes[ci].lo[d] + boxes[ci].hi[d]);
    for (int o = -reach; o <= reach; o++) {
      const double lo = g->lo[d] + (idx[d] + o) * g->cell, hi = lo + g->cell;
      const double gap = centre[d] < lo ? lo - centre[d] : (centre[d] > hi ? centre[d] - hi : 0.0);
      gap2[d][o + reach] = gap * gap;
    }
  }
  const double sphere2 = (rlist + g->widest) * (rlist + g->widest);
  int fail = 0;
  for (int c2 = idx[2] - reach; c2 <= idx[2] + reach && !fail; c2++) {
    if (c2 < 0 || c2 >= g->n[2]) continue;
    const double d2 = gap2[2][c2 - idx[2] + reach];
    for (int c1 = idx[1] - reach; c1 <= idx[1] + reach && !fail; c1++) {
      if (c1 < 0 || c1 >= g->n[1]) continue;
      const double d21 = d2 + gap2[1][c1 - idx[1] + reach];
      if (d21 > sphere2) continue;
      for (int c0 = idx[0] - reach; c0 <= idx[0] + reach && !fail; c0++) {
        if (c0 < 0 || c0 >= g->n[0] || d21 + gap2[0][c0 - idx[0] + reach] > sphere2) continue;
        const int cell = (c2 * g->n[1] + c1) * g->n[0] + c0;
        for (int k = g->start[cell]; k < g->start[cell + 1] && !fail; k++) {
          if (g->key[k] < ci) continue;
          const double box2 = box_distance2(&boxes[ci], &g->box[k]);
          if (box2 >= rlist2) continue;
          const int cj = g->members[k];
          uint64_t mask;
          fail = pair_mask(x, t->mark, ci, cj, box2, t, &mask);
          if (!fail && mask) fail = push_pair(t, cj, mask);
        }
      }
    }
  }
  mark_specials(cl, &x->s->topo, ci, t->mark, 0);
  return fail ? -1 : t->n - before;
}

/* Concatenates the threads' lists; threads took consecutive clusters, so this is
 * cluster order. */
static int gather_lists(vf_cluster_list *cl, int nthreads) {
  long total = 0, total_morse = 0;
  for (int t = 0; t < nthreads; t++) {
    total += cl->scratch[t].n;
    total_morse += cl->scratch[t].nmorse;
  }
  if (resize((void **)&cl->outer_cj, total, sizeof(int)) ||
      resize((void **)&cl->outer_mask, total, sizeof(uint64_t)) ||
      resize((void **)&cl->pair_cj, total, sizeof(int)) ||
      resize((void **)&cl->pair_mask, total, sizeof(uint64_t)) ||
      resize((void **)&cl->pair_coul_rows, total, 1) ||
      resize((void **)&cl->morse_atom, total_morse, sizeof(int)) ||
      resize((void **)&cl->morse_slot, total_morse, sizeof(int)) ||
      resize((void **)&cl->morse_order, total_morse, 1) ||
      resize((void **)&cl->near_i, total_morse, sizeof(int)) ||
      resize((void **)&cl->near_j, total_morse, sizeof(int)) ||
      resize((void **)&cl->near_slot, total_morse, sizeof(int)) ||
      resize((void **)&cl->near_d0, total_morse, sizeof(double)) ||
      resize((void **)&cl->near_alpha, total_morse, sizeof(double)) ||
      resize((void **)&cl->near_r0, total_morse, sizeof(double)))
    return -1;
  long w = 0, wm = 0;
  for (int t = 0; t < nthreads; t++) {
    const vf_cluster_scratch *s = &cl->scratch[t];
    memcpy(cl->outer_cj + w, s->cj, sizeof(int) * (size_t)s->n);
    memcpy(cl->outer_mask + w, s->mask, sizeof(uint64_t) * (size_t)s->n);
    w += s->n;
    memcpy(cl->morse_atom + wm, s->morse_atom, sizeof(int) * (size_t)s->nmorse);
    memcpy(cl->morse_slot + wm, s->morse_slot, sizeof(int) * (size_t)s->nmorse);
    memcpy(cl->morse_order + wm, s->morse_order, (size_t)s->nmorse);
    wm += s->nmorse;
  }
  cl->nouter = (int)total;
  cl->nmorse = (int)total_morse;
  return 0;
}

static int map_atoms_to_slots(vf_cluster_list *cl, int natoms) {
  if (resize((void **)&cl->atom_start, natoms + 1L, sizeof(int))) return -1;
  int *start = cl->atom_start;
  memset(start, 0, sizeof(int) * ((size_t)natoms + 1));
  for (int k = 0; k < cl->nslots; k++)
    if (cl->atom[k] >= 0) start[cl->atom[k] + 1]++;
  for (int a = 0; a < natoms; a++) start[a + 1] += start[a];
  int *fill = malloc(sizeof(int) * (size_t)(natoms ? natoms : 1));
  if (!fill || resize((void **)&cl->atom_slots, start[natoms], sizeof(int))) {
    free(fill);
    return -1;
  }
  memcpy(fill, start, sizeof(int) * (size_t)natoms);
  for (int k = 0; k < cl->nslots; k++)
    if (cl->atom[k] >= 0) cl->atom_slots[fill[cl->atom[k]]++] = k;
  free(fill);
  cl->natoms = natoms;
  return 0;
}

static int form_clusters(vf_cluster_list *cl, const vf_system *s, int ntypes, double rlist) {
  int *order = malloc(sizeof(int) * ((size_t)s->n * 2 + VF_CLUSTER));
  if (!order) return -1;
  const int norder = cluster_atoms(s, order);
  int status = -1;
  if (norder >= 0) {
    /* Local clusters first, to know their extents; then their images. */
    cl->nlocal = cl->nclusters = norder / VF_CLUSTER;
    cl->nslots = norder;
    if (!resize((void **)&cl->source, cl->nlocal, sizeof(int)) &&
        !resize((void **)&cl->shift, 3L * cl->nlocal, sizeof(int))) {
      for (int c = 0; c < cl->nlocal; c++) {
        cl->source[c] = c;
        cl->shift[3 * c] = cl->shift[3 * c + 1] = cl->shift[3 * c + 2] = 0;
      }
      status = fill_slots(cl, s, order, ntypes);
      if (!status) {
        vf_clusters_update_positions(cl, s);
        status = make_images(cl, s, rlist) || fill_slots(cl, s, NULL, ntypes);
      }
    }
  }
  free(order);
  return status ? -1 : 0;
}

int vf_clusters_build(vf_cluster_list *cl, vf_neighbor *nb, vf_system *s, const vf_pair_params *p,
                      double rlist, vf_error *err) {
  vf_system_wrap(s);
  if (form_clusters(cl, s, p->ntypes, rlist) || fill_lj_rows(cl, p)) goto oom;
  vf_clusters_update_positions(cl, s);
  box6 *boxes = malloc(sizeof *boxes * (size_t)(cl->nclusters ? cl->nclusters : 1));
  if (!boxes) goto oom;
  for (int c = 0; c < cl->nclusters; c++) cluster_box(cl, c, &boxes[c]);
  grid g = {0};
  const int nthreads = omp_get_max_threads();
  /* types with a Morse partner type (padding's type, ntypes, has none) */
  unsigned char *morse_type = calloc((size_t)p->ntypes + 1, 1);
  unsigned char *bits = malloc(2 * (size_t)(cl->nclusters ? cl->nclusters : 1));
  if (morse_type)
    for (int a = 0; a < p->ntypes; a++)
      for (int b = 0; b < p->ntypes; b++) morse_type[a] |= p->has_morse[a * p->ntypes + b];
  if (morse_type && bits) cluster_bits(cl, morse_type, bits, bits + cl->nclusters);
  if (resize((void **)&cl->pair_start, cl->nlocal + 1L, sizeof(int)) ||
      resize((void **)&cl->pair_far, cl->nlocal, sizeof(int)) ||
      resize((void **)&cl->pair_end, cl->nlocal, sizeof(int)) ||
      resize((void **)&cl->work_end, cl->nlocal, sizeof(long)) ||
      resize((void **)&cl->energy, 2L * cl->nlocal, sizeof(double)) ||
      !morse_type || !bits || build_grid(&g, cl, boxes, cl->nclusters, rlist) ||
      scratch_reserve(cl, nthreads, s->n)) {
    grid_free(&g);
    free(boxes);
    free(morse_type);
    free(bits);
    goto oom;
  }
  const search_ctx ctx = {cl, s, p, bits, bits + cl->nclusters, &g, boxes, rlist,
                          special_reach2(s) + 1e-6};
  /* Counts per local cluster, prefix-summed below. */
  int fail = 0;
#pragma omp parallel num_threads(nthreads) reduction(| : fail)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int c0 = (int)((long)cl->nlocal * t / nt), c1 = (int)((long)cl->nlocal * (t + 1) / nt);
    for (int ci = c0; ci < c1 && !fail; ci++) {
      const int count = search_cluster(&ctx, ci, &cl->scratch[t]);
      fail |= count < 0;
      cl->pair_start[ci + 1] = count;
    }
  }
  grid_free(&g);
  free(boxes);
  free(morse_type);
  free(bits);
  if (fail || gather_lists(cl, nthreads) || map_atoms_to_slots(cl, s->n) ||
      vf_neighbor_remember(nb, s))
    goto oom;
  cl->pair_start[0] = 0;
  for (int ci = 0; ci < cl->nlocal; ci++) cl->pair_start[ci + 1] += cl->pair_start[ci];
  cl->npairs = cl->nmorse_near = 0; /* until pruned */
  for (int ci = 0; ci < cl->nlocal; ci++) {
    cl->pair_far[ci] = cl->pair_end[ci] = cl->pair_start[ci];
    cl->work_end[ci] = 0;
  }
  return 0;
oom:
  return vf_fail(err, "out of memory building cluster pair lists for %d atoms", s->n);
}
