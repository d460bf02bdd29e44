/* PPPM stencils for scalar (width 1). */
#define VF_W 1
#include "pppm_stencil_kernel.h"
