#include "checkpoint.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"

static const char MAGIC[16] = "VITRIFY-CKPT-01";

/* A growable byte buffer for writing, a cursor for reading. */
typedef struct buffer {
  unsigned char *data;
  size_t len, cap, pos;
  int failed;
} buffer;

static void put(buffer *b, const void *p, size_t n) {
  if (b->failed) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void get(buffer *b, void *p, size_t n) {
  if (b->failed || b->pos + n > b->len) {
    b->failed = 1;
    memset(p, 0, n);
    return;
  }
  memcpy(p, b->data + b->pos, n);
  b->pos += n;
}

/* FNV-1a: catches truncated or damaged files. */
static uint64_t checksum(const unsigned char *p, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

/* A fingerprint of what must not differ between the saved and the current system. */
static uint64_t system_identity(const vf_system *s) {
  uint64_t h = checksum((const unsigned char *)&s->n, sizeof s->n);
  h ^= checksum((const unsigned char *)s->type, sizeof(int) * (size_t)s->n) * 31;
  h ^= checksum((const unsigned char *)s->q, sizeof(double) * (size_t)s->n) * 131;
  return h;
}

/* One field list serves both directions, so writer and reader cannot drift apart. */
typedef void (*field_fn)(buffer *b, void *p, size_t n);

static void put_field(buffer *b, void *p, size_t n) { put(b, p, n); }

static void chain_fields(buffer *b, field_fn f, vf_chain *c) {
  f(b, &c->length, sizeof c->length);
  f(b, c->eta, sizeof c->eta);
  f(b, c->eta_dot, sizeof c->eta_dot);
  f(b, c->eta_dotdot, sizeof c->eta_dotdot);
  f(b, c->mass, sizeof c->mass);
}

static void integrator_fields(buffer *b, field_fn f, vf_integrator *it) {
  f(b, &it->ensemble, sizeof it->ensemble);
  f(b, &it->barostat, sizeof it->barostat);
  f(b, &it->dt, sizeof it->dt);
  f(b, &it->t_damp, sizeof it->t_damp);
  f(b, &it->p_damp, sizeof it->p_damp);
  f(b, &it->t_target, sizeof it->t_target);
  f(b, &it->p_target, sizeof it->p_target);
  f(b, &it->tdof, sizeof it->tdof);
  chain_fields(b, f, &it->tchain);
  chain_fields(b, f, &it->pchain);
  f(b, it->omega, sizeof it->omega);
  f(b, it->omega_dot, sizeof it->omega_dot);
  f(b, it->omega_mass, sizeof it->omega_mass);
  f(b, &it->vol0, sizeof it->vol0);
  f(b, &it->volume_start, sizeof it->volume_start);
  f(b, &it->mtk_term2, sizeof it->mtk_term2);
  f(b, &it->t_current, sizeof it->t_current);
  f(b, &it->step, sizeof it->step);
  f(b, &it->time, sizeof it->time);
  f(b, &it->limits, sizeof it->limits);
  f(b, &it->rebuild_every, sizeof it->rebuild_every);
  f(b, it->rng.s, sizeof it->rng.s);
}

static void system_fields(buffer *b, field_fn f, vf_system *s) {
  const size_t nd = sizeof(double) * (size_t)s->n, ni = sizeof(int) * (size_t)s->n;
  f(b, &s->box, sizeof s->box);
  double *d[] = {s->x, s->y, s->z, s->vx, s->vy, s->vz};
  for (size_t k = 0; k < 6; k++) f(b, d[k], nd);
  int *im[] = {s->ix, s->iy, s->iz};
  for (size_t k = 0; k < 3; k++) f(b, im[k], ni);
}

int vf_checkpoint_write(const char *path, const vf_system *s, const vf_integrator *it,
                        const vf_forcefield *ff, const char *protocol, size_t protocol_len,
                        vf_error *err) {
  buffer b = {0};
  put(&b, MAGIC, sizeof MAGIC);
  uint64_t identity = system_identity(s);
  put(&b, &identity, sizeof identity);
  system_fields(&b, put_field, (vf_system *)s);
  integrator_fields(&b, put_field, (vf_integrator *)it);
  const vf_ewald *ew = &ff->ewald;
  put(&b, &ff->kspace, sizeof ff->kspace);
  put(&b, &ew->g_ewald, sizeof ew->g_ewald);
  put(&b, ew->kmax, sizeof ew->kmax);
  put(&b, &ew->nk, sizeof ew->nk);
  put(&b, ew->kvec, sizeof(int) * 3 * (size_t)ew->nk);
  uint64_t len = protocol_len;
  put(&b, &len, sizeof len);
  put(&b, protocol, protocol_len);
  uint64_t sum = checksum(b.data, b.len);
  put(&b, &sum, sizeof sum);
  if (b.failed) {
    free(b.data);
    return vf_fail(err, "%s: out of memory preparing the checkpoint", path);
  }
  vf_atomic_file out;
  FILE *f = vf_atomic_open(&out, path, err);
  if (!f) {
    free(b.data);
    return -1;
  }
  fwrite(b.data, 1, b.len, f);
  free(b.data);
  return vf_atomic_commit(&out, err);
}

static int slurp(const char *path, buffer *b, vf_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return vf_fail(err, "%s: cannot open: %s", path, strerror(errno));
  unsigned char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) put(b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad || b->failed) return vf_fail(err, "%s: cannot read the checkpoint", path);
  return 0;
}

int vf_checkpoint_read(const char *path, vf_system *s, vf_integrator *it, vf_forcefield *ff,
                       char **protocol, size_t *protocol_len, vf_error *err) {
  buffer b = {0};
  if (slurp(path, &b, err)) {
    free(b.data);
    return -1;
  }
  int status = -1;
  char magic[sizeof MAGIC];
  uint64_t sum;
  if (b.len < sizeof MAGIC + sizeof sum) {
    vf_fail(err, "%s: not a vitrify checkpoint (too short)", path);
    goto done;
  }
  memcpy(&sum, b.data + b.len - sizeof sum, sizeof sum);
  get(&b, magic, sizeof magic);
  if (memcmp(magic, MAGIC, sizeof MAGIC) != 0) {
    vf_fail(err, "%s: not a vitrify checkpoint (or written by another version)", path);
    goto done;
  }
  if (checksum(b.data, b.len - sizeof sum) != sum) {
    vf_fail(err, "%s: checkpoint is damaged (checksum mismatch)", path);
    goto done;
  }
  b.len -= sizeof sum;
  uint64_t identity;
  get(&b, &identity, sizeof identity);
  if (identity != system_identity(s)) {
    vf_fail(err, "%s: checkpoint belongs to another system (atoms, types or charges differ)", path);
    goto done;
  }
  /* Read into copies first so a bad file leaves the current state untouched. */
  vf_system *copy = vf_system_copy(s);
  vf_integrator saved = *it;
  if (!copy) {
    vf_fail(err, "%s: out of memory", path);
    goto done;
  }
  system_fields(&b, get, copy);
  integrator_fields(&b, get, &saved);
  int kspace, kmax[3], nk;
  double g;
  get(&b, &kspace, sizeof kspace);
  get(&b, &g, sizeof g);
  get(&b, kmax, sizeof kmax);
  get(&b, &nk, sizeof nk);
  int *kvec = NULL;
  if (!b.failed && nk >= 0 && (size_t)nk * 3 * sizeof(int) <= b.len - b.pos) {
    kvec = malloc(sizeof(int) * 3 * (size_t)(nk ? nk : 1));
    if (kvec) get(&b, kvec, sizeof(int) * 3 * (size_t)nk);
  }
  uint64_t len = 0;
  get(&b, &len, sizeof len);
  char *text = NULL;
  if (!b.failed && len <= b.len - b.pos && (text = malloc(len + 1))) {
    get(&b, text, len);
    text[len] = '\0';
  }
  if (b.failed || !kvec || !text || kspace != ff->kspace) {
    vf_fail(err, "%s: checkpoint is inconsistent (wrong layout or kspace style)", path);
  } else if (kspace == VF_KSPACE_EWALD &&
             vf_ewald_restore(&ff->ewald, copy, ff->pair.cut_coul, ff->kspace_accuracy, g, kmax, nk,
                              kvec, err)) {
    /* err set */
  } else {
    if (kspace == VF_KSPACE_EWALD) ff->pair.g_ewald = g;
    memcpy(&s->box, &copy->box, sizeof s->box);
    const size_t nd = sizeof(double) * (size_t)s->n, ni = sizeof(int) * (size_t)s->n;
    memcpy(s->x, copy->x, nd); memcpy(s->y, copy->y, nd); memcpy(s->z, copy->z, nd);
    memcpy(s->vx, copy->vx, nd); memcpy(s->vy, copy->vy, nd); memcpy(s->vz, copy->vz, nd);
    memcpy(s->ix, copy->ix, ni); memcpy(s->iy, copy->iy, ni); memcpy(s->iz, copy->iz, ni);
    vf_system_touch(s);
    *it = saved;
    it->have_forces = 0;
    ff->rebuild_next = 1;
    *protocol = text;
    *protocol_len = len;
    text = NULL;
    status = 0;
  }
  free(kvec);
  free(text);
  vf_system_free(copy);
done:
  free(b.data);
  return status;
}
