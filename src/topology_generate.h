/* topology_generate.h — the angles, dihedrals and impropers a bond graph implies, in
 * the canonical order the nb-ZIF-FF authors' cif2lammps writes them:
 *   bonds      i-j      with i < j
 *   angles     i-j-k    for every pair of neighbours i < k of j
 *   dihedrals  i-j-k-l  for every path of four distinct atoms, written with i < l
 *   impropers  j; a b c for every three neighbours a < b < c of an atom j with three
 *              or more bonds
 * and each list sorted (angles and impropers by their central atom first). Every entry,
 * bonds included, gets type 0; bonded_typing.h gives them their types. */
#ifndef VF_TOPOLOGY_GENERATE_H
#define VF_TOPOLOGY_GENERATE_H

#include "error.h"
#include "topology.h"

/* Puts the bonds of t in canonical order and replaces its angles, dihedrals and
 * impropers with those the bonds imply. */
int vf_topology_generate(vf_topology *t, int natoms, vf_error *err);

#endif
