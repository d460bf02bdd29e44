/* cif.h — Crystallographic Information Files (CIF 1.1 syntax): the cell, the atom
 * sites and the symmetry operations of the first data block.
 *
 * Syntax: data_ blocks, tag–value items, loop_ tables, 'single' and "double"
 * quoted strings, ;-delimited text fields, # comments. Read from it:
 *   _cell_length_a/b/c (Å), _cell_angle_alpha/beta/gamma (degrees);
 *   _atom_site_label, _atom_site_type_symbol (else the element is read from the
 *   label: "Zn1" -> Zn, "C4A" -> C), _atom_site_fract_x/y/z, _atom_site_occupancy
 *   (1 when absent, '?' or '.');
 *   _space_group_symop_operation_xyz or _symmetry_equiv_pos_as_xyz, in a loop or as
 *   a single item (P1, the identity alone, when neither is present).
 * Numbers may carry standard uncertainties, "0.1234(5)". Any problem gives one
 * message "path:line: what" (see src/error.h). */
#ifndef VF_CIF_H
#define VF_CIF_H

#include "error.h"
#include "symop.h"

#define VF_CIF_LABEL_MAX 32

typedef struct vf_cif_site {
  char label[VF_CIF_LABEL_MAX];
  char symbol[4];   /* element symbol, properly capitalised ("Zn") */
  double frac[3];   /* fractional coordinates as written */
  double occupancy; /* 1 when not given */
  int line;         /* line of the site's row in the file */
} vf_cif_site;

enum { VF_CIF_A, VF_CIF_B, VF_CIF_C, VF_CIF_ALPHA, VF_CIF_BETA, VF_CIF_GAMMA };

typedef struct vf_cif {
  char *path;
  double cell[6];   /* a b c (Å) alpha beta gamma (degrees), as written */
  int cell_line[6]; /* where each was written */
  int nsites;
  vf_cif_site *site;
  int nops;
  vf_symop *op;
  int *op_line;     /* where each operation was written (0 for the implied P1) */
} vf_cif;

/* Reads path into cif (which the caller frees with vf_cif_free, also on failure). */
int vf_cif_read(const char *path, vf_cif *cif, vf_error *err);
/* The same from text in memory; path only names it in messages. */
int vf_cif_parse(const char *text, const char *path, vf_cif *cif, vf_error *err);
void vf_cif_free(vf_cif *cif);

#endif
