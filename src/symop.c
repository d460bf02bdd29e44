#include "symop.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void vf_symop_identity(vf_symop *op) {
  memset(op, 0, sizeof *op);
  for (int d = 0; d < 3; d++) op->rot[d][d] = 1.0;
}

static const char *skip_spaces(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* A number, optionally a fraction "1/2"; returns the end or NULL. */
static const char *parse_number(const char *p, double *value) {
  char *end;
  double v = strtod(p, &end);
  if (end == p) return NULL;
  p = skip_spaces(end);
  if (*p == '/') {
    double den = strtod(skip_spaces(p + 1), &end);
    if (end == p + 1 || den == 0.0) return NULL;
    v /= den;
    p = end;
  }
  *value = v;
  return skip_spaces(p);
}

static int axis_of(char c) {
  c = (char)tolower((unsigned char)c);
  return (c >= 'x' && c <= 'z') ? c - 'x' : -1;
}

/* One component "-x+y+1/2" between commas; [p, end). */
static int parse_component(const char *p, const char *end, double rot[3], double *trans) {
  int terms = 0;
  p = skip_spaces(p);
  while (p < end) {
    double sign = 1.0, factor = 1.0;
    if (*p == '+' || *p == '-') {
      sign = *p == '-' ? -1.0 : 1.0;
      p = skip_spaces(p + 1);
    }
    int has_number = 0;
    if (isdigit((unsigned char)*p) || *p == '.') {
      if (!(p = parse_number(p, &factor)) || p > end) return -1;
      has_number = 1;
      if (*p == '*') p = skip_spaces(p + 1);
    }
    const int axis = p < end ? axis_of(*p) : -1;
    if (axis >= 0) {
      rot[axis] += sign * factor;
      p = skip_spaces(p + 1);
    } else if (has_number) {
      *trans += sign * factor;
    } else {
      return -1;
    }
    terms++;
  }
  return terms > 0 ? 0 : -1;
}

static double determinant(const double m[3][3]) {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
         m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

int vf_symop_parse(const char *text, vf_symop *op, vf_error *err) {
  memset(op, 0, sizeof *op);
  const char *p = text;
  for (int row = 0; row < 3; row++) {
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    if ((row < 2) != (comma != NULL))
      return vf_fail(err, "symmetry operation '%s' needs three comma-separated parts", text);
    if (parse_component(p, end, op->rot[row], &op->trans[row]))
      return vf_fail(err, "symmetry operation '%s': cannot read '%.*s'", text, (int)(end - p), p);
    p = end + 1;
  }
  if (fabs(fabs(determinant(op->rot)) - 1.0) > 1e-6)
    return vf_fail(err, "symmetry operation '%s' is not a symmetry (determinant %g)", text,
                   determinant(op->rot));
  return 0;
}

void vf_symop_apply(const vf_symop *op, const double s[3], double out[3]) {
  for (int d = 0; d < 3; d++)
    out[d] = op->rot[d][0] * s[0] + op->rot[d][1] * s[1] + op->rot[d][2] * s[2] + op->trans[d];
}
