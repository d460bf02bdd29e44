#include "rng.h"

#include <math.h>

#include "units.h"

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void vf_rng_seed(vf_rng *r, uint64_t seed) {
  for (int k = 0; k < 4; k++) r->s[k] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t vf_rng_next(vf_rng *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double vf_rng_uniform(vf_rng *r) { return (double)(vf_rng_next(r) >> 11) * 0x1.0p-53; }

double vf_rng_gaussian(vf_rng *r) {
  /* 1 - u lies in (0, 1], so the logarithm is finite. */
  const double u = 1.0 - vf_rng_uniform(r), v = vf_rng_uniform(r);
  return sqrt(-2.0 * log(u)) * cos(2.0 * VF_PI * v);
}
