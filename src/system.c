#include "system.h"

#include <stdlib.h>
#include <string.h>

vf_system *vf_system_new(int n, int ntypes) {
  if (n < 0 || ntypes < 0) return NULL;
  vf_system *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->n = n;
  s->ntypes = ntypes;
  size_t m = n ? (size_t)n : 1;
  double **dv[] = {&s->x, &s->y, &s->z, &s->vx, &s->vy, &s->vz, &s->fx, &s->fy, &s->fz, &s->q};
  for (size_t k = 0; k < sizeof dv / sizeof *dv; k++)
    if (!(*dv[k] = calloc(m, sizeof(double)))) goto fail;
  int **iv[] = {&s->type, &s->mol, &s->ix, &s->iy, &s->iz};
  for (size_t k = 0; k < sizeof iv / sizeof *iv; k++)
    if (!(*iv[k] = calloc(m, sizeof(int)))) goto fail;
  s->mass = calloc(ntypes ? (size_t)ntypes : 1, sizeof(double));
  s->type_name = calloc(ntypes ? (size_t)ntypes : 1, sizeof(char *));
  if (!s->mass || !s->type_name) goto fail;
  vf_topology_init(&s->topo);
  const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
  vf_box_set(&s->box, lo, hi, NULL, NULL);
  return s;
fail:
  vf_system_free(s);
  return NULL;
}

void vf_system_free(vf_system *s) {
  if (!s) return;
  free(s->x); free(s->y); free(s->z);
  free(s->vx); free(s->vy); free(s->vz);
  free(s->fx); free(s->fy); free(s->fz);
  free(s->q); free(s->type); free(s->mol);
  free(s->ix); free(s->iy); free(s->iz);
  if (s->type_name)
    for (int t = 0; t < s->ntypes; t++) free(s->type_name[t]);
  free(s->type_name);
  free(s->mass);
  free(s->title);
  vf_topology_free(&s->topo);
  free(s);
}

vf_system *vf_system_copy(const vf_system *s) {
  vf_system *c = vf_system_new(s->n, s->ntypes);
  if (!c) return NULL;
  size_t nd = sizeof(double) * (size_t)s->n, ni = sizeof(int) * (size_t)s->n;
  memcpy(c->x, s->x, nd); memcpy(c->y, s->y, nd); memcpy(c->z, s->z, nd);
  memcpy(c->vx, s->vx, nd); memcpy(c->vy, s->vy, nd); memcpy(c->vz, s->vz, nd);
  memcpy(c->fx, s->fx, nd); memcpy(c->fy, s->fy, nd); memcpy(c->fz, s->fz, nd);
  memcpy(c->q, s->q, nd);
  memcpy(c->type, s->type, ni); memcpy(c->mol, s->mol, ni);
  memcpy(c->ix, s->ix, ni); memcpy(c->iy, s->iy, ni); memcpy(c->iz, s->iz, ni);
  memcpy(c->mass, s->mass, sizeof(double) * (size_t)s->ntypes);
  for (int t = 0; t < s->ntypes; t++)
    if (vf_system_set_type_name(c, t, s->type_name[t])) goto fail;
  c->box = s->box;
  if (s->title && !(c->title = strdup(s->title))) goto fail;
  vf_topology_free(&c->topo);
  if (vf_topology_copy(&c->topo, &s->topo)) goto fail;
  return c;
fail:
  vf_system_free(c);
  return NULL;
}

int vf_system_set_type_name(vf_system *s, int type, const char *name) {
  if (type < 0 || type >= s->ntypes) return -1;
  free(s->type_name[type]);
  s->type_name[type] = name ? strdup(name) : NULL;
  return (name && !s->type_name[type]) ? -1 : 0;
}

int vf_system_find_type(const vf_system *s, const char *name) {
  for (int t = 0; t < s->ntypes; t++)
    if (s->type_name[t] && strcmp(s->type_name[t], name) == 0) return t;
  return -1;
}

void vf_system_wrap(vf_system *s) {
  for (int i = 0; i < s->n; i++) {
    double r[3] = {s->x[i], s->y[i], s->z[i]};
    int im[3] = {s->ix[i], s->iy[i], s->iz[i]};
    vf_box_wrap(&s->box, r, im);
    s->x[i] = r[0]; s->y[i] = r[1]; s->z[i] = r[2];
    s->ix[i] = im[0]; s->iy[i] = im[1]; s->iz[i] = im[2];
  }
  vf_system_touch(s);
}

double vf_system_total_mass(const vf_system *s) {
  double m = 0;
  for (int i = 0; i < s->n; i++) m += s->mass[s->type[i]];
  return m;
}

void vf_system_strain(vf_system *s, const double eps[6]) {
  vf_box_strain(&s->box, eps);
  for (int i = 0; i < s->n; i++) {
    const double x = s->x[i], y = s->y[i], z = s->z[i];
    s->x[i] = (1 + eps[0]) * x + eps[3] * y + eps[4] * z;
    s->y[i] = (1 + eps[1]) * y + eps[5] * z;
    s->z[i] = (1 + eps[2]) * z;
  }
  vf_system_touch(s);
}
