#include "forcefield.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "bonded.h"
#include "pair_cluster.h"
#include "units.h"
#include "velocities.h"

const char *const vf_term_name[VF_NTERMS] = {"bond", "angle", "dihedral", "improper",   "lj",
                                             "morse", "tail", "coul_real", "coul_kspace"};

void vf_forcefield_init(vf_forcefield *ff, vf_pair_params *pair) {
  memset(ff, 0, sizeof *ff);
  ff->pair = *pair;
  memset(pair, 0, sizeof *pair);
  ff->skin = 2.0;
  ff->prune_buffer = 0.5;
  ff->want_energy = 1;
  vf_clusters_init(&ff->clusters);
}

void vf_forcefield_free(vf_forcefield *ff) {
  vf_pair_params_free(&ff->pair);
  vf_neighbor_free(&ff->nb);
  vf_neighbor_free(&ff->prune_ref);
  vf_clusters_free(&ff->clusters);
  vf_special_pairs_free(&ff->specials);
  vf_ewald_free(&ff->ewald);
  vf_pppm_free(&ff->pppm);
  vf_forcebuf_free(&ff->fb);
  vf_bonded_plan_free(&ff->bonded);
  vf_forcebuf_free(&ff->slot_forces);
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
  vf_neighbor_free(&ff->prune_ref);
  vf_neighbor_init(&ff->prune_ref, list_cutoff(&ff->pair), fmin(ff->prune_buffer, ff->skin));
  if (ff->kspace == VF_KSPACE_EWALD) {
    if (vf_ewald_setup(&ff->ewald, s, ff->pair.cut_coul, ff->kspace_accuracy, ff->g_ewald, err))
      return -1;
    ff->pair.g_ewald = ff->ewald.g_ewald;
  } else if (ff->kspace == VF_KSPACE_PPPM) {
    if (vf_pppm_setup(&ff->pppm, s, ff->pair.cut_coul, ff->kspace_accuracy, ff->g_ewald,
                      ff->pppm_mesh[0] > 0 ? ff->pppm_mesh : NULL, ff->pppm_order, err))
      return -1;
    ff->pair.g_ewald = ff->pppm.g_ewald;
  } else {
    vf_ewald_free(&ff->ewald);
    ff->pair.g_ewald = 0.0; /* plain cut-off Coulomb: erfc(0) = 1 */
  }
  vf_pair_params_init(&ff->pair);
  if (!ff->pair.lj_padded || vf_special_pairs_build(&ff->specials, &ff->pair, s))
    return vf_fail(err, "out of memory for pair parameters");
  vf_clusters_free(&ff->clusters);
  ff->tail_e = ff->tail_w = 0.0;
  if (ff->tail) vf_lj_tail_coefficients(&ff->pair, s, &ff->tail_e, &ff->tail_w);
  if (vf_forcebuf_reserve(&ff->fb, omp_get_max_threads(), s->n))
    return vf_fail(err, "out of memory for force buffers");
  ff->bound_n = s->n;
  return 0;
}

static unsigned bit(int term) { return 1u << term; }

static int add_bonded(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                      vf_error *err) {
  double energy[VF_NBONDED_KINDS] = {0}, virial[VF_NBONDED_KINDS][6] = {{0}};
  const unsigned kinds = (mask >> VF_TERM_BOND) & ((1u << VF_NBONDED_KINDS) - 1);
  if (vf_bonded_compute(s, &ff->bonded, kinds, &ff->fb, energy, virial))
    return vf_fail(err, "out of memory for the bonded lists");
  for (int k = 0; k < VF_NBONDED_KINDS; k++) {
    if (!(kinds & (1u << k))) continue;
    res->energy[VF_TERM_BOND + k] = energy[k];
    memcpy(res->virial[VF_TERM_BOND + k], virial[k], sizeof virial[k]);
  }
  return 0;
}

static void store_pair_sums(const vf_pair_sums *sums, unsigned mask, vf_result *res) {
  if (mask & bit(VF_TERM_LJ)) {
    res->energy[VF_TERM_LJ] += sums->e_lj;
    for (int c = 0; c < 6; c++) res->virial[VF_TERM_LJ][c] += sums->v_lj[c];
  }
  if (mask & bit(VF_TERM_COUL_REAL)) {
    res->energy[VF_TERM_COUL_REAL] += sums->e_coul;
    for (int c = 0; c < 6; c++) res->virial[VF_TERM_COUL_REAL][c] += sums->v_coul[c];
  }
  res->energy[VF_TERM_MORSE] += sums->e_morse;
  for (int c = 0; c < 6; c++) res->virial[VF_TERM_MORSE][c] += sums->v_morse[c];
}

/* The reference path: per-atom half lists, one pair at a time. */
static int pairs_reference(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                           vf_error *err) {
  const vf_pair_filter filter = {ff->pair.ntypes, ff->pair.has_lj, ff->pair.has_morse, 1};
  double t0 = omp_get_wtime();
  if (ff->rebuild_next || vf_neighbor_needs_rebuild(&ff->nb, s)) {
    ff->rebuild_next = 0;
    if (vf_neighbor_build(&ff->nb, s, &filter, err)) return -1;
  } else {
    vf_neighbor_update_positions(&ff->nb, s);
  }
  double t1 = omp_get_wtime();
  ff->seconds[VF_TIME_NEIGH] += t1 - t0;
  const double w_lj = (mask & bit(VF_TERM_LJ)) ? 1.0 : 0.0;
  const double w_coul = (mask & bit(VF_TERM_COUL_REAL)) ? 1.0 : 0.0;
  vf_pair_sums sums;
  memset(&sums, 0, sizeof sums);
  if (w_lj != 0.0 || w_coul != 0.0)
    vf_lj_coul_long_compute(&ff->pair, &ff->nb, s, w_lj, w_coul, &ff->fb, &sums);
  if (mask & bit(VF_TERM_MORSE)) vf_morse_compute(&ff->pair, &ff->nb, s, &ff->fb, &sums);
  store_pair_sums(&sums, mask, res);
  ff->seconds[VF_TIME_PAIR] += omp_get_wtime() - t1;
  return 0;
}

/* Cluster kernel for w_lj x LJ + w_coul x Coulomb, its virial added to v. */
static void cluster_pass(vf_forcefield *ff, vf_system *s, double w_lj, double w_coul, int eflag,
                         vf_pair_sums *sums, double v[6]) {
  /* The kernel sums both energies whatever the weights: keep those asked for. */
  vf_pair_sums pass;
  memset(&pass, 0, sizeof pass);
  vf_cluster_compute(&ff->pair, &ff->clusters, w_lj, w_coul, eflag, &ff->slot_forces, &pass);
  if (w_lj != 0.0) sums->e_lj += pass.e_lj;
  if (w_coul != 0.0) sums->e_coul += pass.e_coul;
  vf_cluster_reduce(&ff->clusters, &ff->slot_forces, s->fx, s->fy, s->fz, v);
}

/* The fast path: cluster pairs for LJ and real-space Coulomb (forces straight into the
 * system's force arrays, zeroed by the caller), special pairs and Morse from their own
 * lists into the thread buffers. */
static int pairs_cluster(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                         vf_error *err) {
  vf_pair_params *p = &ff->pair;
  double t0 = omp_get_wtime();
  int prune = 0;
  if (ff->rebuild_next || vf_neighbor_needs_rebuild(&ff->nb, s)) {
    ff->rebuild_next = 0;
    prune = 1;
    if (vf_clusters_build(&ff->clusters, &ff->nb, s, p, ff->nb.cutoff + ff->skin, err) ||
        vf_forcebuf_reserve(&ff->slot_forces, ff->fb.nthreads, ff->clusters.nslots) ||
        (p->mixed && vf_forcebuf_reserve_fixed(&ff->slot_forces)))
      return err->msg[0] ? -1 : vf_fail(err, "out of memory for cluster force buffers");
  } else {
    vf_clusters_update_positions(&ff->clusters, s);
    prune = vf_neighbor_needs_rebuild(&ff->prune_ref, s);
  }
  if (prune) {
    const double buffer = ff->prune_ref.skin;
    vf_cluster_prune(&ff->clusters, s, p, ff->nb.cutoff + buffer, p->cut_coul + buffer);
    if (vf_neighbor_remember(&ff->prune_ref, s))
      return vf_fail(err, "out of memory for the pruning reference");
  }
  double t1 = omp_get_wtime();
  ff->seconds[VF_TIME_NEIGH] += t1 - t0;
  const double w_lj = (mask & bit(VF_TERM_LJ)) ? 1.0 : 0.0;
  const double w_coul = (mask & bit(VF_TERM_COUL_REAL)) ? 1.0 : 0.0;
  vf_pair_sums sums;
  memset(&sums, 0, sizeof sums);
  if (ff->split_virial) {
    if (w_lj != 0.0) cluster_pass(ff, s, 1.0, 0.0, ff->want_energy, &sums, sums.v_lj);
    if (w_coul != 0.0) cluster_pass(ff, s, 0.0, 1.0, ff->want_energy, &sums, sums.v_coul);
  } else if (w_lj != 0.0 || w_coul != 0.0) {
    /* One pass; its virial, LJ and Coulomb together, is kept under LJ (see vf_result). */
    cluster_pass(ff, s, w_lj, w_coul, ff->want_energy, &sums,
                 w_lj != 0.0 ? sums.v_lj : sums.v_coul);
  }
  if (w_lj != 0.0 || w_coul != 0.0)
    vf_special_compute(p, &ff->specials, s, w_lj, w_coul, &ff->fb, &sums);
  if (mask & bit(VF_TERM_MORSE)) vf_morse_cluster_compute(p, &ff->clusters, s, &ff->fb, &sums);
  store_pair_sums(&sums, mask, res);
  ff->seconds[VF_TIME_PAIR] += omp_get_wtime() - t1;
  return 0;
}

int vf_forcefield_compute(vf_forcefield *ff, vf_system *s, unsigned mask, vf_result *res,
                          vf_error *err) {
  if (ff->bound_n != s->n) return vf_fail(err, "force field is not bound to this system");
  memset(res, 0, sizeof *res);
  err->msg[0] = '\0';
  vf_forcebuf_zero(&ff->fb);
  memset(s->fx, 0, sizeof(double) * (size_t)s->n);
  memset(s->fy, 0, sizeof(double) * (size_t)s->n);
  memset(s->fz, 0, sizeof(double) * (size_t)s->n);
  if ((ff->kernel == VF_KERNEL_REFERENCE ? pairs_reference : pairs_cluster)(ff, s, mask, res, err))
    return -1;

  if ((mask & bit(VF_TERM_TAIL)) && ff->tail) {
    const double volume = vf_box_volume(&s->box);
    res->energy[VF_TERM_TAIL] = ff->tail_e / volume;
    for (int c = 0; c < 3; c++) res->virial[VF_TERM_TAIL][c] = ff->tail_w / volume;
  }
  double t0 = omp_get_wtime();
  if ((mask & bit(VF_TERM_COUL_KSPACE)) && ff->kspace == VF_KSPACE_EWALD)
    vf_ewald_compute(&ff->ewald, s, 1.0, &ff->fb, &res->energy[VF_TERM_COUL_KSPACE],
                     res->virial[VF_TERM_COUL_KSPACE]);
  if ((mask & bit(VF_TERM_COUL_KSPACE)) && ff->kspace == VF_KSPACE_PPPM &&
      vf_pppm_compute(&ff->pppm, s, 1.0, &ff->fb, &res->energy[VF_TERM_COUL_KSPACE],
                      res->virial[VF_TERM_COUL_KSPACE]))
    return vf_fail(err, "out of memory for PPPM's per-thread meshes");
  double t1 = omp_get_wtime();
  ff->seconds[VF_TIME_KSPACE] += t1 - t0;
  /* Bonded terms on all threads, into their force blocks before the reduction. */
  if (add_bonded(ff, s, mask, res, err)) return -1;
  ff->seconds[VF_TIME_BOND] += omp_get_wtime() - t1;
  vf_forcebuf_reduce(&ff->fb, s->fx, s->fy, s->fz);
  return 0;
}

/* Pairs of the cluster lists within r (masked atom pairs), plus special pairs. */
static long cluster_pairs_within(const vf_forcefield *ff, double r, const vf_system *s) {
  const vf_cluster_list *cl = &ff->clusters;
  const double r2 = r * r;
  long count = 0;
  for (int ci = 0; ci < cl->nlocal; ci++)
    for (int k = cl->pair_start[ci]; k < cl->pair_end[ci]; k++)
      for (int ii = 0; ii < VF_CLUSTER; ii++)
        for (int jj = 0; jj < VF_CLUSTER; jj++) {
          if (!((cl->pair_mask[k] >> (ii * VF_CLUSTER + jj)) & 1)) continue;
          const int a = ci * VF_CLUSTER + ii, b = cl->pair_cj[k] * VF_CLUSTER + jj;
          const double dx = cl->x[a] - cl->x[b], dy = cl->y[a] - cl->y[b], dz = cl->z[a] - cl->z[b];
          count += dx * dx + dy * dy + dz * dz < r2;
        }
  const vf_special_pairs *sp = &ff->specials;
  for (int k = 0; k < sp->n; k++) {
    double d[3] = {s->x[sp->i[k]] - s->x[sp->j[k]], s->y[sp->i[k]] - s->y[sp->j[k]],
                   s->z[sp->i[k]] - s->z[sp->j[k]]};
    vf_box_minimum_image(&s->box, d);
    count += d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < r2;
  }
  return count;
}

void vf_forcefield_pairs_within(const vf_forcefield *ff, const vf_system *s, long counts[3]) {
  const vf_neighbor *nb = &ff->nb;
  const vf_pair_params *p = &ff->pair;
  if (ff->kernel == VF_KERNEL_CLUSTER) {
    const vf_cluster_list *cl = &ff->clusters;
    counts[0] = cluster_pairs_within(ff, p->cut_lj, s);
    counts[1] = cluster_pairs_within(ff, p->cut_coul, s);
    counts[2] = 0;
    for (int k = 0; k < cl->nmorse; k++) {
      const int i = cl->morse_atom[k], b = cl->morse_slot[k];
      const double dx = s->x[i] - cl->x[b], dy = s->y[i] - cl->y[b], dz = s->z[i] - cl->z[b];
      counts[2] += dx * dx + dy * dy + dz * dz < p->cut_morse * p->cut_morse;
    }
    return;
  }
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
  double kin[6];
  vf_kinetic_tensor(s, kin);
  vf_pressure_tensor_from(s, kin, virial, p);
}

void vf_pressure_tensor_from(const vf_system *s, const double kinetic[6], const double virial[6],
                             double p[6]) {
  const double scale = VF_NKTV2P / vf_box_volume(&s->box);
  for (int c = 0; c < 6; c++) p[c] = (kinetic[c] + virial[c]) * scale;
}
