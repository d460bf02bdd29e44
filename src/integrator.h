/* integrator.h — velocity-Verlet molecular dynamics: NVE; NVT with a Nosé–Hoover
 * chain; NPT with the Martyna–Tobias–Klein equations (a Nosé–Hoover chain on the
 * particles and one on the barostat), the cell scaled isotropically (shape kept, one
 * volume) or anisotropically (three orthorhombic lengths). The splitting, the masses
 * from damping times and the conserved quantity are those of LAMMPS's fix nvt/npt,
 * so Tdamp/Pdamp mean the same thing in both codes.
 *
 * Every step also watches for a run going wrong: non-finite positions, forces or
 * energy, an atom moving farther than limits.max_displacement in one step, or the
 * volume leaving [V0 / r, V0 r] with r = limits.max_volume_ratio. */
#ifndef VF_INTEGRATOR_H
#define VF_INTEGRATOR_H

#include "error.h"
#include "forcefield.h"
#include "rng.h"
#include "system.h"

#define VF_MAX_CHAIN 8

enum vf_ensemble { VF_NVE, VF_NVT, VF_NPT };
enum vf_barostat { VF_BAROSTAT_ISO, VF_BAROSTAT_ANISO };

typedef struct vf_chain {
  int length;
  double eta[VF_MAX_CHAIN];
  double eta_dot[VF_MAX_CHAIN + 1]; /* one more, always zero, ends the chain */
  double eta_dotdot[VF_MAX_CHAIN];
  double mass[VF_MAX_CHAIN];
} vf_chain;

/* A target that goes linearly from `from` to `to` over `total` steps; `done` steps of
 * it have been run. The target at step j is from + (to - from) j / total. */
typedef struct vf_ramp {
  double from, to;
  long done, total;
} vf_ramp;

typedef struct vf_limits {
  double max_displacement; /* Å in one step */
  double max_volume_ratio; /* allowed factor of volume change within a segment */
} vf_limits;

typedef struct vf_integrator {
  int ensemble, barostat;
  double dt;             /* ps */
  double t_damp, p_damp; /* ps */
  double t_target, p_target;
  int tdof;
  vf_chain tchain, pchain;
  double omega[3], omega_dot[3], omega_mass[3];
  double vol0;         /* volume when the barostat was first set up */
  double volume_start; /* volume at the start of the segment (limits) */
  double mtk_term2;
  double t_current;
  long step;
  double time; /* ps since the start, summing each step's dt */
  vf_limits limits;
  long rebuild_every; /* force neighbour rebuilds at multiples (checkpoint steps), 0: never */
  vf_rng rng;
  vf_result res;     /* last force evaluation */
  double virial[6];  /* its total virial */
  int have_forces;
  int have_energy; /* res holds energies (only the last step of a run computes them) */
} vf_integrator;

void vf_integrator_init(vf_integrator *it, int ensemble, int barostat, double dt, double t_damp,
                        double p_damp, int chain_length, unsigned long long seed);
/* Starts a segment at targets T and P: evaluates forces if the system changed,
 * sets thermostat and barostat masses as LAMMPS does at the start of a run. */
int vf_integrator_setup(vf_integrator *it, vf_forcefield *ff, vf_system *s, double T, double P,
                        vf_error *err);
/* Runs up to nsteps steps with targets following the ramps (advanced by the steps
 * run). Call vf_integrator_setup first (not after reading a checkpoint). Returns 0 when done, 1 when stopped early by SIGINT/SIGTERM (after a whole
 * step; the state is consistent), -1 on failure with the message in err. */
int vf_integrator_run(vf_integrator *it, vf_forcefield *ff, vf_system *s, long nsteps, vf_ramp *T,
                      vf_ramp *P, vf_error *err);
/* Energy of the thermostat and barostat variables (eV): PE + KE + this is conserved. */
double vf_integrator_extended_energy(const vf_integrator *it, const vf_system *s);
/* Pressure tensor (bar) from the last forces and the current velocities. */
void vf_integrator_pressure(const vf_integrator *it, const vf_system *s, double p[6]);

#endif
