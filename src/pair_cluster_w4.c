/* The cluster-pair kernel for vectors of 4 doubles. */
#define VF_W 4
#include "pair_cluster_kernel.h"
