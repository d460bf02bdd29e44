#include "neighbor.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* One thread's share of a build: entries for its contiguous block of atoms. */
typedef struct growable {
  int *j;
  unsigned char *order;
  int n, cap;
} growable;

struct vf_thread_lists {
  growable plain, special, morse;
  unsigned char *mark; /* special order of every atom relative to the current i */
  int mark_n;
};

void vf_neighbor_init(vf_neighbor *nb, double cutoff, double skin) {
  memset(nb, 0, sizeof *nb);
  nb->cutoff = cutoff;
  nb->skin = skin;
}

static void pair_list_free(vf_pair_list *l) {
  free(l->start);
  free(l->j);
  free(l->order);
}

static void growable_free(growable *g) {
  free(g->j);
  free(g->order);
}

void vf_neighbor_free(vf_neighbor *nb) {
  free(nb->xe); free(nb->ye); free(nb->ze);
  free(nb->owner); free(nb->shift);
  pair_list_free(&nb->plain);
  pair_list_free(&nb->special);
  pair_list_free(&nb->morse);
  free(nb->x0); free(nb->y0); free(nb->z0);
  free(nb->bin_start); free(nb->bin_atom);
  for (int t = 0; t < nb->ntl; t++) {
    growable_free(&nb->tl[t].plain);
    growable_free(&nb->tl[t].special);
    growable_free(&nb->tl[t].morse);
    free(nb->tl[t].mark);
  }
  free(nb->tl);
  vf_neighbor_init(nb, nb->cutoff, nb->skin);
}

static int growable_push(growable *g, int j, unsigned char order, int with_order) {
  if (g->n == g->cap) {
    int cap = g->cap ? 2 * g->cap : 4096;
    int *nj = realloc(g->j, sizeof(int) * (size_t)cap);
    if (!nj) return -1;
    g->j = nj;
    if (with_order) {
      unsigned char *no = realloc(g->order, (size_t)cap);
      if (!no) return -1;
      g->order = no;
    }
    g->cap = cap;
  }
  if (with_order) g->order[g->n] = order;
  g->j[g->n++] = j;
  return 0;
}

/* Makes room for n+1 offsets and total entries. */
static int pair_list_reserve(vf_pair_list *l, int n, int total, int with_order) {
  int *st = realloc(l->start, sizeof(int) * ((size_t)n + 1));
  if (!st) return -1;
  l->start = st;
  if (total > l->cap) {
    int cap = total + total / 4 + 16;
    int *nj = realloc(l->j, sizeof(int) * (size_t)cap);
    if (!nj) return -1;
    l->j = nj;
    if (with_order) {
      unsigned char *no = realloc(l->order, (size_t)cap);
      if (!no) return -1;
      l->order = no;
    }
    l->cap = cap;
  }
  return 0;
}

static int reserve_ghosts(vf_neighbor *nb, int total) {
  if (total <= nb->ghost_cap) return 0;
  int cap = total + total / 4 + 64;
  double *xe = realloc(nb->xe, sizeof(double) * (size_t)cap);
  if (xe) nb->xe = xe;
  double *ye = realloc(nb->ye, sizeof(double) * (size_t)cap);
  if (ye) nb->ye = ye;
  double *ze = realloc(nb->ze, sizeof(double) * (size_t)cap);
  if (ze) nb->ze = ze;
  int *ow = realloc(nb->owner, sizeof(int) * (size_t)cap);
  if (ow) nb->owner = ow;
  int *sh = realloc(nb->shift, sizeof(int) * 3 * (size_t)cap);
  if (sh) nb->shift = sh;
  if (!xe || !ye || !ze || !ow || !sh) return -1;
  nb->ghost_cap = cap;
  return 0;
}

/* Atoms are copied as ghosts when their image lies within cf (fractional) of the
 * cell; shift[] is relative to the atom's wrapped position. */
static int make_ghosts(vf_neighbor *nb, const vf_system *s, const double *sx, const double *sy,
                       const double *sz, const double cf[3]) {
  const int n = s->n;
  int *reach = nb->reach;
  for (int d = 0; d < 3; d++) reach[d] = (int)ceil(cf[d]);
  int total = n;
  if (reserve_ghosts(nb, n + 1)) return -1;
  for (int i = 0; i < n; i++) {
    nb->owner[i] = i;
    nb->shift[3 * i] = nb->shift[3 * i + 1] = nb->shift[3 * i + 2] = 0;
  }
  for (int i = 0; i < n; i++) {
    for (int a = -reach[0]; a <= reach[0]; a++) {
      double u = sx[i] + a;
      if (u < -cf[0] || u >= 1.0 + cf[0]) continue;
      for (int b = -reach[1]; b <= reach[1]; b++) {
        double v = sy[i] + b;
        if (v < -cf[1] || v >= 1.0 + cf[1]) continue;
        for (int c = -reach[2]; c <= reach[2]; c++) {
          double w = sz[i] + c;
          if (w < -cf[2] || w >= 1.0 + cf[2]) continue;
          if (a == 0 && b == 0 && c == 0) continue;
          if (reserve_ghosts(nb, total + 1)) return -1;
          nb->owner[total] = i;
          nb->shift[3 * total] = a;
          nb->shift[3 * total + 1] = b;
          nb->shift[3 * total + 2] = c;
          total++;
        }
      }
    }
  }
  nb->n = n;
  nb->nghost = total - n;
  return 0;
}

void vf_neighbor_update_positions(vf_neighbor *nb, const vf_system *s) {
  const vf_box *box = &s->box;
  const int n = nb->n, total = nb->n + nb->nghost;
  memcpy(nb->xe, s->x, sizeof(double) * (size_t)n);
  memcpy(nb->ye, s->y, sizeof(double) * (size_t)n);
  memcpy(nb->ze, s->z, sizeof(double) * (size_t)n);
  for (int e = n; e < total; e++) {
    const int o = nb->owner[e];
    const int *sh = nb->shift + 3 * e;
    nb->xe[e] = s->x[o] + sh[0] * box->lx + sh[1] * box->xy + sh[2] * box->xz;
    nb->ye[e] = s->y[o] + sh[1] * box->ly + sh[2] * box->yz;
    nb->ze[e] = s->z[o] + sh[2] * box->lz;
  }
}

typedef struct bin_grid {
  int nbin[3];
  double lo[3], inv_width[3];
} bin_grid;

static int bin_of(const bin_grid *g, const double f[3], int cell[3]) {
  for (int d = 0; d < 3; d++) {
    int c = (int)floor((f[d] - g->lo[d]) * g->inv_width[d]);
    cell[d] = c < 0 ? 0 : (c >= g->nbin[d] ? g->nbin[d] - 1 : c);
  }
  return (cell[2] * g->nbin[1] + cell[1]) * g->nbin[0] + cell[0];
}

/* Counting sort of the extended atoms into bins of at least the list radius. */
static int bin_atoms(vf_neighbor *nb, const vf_system *s, const double cf[3], bin_grid *g) {
  const int total = nb->n + nb->nghost;
  for (int d = 0; d < 3; d++) {
    double span = 1.0 + 2.0 * cf[d];
    g->nbin[d] = (int)(span / cf[d]);
    if (g->nbin[d] < 1) g->nbin[d] = 1;
    g->lo[d] = -cf[d];
    g->inv_width[d] = g->nbin[d] / span;
  }
  int nbins = g->nbin[0] * g->nbin[1] * g->nbin[2];
  if (nbins + 1 > nb->nbins_cap) {
    int *bs = realloc(nb->bin_start, sizeof(int) * ((size_t)nbins + 1));
    if (!bs) return -1;
    nb->bin_start = bs;
    nb->nbins_cap = nbins + 1;
  }
  int *ba = realloc(nb->bin_atom, sizeof(int) * (size_t)(total + 1));
  int *which = malloc(sizeof(int) * (size_t)(total + 1));
  if (!ba || !which) {
    if (ba) nb->bin_atom = ba;
    free(which);
    return -1;
  }
  nb->bin_atom = ba;
  memset(nb->bin_start, 0, sizeof(int) * ((size_t)nbins + 1));
  for (int e = 0; e < total; e++) {
    double r[3] = {nb->xe[e], nb->ye[e], nb->ze[e]}, f[3];
    int cell[3];
    vf_box_to_frac(&s->box, r, f);
    which[e] = bin_of(g, f, cell);
    nb->bin_start[which[e] + 1]++;
  }
  for (int b = 0; b < nbins; b++) nb->bin_start[b + 1] += nb->bin_start[b];
  int *fill = malloc(sizeof(int) * (size_t)nbins);
  if (!fill) {
    free(which);
    return -1;
  }
  memcpy(fill, nb->bin_start, sizeof(int) * (size_t)nbins);
  for (int e = 0; e < total; e++) nb->bin_atom[fill[which[e]]++] = e;
  free(fill);
  free(which);
  return 0;
}

static int thread_lists_reserve(vf_neighbor *nb, int nthreads, int n) {
  if (nthreads > nb->ntl) {
    vf_thread_lists *tl = realloc(nb->tl, sizeof *tl * (size_t)nthreads);
    if (!tl) return -1;
    memset(tl + nb->ntl, 0, sizeof *tl * (size_t)(nthreads - nb->ntl));
    nb->tl = tl;
    nb->ntl = nthreads;
  }
  for (int t = 0; t < nthreads; t++) {
    vf_thread_lists *tl = &nb->tl[t];
    if (tl->mark_n < n) {
      unsigned char *m = realloc(tl->mark, (size_t)n);
      if (!m) return -1;
      tl->mark = m;
      tl->mark_n = n;
    }
    memset(tl->mark, 0, (size_t)n);
  }
  return 0;
}

/* LAMMPS applies special scaling only to the image nearer than half the box in every
 * direction; farther images of a bonded partner interact in full. */
static int within_half_box(const vf_box *box, double dx, double dy, double dz) {
  return fabs(dx) <= 0.5 * box->lx && fabs(dy) <= 0.5 * box->ly && fabs(dz) <= 0.5 * box->lz;
}

/* Half-list rule: each interaction is kept once, by the lower-numbered atom. */
static int owned_by_i(int i, int o, const int *sh) {
  if (o != i) return o > i;
  return sh[0] > 0 || (sh[0] == 0 && (sh[1] > 0 || (sh[1] == 0 && sh[2] > 0)));
}

static int search_atom(const vf_neighbor *nb, const vf_system *s, const vf_pair_filter *filter,
                       const bin_grid *g, int i, vf_thread_lists *tl, int counts[3]) {
  const vf_topology *topo = &s->topo;
  const double rlist2 = (nb->cutoff + nb->skin) * (nb->cutoff + nb->skin);
  const int ti = s->type[i];
  const double qi = s->q[i];
  int has_special = topo->special_n == s->n;
  if (has_special)
    for (int k = topo->special_start[i]; k < topo->special_start[i + 1]; k++)
      tl->mark[topo->special_atom[k]] = topo->special_order[k];

  double r[3] = {nb->xe[i], nb->ye[i], nb->ze[i]}, f[3];
  int cell[3];
  vf_box_to_frac(&s->box, r, f);
  bin_of(g, f, cell);
  counts[0] = counts[1] = counts[2] = 0;
  int fail = 0;
  for (int c2 = cell[2] - 1; c2 <= cell[2] + 1; c2++) {
    if (c2 < 0 || c2 >= g->nbin[2]) continue;
    for (int c1 = cell[1] - 1; c1 <= cell[1] + 1; c1++) {
      if (c1 < 0 || c1 >= g->nbin[1]) continue;
      for (int c0 = cell[0] - 1; c0 <= cell[0] + 1; c0++) {
        if (c0 < 0 || c0 >= g->nbin[0]) continue;
        int b = (c2 * g->nbin[1] + c1) * g->nbin[0] + c0;
        for (int k = nb->bin_start[b]; k < nb->bin_start[b + 1]; k++) {
          int e = nb->bin_atom[k];
          int o = nb->owner[e];
          if (e == i || !owned_by_i(i, o, nb->shift + 3 * e)) continue;
          double dx = r[0] - nb->xe[e], dy = r[1] - nb->ye[e], dz = r[2] - nb->ze[e];
          if (dx * dx + dy * dy + dz * dz >= rlist2) continue;
          int pair = ti * filter->ntypes + s->type[o];
          unsigned char order = tl->mark[o];
          if (order && !within_half_box(&s->box, dx, dy, dz)) order = 0;
          int coulomb = filter->charged && qi * s->q[o] != 0.0;
          if (filter->lj[pair] || coulomb) {
            if (order == 0) {
              fail |= growable_push(&tl->plain, e, 0, 0);
              counts[0]++;
            } else {
              fail |= growable_push(&tl->special, e, order, 1);
              counts[1]++;
            }
          }
          if (filter->morse[pair]) {
            fail |= growable_push(&tl->morse, e, order, 1);
            counts[2]++;
          }
        }
      }
    }
  }
  if (has_special)
    for (int k = topo->special_start[i]; k < topo->special_start[i + 1]; k++)
      tl->mark[topo->special_atom[k]] = 0;
  return fail;
}

static void copy_block(vf_pair_list *l, const growable *g, int i0, int with_order) {
  if (g->n == 0) return;
  memcpy(l->j + l->start[i0], g->j, sizeof(int) * (size_t)g->n);
  if (with_order) memcpy(l->order + l->start[i0], g->order, (size_t)g->n);
}

static void prefix_sum(int *start, int n) {
  start[0] = 0;
  for (int i = 0; i < n; i++) start[i + 1] += start[i];
}

static int remember_reference(vf_neighbor *nb, const vf_system *s);

int vf_neighbor_remember(vf_neighbor *nb, const vf_system *s) {
  nb->n = s->n;
  if (remember_reference(nb, s)) return -1;
  nb->builds++;
  return 0;
}

static int remember_reference(vf_neighbor *nb, const vf_system *s) {
  const int n = s->n;
  double *x0 = realloc(nb->x0, sizeof(double) * (size_t)(n ? n : 1));
  if (x0) nb->x0 = x0;
  double *y0 = realloc(nb->y0, sizeof(double) * (size_t)(n ? n : 1));
  if (y0) nb->y0 = y0;
  double *z0 = realloc(nb->z0, sizeof(double) * (size_t)(n ? n : 1));
  if (z0) nb->z0 = z0;
  if (!x0 || !y0 || !z0) return -1;
  memcpy(nb->x0, s->x, sizeof(double) * (size_t)n);
  memcpy(nb->y0, s->y, sizeof(double) * (size_t)n);
  memcpy(nb->z0, s->z, sizeof(double) * (size_t)n);
  nb->box0 = s->box;
  return 0;
}

/* Fractional reach of the ghost shell along each edge. */
static void shell_reach(const vf_neighbor *nb, const vf_system *s, double cf[3]) {
  double w[3];
  vf_box_face_widths(&s->box, w);
  for (int d = 0; d < 3; d++) cf[d] = (nb->cutoff + nb->skin) / w[d];
}

int vf_neighbor_build_images(vf_neighbor *nb, vf_system *s, vf_error *err) {
  const int n = s->n;
  vf_system_wrap(s);
  double cf[3];
  shell_reach(nb, s, cf);
  double *sx = malloc(sizeof(double) * (size_t)(n ? n : 1));
  double *sy = malloc(sizeof(double) * (size_t)(n ? n : 1));
  double *sz = malloc(sizeof(double) * (size_t)(n ? n : 1));
  int fail = !sx || !sy || !sz;
  for (int i = 0; !fail && i < n; i++) {
    double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
    vf_box_to_frac(&s->box, r, f);
    sx[i] = f[0];
    sy[i] = f[1];
    sz[i] = f[2];
  }
  fail = fail || make_ghosts(nb, s, sx, sy, sz, cf) || remember_reference(nb, s);
  free(sx);
  free(sy);
  free(sz);
  if (fail) return vf_fail(err, "out of memory building periodic images for %d atoms", n);
  vf_neighbor_update_positions(nb, s);
  nb->builds++;
  return 0;
}

int vf_neighbor_build(vf_neighbor *nb, vf_system *s, const vf_pair_filter *filter, vf_error *err) {
  const int n = s->n;
  if (vf_neighbor_build_images(nb, s, err)) return -1;
  double cf[3];
  shell_reach(nb, s, cf);
  bin_grid g;
  if (bin_atoms(nb, s, cf, &g)) goto oom;

  const int nthreads = omp_get_max_threads();
  if (thread_lists_reserve(nb, nthreads, n)) goto oom;
  if (pair_list_reserve(&nb->plain, n, 0, 0) || pair_list_reserve(&nb->special, n, 0, 1) ||
      pair_list_reserve(&nb->morse, n, 0, 1))
    goto oom;

  int fail = 0;
#pragma omp parallel num_threads(nthreads) reduction(| : fail)
  {
    const int t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int i0 = (int)((long)n * t / nt), i1 = (int)((long)n * (t + 1) / nt);
    vf_thread_lists *tl = &nb->tl[t];
    tl->plain.n = tl->special.n = tl->morse.n = 0;
    for (int i = i0; i < i1; i++) {
      int counts[3];
      fail |= search_atom(nb, s, filter, &g, i, tl, counts);
      nb->plain.start[i + 1] = counts[0];
      nb->special.start[i + 1] = counts[1];
      nb->morse.start[i + 1] = counts[2];
    }
#pragma omp barrier
#pragma omp single
    {
      prefix_sum(nb->plain.start, n);
      prefix_sum(nb->special.start, n);
      prefix_sum(nb->morse.start, n);
      fail |= pair_list_reserve(&nb->plain, n, nb->plain.start[n], 0);
      fail |= pair_list_reserve(&nb->special, n, nb->special.start[n], 1);
      fail |= pair_list_reserve(&nb->morse, n, nb->morse.start[n], 1);
    }
    if (!fail) {
      copy_block(&nb->plain, &tl->plain, i0, 0);
      copy_block(&nb->special, &tl->special, i0, 1);
      copy_block(&nb->morse, &tl->morse, i0, 1);
    }
  }
  if (fail) goto oom;
  return 0;
oom:
  return vf_fail(err, "out of memory building neighbour lists for %d atoms", n);
}

/* The list holds every pair (any image) that was closer than rlist = cutoff + skin at
 * the reference. Since then the cell has deformed by A = H H0^-1, and each atom has
 * moved by u_i beyond that affine map (x_i - lo = A (x0_i - lo0) + u_i), so a pair
 * vector is r = A r0 + u_i - u_j and |r| >= (1 - |A - I|) |r0| - 2 max |u|. A pair
 * that was not listed is still beyond the cut-off while
 *   2 max |u| + |A - I| rlist <= skin,
 * |A - I| bounded by its Frobenius norm. The barostat's affine motion thus costs its
 * strain times rlist, not the larger displacement it gives atoms far across a cell. */
int vf_neighbor_needs_rebuild(const vf_neighbor *nb, const vf_system *s) {
  if (nb->builds == 0 || nb->n != s->n) return 1;
  double h[3][3], h0inv[3][3], a[3][3] = {{0}};
  vf_box_matrix(&s->box, h);
  vf_box_inverse(&nb->box0, h0inv);
  double strain2 = 0;
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < 3; k++) a[r][c] += h[r][k] * h0inv[k][c];
      const double e = a[r][c] - (r == c);
      strain2 += e * e;
    }
  const double *lo = s->box.lo, *lo0 = nb->box0.lo;
  double max2 = 0;
#pragma omp parallel for reduction(max : max2)
  for (int i = 0; i < s->n; i++) {
    const double d0[3] = {nb->x0[i] - lo0[0], nb->y0[i] - lo0[1], nb->z0[i] - lo0[2]};
    const double ux = s->x[i] - lo[0] - (a[0][0] * d0[0] + a[0][1] * d0[1] + a[0][2] * d0[2]);
    const double uy = s->y[i] - lo[1] - (a[1][0] * d0[0] + a[1][1] * d0[1] + a[1][2] * d0[2]);
    const double uz = s->z[i] - lo[2] - (a[2][0] * d0[0] + a[2][1] * d0[1] + a[2][2] * d0[2]);
    const double u2 = ux * ux + uy * uy + uz * uz;
    if (u2 > max2) max2 = u2;
  }
  return 2.0 * sqrt(max2) + sqrt(strain2) * (nb->cutoff + nb->skin) > nb->skin;
}

long vf_pair_list_count_within(const vf_neighbor *nb, const vf_pair_list *l, double r) {
  long count = 0;
  const double r2 = r * r;
  for (int i = 0; i < nb->n; i++)
    for (int k = l->start[i]; k < l->start[i + 1]; k++) {
      int e = l->j[k];
      double dx = nb->xe[i] - nb->xe[e], dy = nb->ye[i] - nb->ye[e], dz = nb->ze[i] - nb->ze[e];
      count += dx * dx + dy * dy + dz * dz < r2;
    }
  return count;
}
