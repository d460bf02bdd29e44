/* units.h — LAMMPS "metal" units, the only units used inside vitrify.
 * Energy eV, length Å, time ps, temperature K, pressure bar, mass g/mol, charge e.
 * The constants are LAMMPS's own so that results compare digit for digit. */
#ifndef VF_UNITS_H
#define VF_UNITS_H

#define VF_BOLTZ 8.617343e-5      /* Boltzmann constant, eV/K */
#define VF_MVV2E 1.0364269e-4     /* (g/mol)(Å/ps)^2 -> eV */
#define VF_FTM2V (1.0 / VF_MVV2E) /* (eV/Å)/(g/mol) -> Å/ps^2 */
#define VF_NKTV2P 1.6021765e6     /* eV/Å^3 -> bar */
#define VF_QQR2E 14.399645        /* e^2/Å -> eV (Coulomb constant) */
#define VF_KCAL2EV 0.0433641153   /* kcal/mol -> eV (as in the nb-ZIF-FF tables) */

#define VF_PI 3.14159265358979323846

#endif
