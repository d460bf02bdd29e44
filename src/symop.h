/* symop.h — crystallographic symmetry operations written as in CIF files
 * ("x,y,z", "-y+1/2, x-y, z+0.25", "1/2+X,-Y,Z"): s' = R s + t in fractional
 * coordinates. */
#ifndef VF_SYMOP_H
#define VF_SYMOP_H

#include "error.h"

typedef struct vf_symop {
  double rot[3][3];
  double trans[3];
} vf_symop;

void vf_symop_identity(vf_symop *op);
/* Parses one operation: three comma-separated sums of terms, each a signed x, y or z
 * with an optional factor ("2*x", "2x") or a constant ("1/2", "0.25"). Rejects a
 * singular R. On failure err holds what is wrong (the caller adds file and line). */
int vf_symop_parse(const char *text, vf_symop *op, vf_error *err);
void vf_symop_apply(const vf_symop *op, const double s[3], double out[3]);

#endif
