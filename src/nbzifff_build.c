#include "nbzifff_build.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pointgrid.h"
#include "topology_generate.h"

/* What the building steps share. */
typedef struct builder {
  const vf_crystal *c;
  const vf_nbzifff_spec *spec;
  const vf_zif_graph *g;
  vf_system *s;
  int next; /* next free atom index for a dummy */
  vf_error *err;
} builder;

static int check_spec(const vf_nbzifff_spec *spec, vf_error *err) {
  for (int k = 0; k < VF_ZIF_NSITES; k++)
    if (spec->site_type[k] < 0 || spec->site_type[k] >= spec->ntypes)
      return vf_fail(err, "site %d has type %d, not one of the %d types", k, spec->site_type[k] + 1,
                     spec->ntypes);
  if (!(spec->zn_dummy_distance > 0) || !(spec->n_dummy_distance > 0))
    return vf_fail(err, "dummy-site distances must be positive (Zn %g Å, N %g Å)",
                   spec->zn_dummy_distance, spec->n_dummy_distance);
  return 0;
}

static int count_site(const vf_zif_graph *g, int site) {
  int n = 0;
  for (int i = 0; i < g->n; i++) n += g->site[i] == site;
  return n;
}

static vf_system *new_system(const vf_nbzifff_spec *spec, int natoms, vf_error *err) {
  vf_system *s = vf_system_new(natoms, spec->ntypes);
  if (!s) {
    vf_fail(err, "out of memory for %d atoms", natoms);
    return NULL;
  }
  for (int t = 0; t < spec->ntypes; t++) {
    s->mass[t] = spec->mass[t];
    if (vf_system_set_type_name(s, t, spec->type_name[t])) {
      vf_system_free(s);
      vf_fail(err, "out of memory");
      return NULL;
    }
  }
  return s;
}

/* Atom i gets a site's type, charge and a position given as fractional coordinates. */
static void place(builder *b, int i, int site, const double frac[3]) {
  vf_system *s = b->s;
  double w[3], r[3];
  for (int d = 0; d < 3; d++) {
    w[d] = frac[d] - floor(frac[d]);
    if (w[d] >= 1.0) w[d] = 0.0;
  }
  vf_box_to_cart(&s->box, w, r);
  s->x[i] = r[0];
  s->y[i] = r[1];
  s->z[i] = r[2];
  s->type[i] = b->spec->site_type[site];
  s->q[i] = b->spec->charge[s->type[i]];
  s->mol[i] = 1;
}

static int add_bond(builder *b, int i, int j) {
  const int e[2] = {i, j};
  return vf_topology_add(&b->s->topo, VF_BONDS, 0, e) ? vf_fail(b->err, "out of memory") : 0;
}

static int place_framework(builder *b) {
  for (int i = 0; i < b->g->n; i++) place(b, i, b->g->site[i], b->c->atom[i].frac);
  for (int k = 0; k < b->g->nbonds; k++)
    if (add_bond(b, b->g->bond[2 * k], b->g->bond[2 * k + 1])) return -1;
  return 0;
}

/* Fractional position at distance dist from atom `from` along the Cartesian unit
 * vector u. */
static void frac_along(const builder *b, int from, const double u[3], double dist, double out[3]) {
  double r[3], s[3];
  vf_box_to_cart(&b->c->box, b->c->atom[from].frac, r);
  for (int d = 0; d < 3; d++) r[d] += dist * u[d];
  vf_box_to_frac(&b->c->box, r, s);
  memcpy(out, s, sizeof s);
}

/* Unit vector from atom i to the nearest image of atom j. */
static void unit_toward(const builder *b, int i, int j, double u[3]) {
  const double len = sqrt(vf_periodic_delta(&b->c->box, b->c->atom[i].frac, b->c->atom[j].frac, u));
  for (int d = 0; d < 3; d++) u[d] /= len;
}

static int n_dummy_direction(const builder *b, int n, int zn, double u[3]) {
  if (b->spec->n_dummy_placement == VF_N_DUMMY_TOWARD_ZN) {
    unit_toward(b, n, zn, u);
    return 0;
  }
  double u1[3], u2[3];
  unit_toward(b, n, b->g->ring_c[2 * n], u1);
  unit_toward(b, n, b->g->ring_c[2 * n + 1], u2);
  for (int d = 0; d < 3; d++) u[d] = -(u1[d] + u2[d]);
  const double len = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
  if (len < 1e-3) {
    const vf_crystal_atom *a = &b->c->atom[n];
    return vf_fail(b->err, "%s:%d: atom %s (N): its C–N–C angle is straight, so the N dummy "
                   "has no bisector", b->c->source, a->line, a->label);
  }
  for (int d = 0; d < 3; d++) u[d] /= len;
  return 0;
}

/* The four Zn dummies of Zn `zn`, each followed by its N's dummy, and their bonds. */
static int add_dummies_of(builder *b, int zn) {
  const int *ligand = b->g->ligand + 4 * zn;
  int he[4];
  for (int m = 0; m < 4; m++) {
    const int n = ligand[m];
    double u[3], frac[3];
    he[m] = b->next++;
    unit_toward(b, zn, n, u);
    frac_along(b, zn, u, b->spec->zn_dummy_distance, frac);
    place(b, he[m], VF_ZIF_ZN_DUMMY, frac);
    const int ne = b->next++;
    if (n_dummy_direction(b, n, zn, u)) return -1;
    frac_along(b, n, u, b->spec->n_dummy_distance, frac);
    place(b, ne, VF_ZIF_N_DUMMY, frac);
    if (add_bond(b, zn, he[m]) || add_bond(b, n, ne)) return -1;
  }
  for (int m = 0; m < 4; m++)
    for (int q = m + 1; q < 4; q++)
      if (add_bond(b, he[m], he[q])) return -1;
  return 0;
}

static int add_dummies(builder *b) {
  for (int i = 0; i < b->g->n; i++)
    if (b->g->site[i] == VF_ZIF_ZN && add_dummies_of(b, i)) return -1;
  return 0;
}

static int set_title(vf_system *s, const char *source) {
  char title[512];
  snprintf(title, sizeof title, "nb-ZIF-FF system built by vitrify from %s", source);
  return (s->title = strdup(title)) ? 0 : -1;
}

static int assemble(builder *b) {
  vf_system *s = b->s;
  if (place_framework(b) || add_dummies(b)) return -1;
  if (vf_topology_generate(&s->topo, s->n, b->err)) return -1;
  if (vf_assign_bonded_types(s, &b->spec->bonded, b->err)) return -1;
  if (vf_topology_build_special(&s->topo, s->n, b->err)) return -1;
  if (set_title(s, b->c->source)) return vf_fail(b->err, "out of memory");
  vf_system_touch_structure(s);
  return 0;
}

vf_system *vf_build_nbzifff(const vf_crystal *c, const vf_nbzifff_spec *spec, vf_error *err) {
  if (check_spec(spec, err)) return NULL;
  vf_zif_graph g;
  if (vf_zif_perceive(c, &g, err)) {
    vf_zif_graph_free(&g);
    return NULL;
  }
  const int nzn = count_site(&g, VF_ZIF_ZN), natoms = c->n + 8 * nzn;
  builder b = {.c = c, .spec = spec, .g = &g, .next = c->n, .err = err};
  b.s = new_system(spec, natoms, err);
  if (b.s) {
    b.s->box = c->box;
    if (assemble(&b)) {
      vf_system_free(b.s);
      b.s = NULL;
    }
  }
  vf_zif_graph_free(&g);
  return b.s;
}
