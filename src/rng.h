/* rng.h — the random numbers of vitrify: xoshiro256** (Blackman & Vigna 2018),
 * seeded from one 64-bit integer through splitmix64, so a seed names a stream on
 * every machine. Gaussian numbers by the Box–Muller transform, one per call (no
 * hidden cached value: the 256-bit state is all there is to save and restore). */
#ifndef VF_RNG_H
#define VF_RNG_H

#include <stdint.h>

typedef struct vf_rng {
  uint64_t s[4];
} vf_rng;

void vf_rng_seed(vf_rng *r, uint64_t seed);
uint64_t vf_rng_next(vf_rng *r);
/* Uniform in [0, 1), 53 random bits. */
double vf_rng_uniform(vf_rng *r);
/* Standard normal. */
double vf_rng_gaussian(vf_rng *r);

#endif
