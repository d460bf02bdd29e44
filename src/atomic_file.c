#include "atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

FILE *vf_atomic_open(vf_atomic_file *a, const char *path, vf_error *err) {
  a->f = NULL;
  a->path = path;
  size_t size = strlen(path) + 32;
  if (!(a->tmp = malloc(size))) {
    vf_fail(err, "%s: out of memory", path);
    return NULL;
  }
  snprintf(a->tmp, size, "%s.tmp.%ld", path, (long)getpid());
  if (!(a->f = fopen(a->tmp, "w"))) {
    vf_fail(err, "%s: cannot create %s: %s", path, a->tmp, strerror(errno));
    free(a->tmp);
    a->tmp = NULL;
    return NULL;
  }
  errno = 0;
  return a->f;
}

int vf_atomic_commit(vf_atomic_file *a, vf_error *err) {
  int code = 0;
  if (ferror(a->f) || fflush(a->f) || fsync(fileno(a->f))) code = errno ? errno : EIO;
  if (fclose(a->f) && !code) code = errno ? errno : EIO;
  if (!code && rename(a->tmp, a->path)) code = errno;
  if (code) remove(a->tmp);
  free(a->tmp);
  a->tmp = NULL;
  a->f = NULL;
  return code ? vf_fail(err, "%s: cannot write: %s", a->path, strerror(code)) : 0;
}

void vf_atomic_abort(vf_atomic_file *a) {
  if (a->f) fclose(a->f);
  if (a->tmp) remove(a->tmp);
  free(a->tmp);
  a->tmp = NULL;
  a->f = NULL;
}
