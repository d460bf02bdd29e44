/* bonded_typing.h — bonded types found by the atom-type names of their atoms, the way
 * force fields list them ("C4 N1 C2 C2"): a bond, angle or dihedral matches its names
 * forwards or backwards; an improper matches with its first (central) atom first and
 * the other three in any order. */
#ifndef VF_BONDED_TYPING_H
#define VF_BONDED_TYPING_H

#include "error.h"
#include "system.h"

typedef struct vf_named_bonded_type {
  const char *atom_type[4]; /* the kind's width of atom-type names */
  int ncoeff;
  double coeff[VF_MAX_COEFF];
} vf_named_bonded_type;

typedef struct vf_named_bonded_table {
  int n[VF_NBONDED_KINDS];
  const vf_named_bonded_type *type[VF_NBONDED_KINDS];
} vf_named_bonded_table;

/* Sets the system's bonded types to the table's (same order, coefficients, labels
 * such as "C4 N1 C2 C2") and types every bond, angle, dihedral and improper by the
 * names of its atoms' types. An entry no row matches is an error naming its atoms;
 * the first matching row wins. */
int vf_assign_bonded_types(vf_system *s, const vf_named_bonded_table *table, vf_error *err);

#endif
