/* The mixed-precision cluster-pair kernel, compiled for the width-8 target. */
#define VF_W 8
#include "pair_mixed_kernel.h"
