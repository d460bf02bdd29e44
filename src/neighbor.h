/* neighbor.h — who interacts with whom: periodic images, cell list and Verlet lists.
 *
 * Cells smaller than twice the cut-off (the 64-Zn ZIF cells) need images beyond
 * the nearest one, so every atom within cutoff+skin of the cell is copied as a
 * "ghost" (an image with an integer lattice shift) and pairs are searched in this
 * extended set with a cell list in fractional coordinates (works for triclinic
 * cells). Extended indices 0..n-1 are the atoms, n.. the ghosts; owner[] maps any
 * extended index to its atom.
 *
 * Lists are half lists: each interaction appears once, (i, e) with i an atom and e an
 * extended index whose owner is greater than i, or equal to i with a positive shift.
 * Pairs are sorted into three lists so kernels need no branches on pair kind:
 *   plain   — LJ/Coulomb pairs that are not special
 *   special — 1-2/1-3/1-4 pairs (nearest image only, as LAMMPS does) with LJ or charges
 *   morse   — pairs whose types have a Morse term, with their special order
 * The lists hold pairs within cutoff+skin; they stay valid until atoms have moved
 * (beyond the cell's own deformation) and the cell has deformed by enough to bring
 * an unlisted pair within the cut-off (vf_neighbor_needs_rebuild). */
#ifndef VF_NEIGHBOR_H
#define VF_NEIGHBOR_H

#include "error.h"
#include "system.h"

typedef struct vf_pair_list {
  int *start;           /* n+1 offsets */
  int *j;               /* extended indices */
  unsigned char *order; /* special order 0..3 per entry (plain list: NULL) */
  int cap;
} vf_pair_list;

/* Which type pairs belong in which list (ntypes x ntypes, symmetric). */
typedef struct vf_pair_filter {
  int ntypes;
  const unsigned char *lj;    /* type pair has a Lennard-Jones term */
  const unsigned char *morse; /* type pair has a Morse term */
  int charged;                /* pairs with q_i q_j != 0 interact (Coulomb on) */
} vf_pair_filter;

typedef struct vf_thread_lists vf_thread_lists;

typedef struct vf_neighbor {
  double cutoff, skin;
  int n, nghost, ghost_cap;
  double *xe, *ye, *ze; /* extended positions, n + nghost */
  int *owner;           /* extended index -> atom */
  int *shift;           /* 3 per ghost: lattice translation */
  vf_pair_list plain, special, morse;
  double *x0, *y0, *z0; /* positions at the last build */
  vf_box box0;
  int reach[3];         /* largest lattice shift of a ghost along each edge */
  unsigned long builds;
  /* scratch kept between builds */
  int *bin_start, *bin_atom;
  int nbins_cap;
  vf_thread_lists *tl;
  int ntl;
} vf_neighbor;

void vf_neighbor_init(vf_neighbor *nb, double cutoff, double skin);
void vf_neighbor_free(vf_neighbor *nb);
/* Wraps atoms into the box and rebuilds the periodic images (and the reference
 * positions of the rebuild criterion); other list builders start from these. */
int vf_neighbor_build_images(vf_neighbor *nb, vf_system *s, vf_error *err);
/* For list builders of their own (clusters.c): records the atoms' positions and the
 * cell as the reference of the rebuild criterion. */
int vf_neighbor_remember(vf_neighbor *nb, const vf_system *s);
/* Images, then the cell list and all three per-atom lists. */
int vf_neighbor_build(vf_neighbor *nb, vf_system *s, const vf_pair_filter *filter, vf_error *err);
/* True when the lists may have missed a pair: twice the largest atom displacement
 * beyond the cell's affine deformation since the reference, plus that deformation's
 * strain times cutoff+skin, exceeds the skin. */
int vf_neighbor_needs_rebuild(const vf_neighbor *nb, const vf_system *s);
/* Copies the current atom positions into the extended array (atoms and ghosts). */
void vf_neighbor_update_positions(vf_neighbor *nb, const vf_system *s);
/* Entries of list l closer than r (diagnostics; tests use it to see a pair cross
 * the cut-off). */
long vf_pair_list_count_within(const vf_neighbor *nb, const vf_pair_list *l, double r);

#endif
