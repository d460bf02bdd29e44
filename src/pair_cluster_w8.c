/* The cluster-pair kernel for vectors of 8 doubles. */
#define VF_W 8
#include "pair_cluster_kernel.h"
