/* crystal.h — the atoms of a periodic crystal: a cell in LAMMPS's convention (a along
 * x, b in the xy plane; see box.h) and atoms with element, label and fractional
 * coordinates in [0, 1). Made from a CIF by applying its symmetry operations, and
 * replicated into supercells. */
#ifndef VF_CRYSTAL_H
#define VF_CRYSTAL_H

#include "box.h"
#include "cif.h"
#include "error.h"

typedef struct vf_crystal_atom {
  char label[VF_CIF_LABEL_MAX]; /* the label of the site it comes from */
  char symbol[4];
  double frac[3]; /* in [0, 1) */
  int line;       /* line of its site in the source file */
} vf_crystal_atom;

typedef struct vf_crystal {
  char *source; /* the file the atoms come from, for messages */
  vf_box box;   /* lo = 0 */
  int n;
  vf_crystal_atom *atom;
  int nwarnings; /* what was accepted but deserves a word (e.g. partial occupancy) */
  char **warning;
} vf_crystal;

typedef struct vf_crystal_options {
  int allow_partial;     /* occupancy < 1: 0 = error, 1 = warning (built as fully occupied) */
  const char *allow_partial_hint; /* how the caller allows it, for the error (or NULL) */
  double merge_distance; /* Å: symmetry copies of one element closer than this are one atom */
} vf_crystal_options;

/* Fills o with the defaults: partial occupancy is an error, merge within 0.01 Å. */
void vf_crystal_defaults(vf_crystal_options *o);
/* The LAMMPS box of a cell a b c (Å) alpha beta gamma (degrees). Angles count by their
 * cosine, so -90 is 90 (a sign some writers put there); exactly 90 gives an exact
 * zero tilt. */
int vf_cell_to_box(const double cell[6], vf_box *box, vf_error *err);
/* Applies every operation to every site, wraps into the cell, and merges copies that
 * coincide: same element within merge_distance (full triclinic metric, periodic).
 * Different elements that coincide are an error naming both sites. Atoms appear in
 * site order, each site's copies in operation order. c is freed by the caller
 * (vf_crystal_free), also on failure. */
int vf_crystal_from_cif(const vf_cif *cif, const vf_crystal_options *o, vf_crystal *c,
                        vf_error *err);
/* vf_cif_read then vf_crystal_from_cif. */
int vf_crystal_read_cif(const char *path, const vf_crystal_options *o, vf_crystal *c,
                        vf_error *err);
/* The n[0] x n[1] x n[2] supercell: replica (i, j, k) holds the atoms of c shifted by
 * i a + j b + k c, replicas in order of i fastest, then j, then k. */
int vf_crystal_supercell(const vf_crystal *c, const int n[3], vf_crystal *out, vf_error *err);
void vf_crystal_cartesian(const vf_crystal *c, int i, double r[3]);
void vf_crystal_free(vf_crystal *c);

#endif
