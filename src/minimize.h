/* minimize.h — energy minimisation of positions, optionally with the cell:
 * FIRE (Bitzek et al. 2006) or Polak–Ribière conjugate gradient with a line search
 * (sufficient decrease and strong Wolfe, cubic interpolation). With box relaxation the
 * cell's strain is minimised too, toward a target pressure: iso (one volume), aniso
 * (three orthorhombic lengths; the tilts of a triclinic cell follow the strain but are
 * not relaxed). */
#ifndef VF_MINIMIZE_H
#define VF_MINIMIZE_H

#include "error.h"
#include "forcefield.h"
#include "system.h"

enum vf_min_style { VF_MIN_FIRE, VF_MIN_CG };
enum vf_min_box { VF_MIN_BOX_FIXED, VF_MIN_BOX_ISO, VF_MIN_BOX_ANISO };

typedef struct vf_min_options {
  int style;          /* enum vf_min_style */
  int box;            /* enum vf_min_box */
  double pressure;    /* target pressure for box relaxation, bar */
  double ftol;        /* converged when the largest force component is below, eV/Å */
  double etol;        /* ... or the relative energy change of an iteration is below */
  double ptol;        /* with box relaxation: pressure components within ptol bar */
  int max_iterations;
  double dmax;        /* largest displacement of an atom in one iteration, Å */
  /* Called after every iteration when not NULL (progress output, tests): the
   * objective (E; with box relaxation the enthalpy E + PV, with the tail term the
   * virial implies, see minimize.c; eV) and the largest force component (eV/Å). */
  void (*monitor)(void *context, int iteration, double objective, double fmax);
  void *monitor_context;
} vf_min_options;

typedef struct vf_min_result {
  int iterations;
  int evaluations;
  int converged;          /* 1 when a tolerance was met, 0 otherwise */
  const char *reason;     /* "force tolerance", "energy tolerance", "max iterations",
                           * "line search found no lower energy" (CG at the noise floor) */
  double energy_initial, energy; /* potential energy (no P V term), eV */
  double fmax;                   /* eV/Å, at the end */
  double pressure[6];            /* bar, at the end */
} vf_min_result;

/* Fills o with the defaults: FIRE, fixed box, 1 bar, ftol 1e-3, etol 1e-10, ptol 1 bar,
 * 10000 iterations, dmax 0.1 Å, no monitor. */
void vf_min_defaults(vf_min_options *o);
/* Minimises in place: s ends at the last accepted configuration (atoms wrapped into
 * the cell) with its forces. Velocities are ignored and left alone; the pressures in r
 * are the virial's alone. Returns -1 with err on bad options, an empty system or a
 * non-finite energy; not converging is not an error (r->converged = 0). */
int vf_minimize(vf_forcefield *ff, vf_system *s, const vf_min_options *o, vf_min_result *r,
                vf_error *err);

#endif
