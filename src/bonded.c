/* bonded.c — the plan (packed lists of contributing entries) and the threaded driver
 * of the bonded styles. */
#include "bonded.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Each work list: the topology kind it comes from (and whose energy it adds to),
 * which of an entry's atoms it keeps, and the style's constants and kernel. */
static const struct work {
  int kind, width;
  int pick[4];
  vf_bonded_params_fn params;
  vf_bonded_kernel_fn kernel;
} works[VF_NWORK] = {
    [VF_WORK_BOND] = {VF_BONDS, 2, {0, 1}, vf_bond_harmonic_params, vf_bond_harmonic_kernel},
    [VF_WORK_BEND] = {VF_ANGLES, 3, {0, 1, 2}, vf_angle_charmm_bend_params, vf_angle_charmm_kernel},
    [VF_WORK_UREY_BRADLEY] = {VF_ANGLES, 2, {0, 2}, vf_angle_charmm_urey_bradley_params,
                              vf_bond_harmonic_kernel},
    [VF_WORK_DIHEDRAL] = {VF_DIHEDRALS, 4, {0, 1, 2, 3}, vf_dihedral_charmm_params,
                          vf_dihedral_charmm_kernel},
    [VF_WORK_IMPROPER] = {VF_IMPROPERS, 4, {0, 1, 2, 3}, vf_improper_cvff_params,
                          vf_improper_cvff_kernel},
};

void vf_bonded_plan_free(vf_bonded_plan *plan) {
  for (int w = 0; w < VF_NWORK; w++) {
    free(plan->list[w].atom);
    free(plan->list[w].type);
    free(plan->param[w]);
    free(plan->active[w]);
  }
  memset(plan, 0, sizeof *plan);
}

/* Grows a buffer of count elements of size bytes; 0 on success. */
static int reserve(void **p, int *cap, int count, size_t size) {
  if (count <= *cap) return 0;
  void *q = realloc(*p, size * (size_t)(count > 0 ? count : 1));
  if (!q) return -1;
  *p = q;
  *cap = count;
  return 0;
}

/* Fills every list's per-type constants from the coefficients (every call: they
 * may have been edited in place) and reports whether the set of contributing types
 * still matches the built lists. */
static int refresh_params(const vf_system *s, vf_bonded_plan *plan, int *same_types) {
  *same_types = 1;
  for (int w = 0; w < VF_NWORK; w++) {
    const int ntypes = s->topo.coeff[works[w].kind].ntypes;
    if (reserve((void **)&plan->param[w], &plan->param_cap[w], VF_BONDED_PARAM_STRIDE * ntypes,
                sizeof(double)))
      return -1;
    if (plan->active_ntypes[w] != ntypes) {
      unsigned char *a = realloc(plan->active[w], (size_t)(ntypes > 0 ? ntypes : 1));
      if (!a) return -1;
      memset(a, 0, (size_t)(ntypes > 0 ? ntypes : 1));
      plan->active[w] = a;
      plan->active_ntypes[w] = ntypes;
      *same_types = 0;
    }
    for (int t = 0; t < ntypes; t++) {
      double *p = plan->param[w] + VF_BONDED_PARAM_STRIDE * t;
      works[w].params(vf_topology_coeff(&s->topo, works[w].kind, t), p);
      const unsigned char active = p[0] != 0.0;
      if (plan->active[w][t] != active) *same_types = 0;
      plan->active[w][t] = active;
    }
  }
  return 0;
}

static int topology_unchanged(const vf_system *s, const vf_bonded_plan *plan) {
  if (!plan->built || plan->topo != &s->topo ||
      plan->structure_generation != s->structure_generation)
    return 0;
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    const vf_bonded_list *l = &s->topo.list[k];
    if (plan->entry_atom[k] != l->atom || plan->entry_type[k] != l->type ||
        plan->entry_n[k] != l->n)
      return 0;
  }
  return 1;
}

/* Packs the contributing entries of every list, in topology order. */
static int build_lists(const vf_system *s, vf_bonded_plan *plan) {
  for (int w = 0; w < VF_NWORK; w++) {
    const vf_bonded_list *l = &s->topo.list[works[w].kind];
    vf_bonded_entries *out = &plan->list[w];
    const unsigned char *active = plan->active[w];
    const int width = works[w].width;
    int count = 0;
    for (int e = 0; e < l->n; e++) count += active[l->type[e]];
    int cap_atom = out->cap * width, cap_type = out->cap;
    if (reserve((void **)&out->atom, &cap_atom, width * count, sizeof(int)) ||
        reserve((void **)&out->type, &cap_type, count, sizeof(int)))
      return -1;
    out->cap = count > out->cap ? count : out->cap;
    out->width = width;
    out->n = 0;
    for (int e = 0; e < l->n; e++) {
      if (!active[l->type[e]]) continue;
      for (int m = 0; m < width; m++)
        out->atom[width * out->n + m] = l->atom[l->width * e + works[w].pick[m]];
      out->type[out->n++] = l->type[e];
    }
  }
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    plan->entry_atom[k] = s->topo.list[k].atom;
    plan->entry_type[k] = s->topo.list[k].type;
    plan->entry_n[k] = s->topo.list[k].n;
  }
  plan->topo = &s->topo;
  plan->structure_generation = s->structure_generation;
  plan->built = 1;
  return 0;
}

int vf_bonded_compute(const vf_system *s, vf_bonded_plan *plan, unsigned kinds_mask,
                      vf_forcebuf *fb, double energy[VF_NBONDED_KINDS],
                      double virial[VF_NBONDED_KINDS][6]) {
  int same_types;
  if (refresh_params(s, plan, &same_types)) return -1;
  if (!(same_types && topology_unchanged(s, plan)) && build_lists(s, plan)) {
    plan->built = 0;
    return -1;
  }
  /* Per thread and kind: energy, then the six virial components. */
  const int nthreads = fb->nthreads;
  double part[nthreads][VF_NBONDED_KINDS][7];
  memset(part, 0, sizeof part);

#pragma omp parallel num_threads(nthreads)
  {
    const int tid = omp_get_thread_num(), team = omp_get_num_threads();
    double *f = vf_forcebuf_thread(fb, tid);
    /* Every thread takes the same share of every list: contiguous runs, so its
     * atoms stay close together, and no barrier between the lists. */
    for (int w = 0; w < VF_NWORK; w++) {
      const int kind = works[w].kind;
      if (!(kinds_mask & (1u << kind))) continue;
      const long n = plan->list[w].n;
      const int begin = (int)(n * tid / team), end = (int)(n * (tid + 1) / team);
      if (begin < end)
        works[w].kernel(s, &plan->list[w], plan->param[w], begin, end, f, &part[tid][kind][0],
                        &part[tid][kind][1]);
    }
  }
  for (int t = 0; t < nthreads; t++)
    for (int k = 0; k < VF_NBONDED_KINDS; k++) {
      if (!(kinds_mask & (1u << k))) continue;
      energy[k] += part[t][k][0];
      for (int c = 0; c < 6; c++) virial[k][c] += part[t][k][1 + c];
    }
  return 0;
}

/* The per-style entry points: one kind, with a plan of its own. */
static int compute_kind(const vf_system *s, int kind, vf_forcebuf *fb, double *energy,
                        double virial[6]) {
  vf_bonded_plan plan;
  memset(&plan, 0, sizeof plan);
  double e[VF_NBONDED_KINDS] = {0}, v[VF_NBONDED_KINDS][6] = {{0}};
  const int status = vf_bonded_compute(s, &plan, 1u << kind, fb, e, v);
  vf_bonded_plan_free(&plan);
  *energy += e[kind];
  for (int c = 0; c < 6; c++) virial[c] += v[kind][c];
  return status;
}

int vf_bond_harmonic_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                             double virial[6]) {
  return compute_kind(s, VF_BONDS, fb, energy, virial);
}
int vf_angle_charmm_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                            double virial[6]) {
  return compute_kind(s, VF_ANGLES, fb, energy, virial);
}
int vf_dihedral_charmm_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                               double virial[6]) {
  return compute_kind(s, VF_DIHEDRALS, fb, energy, virial);
}
int vf_improper_cvff_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                             double virial[6]) {
  return compute_kind(s, VF_IMPROPERS, fb, energy, virial);
}
