/* extxyz.h — extended XYZ frames as OVITO and ASE read them:
 *   N
 *   Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3:... pbc="T T T"
 *   El x y z ...
 * Species are chemical symbols inferred from the type names ("C4" -> C, "Zn" -> Zn);
 * positions are relative to the box origin so that they lie in the Lattice cell. */
#ifndef VF_EXTXYZ_H
#define VF_EXTXYZ_H

#include "error.h"
#include "system.h"

/* Writes one frame; append = 0 replaces the file atomically, 1 appends a frame. */
int vf_write_extxyz(const vf_system *s, const char *path, int append, const char *comment,
                    vf_error *err);
/* Chemical symbol for a force-field type name, e.g. "C4" -> "C"; "X" if none fits. */
const char *vf_element_symbol(const char *type_name);

#endif
