/* pointgrid.h — points of a periodic cell in bins over fractional coordinates, to
 * find close pairs (bonds, duplicate atoms) without testing every pair.
 * Each bin is at least `reach` wide between every pair of opposite faces, so two
 * points closer than reach lie in the same or in adjacent bins, in triclinic cells
 * too. Distances use the nearest periodic image, which is exact while reach is below
 * half the cell's smallest face width (vf_pointgrid_init checks). */
#ifndef VF_POINTGRID_H
#define VF_POINTGRID_H

#include "box.h"
#include "error.h"

typedef struct vf_pointgrid {
  vf_box box;
  int nbin[3];
  int *head; /* first point of each bin, -1 when empty */
  int *next; /* next point of the same bin, by point index */
  int cap;   /* length of next[] */
} vf_pointgrid;

int vf_pointgrid_init(vf_pointgrid *g, const vf_box *box, double reach, vf_error *err);
void vf_pointgrid_free(vf_pointgrid *g);
/* Files point (an index >= 0, each at most once) at fractional position s. */
int vf_pointgrid_insert(vf_pointgrid *g, int point, const double s[3]);
/* Calls visit(point, ctx) for every filed point in the bins around s; a non-zero
 * return stops the walk and is returned. */
typedef int (*vf_pointgrid_visit)(int point, void *ctx);
int vf_pointgrid_visit_near(const vf_pointgrid *g, const double s[3], vf_pointgrid_visit visit,
                            void *ctx);
/* Cartesian vector from fractional position a to the nearest image of b; returns its
 * squared length. */
double vf_periodic_delta(const vf_box *box, const double a[3], const double b[3], double d[3]);

#endif
