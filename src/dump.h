/* dump.h — trajectory frames in LAMMPS's dump format, style custom, written exactly as
 * LAMMPS's `dump custom` writes them, so that OVITO, VMD, MDAnalysis, ASE and LAMMPS's
 * own read_dump/rerun take them unchanged:
 *   ITEM: TIME                          (only when a time is given, as dump_modify time yes)
 *   ITEM: TIMESTEP / NUMBER OF ATOMS
 *   ITEM: BOX BOUNDS pp pp pp           (or "xy xz yz pp pp pp" with bounding-box bounds)
 *   ITEM: ATOMS id type x y z ...       (atom id = index + 1, type = type + 1)
 * Numbers are printed with LAMMPS's defaults: bounds %1.16e, per-atom values %g. */
#ifndef VF_DUMP_H
#define VF_DUMP_H

#include "error.h"
#include "system.h"

/* Optional columns; the order in the file is always id type x y z ix iy iz vx vy vz fx fy fz. */
enum vf_dump_field {
  VF_DUMP_UNWRAPPED = 1u << 0,  /* xu yu zu (positions plus image shifts) instead of x y z */
  VF_DUMP_IMAGES = 1u << 1,     /* ix iy iz, periodic images of the wrapped position */
  VF_DUMP_VELOCITIES = 1u << 2, /* vx vy vz, Å/ps */
  VF_DUMP_FORCES = 1u << 3,     /* fx fy fz, eV/Å */
};
#define VF_DUMP_ALL_FIELDS 15u
/* Room for the longest column list, "id type xu yu zu ix iy iz vx vy vz fx fy fz". */
#define VF_DUMP_COLUMNS_SIZE 64

typedef struct vf_dump_options {
  long long step;  /* ITEM: TIMESTEP */
  double time;     /* ps, written as ITEM: TIME; NAN for none */
  unsigned fields; /* VF_DUMP_* flags */
  int append;      /* 0: the frame replaces the file atomically; 1: it is added at the end */
} vf_dump_options;

/* The column names after "ITEM: ATOMS" for these fields, e.g. "id type x y z vx vy vz". */
void vf_dump_columns(unsigned fields, char out[VF_DUMP_COLUMNS_SIZE]);
/* Writes one frame; errors name the path. */
int vf_write_dump(const vf_system *s, const char *path, const vf_dump_options *opt,
                  vf_error *err);

#endif
