/* forcefield.h — a complete force field bound to one system's types, and its
 * evaluation: bonded terms, pair terms, tail correction and Ewald, with per-term
 * energies and virials. Parameters arrive as arrays in the system's type order
 * (the Lua layer maps force-field type names onto the system's types). */
#ifndef VF_FORCEFIELD_H
#define VF_FORCEFIELD_H

#include "bonded.h"
#include "error.h"
#include "ewald.h"
#include "forcebuf.h"
#include "neighbor.h"
#include "clusters.h"
#include "nonbonded.h"
#include "pppm.h"
#include "system.h"

enum vf_term {
  VF_TERM_BOND,
  VF_TERM_ANGLE,
  VF_TERM_DIHEDRAL,
  VF_TERM_IMPROPER,
  VF_TERM_LJ,
  VF_TERM_MORSE,
  VF_TERM_TAIL,
  VF_TERM_COUL_REAL,
  VF_TERM_COUL_KSPACE,
  VF_NTERMS
};
#define VF_ALL_TERMS ((1u << VF_NTERMS) - 1u)

extern const char *const vf_term_name[VF_NTERMS]; /* "bond" ... "coul_kspace" */

enum vf_kspace { VF_KSPACE_NONE, VF_KSPACE_EWALD, VF_KSPACE_PPPM };

typedef struct vf_result {
  double energy[VF_NTERMS]; /* pair energies only when the evaluation asked for them */
  /* Per-term virials. Unless the evaluation asked to split them, the cluster
   * kernel's LJ and real-space Coulomb virial is one sum, kept under VF_TERM_LJ. */
  double virial[VF_NTERMS][6];
} vf_result;

/* Where the time of evaluations goes (seconds, accumulated), LAMMPS's sections. */
enum vf_section { VF_TIME_PAIR, VF_TIME_BOND, VF_TIME_KSPACE, VF_TIME_NEIGH, VF_NSECTIONS };

enum vf_kernel { VF_KERNEL_CLUSTER, VF_KERNEL_REFERENCE };

typedef struct vf_forcefield {
  vf_pair_params pair;
  int tail;            /* long-range LJ tail correction on */
  int kspace;          /* enum vf_kspace */
  double kspace_accuracy;
  double g_ewald;      /* 0: chosen from the accuracy */
  double skin;
  double prune_buffer; /* cluster kernel: pruned list radius beyond the cut-offs (Å) */
  int rebuild_next;    /* set to force a neighbour rebuild at the next evaluation */
  int kernel;          /* enum vf_kernel: the cluster kernel, or per-atom lists (reference) */
  int want_energy;     /* evaluate pair energies (the per-pair work the forces don't need) */
  int split_virial;    /* keep LJ and real-space Coulomb virials apart (costs a second pass) */
  double seconds[VF_NSECTIONS];
  /* state of the bound system */
  vf_neighbor nb;
  vf_cluster_list clusters;
  vf_neighbor prune_ref; /* positions and cell at the last prune (its skin: prune_buffer) */
  vf_special_pairs specials;
  vf_forcebuf slot_forces;
  vf_ewald ewald;
  vf_pppm pppm;
  int pppm_mesh[3]; /* PPPM mesh asked for (0: chosen from the accuracy) */
  int pppm_order;   /* PPPM assignment order (0: the default, 5) */
  vf_forcebuf fb;
  vf_bonded_plan bonded; /* the bonded entries that contribute, kept per topology */
  double tail_e, tail_w; /* E_tail = tail_e / V, W_tail,aa = tail_w / V */
  int bound_n;
} vf_forcefield;

/* Takes ownership of pair (filled with vf_pair_params_alloc/set_*), zeroes the rest;
 * energies on, cluster kernel. */
void vf_forcefield_init(vf_forcefield *ff, vf_pair_params *pair);
void vf_forcefield_free(vf_forcefield *ff);
/* Checks styles against the system's coefficients, builds special lists and the
 * Ewald set-up. Call again after the system's atoms, charges or topology change. */
int vf_forcefield_bind(vf_forcefield *ff, vf_system *s, vf_error *err);
/* Evaluates the terms in mask (bit t for term t): forces of those terms into
 * s->fx/fy/fz (replacing them), energies and virials of all computed terms into res.
 * Rebuilds neighbour lists when needed (this wraps atoms into the box). */
int vf_forcefield_compute(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                          vf_error *err);

/* Pairs inside the LJ, Coulomb and Morse cut-offs at the last evaluation. A truncated
 * potential jumps where a pair crosses its cut-off; finite-difference checks use these
 * counts to see that none did. */
void vf_forcefield_pairs_within(const vf_forcefield *ff, const vf_system *s, long counts[3]);

double vf_result_energy(const vf_result *res);
void vf_result_virial(const vf_result *res, double virial[6]);
/* Pressure tensor (bar) from virial and velocities: xx yy zz xy xz yz. */
void vf_pressure_tensor(const vf_system *s, const double virial[6], double p[6]);
/* The same from a kinetic tensor already at hand (vf_kinetic_tensor's). */
void vf_pressure_tensor_from(const vf_system *s, const double kinetic[6], const double virial[6],
                             double p[6]);

#endif
