/* The cluster-pair kernel for vectors of 1 doubles. */
#define VF_W 1
#include "pair_cluster_kernel.h"
