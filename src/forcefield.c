#include "forcefield.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "bonded.h"
#include "units.h"

const char *const vf_term_name[VF_NTERMS] = {"bond", "angle", "dihedral", "improper",   "lj",
                                             "morse", "tail", "coul_real", "coul_kspace"};

void vf_forcefield_init(vf_forcefield *ff, vf_pair_params *pair) {
  memset(ff, 0, sizeof *ff);
  ff->pair = *pair;
  memset(pair, 0, sizeof *pair);
  ff->skin = 2.0;
}

void vf_forcefield_free(vf_forcefield *ff) {
  vf_pair_params_free(&ff->pair);
  vf_neighbor_free(&ff->nb);
  vf_ewald_free(&ff->ewald);
  vf_forcebuf_free(&ff->fb);
}

static double list_cutoff(const vf_pair_params *p) {
  double c = p->cut_lj;
  if (p->cut_morse > c) c = p->cut_morse;
  if (p->cut_coul > c) c = p->cut_coul;
  return c;
}

int vf_forcefield_bind(vf_forcefield *ff, vf_system *s, vf_error *err) {
  if (ff->pair.ntypes != s->ntypes)
    return vf_fail(err, "force field has %d atom types, system has %d", ff->pair.ntypes,
                   s->ntypes);
  int (*const checks[])(const vf_system *, vf_error *) = {
      vf_bond_harmonic_check, vf_angle_charmm_check, vf_dihedral_charmm_check,
      vf_improper_cvff_check};
  for (size_t k = 0; k < sizeof checks / sizeof *checks; k++)
    if (checks[k](s, err)) return -1;
  for (int i = 0; i < s->n; i++)
    if (!isfinite(s->q[i])) return vf_fail(err, "atom %d: charge %g is not a finite number", i + 1, s->q[i]);
  if (vf_topology_build_special(&s->topo, s->n, err)) return -1;
  vf_neighbor_free(&ff->nb);
  vf_neighbor_init(&ff->nb, list_cutoff(&ff->pair), ff->skin);
  if (ff->kspace == VF_KSPACE_EWALD) {
    if (vf_ewald_setup(&ff->ewald, s, ff->pair.cut_coul, ff->kspace_accuracy, ff->g_ewald, err))
      return -1;
    ff->pair.g_ewald = ff->ewald.g_ewald;
  } else {
    vf_ewald_free(&ff->ewald);
    ff->pair.g_ewald = 0.0; /* plain cut-off Coulomb: erfc(0) = 1 */
  }
  vf_pair_params_init(&ff->pair);
  ff->tail_e = ff->tail_w = 0.0;
  if (ff->tail) vf_lj_tail_coefficients(&ff->pair, s, &ff->tail_e, &ff->tail_w);
  if (vf_forcebuf_reserve(&ff->fb, omp_get_max_threads(), s->n))
    return vf_fail(err, "out of memory for force buffers");
  ff->bound_n = s->n;
  return 0;
}

static unsigned bit(int term) { return 1u << term; }

static void add_bonded(vf_system *s, unsigned mask, vf_result *res, double *f) {
  static void (*const compute[4])(const vf_system *, vf_accum *) = {
      vf_bond_harmonic_compute, vf_angle_charmm_compute, vf_dihedral_charmm_compute,
      vf_improper_cvff_compute};
  const int n = s->n;
  for (int t = VF_TERM_BOND; t <= VF_TERM_IMPROPER; t++) {
    if (!(mask & bit(t))) continue;
    vf_accum acc = {f, f + n, f + 2 * n, 0.0, {0}};
    compute[t - VF_TERM_BOND](s, &acc);
    res->energy[t] = acc.energy;
    memcpy(res->virial[t], acc.virial, sizeof acc.virial);
  }
}

int vf_forcefield_compute(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                          vf_error *err) {
  if (ff->bound_n != s->n) return vf_fail(err, "force field is not bound to this system");
  memset(res, 0, sizeof *res);
  const vf_pair_filter filter = {ff->pair.ntypes, ff->pair.has_lj, ff->pair.has_morse, 1};
  if (ff->rebuild_next || vf_neighbor_needs_rebuild(&ff->nb, s)) {
    ff->rebuild_next = 0;
    if (vf_neighbor_build(&ff->nb, s, &filter, err)) return -1;
  } else {
    vf_neighbor_update_positions(&ff->nb, s);
  }
  vf_forcebuf_zero(&ff->fb);

  const double w_lj = (mask & bit(VF_TERM_LJ)) ? 1.0 : 0.0;
  const double w_coul = (mask & bit(VF_TERM_COUL_REAL)) ? 1.0 : 0.0;
  vf_pair_sums sums;
  memset(&sums, 0, sizeof sums);
  if (w_lj != 0.0 || w_coul != 0.0)
    vf_lj_coul_long_compute(&ff->pair, &ff->nb, s, w_lj, w_coul, &ff->fb, &sums);
  if (mask & bit(VF_TERM_MORSE)) vf_morse_compute(&ff->pair, &ff->nb, s, &ff->fb, &sums);
  if (w_lj != 0.0) {
    res->energy[VF_TERM_LJ] = sums.e_lj;
    memcpy(res->virial[VF_TERM_LJ], sums.v_lj, sizeof sums.v_lj);
  }
  if (w_coul != 0.0) {
    res->energy[VF_TERM_COUL_REAL] = sums.e_coul;
    memcpy(res->virial[VF_TERM_COUL_REAL], sums.v_coul, sizeof sums.v_coul);
  }
  res->energy[VF_TERM_MORSE] = sums.e_morse;
  memcpy(res->virial[VF_TERM_MORSE], sums.v_morse, sizeof sums.v_morse);

  if ((mask & bit(VF_TERM_TAIL)) && ff->tail) {
    const double volume = vf_box_volume(&s->box);
    res->energy[VF_TERM_TAIL] = ff->tail_e / volume;
    for (int c = 0; c < 3; c++) res->virial[VF_TERM_TAIL][c] = ff->tail_w / volume;
  }
  if ((mask & bit(VF_TERM_COUL_KSPACE)) && ff->kspace == VF_KSPACE_EWALD)
    vf_ewald_compute(&ff->ewald, s, 1.0, &ff->fb, &res->energy[VF_TERM_COUL_KSPACE],
                     res->virial[VF_TERM_COUL_KSPACE]);

  memset(s->fx, 0, sizeof(double) * (size_t)s->n);
  memset(s->fy, 0, sizeof(double) * (size_t)s->n);
  memset(s->fz, 0, sizeof(double) * (size_t)s->n);
  /* Bonded terms run serially into thread 0's block before the reduction. */
  add_bonded(s, mask, res, vf_forcebuf_thread(&ff->fb, 0));
  vf_forcebuf_reduce(&ff->fb, s->fx, s->fy, s->fz);
  return 0;
}

void vf_forcefield_pairs_within(const vf_forcefield *ff, long counts[3]) {
  const vf_neighbor *nb = &ff->nb;
  const vf_pair_params *p = &ff->pair;
  counts[0] = vf_pair_list_count_within(nb, &nb->plain, p->cut_lj) +
              vf_pair_list_count_within(nb, &nb->special, p->cut_lj);
  counts[1] = vf_pair_list_count_within(nb, &nb->plain, p->cut_coul) +
              vf_pair_list_count_within(nb, &nb->special, p->cut_coul);
  counts[2] = vf_pair_list_count_within(nb, &nb->morse, p->cut_morse);
}

double vf_result_energy(const vf_result *res) {
  double e = 0;
  for (int t = 0; t < VF_NTERMS; t++) e += res->energy[t];
  return e;
}

void vf_result_virial(const vf_result *res, double virial[6]) {
  for (int c = 0; c < 6; c++) {
    virial[c] = 0;
    for (int t = 0; t < VF_NTERMS; t++) virial[c] += res->virial[t][c];
  }
}

void vf_pressure_tensor(const vf_system *s, const double virial[6], double p[6]) {
  double kin[6] = {0};
  for (int i = 0; i < s->n; i++) {
    const double m = s->mass[s->type[i]] * VF_MVV2E;
    kin[0] += m * s->vx[i] * s->vx[i];
    kin[1] += m * s->vy[i] * s->vy[i];
    kin[2] += m * s->vz[i] * s->vz[i];
    kin[3] += m * s->vx[i] * s->vy[i];
    kin[4] += m * s->vx[i] * s->vz[i];
    kin[5] += m * s->vy[i] * s->vz[i];
  }
  const double scale = VF_NKTV2P / vf_box_volume(&s->box);
  for (int c = 0; c < 6; c++) p[c] = (kin[c] + virial[c]) * scale;
}
