/* pppm.h — reciprocal-space Coulomb by particle–particle particle–mesh Ewald with
 * analytical differentiation (LAMMPS's pppm with "kspace_modify diff ad").
 * Charges are spread onto a mesh along the cell edges (fractional coordinates, so
 * triclinic cells work as orthorhombic ones do) with B-splines of order P; the mesh
 * energy is
 *   E_mesh = C/(2V) Σ_k G(k) |ρ̂(k)|²,
 *   G(k) = (4π/k²) e^{-k²/4g²} U²(k) / (Σ_m U²(k_m))²,
 * the influence function LAMMPS uses for ad (U the transform of the assignment
 * function, the sum over the mesh's aliases in closed form). Forces come from one
 * backward FFT of the potential and the gradients of the assignment weights, so they
 * are the exact negative gradient of the energy. LAMMPS's self-force correction (the
 * force of a charge on itself through the mesh, as the first two harmonics of the
 * charge's position within a mesh cell) is applied as an energy term,
 *   E_sf = -C Σ_i q_i² Σ_d Σ_{n=1,2} c_dn cos(2πn u_id),
 * whose gradient is exactly the force correction LAMMPS subtracts; the total is then
 *   E = E_mesh + E_sf - C g/√π Σq² - C π Q²/(2 g² V),
 * self and background as in Ewald. The virial is LAMMPS's (G's cell dependence is the
 * Ewald factor alone, so Σ G|ρ̂|² (δ - 2(1/k² + 1/4g²) k k)/2V is the exact strain
 * derivative of E_mesh) plus the strain derivative of E_sf, so it is exact too.
 * g, the mesh and the order are fixed at set-up; the influence function follows the
 * cell. */
#ifndef VF_PPPM_H
#define VF_PPPM_H

#include "error.h"
#include "forcebuf.h"
#include "system.h"

#define VF_PPPM_ORDER_DEFAULT 5
#define VF_PPPM_ORDER_MIN 2
#define VF_PPPM_ORDER_MAX 7

typedef struct vf_pppm_work vf_pppm_work; /* meshes, FFT plans, tables (pppm.c) */

typedef struct vf_pppm {
  double accuracy; /* relative force accuracy requested (0: g and mesh were given) */
  double cut_coul;
  double g_ewald;
  int mesh[3]; /* points along the cell edges a, b, c */
  int order;   /* assignment order P: points per dimension a charge reaches */
  /* LAMMPS's estimates of the relative RMS force error (absolute / 14.399645 eV/Å) */
  double error_kspace, error_real, estimated_error;
  double qsum, qsqsum;
  /* Parts of the last evaluation, for comparisons with LAMMPS (whose energy and
   * virial leave out the self-force term): E_sf (eV) and its virial (eV). */
  double self_force_energy, self_force_virial[6];
  vf_pppm_work *work;
} vf_pppm;

/* Chooses g (unless g_ewald > 0) and the mesh (unless mesh != NULL) from the relative
 * force accuracy and the real-space cut-off, and prepares the FFTs. order 0 means the
 * default. */
int vf_pppm_setup(vf_pppm *pm, const vf_system *s, double cut_coul, double accuracy,
                  double g_ewald, const int mesh[3], int order, vf_error *err);
/* Re-creates a set-up from its parameters (a checkpoint's), for the current cell. */
int vf_pppm_restore(vf_pppm *pm, const vf_system *s, double cut_coul, double accuracy,
                    double g_ewald, const int mesh[3], int order, vf_error *err);
void vf_pppm_free(vf_pppm *pm);
/* Adds w times the forces to thread 0's block of fb, the energy and the virial.
 * Returns -1 (nothing added) only when out of memory for per-thread meshes. */
int vf_pppm_compute(vf_pppm *pm, const vf_system *s, double w, vf_forcebuf *fb,
                    double *energy, double virial[6]);

#endif
