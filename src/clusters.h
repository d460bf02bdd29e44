/* clusters.h — cluster-pair lists for the vectorised pair kernel (the scheme of
 * GROMACS's nbnxm): atoms in spatially compact clusters of VF_CLUSTER, periodic
 * images as whole translated clusters, and for every cluster the clusters within
 * reach, each cluster pair with a bit mask of the atom pairs it computes. The
 * kernel works on VF_CLUSTER atoms of j at once with contiguous loads and stores:
 * no gathers of positions, no scattered force writes.
 *
 * Every interaction is computed once: a cluster pair (ci, image S of cj) is kept from
 * ci when S is positive (in z, then y, then x) or S = 0 and cj > ci; its mirror
 * (cj, image -S of ci) is then not. With S = 0 and cj = ci, the atom pairs j > i.
 * Masks also leave out padding and the nearest image of 1-2/1-3/1-4 partners, which
 * pair_special.c computes scaled. Cluster pairs farther apart than the Coulomb reach
 * (real-space cut + skin) at build time come after the near ones, so the kernel can
 * skip Coulomb for them. Morse pairs are collected into a flat list on the way. */
#ifndef VF_CLUSTERS_H
#define VF_CLUSTERS_H

#include <stdint.h>

#include "error.h"
#include "neighbor.h"
#include "nonbonded.h"
#include "system.h"

#define VF_CLUSTER 8

typedef struct vf_cluster_list {
  int nlocal;    /* clusters of the atoms themselves */
  int nclusters; /* and their periodic images after them */
  int nslots;    /* nclusters * VF_CLUSTER */
  /* per slot: positions refreshed each evaluation (vf_clusters_update_positions) */
  double *x, *y, *z;
  double *q;  /* charge; 0 for padding */
  int *type;  /* atom type; ntypes (interacts with nothing) for padding */
  int *atom;  /* the atom; -1 for padding */
  /* LJ force coefficients 48εσ¹² and 24εσ⁶ of every slot with an atom of type t at
   * [t * nslots + slot] (0 for padding): the kernel loads a row for its i atom's type
   * instead of gathering per pair. */
  double *lj_c12, *lj_c6;
  /* per image cluster c >= nlocal: the cluster it copies and the lattice shift */
  int *source;
  int *shift; /* 3 per cluster (0 for local clusters) */
  /* cluster pairs of cluster ci: [pair_start[ci], pair_far[ci]) near,
   * [pair_far[ci], pair_start[ci + 1]) beyond the Coulomb reach */
  int *pair_start, *pair_far;
  int *pair_cj;
  uint64_t *pair_mask; /* bit ii * VF_CLUSTER + jj */
  int npairs;
  /* Morse pairs: atom, slot of the partner, special order */
  int nmorse;
  int *morse_atom, *morse_slot;
  unsigned char *morse_order;
  /* slots holding each atom (it and its images), for summing slot forces */
  int natoms;
  int *atom_start, *atom_slots;
  struct vf_cluster_scratch *scratch;
  int nscratch;
} vf_cluster_list;

void vf_clusters_init(vf_cluster_list *cl);
void vf_clusters_free(vf_cluster_list *cl);
/* Wraps atoms into the cell, forms clusters and images, and builds the lists.
 * rlist: list radius (largest cut-off + skin); rnear: Coulomb cut-off + skin. nb
 * receives the reference state of the rebuild criterion. */
int vf_clusters_build(vf_cluster_list *cl, vf_neighbor *nb, vf_system *s, const vf_pair_params *p,
                      double rlist, double rnear, vf_error *err);
/* Copies the atoms' current positions into their slots and the images'. */
void vf_clusters_update_positions(vf_cluster_list *cl, const vf_system *s);

#endif
