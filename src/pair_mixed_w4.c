/* The mixed-precision cluster-pair kernel, compiled for the width-4 target. */
#define VF_W 4
#include "pair_mixed_kernel.h"
