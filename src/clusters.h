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
 * pair_special.c computes scaled. Morse pairs are collected into a flat list on the way.
 *
 * The list is built rarely with a generous skin (the outer list) and pruned often to
 * the cut-offs plus a small buffer (GROMACS's dynamic pruning): the kernel then
 * evaluates only cluster pairs with an atom pair near the cut-off, and fewer atom
 * rows. In the pruned list, cluster pairs with no atom pair within the Coulomb reach
 * come after the near ones, so the kernel can skip Coulomb for them, and near ones
 * mark their i rows with such a pair (with a real-space Coulomb cut-off shorter than
 * LJ's, the other rows are LJ only). */
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
  /* the same in single precision, and the charges, for the mixed-precision kernel */
  float *lj_c12f, *lj_c6f, *qf;
  /* per image cluster c >= nlocal: the cluster it copies and the lattice shift */
  int *source;
  int *shift; /* 3 per cluster (0 for local clusters) */
  /* The list as built, every cluster pair within rlist: cluster ci's are
   * [pair_start[ci], pair_start[ci + 1]) of outer_cj / outer_mask. */
  int *pair_start;
  int *outer_cj;
  uint64_t *outer_mask; /* bit ii * VF_CLUSTER + jj */
  int nouter;
  /* What the kernel computes, the outer list pruned to a shorter radius
   * (vf_cluster_prune), at the same offsets: [pair_start[ci], pair_far[ci]) near,
   * [pair_far[ci], pair_end[ci]) beyond the Coulomb reach. */
  int *pair_far, *pair_end;
  /* per local cluster: the kernel's estimated work through it, cumulative
   * (vf_cluster_pair_work), for shares of equal work (vf_cluster_deal) */
  long *work_end;
  /* per local cluster: the LJ and Coulomb energies of its cluster pairs in the last
   * evaluation with energies (2 each), summed in cluster order: the total does not
   * depend on which thread took which cluster */
  double *energy;
  int *pair_cj;
  uint64_t *pair_mask;
  /* per kernel cluster pair: bit ii set when i row ii has an atom pair within the
   * Coulomb reach (0 for far pairs), so rows with none skip Coulomb */
  unsigned char *pair_coul_rows;
  int npairs;
  /* Morse pairs within rlist: atom, slot of the partner, special order */
  int nmorse;
  int *morse_atom, *morse_slot;
  unsigned char *morse_order;
  /* Those within the pruned radius, as the Morse kernel reads them (vf_cluster_prune):
   * the atoms, the partner's slot, and the pair's parameters with the special factor
   * in D0 */
  int nmorse_near;
  int *near_i, *near_j, *near_slot;
  double *near_d0, *near_alpha, *near_r0;
  /* slots holding each atom (it and its images), for summing slot forces */
  int natoms;
  int *atom_start, *atom_slots;
  struct vf_cluster_scratch *scratch;
  int nscratch;
} vf_cluster_list;

void vf_clusters_init(vf_cluster_list *cl);
void vf_clusters_free(vf_cluster_list *cl);
/* Wraps atoms into the cell, forms clusters and images, and builds the outer list
 * of radius rlist (largest cut-off + skin); the kernel's list is empty until
 * vf_cluster_prune (pair_cluster.h). nb receives the reference state of the rebuild
 * criterion. */
int vf_clusters_build(vf_cluster_list *cl, vf_neighbor *nb, vf_system *s, const vf_pair_params *p,
                      double rlist, vf_error *err);
/* Copies the atoms' current positions into their slots and the images'. */
void vf_clusters_update_positions(vf_cluster_list *cl, const vf_system *s);

#endif
