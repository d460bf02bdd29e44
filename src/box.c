#include "box.h"

#include <math.h>

int vf_box_set(vf_box *box, const double lo[3], const double hi[3], const double tilt[3],
               vf_error *err) {
  for (int d = 0; d < 3; d++) {
    if (!isfinite(lo[d]) || !isfinite(hi[d]))
      return vf_fail(err, "box bounds must be finite numbers");
    if (!(hi[d] > lo[d]))
      return vf_fail(err, "box %clo %chi = %g %g gives a non-positive length", "xyz"[d],
                     "xyz"[d], lo[d], hi[d]);
  }
  if (tilt)
    for (int d = 0; d < 3; d++)
      if (!isfinite(tilt[d])) return vf_fail(err, "box tilt factors must be finite numbers");
  box->lo[0] = lo[0];
  box->lo[1] = lo[1];
  box->lo[2] = lo[2];
  box->lx = hi[0] - lo[0];
  box->ly = hi[1] - lo[1];
  box->lz = hi[2] - lo[2];
  box->xy = tilt ? tilt[0] : 0.0;
  box->xz = tilt ? tilt[1] : 0.0;
  box->yz = tilt ? tilt[2] : 0.0;
  return 0;
}

int vf_box_is_triclinic(const vf_box *box) {
  return box->xy != 0.0 || box->xz != 0.0 || box->yz != 0.0;
}

double vf_box_volume(const vf_box *box) { return box->lx * box->ly * box->lz; }

void vf_box_matrix(const vf_box *box, double h[3][3]) {
  h[0][0] = box->lx; h[0][1] = box->xy; h[0][2] = box->xz;
  h[1][0] = 0.0;     h[1][1] = box->ly; h[1][2] = box->yz;
  h[2][0] = 0.0;     h[2][1] = 0.0;     h[2][2] = box->lz;
}

void vf_box_inverse(const vf_box *box, double hinv[3][3]) {
  hinv[0][0] = 1.0 / box->lx;
  hinv[0][1] = -box->xy / (box->lx * box->ly);
  hinv[0][2] = (box->xy * box->yz - box->ly * box->xz) / (box->lx * box->ly * box->lz);
  hinv[1][0] = 0.0;
  hinv[1][1] = 1.0 / box->ly;
  hinv[1][2] = -box->yz / (box->ly * box->lz);
  hinv[2][0] = 0.0;
  hinv[2][1] = 0.0;
  hinv[2][2] = 1.0 / box->lz;
}

void vf_box_face_widths(const vf_box *box, double w[3]) {
  /* Width along axis d is V / |area of the face spanned by the other two edges|. */
  const double a[3] = {box->lx, 0.0, 0.0};
  const double b[3] = {box->xy, box->ly, 0.0};
  const double c[3] = {box->xz, box->yz, box->lz};
  const double *e[3] = {a, b, c};
  const double v = vf_box_volume(box);
  for (int d = 0; d < 3; d++) {
    const double *p = e[(d + 1) % 3], *q = e[(d + 2) % 3];
    const double cx = p[1] * q[2] - p[2] * q[1];
    const double cy = p[2] * q[0] - p[0] * q[2];
    const double cz = p[0] * q[1] - p[1] * q[0];
    w[d] = v / sqrt(cx * cx + cy * cy + cz * cz);
  }
}

void vf_box_to_frac(const vf_box *box, const double r[3], double s[3]) {
  const double dx = r[0] - box->lo[0], dy = r[1] - box->lo[1], dz = r[2] - box->lo[2];
  s[2] = dz / box->lz;
  s[1] = (dy - box->yz * s[2]) / box->ly;
  s[0] = (dx - box->xy * s[1] - box->xz * s[2]) / box->lx;
}

void vf_box_to_cart(const vf_box *box, const double s[3], double r[3]) {
  r[0] = box->lo[0] + box->lx * s[0] + box->xy * s[1] + box->xz * s[2];
  r[1] = box->lo[1] + box->ly * s[1] + box->yz * s[2];
  r[2] = box->lo[2] + box->lz * s[2];
}

void vf_box_shift(const vf_box *box, int n0, int n1, int n2, double d[3]) {
  d[0] = n0 * box->lx + n1 * box->xy + n2 * box->xz;
  d[1] = n1 * box->ly + n2 * box->yz;
  d[2] = n2 * box->lz;
}

void vf_box_wrap(const vf_box *box, double r[3], int image[3]) {
  double s[3];
  vf_box_to_frac(box, r, s);
  int n[3];
  for (int d = 0; d < 3; d++) {
    n[d] = (int)floor(s[d]);
    s[d] -= n[d];
    /* floor can leave s == 1.0 after rounding; keep s in [0,1). */
    if (s[d] >= 1.0) {
      s[d] -= 1.0;
      n[d] += 1;
    }
    if (image) image[d] += n[d];
  }
  if (n[0] || n[1] || n[2]) {
    double t[3];
    vf_box_shift(box, n[0], n[1], n[2], t);
    r[0] -= t[0];
    r[1] -= t[1];
    r[2] -= t[2];
  }
}

void vf_box_strain(vf_box *box, const double eps[6]) {
  /* New cell matrix (1 + eps) h with eps upper triangular keeps LAMMPS's form. */
  const double xx = eps[0], yy = eps[1], zz = eps[2], xy = eps[3], xz = eps[4], yz = eps[5];
  double h[3][3];
  vf_box_matrix(box, h);
  double g[3][3] = {{1 + xx, xy, xz}, {0, 1 + yy, yz}, {0, 0, 1 + zz}};
  double r[3][3];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      r[i][j] = 0;
      for (int k = 0; k < 3; k++) r[i][j] += g[i][k] * h[k][j];
    }
  double lo[3] = {box->lo[0], box->lo[1], box->lo[2]};
  double lon[3];
  for (int i = 0; i < 3; i++) {
    lon[i] = 0;
    for (int k = 0; k < 3; k++) lon[i] += g[i][k] * lo[k];
  }
  box->lo[0] = lon[0];
  box->lo[1] = lon[1];
  box->lo[2] = lon[2];
  box->lx = r[0][0];
  box->xy = r[0][1];
  box->xz = r[0][2];
  box->ly = r[1][1];
  box->yz = r[1][2];
  box->lz = r[2][2];
}
