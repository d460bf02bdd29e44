/* lminimize.c — core.minimize(evaluator, options): energy minimisation of the
 * evaluator's system, in place. Options (all optional, defaults from vf_min_defaults):
 * style "fire"|"cg", box "fixed"|"iso"|"aniso", pressure (bar), ftol (eV/Å), etol,
 * ptol (bar), max_iterations, dmax (Å). The friendly checks are in lua/vitrify/init.lua. */
#include <string.h>

#include "minimize.h"
#include "vitrify_lua.h"

static double option_number(lua_State *L, int t, const char *k, double def) {
  lua_getfield(L, t, k);
  double v = luaL_optnumber(L, -1, def);
  lua_pop(L, 1);
  return v;
}

/* Index of options[k] in choices (def when absent). */
static int option_choice(lua_State *L, int t, const char *k, int def, const char *const choices[]) {
  lua_getfield(L, t, k);
  const char *name = lua_tostring(L, -1);
  int v = def;
  if (name) {
    for (v = 0; choices[v] && strcmp(choices[v], name) != 0; v++) continue;
    if (!choices[v]) return vf_lua_raise(L, lua_pushfstring(L, "minimize: unknown %s '%s'", k, name));
  }
  lua_pop(L, 1);
  return v;
}

static void read_options(lua_State *L, int t, vf_min_options *o) {
  static const char *const styles[] = {"fire", "cg", NULL};          /* enum vf_min_style */
  static const char *const boxes[] = {"fixed", "iso", "aniso", NULL}; /* enum vf_min_box */
  vf_min_defaults(o);
  if (lua_isnoneornil(L, t)) return;
  luaL_checktype(L, t, LUA_TTABLE);
  o->style = option_choice(L, t, "style", o->style, styles);
  o->box = option_choice(L, t, "box", o->box, boxes);
  o->pressure = option_number(L, t, "pressure", o->pressure);
  o->ftol = option_number(L, t, "ftol", o->ftol);
  o->etol = option_number(L, t, "etol", o->etol);
  o->ptol = option_number(L, t, "ptol", o->ptol);
  o->dmax = option_number(L, t, "dmax", o->dmax);
  lua_getfield(L, t, "max_iterations");
  o->max_iterations = (int)luaL_optinteger(L, -1, o->max_iterations);
  lua_pop(L, 1);
}

static void set_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void set_integer(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void push_pressure(lua_State *L, const double p[6]) {
  static const char *const names[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};
  lua_createtable(L, 0, 7);
  for (int c = 0; c < 6; c++) set_number(L, names[c], p[c]);
  set_number(L, "scalar", (p[0] + p[1] + p[2]) / 3.0);
}

static void push_result(lua_State *L, const vf_min_result *r) {
  lua_createtable(L, 0, 9);
  set_integer(L, "iterations", r->iterations);
  set_integer(L, "evaluations", r->evaluations);
  lua_pushboolean(L, r->converged);
  lua_setfield(L, -2, "converged");
  lua_pushstring(L, r->reason);
  lua_setfield(L, -2, "reason");
  set_number(L, "energy_initial", r->energy_initial);
  set_number(L, "energy", r->energy);
  set_number(L, "fmax", r->fmax);
  push_pressure(L, r->pressure);
  lua_setfield(L, -2, "pressure");
}

/* core.minimize(evaluator, options) -> {iterations, evaluations, converged, reason,
 * energy_initial, energy (eV), fmax (eV/Å), pressure (bar: xx ... yz, scalar)} */
static int minimize_run(lua_State *L) {
  vf_system *s;
  struct vf_forcefield *ff = vf_lua_checkevaluator(L, 1, &s);
  vf_min_options o;
  read_options(L, 2, &o);
  vf_min_result r;
  vf_error err;
  if (vf_minimize(ff, s, &o, &r, &err)) return vf_lua_raise(L, err.msg);
  push_result(L, &r);
  return 1;
}

static const luaL_Reg minimize_functions[] = {
    {"minimize", minimize_run},
    {NULL, NULL},
};

void vf_lua_register_minimize(lua_State *L) { luaL_setfuncs(L, minimize_functions, 0); }
