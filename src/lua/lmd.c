/* lmd.c — the Integrator userdata: molecular dynamics of the system an Evaluator is
 * bound to. The schedule (ramps, holds, output, checkpoints) is driven from Lua in
 * lua/vitrify/dynamics.lua; this layer runs chunks of steps in C. */
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "forcefield.h"
#include "integrator.h"
#include "signals.h"
#include "units.h"
#include "velocities.h"
#include "vitrify_lua.h"

#define VF_INTEGRATOR_MT "vitrify.Integrator"

typedef struct vf_lua_integrator {
  vf_integrator *it;
} vf_lua_integrator;

static vf_integrator *checkintegrator(lua_State *L, int arg) {
  vf_lua_integrator *u = (vf_lua_integrator *)luaL_checkudata(L, arg, VF_INTEGRATOR_MT);
  if (!u->it) luaL_argerror(L, arg, "integrator is closed");
  return u->it;
}

/* The evaluator (user value 1) and through it the force field and system. */
static vf_forcefield *bound(lua_State *L, int arg, vf_system **s) {
  lua_getiuservalue(L, arg, 1);
  vf_forcefield *ff = vf_lua_checkevaluator(L, lua_gettop(L), s);
  lua_pop(L, 1);
  return ff;
}

static double field_number(lua_State *L, int t, const char *k, double def) {
  lua_getfield(L, t, k);
  double v = luaL_optnumber(L, -1, def);
  lua_pop(L, 1);
  return v;
}

/* core.integrator(evaluator, {ensemble=, barostat=, dt=ps, tdamp=ps, pdamp=ps, chain=,
 * seed=, max_displacement=Å, max_volume_ratio=, rebuild_every=steps}) */
static int integrator_new(lua_State *L) {
  vf_lua_checkevaluator(L, 1, NULL);
  luaL_checktype(L, 2, LUA_TTABLE);
  static const char *const ensembles[] = {"nve", "nvt", "npt", NULL};
  static const char *const barostats[] = {"iso", "aniso", NULL};
  lua_getfield(L, 2, "ensemble");
  int ensemble = luaL_checkoption(L, -1, "nve", ensembles);
  lua_getfield(L, 2, "barostat");
  int barostat = luaL_checkoption(L, -1, "iso", barostats);
  lua_pop(L, 2);
  double dt = field_number(L, 2, "dt", 0.0005);
  luaL_argcheck(L, dt > 0, 2, "dt must be > 0 ps");
  vf_lua_integrator *u = (vf_lua_integrator *)lua_newuserdatauv(L, sizeof *u, 1);
  u->it = NULL;
  luaL_setmetatable(L, VF_INTEGRATOR_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if (!(u->it = malloc(sizeof *u->it))) return luaL_error(L, "out of memory");
  vf_integrator_init(u->it, ensemble, barostat, dt, field_number(L, 2, "tdamp", 0.05),
                     field_number(L, 2, "pdamp", 0.5), (int)field_number(L, 2, "chain", 3),
                     (unsigned long long)field_number(L, 2, "seed", 12345));
  u->it->limits.max_displacement = field_number(L, 2, "max_displacement", 0.5);
  u->it->limits.max_volume_ratio = field_number(L, 2, "max_volume_ratio", 1.5);
  u->it->rebuild_every = (long)field_number(L, 2, "rebuild_every", 0);
  return 1;
}

static int raise_on(lua_State *L, int status, const vf_error *err) {
  if (status < 0) return vf_lua_raise(L, err->msg);
  return 0;
}

/* it:setup(T, P): start of a segment (masses from these targets, forces). */
static int integrator_setup(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  vf_system *s;
  vf_forcefield *ff = bound(L, 1, &s);
  vf_error err;
  raise_on(L, vf_integrator_setup(it, ff, s, luaL_checknumber(L, 2), luaL_optnumber(L, 3, 1.0), &err),
           &err);
  return 0;
}

static void check_ramp(lua_State *L, int arg, vf_ramp *r) {
  luaL_checktype(L, arg, LUA_TTABLE);
  r->from = field_number(L, arg, "from", 0);
  r->to = field_number(L, arg, "to", r->from);
  r->done = (long)field_number(L, arg, "done", 0);
  r->total = (long)field_number(L, arg, "total", 0);
}

/* it:run(nsteps, Tramp, Pramp) -> steps run, "done" | "interrupted" [, signal].
 * Ramps are {from, to, done, total}; their `done` fields are advanced. */
static int integrator_run(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  lua_Integer nsteps = luaL_checkinteger(L, 2);
  luaL_argcheck(L, nsteps >= 0, 2, "number of steps must be >= 0");
  vf_ramp T, P;
  check_ramp(L, 3, &T);
  check_ramp(L, 4, &P);
  vf_system *s;
  vf_forcefield *ff = bound(L, 1, &s);
  const long before = it->step;
  vf_error err;
  vf_signals_catch();
  int status = vf_integrator_run(it, ff, s, (long)nsteps, &T, &P, &err);
  vf_signals_release();
  lua_pushinteger(L, T.done);
  lua_setfield(L, 3, "done");
  lua_pushinteger(L, P.done);
  lua_setfield(L, 4, "done");
  raise_on(L, status, &err);
  lua_pushinteger(L, it->step - before);
  if (status == 1) {
    lua_pushstring(L, "interrupted");
    lua_pushinteger(L, vf_signal_received());
    vf_signal_clear();
    return 3;
  }
  lua_pushstring(L, "done");
  return 2;
}

/* it:velocities(T): Maxwell–Boltzmann from the integrator's random stream. */
static int integrator_velocities(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  double T = luaL_checknumber(L, 2);
  luaL_argcheck(L, T >= 0, 2, "temperature must be >= 0 K");
  vf_system *s;
  bound(L, 1, &s);
  vf_velocities_create(s, T, &it->rng);
  return 0;
}

static void set_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* it:thermo() -> the current thermodynamic state. */
static int integrator_thermo(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  vf_system *s;
  bound(L, 1, &s);
  double ke[6], p[6];
  const double kinetic = vf_kinetic_tensor(s, ke);
  const double pe = vf_result_energy(&it->res);
  vf_integrator_pressure(it, s, p);
  const double volume = vf_box_volume(&s->box);
  lua_createtable(L, 0, 24);
  lua_pushinteger(L, it->step);
  lua_setfield(L, -2, "step");
  set_number(L, "time", it->time);
  set_number(L, "T", vf_temperature(s));
  set_number(L, "T_target", it->t_target);
  set_number(L, "P_target", it->p_target);
  set_number(L, "PE", pe);
  set_number(L, "KE", kinetic);
  set_number(L, "Etotal", pe + kinetic);
  set_number(L, "Econserved", pe + kinetic + vf_integrator_extended_energy(it, s));
  set_number(L, "P", (p[0] + p[1] + p[2]) / 3.0);
  set_number(L, "Pxx", p[0]);
  set_number(L, "Pyy", p[1]);
  set_number(L, "Pzz", p[2]);
  set_number(L, "Pxy", p[3]);
  set_number(L, "Pxz", p[4]);
  set_number(L, "Pyz", p[5]);
  set_number(L, "V", volume);
  set_number(L, "density", vf_system_total_mass(s) / (0.602214076 * volume));
  set_number(L, "lx", s->box.lx);
  set_number(L, "ly", s->box.ly);
  set_number(L, "lz", s->box.lz);
  set_number(L, "dt", it->dt);
  lua_createtable(L, 0, VF_NTERMS);
  for (int t = 0; t < VF_NTERMS; t++) set_number(L, vf_term_name[t], it->res.energy[t]);
  lua_setfield(L, -2, "terms");
  return 1;
}

static void push_array(lua_State *L, const char *k, const double *v, int n) {
  lua_createtable(L, n, 0);
  for (int i = 0; i < n; i++) {
    lua_pushnumber(L, v[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, k);
}

/* it:state() -> the extended-system variables (thermostat and barostat chains). */
static int integrator_state(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  lua_createtable(L, 0, 8);
  push_array(L, "eta", it->tchain.eta, it->tchain.length);
  push_array(L, "eta_dot", it->tchain.eta_dot, it->tchain.length);
  push_array(L, "omega", it->omega, 3);
  push_array(L, "omega_dot", it->omega_dot, 3);
  push_array(L, "etap", it->pchain.eta, it->pchain.length);
  push_array(L, "etap_dot", it->pchain.eta_dot, it->pchain.length);
  return 1;
}

/* it:set_dt(ps) */
static int integrator_set_dt(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  double dt = luaL_checknumber(L, 2);
  luaL_argcheck(L, dt > 0, 2, "dt must be > 0 ps");
  it->dt = dt;
  return 0;
}

/* it:set_targets(T, P): targets outside a run (for thermo before the first step). */
static int integrator_set_targets(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  it->t_target = luaL_checknumber(L, 2);
  it->p_target = luaL_optnumber(L, 3, it->p_target);
  return 0;
}

static int integrator_checkpoint(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  const char *path = luaL_checkstring(L, 2);
  size_t len;
  const char *text = luaL_optlstring(L, 3, "", &len);
  vf_system *s;
  vf_forcefield *ff = bound(L, 1, &s);
  vf_error err;
  if (vf_checkpoint_write(path, s, it, ff, text, len, &err)) return vf_lua_raise(L, err.msg);
  return 0;
}

/* it:restore(path) -> the protocol text saved with the checkpoint. */
static int integrator_restore(lua_State *L) {
  vf_integrator *it = checkintegrator(L, 1);
  const char *path = luaL_checkstring(L, 2);
  vf_system *s;
  vf_forcefield *ff = bound(L, 1, &s);
  char *text;
  size_t len;
  vf_error err;
  if (vf_checkpoint_read(path, s, it, ff, &text, &len, &err)) return vf_lua_raise(L, err.msg);
  lua_pushlstring(L, text, len);
  free(text);
  return 1;
}

/* core.velocities(sys, T, seed): Maxwell–Boltzmann velocities from a fresh stream. */
static int core_velocities(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  double T = luaL_checknumber(L, 2);
  luaL_argcheck(L, T >= 0, 2, "temperature must be >= 0 K");
  lua_Integer seed = luaL_checkinteger(L, 3);
  vf_rng rng;
  vf_rng_seed(&rng, (unsigned long long)seed);
  vf_velocities_create(s, T, &rng);
  return 0;
}

static int integrator_close(lua_State *L) {
  vf_lua_integrator *u = (vf_lua_integrator *)luaL_checkudata(L, 1, VF_INTEGRATOR_MT);
  free(u->it);
  u->it = NULL;
  return 0;
}

static int integrator_tostring(lua_State *L) {
  vf_lua_integrator *u = (vf_lua_integrator *)luaL_checkudata(L, 1, VF_INTEGRATOR_MT);
  static const char *const names[] = {"NVE", "NVT", "NPT"};
  if (!u->it) lua_pushstring(L, "vitrify.Integrator (closed)");
  else
    lua_pushfstring(L, "vitrify.Integrator: %s, dt %f fs, step %d", names[u->it->ensemble],
                    u->it->dt * 1000.0, (int)u->it->step);
  return 1;
}

static const luaL_Reg integrator_methods[] = {
    {"setup", integrator_setup},
    {"run", integrator_run},
    {"velocities", integrator_velocities},
    {"thermo", integrator_thermo},
    {"state", integrator_state},
    {"set_dt", integrator_set_dt},
    {"set_targets", integrator_set_targets},
    {"checkpoint", integrator_checkpoint},
    {"restore", integrator_restore},
    {"close", integrator_close},
    {NULL, NULL},
};

static const luaL_Reg integrator_meta[] = {
    {"__gc", integrator_close},
    {"__close", integrator_close},
    {"__tostring", integrator_tostring},
    {"__index", NULL},
    {NULL, NULL},
};

void vf_lua_register_md(lua_State *L) {
  luaL_newmetatable(L, VF_INTEGRATOR_MT);
  luaL_setfuncs(L, integrator_meta, 0);
  luaL_newlib(L, integrator_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, integrator_new);
  lua_setfield(L, -2, "integrator");
  lua_pushcfunction(L, core_velocities);
  lua_setfield(L, -2, "velocities");
}
