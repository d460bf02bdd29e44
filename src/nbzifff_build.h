/* nbzifff_build.h — a zinc-imidazolate crystal as an nb-ZIF-FF system: the perceived
 * atoms typed (zif_perceive.h), the dummy sites added, and the full bonded topology
 * with the force field's types and coefficients.
 *
 * Dummy sites (Balestra & Semino 2022): four per Zn, each zn_distance from the Zn
 * towards one of its N and bonded to it and to the other three (a tetrahedron); one per
 * N, n_distance from it and bonded to it — in the ring plane on the external bisector
 * of its C–N–C angle, or, as the authors' own builder (pdb2cif) puts it, on the line
 * from N to its Zn.
 *
 * Atom order follows the authors' files: the crystal's atoms as they come, then for
 * each Zn in order, for each of its N in order, that Zn dummy followed by that N's
 * dummy. The bonded lists are in the order of topology_generate.h. So a crystal read
 * from the authors' CIF gives their data file's topology entry for entry. All atoms
 * lie in the box with zero image flags and molecule id 1 (one framework). */
#ifndef VF_NBZIFFF_BUILD_H
#define VF_NBZIFFF_BUILD_H

#include "bonded_typing.h"
#include "crystal.h"
#include "error.h"
#include "system.h"
#include "zif_perceive.h"

enum vf_n_dummy_placement { VF_N_DUMMY_BISECTOR, VF_N_DUMMY_TOWARD_ZN };

typedef struct vf_nbzifff_spec {
  int ntypes;                           /* atom types, in the order the system gets them */
  const char *const *type_name;
  const double *mass;                   /* g/mol */
  const double *charge;                 /* e */
  int site_type[VF_ZIF_NSITES];         /* the type (0-based) of each site */
  double zn_dummy_distance;             /* Å */
  double n_dummy_distance;              /* Å */
  int n_dummy_placement;                /* enum vf_n_dummy_placement */
  vf_named_bonded_table bonded;
} vf_nbzifff_spec;

vf_system *vf_build_nbzifff(const vf_crystal *c, const vf_nbzifff_spec *spec, vf_error *err);

#endif
