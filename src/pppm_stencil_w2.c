/* PPPM stencils for vectors of 2 doubles. */
#define VF_W 2
#include "pppm_stencil_kernel.h"
