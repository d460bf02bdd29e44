/* lammps_data.h — LAMMPS data files, atom_style full.
 * Reads the header (counts, types, box with optional tilt), Masses, the four Coeffs
 * sections, Atoms (with or without image flags), Velocities, Bonds, Angles,
 * Dihedrals and Impropers in any order, with # comments anywhere. A Masses comment
 * names the type ("1 64.37 # Zn"); a Coeffs comment labels its type. Atom ids must
 * be 1..N; atoms are stored at index id-1.
 * Any problem gives one message "path:line: what" and NULL. */
#ifndef VF_LAMMPS_DATA_H
#define VF_LAMMPS_DATA_H

#include "error.h"
#include "system.h"

vf_system *vf_read_lammps_data(const char *path, vf_error *err);

/* Writes every field needed to read the system back exactly (17 significant digits),
 * with type names as Masses comments and labels as Coeffs comments. The file is
 * written beside its destination and renamed into place, so a failure never leaves
 * a half-written file or destroys an existing one. */
int vf_write_lammps_data(const vf_system *s, const char *path, vf_error *err);

#endif
