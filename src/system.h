/* system.h — the particles of one simulation: structure of arrays, indexed 0..n-1.
 * Atom ids in files are index + 1. Masses are per type (LAMMPS atom_style full). */
#ifndef VF_SYSTEM_H
#define VF_SYSTEM_H

#include "box.h"
#include "topology.h"

typedef struct vf_system {
  int n;
  double *x, *y, *z;    /* positions, Å */
  double *vx, *vy, *vz; /* velocities, Å/ps */
  double *fx, *fy, *fz; /* forces of the last evaluation, eV/Å */
  double *q;            /* charges, e */
  int *type;            /* atom types, 0-based */
  int *mol;             /* molecule ids (0 when none) */
  int *ix, *iy, *iz;    /* image flags: periodic boxes crossed */
  int ntypes;
  double *mass;   /* per type, g/mol */
  char **type_name; /* per type, NULL when unknown */
  vf_box box;
  vf_topology topo;
  char *title;
  /* Bumped by every change of positions, box, charges or types, so cached results
   * (forces, neighbour lists) know when they are stale. */
  unsigned long generation;
  /* Bumped when atoms, types, charges or topology change: what a force field binds to. */
  unsigned long structure_generation;
} vf_system;

/* Allocates n atoms and ntypes types, everything zeroed. Returns NULL on failure. */
vf_system *vf_system_new(int n, int ntypes);
void vf_system_free(vf_system *s);
vf_system *vf_system_copy(const vf_system *s);
int vf_system_set_type_name(vf_system *s, int type, const char *name);
/* Index of the type called name, or -1. */
int vf_system_find_type(const vf_system *s, const char *name);
/* Wraps every atom into the box, updating image flags. */
void vf_system_wrap(vf_system *s);
double vf_system_total_mass(const vf_system *s);
/* Homogeneous deformation r -> (1 + eps) r of cell and atoms, eps upper triangular in
 * LAMMPS order xx yy zz xy xz yz (see vf_box_strain). */
void vf_system_strain(vf_system *s, const double eps[6]);
static inline void vf_system_touch(vf_system *s) { s->generation++; }
static inline void vf_system_touch_structure(vf_system *s) {
  s->generation++;
  s->structure_generation++;
}

#endif
