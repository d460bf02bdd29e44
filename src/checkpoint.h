/* checkpoint.h — everything needed to continue a trajectory bit for bit: positions,
 * velocities, image flags and cell; the integrator with its thermostat and barostat
 * variables, step, time and random-number state; the Ewald set-up (g and the
 * k-vectors, which a fresh set-up on the current cell would choose differently); and
 * an opaque text from the protocol driving the run (its position in the schedule,
 * its output files' lengths). Written atomically (temporary file, fsync, rename) with
 * a checksum; read back only into the same system (atom count, types, charges).
 * Bit-identical continuation also needs the same number of threads. */
#ifndef VF_CHECKPOINT_H
#define VF_CHECKPOINT_H

#include <stddef.h>

#include "error.h"
#include "forcefield.h"
#include "integrator.h"
#include "system.h"

int vf_checkpoint_write(const char *path, const vf_system *s, const vf_integrator *it,
                        const vf_forcefield *ff, const char *protocol, size_t protocol_len,
                        vf_error *err);
/* On success *protocol is a malloc'ed copy of the protocol text (NUL-terminated). The
 * force field gets the saved Ewald set-up and rebuilds its neighbour lists; the
 * integrator will recompute forces before its next step. */
int vf_checkpoint_read(const char *path, vf_system *s, vf_integrator *it, vf_forcefield *ff,
                       char **protocol, size_t *protocol_len, vf_error *err);

#endif
