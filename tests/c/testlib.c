#include "testlib.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

int vf_test_failures = 0;

int vf_test_report(const char *name) {
  if (vf_test_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, vf_test_failures);
    return 1;
  }
  printf("%s: all checks passed\n", name);
  return 0;
}

const char *vf_test_shared(const char *relpath) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", VITRIFY_SHARED_DIR, relpath);
  if (access(path, R_OK) == 0) return path;
  const char *base = strrchr(relpath, '/');
  snprintf(path, sizeof path, "%s/structures/%s", VITRIFY_SOURCE_DIR, base ? base + 1 : relpath);
  return path;
}

const char *vf_test_tmp(const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", VITRIFY_TEST_TMP, name);
  return path;
}

double vf_test_uniform(unsigned long long *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return (double)((x * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0);
}
