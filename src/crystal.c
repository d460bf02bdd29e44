#include "crystal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pointgrid.h"

/* Below this the site counts as partly occupied (CIFs write 1, 1.0, 0.9999...). */
#define FULL_OCCUPANCY 0.999

void vf_crystal_defaults(vf_crystal_options *o) {
  o->allow_partial = 0;
  o->allow_partial_hint = NULL;
  o->merge_distance = 0.01;
}

/* cos of an angle in degrees, exactly 0 at 90 (so right angles give no tilt). */
static double cos_deg(double deg) { return fabs(deg) == 90.0 ? 0.0 : cos(deg * M_PI / 180.0); }

int vf_cell_to_box(const double cell[6], vf_box *box, vf_error *err) {
  static const char *const name[6] = {"a", "b", "c", "alpha", "beta", "gamma"};
  for (int k = 0; k < 3; k++)
    if (!(cell[k] > 0) || !isfinite(cell[k]))
      return vf_fail(err, "cell length %s = %g Å must be positive", name[k], cell[k]);
  for (int k = 3; k < 6; k++)
    if (!(fabs(cell[k]) > 0 && fabs(cell[k]) < 180))
      return vf_fail(err, "cell angle %s = %g degrees must be between 0 and 180", name[k], cell[k]);
  const double ca = cos_deg(cell[3]), cb = cos_deg(cell[4]), cg = cos_deg(cell[5]);
  const double sg = sqrt(1.0 - cg * cg);
  const double lx = cell[0], xy = cell[1] * cg, ly = cell[1] * sg;
  const double xz = cell[2] * cb, yz = cell[2] * (ca - cb * cg) / sg;
  const double lz2 = cell[2] * cell[2] - xz * xz - yz * yz;
  if (!(lz2 > 1e-12 * cell[2] * cell[2]))
    return vf_fail(err, "cell angles %g %g %g degrees do not make a cell (no volume)", cell[3],
                   cell[4], cell[5]);
  const double lo[3] = {0, 0, 0}, hi[3] = {lx, ly, sqrt(lz2)}, tilt[3] = {xy, xz, yz};
  return vf_box_set(box, lo, hi, tilt, err);
}

static int add_warning(vf_crystal *c, const char *text) {
  char **w = realloc(c->warning, sizeof *w * (size_t)(c->nwarnings + 1));
  if (!w) return -1;
  c->warning = w;
  if (!(c->warning[c->nwarnings] = strdup(text))) return -1;
  c->nwarnings++;
  return 0;
}

static int check_occupancy(const vf_cif *cif, const vf_crystal_options *o, vf_crystal *c,
                           vf_error *err) {
  for (int k = 0; k < cif->nsites; k++) {
    const vf_cif_site *s = &cif->site[k];
    if (s->occupancy >= FULL_OCCUPANCY) continue;
    char msg[512];
    snprintf(msg, sizeof msg, "%s:%d: site %s has occupancy %g (disorder or a vacancy)",
             cif->path, s->line, s->label, s->occupancy);
    if (!o->allow_partial)
      return vf_fail(err, "%s; choose one ordered model in the CIF, or %s to build every site "
                     "as fully occupied", msg,
                     o->allow_partial_hint ? o->allow_partial_hint : "allow partial occupancy");
    strncat(msg, "; built as fully occupied", sizeof msg - strlen(msg) - 1);
    if (add_warning(c, msg)) return vf_fail(err, "out of memory");
  }
  return 0;
}

static void wrap_frac(double s[3]) {
  for (int d = 0; d < 3; d++) {
    s[d] -= floor(s[d]);
    if (s[d] >= 1.0) s[d] = 0.0; /* -1e-17 wraps to 1 - 1e-17, which rounds to 1 */
  }
}

static int grow_atoms(vf_crystal *c, int *cap) {
  if (c->n < *cap) return 0;
  int ncap = *cap ? 2 * *cap : 256;
  vf_crystal_atom *a = realloc(c->atom, sizeof *a * (size_t)ncap);
  if (!a) return -1;
  c->atom = a;
  *cap = ncap;
  return 0;
}

/* The search for an atom already at a position. */
typedef struct coincidence {
  const vf_crystal *c;
  const double *frac;
  double tol2;
} coincidence;

/* Returns the first atom within tolerance, plus one (0 = none). */
static int find_coincident(int j, void *ctx) {
  const coincidence *q = ctx;
  double d[3];
  return vf_periodic_delta(&q->c->box, q->frac, q->c->atom[j].frac, d) <= q->tol2 ? j + 1 : 0;
}

/* Adds the copy frac of site s unless an atom is there already. */
static int add_copy(vf_crystal *c, vf_pointgrid *grid, int *cap, const vf_cif_site *s,
                    const double frac[3], double tol, const char *path, vf_error *err) {
  coincidence q = {c, frac, tol * tol};
  const int hit = vf_pointgrid_visit_near(grid, frac, find_coincident, &q);
  if (hit) {
    const vf_crystal_atom *a = &c->atom[hit - 1];
    if (strcmp(a->symbol, s->symbol) == 0) return 0;
    return vf_fail(err, "%s:%d: site %s (%s) coincides with site %s (%s, line %d) at fractional "
                   "(%.4f, %.4f, %.4f)", path, s->line, s->label, s->symbol, a->label, a->symbol,
                   a->line, frac[0], frac[1], frac[2]);
  }
  if (grow_atoms(c, cap) || vf_pointgrid_insert(grid, c->n, frac))
    return vf_fail(err, "%s: out of memory", path);
  vf_crystal_atom *a = &c->atom[c->n++];
  memcpy(a->label, s->label, sizeof a->label);
  memcpy(a->symbol, s->symbol, sizeof a->symbol);
  memcpy(a->frac, frac, sizeof a->frac);
  a->line = s->line;
  return 0;
}

static int expand(const vf_cif *cif, const vf_crystal_options *o, vf_crystal *c, vf_error *err) {
  vf_pointgrid grid;
  vf_error why;
  if (vf_pointgrid_init(&grid, &c->box, o->merge_distance, &why))
    return vf_fail(err, "%s: %s", cif->path, why.msg);
  int cap = 0, rc = 0;
  for (int k = 0; k < cif->nsites && !rc; k++)
    for (int m = 0; m < cif->nops && !rc; m++) {
      double s[3];
      vf_symop_apply(&cif->op[m], cif->site[k].frac, s);
      wrap_frac(s);
      rc = add_copy(c, &grid, &cap, &cif->site[k], s, o->merge_distance, cif->path, err);
    }
  vf_pointgrid_free(&grid);
  return rc;
}

int vf_crystal_from_cif(const vf_cif *cif, const vf_crystal_options *o, vf_crystal *c,
                        vf_error *err) {
  memset(c, 0, sizeof *c);
  if (!(c->source = strdup(cif->path))) return vf_fail(err, "out of memory");
  vf_error why;
  if (vf_cell_to_box(cif->cell, &c->box, &why))
    return vf_fail(err, "%s:%d: %s", cif->path, cif->cell_line[VF_CIF_A], why.msg);
  if (check_occupancy(cif, o, c, err)) return -1;
  return expand(cif, o, c, err);
}

int vf_crystal_read_cif(const char *path, const vf_crystal_options *o, vf_crystal *c,
                        vf_error *err) {
  memset(c, 0, sizeof *c);
  vf_cif cif;
  int rc = vf_cif_read(path, &cif, err);
  if (!rc) rc = vf_crystal_from_cif(&cif, o, c, err);
  vf_cif_free(&cif);
  return rc;
}

static int copy_warnings(const vf_crystal *from, vf_crystal *to) {
  for (int k = 0; k < from->nwarnings; k++)
    if (add_warning(to, from->warning[k])) return -1;
  return 0;
}

int vf_crystal_supercell(const vf_crystal *c, const int n[3], vf_crystal *out, vf_error *err) {
  memset(out, 0, sizeof *out);
  for (int d = 0; d < 3; d++)
    if (n[d] < 1)
      return vf_fail(err, "supercell %d x %d x %d: each count must be >= 1", n[0], n[1], n[2]);
  const long total = (long)c->n * n[0] * n[1] * n[2];
  if (total > 100000000L) return vf_fail(err, "supercell of %ld atoms is too large", total);
  out->source = strdup(c->source);
  out->atom = malloc(sizeof *out->atom * (size_t)(total ? total : 1));
  if (!out->source || !out->atom || copy_warnings(c, out)) return vf_fail(err, "out of memory");
  const vf_box *b = &c->box;
  const double lo[3] = {0, 0, 0}, hi[3] = {b->lx * n[0], b->ly * n[1], b->lz * n[2]};
  const double tilt[3] = {b->xy * n[1], b->xz * n[2], b->yz * n[2]};
  if (vf_box_set(&out->box, lo, hi, tilt, err)) return -1;
  for (int k = 0; k < n[2]; k++)
    for (int j = 0; j < n[1]; j++)
      for (int i = 0; i < n[0]; i++) {
        const int shift[3] = {i, j, k};
        for (int a = 0; a < c->n; a++) {
          vf_crystal_atom *t = &out->atom[out->n++];
          *t = c->atom[a];
          for (int d = 0; d < 3; d++) t->frac[d] = (c->atom[a].frac[d] + shift[d]) / n[d];
        }
      }
  return 0;
}

void vf_crystal_cartesian(const vf_crystal *c, int i, double r[3]) {
  vf_box_to_cart(&c->box, c->atom[i].frac, r);
}

void vf_crystal_free(vf_crystal *c) {
  for (int k = 0; k < c->nwarnings; k++) free(c->warning[k]);
  free(c->warning);
  free(c->atom);
  free(c->source);
  memset(c, 0, sizeof *c);
}
