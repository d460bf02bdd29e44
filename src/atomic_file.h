/* atomic_file.h — files that appear whole or not at all. Output is written to
 * "<path>.tmp.<pid>", flushed to disk, and renamed over path only when everything
 * succeeded; on failure the temporary file is removed and path keeps its old content.
 * Used for structures, trajectories' first frames and checkpoints. */
#ifndef VF_ATOMIC_FILE_H
#define VF_ATOMIC_FILE_H

#include <stdio.h>

#include "error.h"

typedef struct vf_atomic_file {
  FILE *f;
  char *tmp;
  const char *path;
} vf_atomic_file;

/* Opens the temporary file; returns its stream or NULL with err set. */
FILE *vf_atomic_open(vf_atomic_file *a, const char *path, vf_error *err);
/* Flushes, syncs and renames into place; reports any write error seen on the stream. */
int vf_atomic_commit(vf_atomic_file *a, vf_error *err);
/* Gives up: closes and removes the temporary file. */
void vf_atomic_abort(vf_atomic_file *a);

#endif
