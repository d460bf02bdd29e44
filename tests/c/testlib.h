/* testlib.h — the few helpers the C tests share: checks that count failures,
 * paths to reference data, a seeded random stream. */
#ifndef VF_TESTLIB_H
#define VF_TESTLIB_H

#include <stdio.h>

extern int vf_test_failures;

/* Records a failure (and prints it) when cond is false. */
#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (!(cond)) {                                                         \
      vf_test_failures++;                                                  \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                        \
      fputc('\n', stderr);                                                 \
    }                                                                      \
  } while (0)

/* Exit status for main(): prints a summary. */
int vf_test_report(const char *name);
/* Joins the reference-data folder (../shared) and a relative path into a static
 * buffer; falls back to the project's own structures/ copy when absent. */
const char *vf_test_shared(const char *relpath);
/* A path inside the test scratch folder. */
const char *vf_test_tmp(const char *name);
/* Deterministic uniform numbers in [0,1) (xorshift64*). */
double vf_test_uniform(unsigned long long *state);

#endif
