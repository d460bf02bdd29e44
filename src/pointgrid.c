#include "pointgrid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int vf_pointgrid_init(vf_pointgrid *g, const vf_box *box, double reach, vf_error *err) {
  memset(g, 0, sizeof *g);
  g->box = *box;
  double width[3];
  vf_box_face_widths(box, width);
  long nbins = 1;
  for (int d = 0; d < 3; d++) {
    if (width[d] < 2.0 * reach)
      return vf_fail(err, "the cell is %.3f Å wide along %c, less than twice the %.2f Å "
                     "searched for neighbours; use a supercell", width[d], "abc"[d], reach);
    const double fit = floor(width[d] / reach);
    g->nbin[d] = fit > 64 ? 64 : (int)fit; /* more bins would only cost memory */
    nbins *= g->nbin[d];
  }
  g->head = malloc(sizeof *g->head * (size_t)nbins);
  if (!g->head) return vf_fail(err, "out of memory for %ld bins", nbins);
  for (long b = 0; b < nbins; b++) g->head[b] = -1;
  return 0;
}

void vf_pointgrid_free(vf_pointgrid *g) {
  free(g->head);
  free(g->next);
  memset(g, 0, sizeof *g);
}

static int bin_index(const vf_pointgrid *g, const int c[3]) {
  return (c[2] * g->nbin[1] + c[1]) * g->nbin[0] + c[0];
}

static void bin_coords(const vf_pointgrid *g, const double s[3], int c[3]) {
  for (int d = 0; d < 3; d++) {
    const double w = s[d] - floor(s[d]);
    c[d] = (int)(w * g->nbin[d]);
    if (c[d] >= g->nbin[d]) c[d] = g->nbin[d] - 1; /* w rounded up to 1 */
  }
}

int vf_pointgrid_insert(vf_pointgrid *g, int point, const double s[3]) {
  if (point >= g->cap) {
    int cap = g->cap ? g->cap : 256;
    while (cap <= point) cap *= 2;
    int *next = realloc(g->next, sizeof *next * (size_t)cap);
    if (!next) return -1;
    g->next = next;
    g->cap = cap;
  }
  int c[3];
  bin_coords(g, s, c);
  const int b = bin_index(g, c);
  g->next[point] = g->head[b];
  g->head[b] = point;
  return 0;
}

int vf_pointgrid_visit_near(const vf_pointgrid *g, const double s[3], vf_pointgrid_visit visit,
                            void *ctx) {
  int c[3], span[3];
  bin_coords(g, s, c);
  /* With fewer than three bins along an axis, neighbours -1 and +1 coincide: each
   * bin is visited once. */
  for (int d = 0; d < 3; d++) span[d] = g->nbin[d] < 3 ? g->nbin[d] : 3;
  for (int k = 0; k < span[2]; k++)
    for (int j = 0; j < span[1]; j++)
      for (int i = 0; i < span[0]; i++) {
        const int o[3] = {i, j, k};
        int b[3];
        for (int d = 0; d < 3; d++) {
          const int first = span[d] == 3 ? c[d] - 1 : 0;
          b[d] = ((first + o[d]) % g->nbin[d] + g->nbin[d]) % g->nbin[d];
        }
        for (int p = g->head[bin_index(g, b)]; p >= 0; p = g->next[p]) {
          const int rc = visit(p, ctx);
          if (rc) return rc;
        }
      }
  return 0;
}

double vf_periodic_delta(const vf_box *box, const double a[3], const double b[3], double d[3]) {
  double s[3];
  for (int k = 0; k < 3; k++) s[k] = b[k] - a[k] - nearbyint(b[k] - a[k]);
  d[0] = box->lx * s[0] + box->xy * s[1] + box->xz * s[2];
  d[1] = box->ly * s[1] + box->yz * s[2];
  d[2] = box->lz * s[2];
  vf_box_minimum_image(box, d);
  return d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
}
