/* levaluator.c — the Evaluator userdata: a force field bound to one System.
 * core.evaluator(sys, spec) takes parameters already in the system's type order
 * (1-based); the friendly, name-keyed layer is lua/vitrify/forcefield.lua. */
#include <stdlib.h>
#include <string.h>

#include "forcefield.h"
#include "vitrify_lua.h"

typedef struct vf_lua_evaluator {
  vf_forcefield *ff;
  vf_result last;
  unsigned last_mask;
  unsigned long last_generation; /* system generation after the last compute */
  unsigned long bound_structure;
  int have_result;
} vf_lua_evaluator;

static vf_lua_evaluator *toevaluator(lua_State *L, int arg) {
  vf_lua_evaluator *u = (vf_lua_evaluator *)luaL_checkudata(L, arg, VF_EVALUATOR_MT);
  if (!u->ff) luaL_argerror(L, arg, "evaluator is closed");
  return u;
}

/* The bound system lives in the evaluator's user value, which keeps it alive. */
static vf_system *bound_system(lua_State *L, int arg) {
  lua_getiuservalue(L, arg, 1);
  vf_system *s = vf_lua_checksystem(L, -1);
  lua_pop(L, 1);
  return s;
}

static double optfield_number(lua_State *L, int t, const char *k, double def) {
  lua_getfield(L, t, k);
  double v = luaL_optnumber(L, -1, def);
  lua_pop(L, 1);
  return v;
}

static void read_factors(lua_State *L, int t, const char *k, double f[4]) {
  f[0] = 1.0;
  if (lua_getfield(L, t, k) == LUA_TTABLE) {
    for (int m = 1; m <= 3; m++) {
      lua_geti(L, -1, m);
      f[m] = luaL_checknumber(L, -1);
      lua_pop(L, 1);
    }
  } else {
    f[1] = f[2] = f[3] = 1.0;
  }
  lua_pop(L, 1);
}

/* Reads rows {ti, tj, v1, v2, ...} of spec[k], each with nv numbers after the types. */
static int read_pair_rows(lua_State *L, int t, const char *k, int nv, int ntypes,
                          void (*set)(vf_pair_params *, int, int, const double *),
                          vf_pair_params *p) {
  if (lua_getfield(L, t, k) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  lua_Integer rows = luaL_len(L, -1);
  for (lua_Integer r = 1; r <= rows; r++) {
    lua_geti(L, -1, r);
    int tt[2];
    double v[8];
    for (int m = 0; m < 2 + nv; m++) {
      lua_geti(L, -1, m + 1);
      int ok;
      double x = lua_tonumberx(L, -1, &ok);
      lua_pop(L, 1);
      if (!ok) return luaL_error(L, "%s row %d: entry %d is not a number", k, (int)r, m + 1);
      if (m < 2) {
        if (x < 1 || x > ntypes || x != (int)x)
          return luaL_error(L, "%s row %d: type %g is not in 1..%d", k, (int)r, x, ntypes);
        tt[m] = (int)x - 1;
      } else {
        v[m - 2] = x;
      }
    }
    set(p, tt[0], tt[1], v);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 0;
}

static void set_lj_row(vf_pair_params *p, int a, int b, const double *v) {
  vf_pair_params_set_lj(p, a, b, v[0], v[1]);
}

static void set_morse_row(vf_pair_params *p, int a, int b, const double *v) {
  vf_pair_params_set_morse(p, a, b, v[0], v[1], v[2]);
}

/* Indexed by enum vf_kspace. */
static const char *const kspace_names[] = {"none", "ewald", "pppm", NULL};

/* spec.mesh = {nx, ny, nz} (points along the cell edges) and spec.order (2..7). */
static void read_pppm_options(lua_State *L, int t, vf_forcefield *ff) {
  if (lua_getfield(L, t, "mesh") == LUA_TTABLE) {
    for (int d = 0; d < 3; d++) {
      lua_geti(L, -1, d + 1);
      int ok;
      const lua_Integer m = lua_tointegerx(L, -1, &ok);
      if (!ok || m < 2) luaL_error(L, "mesh must be 3 integers >= 2 (points along a, b, c)");
      ff->pppm_mesh[d] = (int)m;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "order");
  ff->pppm_order = (int)luaL_optinteger(L, -1, 0);
  lua_pop(L, 1);
}

/* {pair=, bond=, kspace=, neigh=}: seconds spent in each section so far. */
static void push_seconds(lua_State *L, const vf_forcefield *ff) {
  lua_createtable(L, 0, VF_NSECTIONS);
  static const char *const sections[VF_NSECTIONS] = {"pair", "bond", "kspace", "neigh"};
  for (int k = 0; k < VF_NSECTIONS; k++) {
    lua_pushnumber(L, ff->seconds[k]);
    lua_setfield(L, -2, sections[k]);
  }
}

static void push_pppm_info(lua_State *L, const vf_pppm *pm) {
  lua_createtable(L, 3, 0);
  for (int d = 0; d < 3; d++) {
    lua_pushinteger(L, pm->mesh[d]);
    lua_rawseti(L, -2, d + 1);
  }
  lua_setfield(L, -2, "mesh");
  lua_pushinteger(L, pm->order);
  lua_setfield(L, -2, "order");
  const struct { const char *name; double value; } fields[] = {
      {"estimated_error", pm->estimated_error},     {"error_kspace", pm->error_kspace},
      {"error_real", pm->error_real},               {"self_force_energy", pm->self_force_energy}};
  for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
    lua_pushnumber(L, fields[k].value);
    lua_setfield(L, -2, fields[k].name);
  }
}

static void push_result(lua_State *L, const vf_result *res) {
  lua_createtable(L, 0, VF_NTERMS + 1);
  for (int t = 0; t < VF_NTERMS; t++) {
    lua_pushnumber(L, res->energy[t]);
    lua_setfield(L, -2, vf_term_name[t]);
  }
  lua_pushnumber(L, vf_result_energy(res));
  lua_setfield(L, -2, "total");
}

static const char *const component_names[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};

static void push_tensor(lua_State *L, const double v[6]) {
  lua_createtable(L, 0, 7);
  for (int c = 0; c < 6; c++) {
    lua_pushnumber(L, v[c]);
    lua_setfield(L, -2, component_names[c]);
  }
  lua_pushnumber(L, (v[0] + v[1] + v[2]) / 3.0);
  lua_setfield(L, -2, "scalar");
}

static unsigned check_terms(lua_State *L, int arg) {
  if (lua_isnoneornil(L, arg)) return VF_ALL_TERMS;
  luaL_checktype(L, arg, LUA_TTABLE);
  unsigned mask = 0;
  lua_Integer n = luaL_len(L, arg);
  for (lua_Integer k = 1; k <= n; k++) {
    lua_geti(L, arg, k);
    const char *name = luaL_checkstring(L, -1);
    int t = 0;
    while (t < VF_NTERMS && strcmp(name, vf_term_name[t]) != 0) t++;
    if (t == VF_NTERMS) luaL_argerror(L, arg, lua_pushfstring(L, "unknown term '%s'", name));
    mask |= 1u << t;
    lua_pop(L, 1);
  }
  return mask;
}

static int evaluator_bind(lua_State *L, vf_lua_evaluator *u, vf_system *s) {
  vf_error err;
  if (vf_forcefield_bind(u->ff, s, &err)) return vf_lua_raise(L, err.msg);
  u->bound_structure = s->structure_generation;
  u->have_result = 0;
  return 0;
}

/* Evaluates unless the system is unchanged since the last evaluation of these terms. */
static const vf_result *evaluate(lua_State *L, vf_lua_evaluator *u, vf_system *s, unsigned mask) {
  if (u->bound_structure != s->structure_generation) evaluator_bind(L, u, s);
  if (u->have_result && u->last_mask == mask && u->last_generation == s->generation)
    return &u->last;
  vf_error err;
  if (vf_forcefield_compute(u->ff, s, mask, &u->last, &err)) vf_lua_raise(L, err.msg);
  u->last_mask = mask;
  u->last_generation = s->generation;
  u->have_result = 1;
  return &u->last;
}

struct vf_forcefield *vf_lua_checkevaluator(lua_State *L, int arg, vf_system **sys) {
  vf_lua_evaluator *u = toevaluator(L, arg);
  vf_system *s = bound_system(L, arg);
  if (u->bound_structure != s->structure_generation) evaluator_bind(L, u, s);
  u->have_result = 0; /* the caller is about to move atoms or the box */
  if (sys) *sys = s;
  return u->ff;
}

/* core.evaluator(sys, spec) */
static int evaluator_new(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  vf_lua_evaluator *u = (vf_lua_evaluator *)lua_newuserdatauv(L, sizeof *u, 1);
  memset(u, 0, sizeof *u);
  luaL_setmetatable(L, VF_EVALUATOR_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);

  vf_pair_params pair;
  if (vf_pair_params_alloc(&pair, s->ntypes)) return luaL_error(L, "out of memory");
  u->ff = malloc(sizeof *u->ff);
  if (!u->ff) {
    vf_pair_params_free(&pair);
    return luaL_error(L, "out of memory");
  }
  vf_forcefield_init(u->ff, &pair); /* from here __gc frees the parameters */
  vf_pair_params *p = &u->ff->pair;
  read_pair_rows(L, 2, "lj", 2, s->ntypes, set_lj_row, p);
  read_pair_rows(L, 2, "morse", 3, s->ntypes, set_morse_row, p);
  p->cut_lj = optfield_number(L, 2, "cut_lj", 13.0);
  p->cut_coul = optfield_number(L, 2, "cut_coul", 13.0);
  p->cut_morse = optfield_number(L, 2, "cut_morse", 13.0);
  read_factors(L, 2, "special_lj", p->special_lj);
  read_factors(L, 2, "special_coul", p->special_coul);
  lua_getfield(L, 2, "tail");
  u->ff->tail = lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, 2, "kspace");
  u->ff->kspace = luaL_checkoption(L, -1, "ewald", kspace_names);
  lua_pop(L, 1);
  read_pppm_options(L, 2, u->ff);
  u->ff->kspace_accuracy = optfield_number(L, 2, "accuracy", 1e-8);
  u->ff->g_ewald = optfield_number(L, 2, "g_ewald", 0.0);
  u->ff->skin = optfield_number(L, 2, "skin", 2.0);
  u->ff->prune_buffer = optfield_number(L, 2, "prune_buffer", 0.5);
  lua_getfield(L, 2, "lammps_erfc");
  p->lammps_erfc = lua_toboolean(L, -1);
  lua_pop(L, 1);
  static const char *const kernels[] = {"cluster", "reference", NULL};
  lua_getfield(L, 2, "kernel");
  u->ff->kernel = luaL_checkoption(L, -1, "cluster", kernels);
  lua_pop(L, 1);
  static const char *const precisions[] = {"double", "mixed", NULL};
  lua_getfield(L, 2, "precision");
  p->mixed = luaL_checkoption(L, -1, "double", precisions);
  lua_pop(L, 1);
  if (p->mixed && (p->lammps_erfc || u->ff->kernel != VF_KERNEL_CLUSTER))
    return luaL_error(L, "precision \"mixed\" needs the cluster kernel without lammps_erfc");
  if (u->ff->skin < 0) return luaL_error(L, "skin must be >= 0");
  if (u->ff->prune_buffer < 0) return luaL_error(L, "prune_buffer must be >= 0");
  evaluator_bind(L, u, s);
  return 1;
}

/* ev:compute([terms]) -> energies (eV) by term and total; forces land in the system. */
static int evaluator_compute(lua_State *L) {
  vf_lua_evaluator *u = toevaluator(L, 1);
  vf_system *s = bound_system(L, 1);
  push_result(L, evaluate(L, u, s, check_terms(L, 2)));
  return 1;
}

/* ev:virial([terms]) -> total virial tensor (eV) and a table of per-term tensors. */
static int evaluator_virial(lua_State *L) {
  vf_lua_evaluator *u = toevaluator(L, 1);
  vf_system *s = bound_system(L, 1);
  if (!u->ff->split_virial) u->have_result = 0;
  u->ff->split_virial = 1; /* per-term virials are asked for: keep them apart */
  const vf_result *res = evaluate(L, u, s, check_terms(L, 2));
  double v[6];
  vf_result_virial(res, v);
  push_tensor(L, v);
  lua_createtable(L, 0, VF_NTERMS);
  for (int t = 0; t < VF_NTERMS; t++) {
    push_tensor(L, res->virial[t]);
    lua_setfield(L, -2, vf_term_name[t]);
  }
  return 2;
}

/* ev:pressure() -> pressure tensor in bar (virial plus kinetic), with "scalar". */
static int evaluator_pressure(lua_State *L) {
  vf_lua_evaluator *u = toevaluator(L, 1);
  vf_system *s = bound_system(L, 1);
  const vf_result *res = evaluate(L, u, s, check_terms(L, 2));
  double v[6], p[6];
  vf_result_virial(res, v);
  vf_pressure_tensor(s, v, p);
  push_tensor(L, p);
  return 1;
}

/* ev:timers() -> {pair=, bond=, kspace=, neigh=}, seconds so far (cheap, unlike info). */
static int evaluator_timers(lua_State *L) {
  push_seconds(L, toevaluator(L, 1)->ff);
  return 1;
}

static int evaluator_info(lua_State *L) {
  vf_lua_evaluator *u = toevaluator(L, 1);
  const vf_forcefield *ff = u->ff;
  lua_createtable(L, 0, 8);
  lua_pushnumber(L, ff->pair.g_ewald);
  lua_setfield(L, -2, "g_ewald");
  lua_pushinteger(L, ff->ewald.nk);
  lua_setfield(L, -2, "kvectors");
  lua_createtable(L, 3, 0);
  for (int d = 0; d < 3; d++) {
    lua_pushinteger(L, ff->ewald.kmax[d]);
    lua_rawseti(L, -2, d + 1);
  }
  lua_setfield(L, -2, "kmax");
  lua_pushstring(L, kspace_names[ff->kspace]);
  lua_setfield(L, -2, "kspace");
  if (ff->kspace == VF_KSPACE_PPPM) push_pppm_info(L, &ff->pppm);
  lua_pushinteger(L, (lua_Integer)ff->nb.builds);
  lua_setfield(L, -2, "neighbor_builds");
  lua_pushinteger(L, ff->nb.nghost);
  lua_setfield(L, -2, "ghosts");
  const int n = ff->nb.n;
  const int cluster = ff->kernel == VF_KERNEL_CLUSTER;
  lua_pushstring(L, cluster ? "cluster" : "reference");
  lua_setfield(L, -2, "kernel");
  lua_pushstring(L, ff->pair.mixed ? "mixed" : "double");
  lua_setfield(L, -2, "precision");
  lua_pushinteger(L, cluster ? ff->clusters.npairs : (ff->nb.plain.start ? ff->nb.plain.start[n] : 0));
  lua_setfield(L, -2, cluster ? "cluster_pairs" : "plain_pairs");
  if (cluster) {
    lua_pushinteger(L, ff->clusters.nouter);
    lua_setfield(L, -2, "outer_cluster_pairs");
    lua_pushinteger(L, (lua_Integer)ff->prune_ref.builds);
    lua_setfield(L, -2, "prunes");
  }
  lua_pushinteger(L, cluster ? ff->specials.n : (ff->nb.special.start ? ff->nb.special.start[n] : 0));
  lua_setfield(L, -2, "special_pairs");
  lua_pushinteger(L, cluster ? ff->clusters.nmorse : (ff->nb.morse.start ? ff->nb.morse.start[n] : 0));
  lua_setfield(L, -2, "morse_pairs");
  push_seconds(L, ff);
  lua_setfield(L, -2, "seconds");
  lua_createtable(L, 0, 3);
  const double cuts[3] = {ff->pair.cut_lj, ff->pair.cut_coul, ff->pair.cut_morse};
  static const char *const cut_names[3] = {"lj", "coul", "morse"};
  for (int c = 0; c < 3; c++) {
    lua_pushnumber(L, cuts[c]);
    lua_setfield(L, -2, cut_names[c]);
  }
  lua_setfield(L, -2, "cutoffs");
  if (ff->nb.builds > 0) {
    long counts[3];
    vf_forcefield_pairs_within(ff, bound_system(L, 1), counts);
    lua_createtable(L, 0, 3);
    for (int c = 0; c < 3; c++) {
      lua_pushinteger(L, counts[c]);
      lua_setfield(L, -2, cut_names[c]);
    }
    lua_setfield(L, -2, "pairs_within_cutoff");
  }
  return 1;
}

static int evaluator_system(lua_State *L) {
  toevaluator(L, 1);
  lua_getiuservalue(L, 1, 1);
  return 1;
}

static int evaluator_close(lua_State *L) {
  vf_lua_evaluator *u = (vf_lua_evaluator *)luaL_checkudata(L, 1, VF_EVALUATOR_MT);
  if (u->ff) {
    vf_forcefield_free(u->ff);
    free(u->ff);
    u->ff = NULL;
  }
  return 0;
}

static int evaluator_tostring(lua_State *L) {
  vf_lua_evaluator *u = (vf_lua_evaluator *)luaL_checkudata(L, 1, VF_EVALUATOR_MT);
  if (!u->ff) lua_pushstring(L, "vitrify.Evaluator (closed)");
  else
    lua_pushfstring(L, "vitrify.Evaluator: %d types, cut-offs %f/%f/%f A, kspace %s",
                    u->ff->pair.ntypes, u->ff->pair.cut_lj, u->ff->pair.cut_morse,
                    u->ff->pair.cut_coul, kspace_names[u->ff->kspace]);
  return 1;
}

static const luaL_Reg evaluator_methods[] = {
    {"compute", evaluator_compute},
    {"virial", evaluator_virial},
    {"pressure", evaluator_pressure},
    {"info", evaluator_info},
    {"timers", evaluator_timers},
    {"system", evaluator_system},
    {"close", evaluator_close},
    {NULL, NULL},
};

static const luaL_Reg evaluator_meta[] = {
    {"__gc", evaluator_close},
    {"__close", evaluator_close},
    {"__tostring", evaluator_tostring},
    {"__index", NULL},
    {NULL, NULL},
};

void vf_lua_register_evaluator(lua_State *L) {
  luaL_newmetatable(L, VF_EVALUATOR_MT);
  luaL_setfuncs(L, evaluator_meta, 0);
  luaL_newlib(L, evaluator_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, evaluator_new);
  lua_setfield(L, -2, "evaluator");
}
