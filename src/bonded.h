/* bonded.h — the intramolecular terms of nb-ZIF-FF, LAMMPS styles and conventions:
 *   bond harmonic     E = K (r - r0)^2                       coeffs K r0
 *   angle charmm      E = K (θ - θ0)^2 + K_ub (r13 - r_ub)^2  coeffs K θ0(deg) K_ub r_ub
 *   dihedral charmm   E = K [1 + cos(n φ - d)]                coeffs K n d(deg, integer) w
 *                     (w is the 1-4 weight; only w = 0 is supported, as in nb-ZIF-FF)
 *   improper cvff     E = K [1 + d cos(n φ)]                  coeffs K d(±1) n(0..6)
 * φ is the IUPAC dihedral of atoms 1-2-3-4. Displacements use the nearest periodic
 * image, so bonded atoms may sit on opposite sides of the box.
 *
 * Evaluation runs on OpenMP threads, each adding its forces into its own block of a
 * vf_forcebuf and its energy and virial into partial sums that are combined in
 * thread order: no atomics, and the same results run to run for the same number of
 * threads. Entries whose constants are all zero (nb-ZIF-FF's dummy-site dihedrals
 * and impropers, angles without Urey–Bradley) are dropped once, when a plan is built
 * for a topology; the plan is kept and rebuilt only when the topology changes. */
#ifndef VF_BONDED_H
#define VF_BONDED_H

#include "accum.h"
#include "error.h"
#include "forcebuf.h"
#include "simd.h"
#include "system.h"

/* Check that every type used has the coefficients its style needs. */
int vf_bond_harmonic_check(const vf_system *s, vf_error *err);
int vf_angle_charmm_check(const vf_system *s, vf_error *err);
int vf_dihedral_charmm_check(const vf_system *s, vf_error *err);
int vf_improper_cvff_check(const vf_system *s, vf_error *err);

/* The work lists: each is a kernel applied to packed entries of one topology kind.
 * Angles give two lists, the bend (K != 0) and the Urey–Bradley 1-3 pair (K_ub != 0),
 * the latter evaluated by the bond kernel. */
enum vf_bonded_work {
  VF_WORK_BOND,
  VF_WORK_BEND,
  VF_WORK_UREY_BRADLEY,
  VF_WORK_DIHEDRAL,
  VF_WORK_IMPROPER,
  VF_NWORK
};

/* Entries of one work list that contribute: atom indices (width per entry, in the
 * order the kernel wants them) and their types, in topology order. */
typedef struct vf_bonded_entries {
  int n, cap, width;
  int *atom;
  int *type;
} vf_bonded_entries;

/* Everything bonded evaluation derives from a topology. Zero-initialise; built and
 * refreshed by vf_bonded_compute, freed by vf_bonded_plan_free. */
typedef struct vf_bonded_plan {
  vf_bonded_entries list[VF_NWORK];
  /* per-type constants of each list, recomputed every call (a handful of types) */
  double *param[VF_NWORK];
  int param_cap[VF_NWORK];
  /* what the lists were built from: a change of any of these rebuilds them */
  int built;
  const vf_topology *topo;
  unsigned long structure_generation;
  const int *entry_atom[VF_NBONDED_KINDS], *entry_type[VF_NBONDED_KINDS];
  int entry_n[VF_NBONDED_KINDS];
  unsigned char *active[VF_NWORK]; /* per type: contributes */
  int active_ntypes[VF_NWORK];
} vf_bonded_plan;

void vf_bonded_plan_free(vf_bonded_plan *plan);

/* Evaluates the kinds in kinds_mask (bit VF_BONDS ... VF_IMPROPERS): forces added
 * into the per-thread blocks of fb (fb->n == s->n; its thread count sets the team),
 * energy[kind] and virial[kind] (LAMMPS order xx yy zz xy xz yz, eV) added to.
 * plan caches the entry lists for s's topology. Returns -1 when out of memory. */
int vf_bonded_compute(const vf_system *s, vf_bonded_plan *plan, unsigned kinds_mask,
                      vf_forcebuf *fb, double energy[VF_NBONDED_KINDS],
                      double virial[VF_NBONDED_KINDS][6]);

/* One style alone with a plan of its own (built and dropped every call): tests and
 * one-off uses. Forces added into fb, energy and virial added to. */
int vf_bond_harmonic_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                             double virial[6]);
int vf_angle_charmm_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                            double virial[6]);
int vf_dihedral_charmm_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                               double virial[6]);
int vf_improper_cvff_compute(const vf_system *s, vf_forcebuf *fb, double *energy,
                             double virial[6]);

/* ---- what the styles give the driver (bonded.c) -------------------------------- */

#define VF_BONDED_PARAM_STRIDE 4 /* per-type constants: type t's at param[4 t ...] */

/* Nearest images of n displacements held as arrays, the same reduction as
 * vf_box_minimum_image (along c, then b, then a) in straight-line arithmetic the
 * compiler vectorises: no branch, and vf_round_nearest rather than a nearbyint call.
 * Bonded kernels gather raw differences into blocks and fix them here. */
static inline void vf_bonded_minimum_image(const vf_box *box, int n, double *restrict dx,
                                           double *restrict dy, double *restrict dz) {
  const double inv_lx = 1.0 / box->lx, inv_ly = 1.0 / box->ly, inv_lz = 1.0 / box->lz;
  for (int k = 0; k < n; k++) {
    const double nz = vf_round_nearest(dz[k] * inv_lz);
    double y = dy[k] - nz * box->yz;
    const double ny = vf_round_nearest(y * inv_ly);
    double x = dx[k] - nz * box->xz - ny * box->xy;
    const double nx = vf_round_nearest(x * inv_lx);
    dx[k] = x - nx * box->lx;
    dy[k] = y - ny * box->ly;
    dz[k] = dz[k] - nz * box->lz;
  }
}

/* Per-type constants from a type's coefficients; out[0] == 0 marks a type whose
 * entries contribute nothing to this list. */
typedef void (*vf_bonded_params_fn)(const double *coeff, double *out);
/* Entries [begin, end) of a list: forces into the block f (fx f[0..n), fy f[n..2n),
 * fz f[2n..3n), n = s->n), energy and virial added to. */
typedef void (*vf_bonded_kernel_fn)(const vf_system *s, const vf_bonded_entries *l,
                                    const double *param, int begin, int end, double *f,
                                    double *energy, double virial[6]);

void vf_bond_harmonic_params(const double *coeff, double *out); /* K r0 */
void vf_bond_harmonic_kernel(const vf_system *s, const vf_bonded_entries *l, const double *param,
                             int begin, int end, double *f, double *energy, double virial[6]);
void vf_angle_charmm_bend_params(const double *coeff, double *out);          /* K θ0(rad) */
void vf_angle_charmm_urey_bradley_params(const double *coeff, double *out);  /* K_ub r_ub */
void vf_angle_charmm_kernel(const vf_system *s, const vf_bonded_entries *l, const double *param,
                            int begin, int end, double *f, double *energy, double virial[6]);
void vf_dihedral_charmm_params(const double *coeff, double *out); /* K n cos d sin d */
void vf_dihedral_charmm_kernel(const vf_system *s, const vf_bonded_entries *l,
                               const double *param, int begin, int end, double *f,
                               double *energy, double virial[6]);
void vf_improper_cvff_params(const double *coeff, double *out); /* K d n */
void vf_improper_cvff_kernel(const vf_system *s, const vf_bonded_entries *l,
                             const double *param, int begin, int end, double *f,
                             double *energy, double virial[6]);

#endif
