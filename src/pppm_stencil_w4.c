/* PPPM stencils for vectors of 4 doubles. */
#define VF_W 4
#include "pppm_stencil_kernel.h"
