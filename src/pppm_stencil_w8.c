/* PPPM stencils for vectors of 8 doubles. */
#define VF_W 8
#include "pppm_stencil_kernel.h"
