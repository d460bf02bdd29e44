/* The cluster-pair kernel for vectors of 2 doubles. */
#define VF_W 2
#include "pair_cluster_kernel.h"
