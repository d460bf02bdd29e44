/* topology.h — bonded interactions and the special-neighbour lists they imply.
 * Bonds, angles, dihedrals and impropers are lists of atom indices (0-based) with a
 * type each; every type carries its coefficients in the units of the data file
 * (metal: eV, Å, degrees). The meaning of the coefficients is the style's. */
#ifndef VF_TOPOLOGY_H
#define VF_TOPOLOGY_H

#include "error.h"

#define VF_MAX_COEFF 4 /* charmm angle/dihedral take four numbers; nothing needs more */

enum vf_bonded_kind { VF_BONDS, VF_ANGLES, VF_DIHEDRALS, VF_IMPROPERS, VF_NBONDED_KINDS };

typedef struct vf_bonded_list {
  int width;   /* atoms per entry: 2, 3, 4, 4 */
  int n, cap;  /* entries and allocated entries */
  int *atom;   /* width*n atom indices, entry k at atom[k*width .. k*width+width-1] */
  int *type;   /* n type indices, 0-based */
} vf_bonded_list;

typedef struct vf_coeff_table {
  int ntypes;
  int *count;    /* numbers given per type (0 = not set) */
  double *value; /* ntypes*VF_MAX_COEFF values */
  char **label;  /* optional per-type label (e.g. "Zn He"), NULL when unknown */
} vf_coeff_table;

typedef struct vf_topology {
  vf_bonded_list list[VF_NBONDED_KINDS];
  vf_coeff_table coeff[VF_NBONDED_KINDS];
  /* Special neighbours from the bond graph, as LAMMPS builds them: 1-2 partners,
   * then 1-3 not already 1-2, then 1-4 not already 1-2 or 1-3 (never the atom
   * itself). CSR over atoms; order[k] is 1, 2 or 3 for 1-2, 1-3, 1-4. */
  int special_n;      /* atoms the lists were built for (0 = not built) */
  int *special_start; /* special_n + 1 offsets */
  int *special_atom;
  unsigned char *special_order;
} vf_topology;

extern const char *const vf_bonded_kind_name[VF_NBONDED_KINDS]; /* "bond", ... */
extern const int vf_bonded_width[VF_NBONDED_KINDS];

void vf_topology_init(vf_topology *t);
void vf_topology_free(vf_topology *t);
/* Appends one entry; atoms[] has the kind's width. Returns -1 on allocation failure. */
int vf_topology_add(vf_topology *t, int kind, int type, const int *atoms);
/* Sets the number of types of a kind (coefficients zeroed, counts 0). */
int vf_topology_set_ntypes(vf_topology *t, int kind, int ntypes);
int vf_topology_set_coeff(vf_topology *t, int kind, int type, int count, const double *values);
int vf_topology_set_label(vf_topology *t, int kind, int type, const char *label);
static inline const double *vf_topology_coeff(const vf_topology *t, int kind, int type) {
  return t->coeff[kind].value + (long)type * VF_MAX_COEFF;
}
/* Checks the values of one type's coefficients for a style; returns -1 with err. */
typedef int (*vf_coeff_check)(const double *coeff, int type, vf_error *err);
/* Checks every entry of a kind against a style: its type exists, its atoms are in
 * 0..natoms-1, its type has ncoeff coefficients (named in messages, e.g. "K r0"),
 * and check_values accepts them (once per type used). */
int vf_topology_check(const vf_topology *t, int kind, int natoms, const char *style, int ncoeff,
                      const char *coeff_names, vf_coeff_check check_values, vf_error *err);
/* Builds the special lists for natoms atoms from the bonds. */
int vf_topology_build_special(vf_topology *t, int natoms, vf_error *err);
/* Deep copy; dst must be uninitialised or freed. */
int vf_topology_copy(vf_topology *dst, const vf_topology *src);

#endif
