/* The mixed-precision cluster-pair kernel, compiled for the width-2 target. */
#define VF_W 2
#include "pair_mixed_kernel.h"
