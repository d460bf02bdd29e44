/* zif_perceive.h — what each atom of a zinc-imidazolate framework is, from distances
 * alone (no bond information is trusted from the file).
 *
 * Contacts, in Å, wide enough for X-ray geometries (C–H 0.94, C–N up to 1.42) and
 * DFT or force-field ones (C–H 1.09, C–N up to 1.51, Zn–N 1.87–2.05):
 *   covalent  C–C, C–N, N–N <= 1.70;  C–H, N–H <= 1.30;  H–H <= 1.00
 *   Zn–N coordination <= 2.60
 *   any two atoms closer than 0.70 are an error (overlap, unresolved disorder).
 * Sites: Zn with exactly four N; an imidazolate N with one Zn and two ring C; the ring
 * C between the two N (bonded to 2 N and 1 H) or a backbone C (1 N, 1 C, 1 H); each H
 * on one of those C. Anything else — another element, a missing H, a Zn with three N,
 * an N bonded to no Zn, a ring that does not close — is an error naming the atom's
 * label, site line and position. */
#ifndef VF_ZIF_PERCEIVE_H
#define VF_ZIF_PERCEIVE_H

#include "crystal.h"
#include "error.h"

enum vf_zif_site {
  VF_ZIF_ZN,
  VF_ZIF_C_NCN, /* ring C between the two N (nb-ZIF-FF "C4") */
  VF_ZIF_N,     /* imidazolate N ("N1") */
  VF_ZIF_C_CC,  /* backbone ring C ("C2") */
  VF_ZIF_H_NCN, /* H on the C between the N ("H4") */
  VF_ZIF_H_CC,  /* H on a backbone C ("H2") */
  VF_ZIF_ZN_DUMMY,
  VF_ZIF_N_DUMMY,
  VF_ZIF_NSITES
};

typedef struct vf_zif_graph {
  int n;        /* atoms, as in the crystal */
  int *site;    /* enum vf_zif_site of each atom */
  int nbonds;   /* covalent bonds of the linkers */
  int *bond;    /* 2 per bond, lower index first */
  int *ligand;  /* 4 per atom: a Zn's N in ascending order (-1 for other atoms) */
  int *ring_c;  /* 2 per atom: an N's ring C, the one between the N first (-1 otherwise) */
} vf_zif_graph;

int vf_zif_perceive(const vf_crystal *c, vf_zif_graph *g, vf_error *err);
void vf_zif_graph_free(vf_zif_graph *g);

#endif
