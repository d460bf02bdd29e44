/* dump.c — LAMMPS dump frames, style custom: a header of ITEM blocks, then one line
 * per atom in index order (what LAMMPS writes with dump_modify sort id). */
#include "dump.h"

#include "atomic_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void vf_dump_columns(unsigned fields, char out[VF_DUMP_COLUMNS_SIZE]) {
  snprintf(out, VF_DUMP_COLUMNS_SIZE, "id type %s%s%s%s",
           fields & VF_DUMP_UNWRAPPED ? "xu yu zu" : "x y z",
           fields & VF_DUMP_IMAGES ? " ix iy iz" : "",
           fields & VF_DUMP_VELOCITIES ? " vx vy vz" : "",
           fields & VF_DUMP_FORCES ? " fx fy fz" : "");
}

/* LAMMPS writes a triclinic cell as the bounds of the box that encloses it, followed
 * by the tilt (Domain::set_global_box, "Triclinic Boxes" in the manual); the
 * two-step MIN/MAX is LAMMPS's own, kept so the printed digits agree. */
static void write_box(FILE *f, const vf_box *b) {
  const double xlo = b->lo[0], ylo = b->lo[1], zlo = b->lo[2];
  const double xhi = xlo + b->lx, yhi = ylo + b->ly, zhi = zlo + b->lz;
  if (!vf_box_is_triclinic(b)) {
    fprintf(f, "ITEM: BOX BOUNDS pp pp pp\n%1.16e %1.16e\n%1.16e %1.16e\n%1.16e %1.16e\n", xlo,
            xhi, ylo, yhi, zlo, zhi);
    return;
  }
  double xlo_bound = fmin(xlo, xlo + b->xy);
  xlo_bound = fmin(xlo_bound, xlo_bound + b->xz);
  double xhi_bound = fmax(xhi, xhi + b->xy);
  xhi_bound = fmax(xhi_bound, xhi_bound + b->xz);
  const double ylo_bound = fmin(ylo, ylo + b->yz), yhi_bound = fmax(yhi, yhi + b->yz);
  fprintf(f,
          "ITEM: BOX BOUNDS xy xz yz pp pp pp\n%1.16e %1.16e %1.16e\n%1.16e %1.16e %1.16e\n"
          "%1.16e %1.16e %1.16e\n",
          xlo_bound, xhi_bound, b->xy, ylo_bound, yhi_bound, b->xz, zlo, zhi, b->yz);
}

/* Position of atom i as the frame shows it: wrapped into the cell (LAMMPS's x y z, as
 * they are after re-neighbouring) or unwrapped (xu yu zu: position plus image shifts).
 * The image flags are those of the wrapped position either way, as LAMMPS's are. */
static void frame_position(const vf_system *s, int i, unsigned fields, double r[3],
                           int image[3]) {
  r[0] = s->x[i];
  r[1] = s->y[i];
  r[2] = s->z[i];
  image[0] = s->ix[i];
  image[1] = s->iy[i];
  image[2] = s->iz[i];
  double unwrapped[3];
  vf_box_shift(&s->box, image[0], image[1], image[2], unwrapped);
  for (int d = 0; d < 3; d++) unwrapped[d] += r[d];
  /* A blown-up configuration is written as it is, for diagnosis. */
  if (isfinite(r[0]) && isfinite(r[1]) && isfinite(r[2])) vf_box_wrap(&s->box, r, image);
  if (fields & VF_DUMP_UNWRAPPED) memcpy(r, unwrapped, sizeof unwrapped);
}

static void write_frame(FILE *f, const vf_system *s, const vf_dump_options *opt) {
  char columns[VF_DUMP_COLUMNS_SIZE];
  vf_dump_columns(opt->fields, columns);
  if (!isnan(opt->time)) fprintf(f, "ITEM: TIME\n%.16g\n", opt->time);
  fprintf(f, "ITEM: TIMESTEP\n%lld\nITEM: NUMBER OF ATOMS\n%d\n", opt->step, s->n);
  write_box(f, &s->box);
  fprintf(f, "ITEM: ATOMS %s\n", columns);
  for (int i = 0; i < s->n; i++) {
    double r[3];
    int image[3];
    frame_position(s, i, opt->fields, r, image);
    fprintf(f, "%d %d %g %g %g", i + 1, s->type[i] + 1, r[0], r[1], r[2]);
    if (opt->fields & VF_DUMP_IMAGES) fprintf(f, " %d %d %d", image[0], image[1], image[2]);
    if (opt->fields & VF_DUMP_VELOCITIES) fprintf(f, " %g %g %g", s->vx[i], s->vy[i], s->vz[i]);
    if (opt->fields & VF_DUMP_FORCES) fprintf(f, " %g %g %g", s->fx[i], s->fy[i], s->fz[i]);
    fputc('\n', f);
  }
}

/* Adds a frame at the end of path; a failed write truncates the file back, so a full
 * disk never leaves half a frame for readers to choke on. */
static int append_frame(const vf_system *s, const char *path, const vf_dump_options *opt,
                        vf_error *err) {
  FILE *f = fopen(path, "a");
  if (!f) return vf_fail(err, "%s: cannot open: %s", path, strerror(errno));
  long start = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  errno = 0;
  write_frame(f, s, opt);
  int code = 0;
  if (ferror(f) || fflush(f)) code = errno ? errno : EIO;
  if (code && start >= 0 && ftruncate(fileno(f), start)) {
    /* Nothing more can be done; the message below reports the write error. */
  }
  if (fclose(f) && !code) code = errno ? errno : EIO;
  return code ? vf_fail(err, "%s: cannot write: %s", path, strerror(code)) : 0;
}

int vf_write_dump(const vf_system *s, const char *path, const vf_dump_options *opt,
                  vf_error *err) {
  if (opt->fields & ~VF_DUMP_ALL_FIELDS)
    return vf_fail(err, "%s: unknown dump fields 0x%x", path, opt->fields);
  if (opt->append) return append_frame(s, path, opt, err);
  vf_atomic_file out;
  FILE *f = vf_atomic_open(&out, path, err);
  if (!f) return -1;
  write_frame(f, s, opt);
  return vf_atomic_commit(&out, err);
}
