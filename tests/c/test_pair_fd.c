/* Finite differences for the non-bonded terms (LJ, Morse, real-space and
 * reciprocal-space Coulomb, tail correction): forces equal −∂E/∂x and the virial
 * equals −∂E/∂ε (homogeneous strain of cell and atoms), each term on its own, on
 * random small cells — orthorhombic and triclinic, edges shorter than twice the
 * cut-off, with bonded partners scaled by non-trivial special factors and a net
 * charge. Central differences; a pair crossing a cut-off during a difference is
 * detected and the step made smaller, since a truncated potential jumps there. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forcefield.h"
#include "pair_cluster.h"
#include "testlib.h"
#include "units.h"

#define TOLERANCE 1e-6

static vf_system *random_system(unsigned long long *rng, int n, const double hi[3],
                                const double tilt[3]) {
  vf_system *s = vf_system_new(n, 3);
  const double lo[3] = {0.3, -0.7, 1.1};
  vf_box_set(&s->box, lo, hi, tilt, NULL);
  for (int t = 0; t < 3; t++) s->mass[t] = 10.0 + t;
  /* Four-atom chain molecules, bonds 1.2–1.6 Å, other atoms at least 1.8 Å apart
   * (1.1 Å within a molecule). */
  int placed = 0;
  while (placed < n) {
    double f[3] = {vf_test_uniform(rng), vf_test_uniform(rng), vf_test_uniform(rng)}, r[3];
    vf_box_to_cart(&s->box, f, r);
    const int first = placed % 4 == 0;
    if (!first) {
      double u[3] = {vf_test_uniform(rng) - 0.5, vf_test_uniform(rng) - 0.5, vf_test_uniform(rng) - 0.5};
      double norm = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
      double len = 1.2 + 0.4 * vf_test_uniform(rng);
      for (int d = 0; d < 3; d++) r[d] = (d == 0 ? s->x : d == 1 ? s->y : s->z)[placed - 1] + len * u[d] / norm;
    }
    int ok = 1;
    for (int j = 0; j < placed && ok; j++) {
      double d[3] = {r[0] - s->x[j], r[1] - s->y[j], r[2] - s->z[j]};
      vf_box_minimum_image(&s->box, d);
      double dist = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      ok = dist > ((!first && j >= placed - placed % 4) ? 1.1 : 1.8);
    }
    if (!ok) {
      placed -= placed % 4; /* start the molecule again */
      continue;
    }
    s->x[placed] = r[0];
    s->y[placed] = r[1];
    s->z[placed] = r[2];
    s->type[placed] = (int)(3 * vf_test_uniform(rng));
    s->q[placed] = (placed % 5 == 0) ? 0.0 : 0.8 * (vf_test_uniform(rng) - 0.45);
    placed++;
  }
  /* Chain bonds: 1-2, 1-3 and 1-4 partners in every molecule. */
  vf_topology_set_ntypes(&s->topo, VF_BONDS, 1);
  const double coeff[2] = {0.0, 1.0};
  vf_topology_set_coeff(&s->topo, VF_BONDS, 0, 2, coeff);
  for (int i = 0; i + 1 < n; i++) {
    if (i % 4 == 3) continue;
    int a[2] = {i, i + 1};
    vf_topology_add(&s->topo, VF_BONDS, 0, a);
  }
  return s;
}

static void make_forcefield(vf_forcefield *ff, int ntypes) {
  vf_pair_params p;
  vf_pair_params_alloc(&p, ntypes);
  vf_pair_params_set_lj(&p, 0, 0, 0.02, 2.0);
  vf_pair_params_set_lj(&p, 0, 1, 0.035, 2.3);
  vf_pair_params_set_lj(&p, 1, 1, 0.05, 2.6);
  vf_pair_params_set_lj(&p, 2, 2, 0.01, 1.7);
  vf_pair_params_set_morse(&p, 0, 2, 0.05, 2.0, 2.1);
  p.cut_lj = 6.0;
  p.cut_coul = 6.5;
  p.cut_morse = 5.5;
  const double slj[4] = {1.0, 0.1, 0.3, 0.5}, scoul[4] = {1.0, 0.2, 0.4, 0.6874};
  memcpy(p.special_lj, slj, sizeof slj);
  memcpy(p.special_coul, scoul, sizeof scoul);
  vf_forcefield_init(ff, &p);
  ff->tail = 1;
  ff->kspace = VF_KSPACE_EWALD;
  ff->kspace_accuracy = 1e-6;
  ff->skin = 1.0;
}

/* Which pairs sit inside which cut-off: changes when a pair crosses one. */
static long cutoff_signature(const vf_forcefield *ff, const vf_system *s) {
  long counts[3];
  vf_forcefield_pairs_within(ff, s, counts);
  return counts[0] + 1000000 * counts[1] + 1000000000000L * counts[2];
}

static double energy(vf_forcefield *ff, vf_system *s, int term, long *signature) {
  vf_result r;
  vf_error err;
  if (vf_forcefield_compute(ff, s, 1u << term, &r, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    exit(1);
  }
  *signature = cutoff_signature(ff, s);
  return r.energy[term];
}

/* Central difference of the term's energy along coordinate c of atom i. */
static int fd_force(vf_forcefield *ff, vf_system *s, int term, int i, int c, double *out) {
  double *coord = c == 0 ? s->x : c == 1 ? s->y : s->z;
  for (double h = 1e-5; h > 1e-8; h /= 8) {
    const double x0 = coord[i];
    long sp, sm, s0;
    energy(ff, s, term, &s0);
    coord[i] = x0 + h;
    vf_system_touch(s);
    double ep = energy(ff, s, term, &sp);
    coord[i] = x0 - h;
    vf_system_touch(s);
    double em = energy(ff, s, term, &sm);
    coord[i] = x0;
    vf_system_touch(s);
    if (sp == s0 && sm == s0) {
      *out = -(ep - em) / (2 * h);
      return 0;
    }
  }
  return -1;
}

/* Restores the reference cell and atoms, then applies strain eps. */
static void strain(vf_system *s, const double *x, const double *y, const double *z,
                   const vf_box *box, const double eps[6]) {
  s->box = *box;
  memcpy(s->x, x, sizeof(double) * s->n);
  memcpy(s->y, y, sizeof(double) * s->n);
  memcpy(s->z, z, sizeof(double) * s->n);
  vf_system_strain(s, eps);
}

static int fd_virial(vf_forcefield *ff, vf_system *s, int term, int c, double *out) {
  const int n = s->n;
  double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n), *z = malloc(sizeof(double) * n);
  memcpy(x, s->x, sizeof(double) * n);
  memcpy(y, s->y, sizeof(double) * n);
  memcpy(z, s->z, sizeof(double) * n);
  const vf_box box = s->box;
  int status = -1;
  for (double h = 1e-6; h > 1e-10; h /= 8) {
    double eps[6] = {0};
    long s0, sp, sm;
    energy(ff, s, term, &s0);
    eps[c] = h;
    strain(s, x, y, z, &box, eps);
    double ep = energy(ff, s, term, &sp);
    eps[c] = -h;
    strain(s, x, y, z, &box, eps);
    double em = energy(ff, s, term, &sm);
    eps[c] = 0;
    strain(s, x, y, z, &box, eps);
    if (sp == s0 && sm == s0) {
      *out = -(ep - em) / (2 * h);
      status = 0;
      break;
    }
  }
  free(x);
  free(y);
  free(z);
  return status;
}

/* The tail virial is the pressure of the untruncated potential beyond the cut-off:
 * besides −∂E_tail/∂ε it holds the pairs that a strain carries across the cut-off,
 * (2π/3V) Σ_ab N_a N_b rc³ u_ab(rc) on each diagonal component (the energy jump
 * of the truncated potential times the density of pairs at rc). */
static double tail_crossing_term(const vf_forcefield *ff, const vf_system *s) {
  const vf_pair_params *p = &ff->pair;
  double count[8] = {0}, sum = 0;
  for (int i = 0; i < s->n; i++) count[s->type[i]] += 1;
  const double rc = p->cut_lj;
  for (int a = 0; a < p->ntypes; a++)
    for (int b = 0; b < p->ntypes; b++) {
      const int k = a * p->ntypes + b;
      if (!p->has_lj[k]) continue;
      const double sr6 = pow(p->lj_sigma[k] / rc, 6);
      sum += count[a] * count[b] * rc * rc * rc * 4 * p->lj_epsilon[k] * (sr6 * sr6 - sr6);
    }
  return 2.0 * VF_PI / 3.0 * sum / vf_box_volume(&s->box);
}

static void check_term(vf_forcefield *ff, vf_system *s, int term, const char *label) {
  const int n = s->n;
  vf_result res;
  vf_error err;
  CHECK(vf_forcefield_compute(ff, s, 1u << term, &res, &err) == 0, "%s", err.msg);
  double *f = malloc(sizeof(double) * 3 * n);
  memcpy(f, s->fx, sizeof(double) * n);
  memcpy(f + n, s->fy, sizeof(double) * n);
  memcpy(f + 2 * n, s->fz, sizeof(double) * n);
  double rms = 0;
  for (int k = 0; k < 3 * n; k++) rms += f[k] * f[k];
  rms = sqrt(rms / (3 * n));
  double worst = 0;
  for (int i = 0; i < n; i++)
    for (int c = 0; c < 3; c++) {
      double fd;
      if (fd_force(ff, s, term, i, c, &fd)) {
        CHECK(0, "%s %s: no step avoids a cut-off crossing for atom %d", label, vf_term_name[term], i);
        continue;
      }
      double an = f[c * n + i];
      double scale = fabs(an) > rms ? fabs(an) : rms;
      double rel = scale > 0 ? fabs(fd - an) / scale : fabs(fd - an);
      if (rel > worst) worst = rel;
      CHECK(rel <= TOLERANCE || (rms == 0 && fabs(fd) < 1e-12), "%s %s atom %d component %d: analytic %.12g, finite difference %.12g",
            label, vf_term_name[term], i, c, an, fd);
    }
  double vscale = 0;
  for (int c = 0; c < 6; c++) vscale = fmax(vscale, fabs(res.virial[term][c]));
  double vworst = 0;
  for (int c = 0; c < 6; c++) {
    double fd;
    if (fd_virial(ff, s, term, c, &fd)) {
      CHECK(0, "%s %s: no strain step avoids a cut-off crossing", label, vf_term_name[term]);
      continue;
    }
    if (term == VF_TERM_TAIL && c < 3) fd += tail_crossing_term(ff, s);
    double rel = fabs(fd - res.virial[term][c]) / fmax(vscale, 1e-300);
    if (rel > vworst) vworst = rel;
    CHECK(rel <= TOLERANCE, "%s %s virial %d: analytic %.12g, strain derivative %.12g", label,
          vf_term_name[term], c, res.virial[term][c], fd);
  }
  printf("%-22s %-12s E = %14.8f eV  worst relative error: forces %.2e, virial %.2e\n", label,
         vf_term_name[term], res.energy[term], worst, vworst);
  free(f);
}

/* How closely the mixed-precision cluster kernel must follow the double reference:
 * forces relative to the rms force plus the atom's own (see compare_once), energies
 * and the virial relative to their magnitude. Single precision per pair (~6e-8) with
 * summed float partials; measured here at most 3e-8 (forces) and 7e-7 (energies). */
#define MIXED_TOLERANCE 1e-5

/* Both kernels (0 cluster, 1 reference, bound to s) on s: same energies and forces to
 * rounding (tol 1e-12), or to MIXED_TOLERANCE when the cluster kernel is mixed. */
static void compare_once(vf_forcefield ff[2], vf_system *s, const char *label, int verbose) {
  const double tol = ff[0].pair.mixed ? MIXED_TOLERANCE : 1e-12;
  vf_result r[2];
  double *f[2];
  vf_error err;
  for (int k = 0; k < 2; k++) {
    CHECK(vf_forcefield_compute(&ff[k], s, VF_ALL_TERMS, &r[k], &err) == 0, "%s", err.msg);
    f[k] = malloc(sizeof(double) * 3 * s->n);
    memcpy(f[k], s->fx, sizeof(double) * s->n);
    memcpy(f[k] + s->n, s->fy, sizeof(double) * s->n);
    memcpy(f[k] + 2 * s->n, s->fz, sizeof(double) * s->n);
  }
  double rms = 0, worst = 0;
  for (int k = 0; k < 3 * s->n; k++) rms += f[1][k] * f[1][k];
  rms = sqrt(rms / (3 * s->n));
  /* in units of tol: rounding is relative to the rms force, and for mixed also to the
   * atom's own force (huge where random moves pile atoms up; float's 1/r is relative) */
  for (int k = 0; k < 3 * s->n; k++) {
    const double scale = rms + (ff[0].pair.mixed ? fabs(f[1][k]) : 0.0);
    worst = fmax(worst, fabs(f[0][k] - f[1][k]) / scale);
  }
  CHECK(worst <= tol, "%s: cluster and reference forces differ by %g of the force scale (rms %g)",
        label, worst, rms);
  for (int t = 0; t < VF_NTERMS; t++)
    CHECK(fabs(r[0].energy[t] - r[1].energy[t]) <= tol * (1 + fabs(r[1].energy[t])),
          "%s: %s energy %.15g (cluster) vs %.15g (reference)", label, vf_term_name[t],
          r[0].energy[t], r[1].energy[t]);
  double v0[6], v1[6];
  vf_result_virial(&r[0], v0);
  vf_result_virial(&r[1], v1);
  for (int c = 0; c < 6; c++)
    CHECK(fabs(v0[c] - v1[c]) <= 100 * tol * (1 + fabs(v1[c])), "%s: virial %d %.15g vs %.15g",
          label, c, v0[c], v1[c]);
  if (verbose) {
    double eworst = 0;
    for (int t = 0; t < VF_NTERMS; t++)
      eworst = fmax(eworst, fabs(r[0].energy[t] - r[1].energy[t]) / (1 + fabs(r[1].energy[t])));
    printf("%-22s cluster (%s) vs reference kernel: largest force difference %.2e of the rms "
           "force (%.3g), energies %.1e\n",
           label, ff[0].pair.mixed ? "mixed" : "double", worst, rms, eworst);
  }
  for (int k = 0; k < 2; k++) free(f[k]);
}

/* The two kernels bound to s, with a real-space Coulomb cut-off of cut_coul; the
 * cluster one in mixed precision if asked. */
static void bind_both(vf_forcefield ff[2], vf_system *s, double cut_coul, int mixed) {
  vf_error err;
  for (int k = 0; k < 2; k++) {
    make_forcefield(&ff[k], s->ntypes);
    if (cut_coul > 0) ff[k].pair.cut_coul = cut_coul;
    ff[k].pair.mixed = k == 0 && mixed;
    ff[k].kernel = k == 0 ? VF_KERNEL_CLUSTER : VF_KERNEL_REFERENCE;
    CHECK(vf_forcefield_bind(&ff[k], s, &err) == 0, "%s", err.msg);
  }
}

static void compare_kernels(vf_system *s, const char *label, int mixed) {
  vf_forcefield ff[2];
  bind_both(ff, s, 0, mixed);
  compare_once(ff, s, label, 1);
  /* and with LJ and Coulomb in separate passes, as per-term virials ask */
  for (int k = 0; k < 2; k++) ff[k].split_virial = 1;
  compare_once(ff, s, label, 0);
  for (int k = 0; k < 2; k++) vf_forcefield_free(&ff[k]);
}

/* The same along a trajectory of random moves and cell strains, which the cluster
 * lists follow by pruning and rebuilding: a pair missed by a pruned list would show
 * as a force difference. With a short Coulomb cut-off, cluster pairs beyond its reach
 * (the kernel's LJ-only part) come and go too. */
static void compare_kernels_moving(vf_system *s, unsigned long long *rng, double cut_coul,
                                   int mixed, const char *label) {
  vf_forcefield ff[2];
  bind_both(ff, s, cut_coul, mixed);
  for (int step = 0; step < 60; step++) {
    for (int i = 0; i < s->n; i++) {
      s->x[i] += 0.12 * (vf_test_uniform(rng) - 0.5);
      s->y[i] += 0.12 * (vf_test_uniform(rng) - 0.5);
      s->z[i] += 0.12 * (vf_test_uniform(rng) - 0.5);
    }
    if (step % 3 == 0) {
      double eps[6];
      for (int c = 0; c < 6; c++) eps[c] = 2e-3 * (vf_test_uniform(rng) - 0.5);
      double *frac = malloc(sizeof(double) * 3 * s->n); /* atoms follow the cell */
      for (int i = 0; i < s->n; i++)
        vf_box_to_frac(&s->box, (const double[3]){s->x[i], s->y[i], s->z[i]}, frac + 3 * i);
      vf_box_strain(&s->box, eps);
      for (int i = 0; i < s->n; i++) {
        double r[3];
        vf_box_to_cart(&s->box, frac + 3 * i, r);
        s->x[i] = r[0], s->y[i] = r[1], s->z[i] = r[2];
      }
      free(frac);
    }
    char step_label[96];
    snprintf(step_label, sizeof step_label, "%s step %d", label, step);
    compare_once(ff, s, step_label, 0);
  }
  const unsigned long builds = ff[0].nb.builds, prunes = ff[0].prune_ref.builds;
  CHECK(prunes > builds && builds > 1, "%s: %lu prunes, %lu builds (both paths should run)",
        label, prunes, builds);
  printf("%-22s cluster (%s) vs reference along 60 moves (Coulomb cut %.1f): %lu list builds, "
         "%lu prunes\n",
         label, mixed ? "mixed" : "double", ff[0].pair.cut_coul, builds, prunes);
  for (int k = 0; k < 2; k++) vf_forcefield_free(&ff[k]);
}

/* The mixed kernel's LJ and real-space Coulomb on `nthreads` threads, reduced onto
 * atoms: f (3n) and the energies. */
static void mixed_cluster_pass(vf_forcefield *ff, const vf_system *s, int nthreads, double *f,
                               double e[2]) {
  vf_forcebuf slots = {0};
  CHECK(vf_forcebuf_reserve(&slots, nthreads, ff->clusters.nslots) == 0 &&
            vf_forcebuf_reserve_fixed(&slots) == 0,
        "out of memory");
  vf_pair_sums sums;
  memset(&sums, 0, sizeof sums);
  vf_cluster_compute(&ff->pair, &ff->clusters, 1.0, 1.0, 1, &slots, &sums);
  double v[6] = {0};
  memset(f, 0, sizeof(double) * 3 * s->n);
  vf_cluster_reduce(&ff->clusters, &slots, f, f + s->n, f + 2 * s->n, v);
  e[0] = sums.e_lj;
  e[1] = sums.e_coul;
  vf_forcebuf_free(&slots);
}

/* The mixed kernel's threads take clusters as they finish others (pair_cluster.h), and
 * sum forces in fixed point: forces and energies must be bit for bit the same however
 * the clusters fell to threads, and on any number of threads. */
static void check_mixed_thread_independence(vf_system *s) {
  vf_forcefield ff;
  make_forcefield(&ff, s->ntypes);
  ff.pair.mixed = 1;
  ff.kernel = VF_KERNEL_CLUSTER;
  vf_error err;
  vf_result r;
  CHECK(vf_forcefield_bind(&ff, s, &err) == 0, "%s", err.msg);
  CHECK(vf_forcefield_compute(&ff, s, VF_ALL_TERMS, &r, &err) == 0, "%s", err.msg);
  double *ref = malloc(sizeof(double) * 3 * s->n), *f = malloc(sizeof(double) * 3 * s->n);
  double e_ref[2], e[2];
  mixed_cluster_pass(&ff, s, 1, ref, e_ref);
  int differ = 0;
  for (int nthreads = 1; nthreads <= 4; nthreads++)
    for (int rep = 0; rep < 5; rep++) {
      mixed_cluster_pass(&ff, s, nthreads, f, e);
      differ += memcmp(f, ref, sizeof(double) * 3 * s->n) != 0 || e[0] != e_ref[0] ||
                e[1] != e_ref[1];
    }
  CHECK(differ == 0, "mixed kernel: %d of 20 passes on 1-4 threads differ from one thread's",
        differ);
  printf("mixed kernel on %d local clusters: forces and energies bit-identical on 1-4 threads "
         "(20 passes)\n",
         ff.clusters.nlocal);
  /* Two atoms on one spot: the pair force is not finite, and must stay so on the atom
   * (fixed point has no NaN) so that a run stops with a clear message. */
  s->x[4] = s->x[0], s->y[4] = s->y[0], s->z[4] = s->z[0];
  CHECK(vf_forcefield_compute(&ff, s, VF_ALL_TERMS, &r, &err) == 0, "%s", err.msg);
  CHECK(!isfinite(s->fx[0] + s->fy[0] + s->fz[0]) || !isfinite(s->fx[4] + s->fy[4] + s->fz[4]),
        "mixed kernel: atoms on one spot got finite forces (%g, %g)", s->fx[0], s->fx[4]);
  free(ref);
  free(f);
  vf_forcefield_free(&ff);
}

int main(void) {
  unsigned long long rng = 2024;
  const int terms[] = {VF_TERM_LJ, VF_TERM_MORSE, VF_TERM_COUL_REAL, VF_TERM_COUL_KSPACE, VF_TERM_TAIL};
  struct {
    const char *label;
    double hi[3], tilt[3];
  } cells[] = {
      {"orthorhombic", {10.5, 11.0, 12.0}, {0, 0, 0}},
      {"triclinic", {11.5, 10.8, 12.4}, {1.7, -2.1, 1.2}},
  };
  const char *kernel_names[] = {"cluster", "reference"};
  for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
    vf_system *s = random_system(&rng, 72, cells[c].hi, cells[c].tilt);
    double q = 0;
    for (int i = 0; i < s->n; i++) q += s->q[i];
    CHECK(fabs(q) > 1e-3, "the random cell should carry a net charge (%g)", q);
    int orders[4] = {0};
    vf_topology_build_special(&s->topo, s->n, NULL);
    for (int k = 0; k < s->topo.special_start[s->n]; k++) orders[s->topo.special_order[k]]++;
    CHECK(orders[1] > 0 && orders[2] > 0 && orders[3] > 0,
          "special pairs of every order should be present (%d %d %d)", orders[1], orders[2], orders[3]);
    compare_kernels(s, cells[c].label, 0);
    compare_kernels(s, cells[c].label, 1);
    for (int kernel = 0; kernel < 2; kernel++) {
      vf_forcefield ff;
      make_forcefield(&ff, s->ntypes);
      ff.kernel = kernel == 0 ? VF_KERNEL_CLUSTER : VF_KERNEL_REFERENCE;
      vf_error err;
      CHECK(vf_forcefield_bind(&ff, s, &err) == 0, "%s", err.msg);
      char label[64];
      snprintf(label, sizeof label, "%s/%s", cells[c].label, kernel_names[kernel]);
      for (size_t t = 0; t < sizeof terms / sizeof *terms; t++) check_term(&ff, s, terms[t], label);
      vf_forcefield_free(&ff);
    }
    for (int mixed = 0; mixed < 2; mixed++) {
      compare_kernels_moving(s, &rng, 0, mixed, cells[c].label);
      compare_kernels_moving(s, &rng, 4.0, mixed, cells[c].label);
    }
    vf_system_free(s);
  }
  /* larger than the cells above, so that threads have many clusters to take */
  vf_system *s =
      random_system(&rng, 320, (const double[3]){15.0, 15.5, 16.0}, (const double[3]){0});
  vf_topology_build_special(&s->topo, s->n, NULL);
  check_mixed_thread_independence(s);
  vf_system_free(s);
  return vf_test_report("test_pair_fd");
}
