/* Neighbour lists against brute force: on small random cells (orthorhombic and
 * triclinic, edges shorter than twice the cut-off so several images of an atom are
 * in range) every pair within the cut-off appears exactly once, special pairs carry
 * the right order, and nothing beyond cutoff+skin is listed. */
#include <math.h>
#include <stdlib.h>

#include "neighbor.h"
#include "testlib.h"

typedef struct {
  long pairs;      /* pairs within rc over all images */
  double sum_r;    /* sum of their distances (a checksum of which pairs) */
} census;

/* All images (i, j + n·h) with r < rc, each unordered pair counted once. */
static census brute_force(const vf_system *s, double rc) {
  census c = {0, 0.0};
  double w[3];
  vf_box_face_widths(&s->box, w);
  int reach[3];
  for (int d = 0; d < 3; d++) reach[d] = (int)ceil(rc / w[d]) + 1;
  for (int i = 0; i < s->n; i++)
    for (int j = i; j < s->n; j++)
      for (int a = -reach[0]; a <= reach[0]; a++)
        for (int b = -reach[1]; b <= reach[1]; b++)
          for (int k = -reach[2]; k <= reach[2]; k++) {
            if (i == j && (a < 0 || (a == 0 && (b < 0 || (b == 0 && k <= 0))))) continue;
            double t[3];
            vf_box_shift(&s->box, a, b, k, t);
            double dx = s->x[i] - s->x[j] - t[0], dy = s->y[i] - s->y[j] - t[1],
                   dz = s->z[i] - s->z[j] - t[2];
            double r = sqrt(dx * dx + dy * dy + dz * dz);
            if (r < rc) {
              c.pairs++;
              c.sum_r += r;
            }
          }
  return c;
}

static census listed(const vf_neighbor *nb, double rc, double *rmax) {
  census c = {0, 0.0};
  const vf_pair_list *lists[2] = {&nb->plain, &nb->special};
  *rmax = 0;
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < nb->n; i++)
      for (int k = lists[l]->start[i]; k < lists[l]->start[i + 1]; k++) {
        int e = lists[l]->j[k];
        double dx = nb->xe[i] - nb->xe[e], dy = nb->ye[i] - nb->ye[e], dz = nb->ze[i] - nb->ze[e];
        double r = sqrt(dx * dx + dy * dy + dz * dz);
        if (r > *rmax) *rmax = r;
        if (r < rc) {
          c.pairs++;
          c.sum_r += r;
        }
      }
  return c;
}

static vf_system *random_system(unsigned long long *rng, int n, const double lo[3],
                                const double hi[3], const double tilt[3]) {
  vf_system *s = vf_system_new(n, 2);
  vf_box_set(&s->box, lo, hi, tilt, NULL);
  for (int i = 0; i < n; i++) {
    /* Some atoms start outside the cell: the build must wrap them. */
    double f[3] = {1.4 * vf_test_uniform(rng) - 0.2, vf_test_uniform(rng), vf_test_uniform(rng)}, r[3];
    vf_box_to_cart(&s->box, f, r);
    s->x[i] = r[0];
    s->y[i] = r[1];
    s->z[i] = r[2];
    s->type[i] = i % 2;
    s->q[i] = (i % 3 == 0) ? 0.0 : 0.5 - (i % 2);
  }
  /* Bonded partners sit close together, as in molecules (the odd atom of each pair
   * within 1.5 Å of the even one); they may straddle the cell boundary. */
  for (int i = 0; i + 1 < n; i += 2) {
    s->x[i + 1] = s->x[i] + 1.5 * (vf_test_uniform(rng) - 0.5);
    s->y[i + 1] = s->y[i] + 1.5 * (vf_test_uniform(rng) - 0.5);
    s->z[i + 1] = s->z[i] + 1.5 * (vf_test_uniform(rng) - 0.5);
  }
  /* Bonds within pairs, and some between pairs, so that 1-3 and 1-4 partners exist. */
  vf_topology_set_ntypes(&s->topo, VF_BONDS, 1);
  for (int i = 0; i + 1 < n; i += 2) {
    int atoms[2] = {i, i + 1};
    vf_topology_add(&s->topo, VF_BONDS, 0, atoms);
  }
  for (int i = 1; i + 1 < n; i += 4) {
    int atoms[2] = {i, i + 1};
    vf_topology_add(&s->topo, VF_BONDS, 0, atoms);
  }
  vf_topology_build_special(&s->topo, n, NULL);
  return s;
}

/* A deformed cell (a barostat's affine motion) with atoms moved beyond it: the list
 * stays complete while twice the largest non-affine move plus the strain (Frobenius
 * norm) times cutoff+skin is within the skin, and asks for a rebuild past it. */
static void check_deformed(unsigned long long *rng, vf_system *s, vf_neighbor *nb,
                           const vf_pair_filter *filter, double rc, double skin,
                           const char *label) {
  vf_error err;
  CHECK(vf_neighbor_build(nb, s, filter, &err) == 0, "%s", err.msg);
  double eps[6], norm2 = 0;
  for (int c = 0; c < 6; c++) {
    eps[c] = vf_test_uniform(rng) - 0.5;
    norm2 += eps[c] * eps[c];
  }
  /* strain budget 0.9 skin: the affine part alone moves far atoms by more than that */
  const double scale = 0.9 * skin / (rc + skin) / sqrt(norm2);
  for (int c = 0; c < 6; c++) eps[c] *= scale;
  const double g[3][3] = {{1 + eps[0], eps[3], eps[4]}, {0, 1 + eps[1], eps[5]}, {0, 0, 1 + eps[2]}};
  for (int i = 0; i < s->n; i++) {
    const double r[3] = {s->x[i], s->y[i], s->z[i]};
    s->x[i] = g[0][0] * r[0] + g[0][1] * r[1] + g[0][2] * r[2];
    s->y[i] = g[1][1] * r[1] + g[1][2] * r[2];
    s->z[i] = g[2][2] * r[2];
  }
  vf_box_strain(&s->box, eps);
  s->y[7] += 0.04 * skin;
  CHECK(!vf_neighbor_needs_rebuild(nb, s), "%s: deformation within the skin triggers a rebuild",
        label);
  vf_neighbor_update_positions(nb, s);
  census want = brute_force(s, rc);
  double rmax;
  census got = listed(nb, rc, &rmax);
  CHECK(want.pairs == got.pairs, "%s: deformed cell: %ld pairs listed, brute force finds %ld",
        label, got.pairs, want.pairs);
  s->y[7] += 0.02 * skin;
  CHECK(vf_neighbor_needs_rebuild(nb, s), "%s: deformation beyond the skin not noticed", label);
}

static void check_cell(unsigned long long *rng, const double hi[3], const double tilt[3],
                       const char *label) {
  const double lo[3] = {-1.0, 0.5, 2.0};
  const double rc = 6.0, skin = 1.0;
  vf_system *s = random_system(rng, 60, lo, hi, tilt);
  /* Every pair interacts (LJ on all type pairs), so all pairs must be listed. */
  unsigned char all[4] = {1, 1, 1, 1}, none[4] = {0, 0, 0, 0};
  vf_pair_filter filter = {2, all, none, 1};
  vf_neighbor nb;
  vf_neighbor_init(&nb, rc, skin);
  vf_error err;
  CHECK(vf_neighbor_build(&nb, s, &filter, &err) == 0, "%s", err.msg);
  census want = brute_force(s, rc);
  double rmax;
  census got = listed(&nb, rc, &rmax);
  CHECK(want.pairs == got.pairs, "%s: %ld pairs listed, brute force finds %ld", label, got.pairs,
        want.pairs);
  CHECK(fabs(want.sum_r - got.sum_r) < 1e-9 * want.sum_r, "%s: pair distances differ", label);
  CHECK(rmax < rc + skin, "%s: listed pair at %g beyond cutoff+skin", label, rmax);
  CHECK(want.pairs > 60 * 20, "%s: too few pairs (%ld) for a meaningful test", label, want.pairs);

  /* Special pairs: each close bonded partner is listed once with order 1 (bonds
   * between pairs join random atoms and may be too long to be listed). */
  long bonded_listed = 0;
  for (int i = 0; i < s->n; i++)
    for (int k = nb.special.start[i]; k < nb.special.start[i + 1]; k++) {
      int j = nb.owner[nb.special.j[k]];
      bonded_listed += nb.special.order[k] == 1 && j == (i ^ 1);
      CHECK(nb.special.order[k] >= 1 && nb.special.order[k] <= 3, "%s: bad order", label);
    }
  CHECK(bonded_listed == s->n / 2, "%s: %ld close 1-2 pairs listed, %d bonded pairs", label,
        bonded_listed, s->n / 2);

  /* After moving atoms less than skin/2 the list stays valid; beyond, it asks to rebuild. */
  CHECK(!vf_neighbor_needs_rebuild(&nb, s), "%s: fresh list wants a rebuild", label);
  s->x[5] += 0.49 * skin;
  CHECK(!vf_neighbor_needs_rebuild(&nb, s), "%s: small move triggers a rebuild", label);
  s->x[5] += 0.02 * skin;
  CHECK(vf_neighbor_needs_rebuild(&nb, s), "%s: move beyond skin/2 not noticed", label);
  check_deformed(rng, s, &nb, &filter, rc, skin, label);
  vf_neighbor_free(&nb);
  vf_system_free(s);
}

int main(void) {
  unsigned long long rng = 12345;
  const double ortho[3] = {0, 0, 0};
  const double skewed[3] = {2.5, -1.5, 3.0};
  for (int trial = 0; trial < 3; trial++) {
    const double hi_small[3] = {8.0, 9.5, 10.0};  /* all edges < 2 rc */
    const double hi_mixed[3] = {14.0, 7.0, 13.0};
    const double hi_thin[3] = {4.5, 5.0, 12.0}; /* an atom meets its own images */
    check_cell(&rng, hi_thin, ortho, "orthorhombic thin");
    check_cell(&rng, hi_thin, skewed, "triclinic thin");
    check_cell(&rng, hi_small, ortho, "orthorhombic small");
    check_cell(&rng, hi_mixed, ortho, "orthorhombic mixed");
    check_cell(&rng, hi_small, skewed, "triclinic small");
    check_cell(&rng, hi_mixed, skewed, "triclinic mixed");
  }
  return vf_test_report("test_neighbor");
}
