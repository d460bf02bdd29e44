/* lsystem.c — the System userdata: atoms, types, box and topology seen from Lua.
 * Atom and type indices are 1-based here, as in data files. */
#include <string.h>

#include "vitrify_lua.h"

static vf_lua_system *tosystem(lua_State *L, int arg) {
  return (vf_lua_system *)luaL_checkudata(L, arg, VF_SYSTEM_MT);
}

vf_system *vf_lua_checksystem(lua_State *L, int arg) {
  vf_lua_system *u = tosystem(L, arg);
  if (!u->sys) luaL_argerror(L, arg, "system is closed");
  return u->sys;
}

void vf_lua_pushsystem(lua_State *L, vf_system *s) {
  vf_lua_system *u = (vf_lua_system *)lua_newuserdatauv(L, sizeof *u, 0);
  u->sys = NULL; /* safe state before anything can fail */
  luaL_setmetatable(L, VF_SYSTEM_MT);
  u->sys = s;
}

static int checkatom(lua_State *L, const vf_system *s, int arg) {
  lua_Integer i = luaL_checkinteger(L, arg);
  if (i < 1 || i > s->n) luaL_argerror(L, arg, lua_pushfstring(L, "atom %d is not in 1..%d", (int)i, s->n));
  return (int)(i - 1);
}

static int checktype(lua_State *L, const vf_system *s, int arg) {
  lua_Integer t = luaL_checkinteger(L, arg);
  if (t < 1 || t > s->ntypes)
    luaL_argerror(L, arg, lua_pushfstring(L, "atom type %d is not in 1..%d", (int)t, s->ntypes));
  return (int)(t - 1);
}

static const char *const kind_names[] = {"bond", "angle", "dihedral", "improper", NULL};

static int push3(lua_State *L, double a, double b, double c) {
  lua_pushnumber(L, a);
  lua_pushnumber(L, b);
  lua_pushnumber(L, c);
  return 3;
}

static int system_new(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1), nt = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n >= 0, 1, "number of atoms must be >= 0");
  luaL_argcheck(L, nt >= 1, 2, "need at least one atom type");
  vf_system *s = vf_system_new((int)n, (int)nt);
  if (!s) return luaL_error(L, "out of memory for %d atoms", (int)n);
  for (int t = 0; t < s->ntypes; t++) s->mass[t] = 1.0;
  vf_lua_pushsystem(L, s);
  return 1;
}

static int system_natoms(lua_State *L) {
  lua_pushinteger(L, vf_lua_checksystem(L, 1)->n);
  return 1;
}

static int system_ntypes(lua_State *L) {
  lua_pushinteger(L, vf_lua_checksystem(L, 1)->ntypes);
  return 1;
}

/* Per-atom vectors reached from Lua; the closures below carry which one as upvalue. */
enum atom_vector { POSITION, VELOCITY, FORCE };

static void vector_arrays(vf_system *s, int which, double **a, double **b, double **c) {
  switch (which) {
    case POSITION: *a = s->x; *b = s->y; *c = s->z; break;
    case VELOCITY: *a = s->vx; *b = s->vy; *c = s->vz; break;
    default: *a = s->fx; *b = s->fy; *c = s->fz; break;
  }
}

static int which_vector(lua_State *L) { return (int)lua_tointeger(L, lua_upvalueindex(1)); }

/* sys:position(i) -> x, y, z (likewise velocity, force) */
static int system_get_vector(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int i = checkatom(L, s, 2);
  double *a, *b, *c;
  vector_arrays(s, which_vector(L), &a, &b, &c);
  return push3(L, a[i], b[i], c[i]);
}

/* sys:set_position(i, x, y, z) (likewise set_velocity) */
static int system_set_vector(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int i = checkatom(L, s, 2);
  double *a, *b, *c;
  vector_arrays(s, which_vector(L), &a, &b, &c);
  a[i] = luaL_checknumber(L, 3);
  b[i] = luaL_checknumber(L, 4);
  c[i] = luaL_checknumber(L, 5);
  vf_system_touch(s);
  return 0;
}

/* sys:positions() -> N×3 table (likewise velocities, forces) */
static int system_all_vectors(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  double *a, *b, *c;
  vector_arrays(s, which_vector(L), &a, &b, &c);
  lua_createtable(L, s->n, 0);
  for (int i = 0; i < s->n; i++) {
    lua_createtable(L, 3, 0);
    lua_pushnumber(L, a[i]);
    lua_rawseti(L, -2, 1);
    lua_pushnumber(L, b[i]);
    lua_rawseti(L, -2, 2);
    lua_pushnumber(L, c[i]);
    lua_rawseti(L, -2, 3);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static const struct {
  const char *name;
  lua_CFunction f;
  int which;
} vector_methods[] = {
    {"position", system_get_vector, POSITION},   {"set_position", system_set_vector, POSITION},
    {"positions", system_all_vectors, POSITION}, {"velocity", system_get_vector, VELOCITY},
    {"set_velocity", system_set_vector, VELOCITY}, {"velocities", system_all_vectors, VELOCITY},
    {"force", system_get_vector, FORCE},         {"forces", system_all_vectors, FORCE},
};

static int system_charge(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushnumber(L, s->q[checkatom(L, s, 2)]);
  return 1;
}

static int system_set_charge(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int i = checkatom(L, s, 2);
  s->q[i] = luaL_checknumber(L, 3);
  vf_system_touch_structure(s);
  return 0;
}

static int system_type(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushinteger(L, s->type[checkatom(L, s, 2)] + 1);
  return 1;
}

static int system_set_type(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int i = checkatom(L, s, 2);
  s->type[i] = checktype(L, s, 3);
  vf_system_touch_structure(s);
  return 0;
}

static int system_mol(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushinteger(L, s->mol[checkatom(L, s, 2)]);
  return 1;
}

static int system_image(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int i = checkatom(L, s, 2);
  lua_pushinteger(L, s->ix[i]);
  lua_pushinteger(L, s->iy[i]);
  lua_pushinteger(L, s->iz[i]);
  return 3;
}

static int system_mass(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushnumber(L, s->mass[checktype(L, s, 2)]);
  return 1;
}

static int system_set_mass(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int t = checktype(L, s, 2);
  double m = luaL_checknumber(L, 3);
  luaL_argcheck(L, m > 0, 3, "mass must be positive");
  s->mass[t] = m;
  return 0;
}

static int system_type_name(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int t = checktype(L, s, 2);
  if (s->type_name[t]) lua_pushstring(L, s->type_name[t]);
  else lua_pushnil(L);
  return 1;
}

static int system_set_type_name(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int t = checktype(L, s, 2);
  if (vf_system_set_type_name(s, t, luaL_checkstring(L, 3))) return luaL_error(L, "out of memory");
  vf_system_touch_structure(s);
  return 0;
}

static int system_type_names(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_createtable(L, s->ntypes, 0);
  for (int t = 0; t < s->ntypes; t++) {
    if (s->type_name[t]) lua_pushstring(L, s->type_name[t]);
    else lua_pushboolean(L, 0);
    lua_rawseti(L, -2, t + 1);
  }
  return 1;
}

static void setfield_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void setfield_vector(lua_State *L, const char *k, double a, double b, double c) {
  lua_createtable(L, 3, 0);
  lua_pushnumber(L, a);
  lua_rawseti(L, -2, 1);
  lua_pushnumber(L, b);
  lua_rawseti(L, -2, 2);
  lua_pushnumber(L, c);
  lua_rawseti(L, -2, 3);
  lua_setfield(L, -2, k);
}

static int system_box(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  const vf_box *b = &s->box;
  lua_createtable(L, 0, 10);
  setfield_vector(L, "lo", b->lo[0], b->lo[1], b->lo[2]);
  setfield_vector(L, "hi", b->lo[0] + b->lx, b->lo[1] + b->ly, b->lo[2] + b->lz);
  setfield_number(L, "lx", b->lx);
  setfield_number(L, "ly", b->ly);
  setfield_number(L, "lz", b->lz);
  setfield_number(L, "xy", b->xy);
  setfield_number(L, "xz", b->xz);
  setfield_number(L, "yz", b->yz);
  setfield_number(L, "volume", vf_box_volume(b));
  lua_pushboolean(L, vf_box_is_triclinic(b));
  lua_setfield(L, -2, "triclinic");
  return 1;
}

static void getvector(lua_State *L, int t, const char *k, double v[3], int required) {
  if (lua_getfield(L, t, k) == LUA_TNIL && !required) {
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "box field '%s' must be a table of three numbers", k);
  for (int d = 0; d < 3; d++) {
    lua_geti(L, -1, d + 1);
    int ok;
    v[d] = lua_tonumberx(L, -1, &ok);
    if (!ok) luaL_error(L, "box field '%s'[%d] must be a number", k, d + 1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* set_box{lo = {..}, hi = {..}, tilt = {xy, xz, yz}} */
static int system_set_box(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  double lo[3] = {0, 0, 0}, hi[3], tilt[3] = {0, 0, 0};
  getvector(L, 2, "lo", lo, 0);
  getvector(L, 2, "hi", hi, 1);
  getvector(L, 2, "tilt", tilt, 0);
  vf_error err;
  if (vf_box_set(&s->box, lo, hi, tilt, &err)) return vf_lua_raise(L, err.msg);
  vf_system_touch(s);
  return 0;
}

static int checkkind(lua_State *L, int arg) { return luaL_checkoption(L, arg, NULL, kind_names); }

static int system_count(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushinteger(L, s->topo.list[checkkind(L, 2)].n);
  return 1;
}

static int system_topology_types(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushinteger(L, s->topo.coeff[checkkind(L, 2)].ntypes);
  return 1;
}

/* sys:add_topology(kind, type, {atoms...}) */
static int system_add_topology(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int kind = checkkind(L, 2);
  lua_Integer type = luaL_checkinteger(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  const vf_coeff_table *c = &s->topo.coeff[kind];
  luaL_argcheck(L, type >= 1 && type <= c->ntypes, 3, "type outside the declared types");
  int atoms[4];
  for (int m = 0; m < vf_bonded_width[kind]; m++) {
    lua_geti(L, 4, m + 1);
    int ok;
    lua_Integer a = lua_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    luaL_argcheck(L, ok && a >= 1 && a <= s->n, 4, "atoms must be indices 1..natoms");
    atoms[m] = (int)a - 1;
  }
  if (vf_topology_add(&s->topo, kind, (int)type - 1, atoms)) return luaL_error(L, "out of memory");
  vf_system_touch_structure(s);
  return 0;
}

/* sys:set_topology_types(kind, n) */
static int system_set_topology_types(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int kind = checkkind(L, 2);
  lua_Integer n = luaL_checkinteger(L, 3);
  luaL_argcheck(L, n >= 0, 3, "number of types must be >= 0");
  if (vf_topology_set_ntypes(&s->topo, kind, (int)n)) return luaL_error(L, "out of memory");
  vf_system_touch_structure(s);
  return 0;
}

/* sys:coeff(kind, type) -> {values} */
static int system_coeff(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int kind = checkkind(L, 2);
  lua_Integer t = luaL_checkinteger(L, 3);
  const vf_coeff_table *c = &s->topo.coeff[kind];
  luaL_argcheck(L, t >= 1 && t <= c->ntypes, 3, "type outside the declared types");
  lua_createtable(L, c->count[t - 1], 0);
  for (int m = 0; m < c->count[t - 1]; m++) {
    lua_pushnumber(L, vf_topology_coeff(&s->topo, kind, (int)t - 1)[m]);
    lua_rawseti(L, -2, m + 1);
  }
  return 1;
}

/* sys:set_coeff(kind, type, {values}) */
static int system_set_coeff(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  int kind = checkkind(L, 2);
  lua_Integer t = luaL_checkinteger(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  const vf_coeff_table *c = &s->topo.coeff[kind];
  luaL_argcheck(L, t >= 1 && t <= c->ntypes, 3, "type outside the declared types");
  lua_Integer count = luaL_len(L, 4);
  luaL_argcheck(L, count >= 1 && count <= VF_MAX_COEFF, 4, "between 1 and 4 coefficients");
  double v[VF_MAX_COEFF];
  for (int m = 0; m < count; m++) {
    lua_geti(L, 4, m + 1);
    v[m] = luaL_checknumber(L, -1);
    lua_pop(L, 1);
  }
  vf_topology_set_coeff(&s->topo, kind, (int)t - 1, (int)count, v);
  vf_system_touch_structure(s);
  return 0;
}

/* sys:strain{xx, yy, zz, xy, xz, yz}: homogeneous deformation of cell and atoms. */
static int system_strain(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  static const char *const names[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};
  double eps[6];
  for (int c = 0; c < 6; c++) {
    lua_getfield(L, 2, names[c]);
    eps[c] = luaL_optnumber(L, -1, 0.0);
    lua_pop(L, 1);
  }
  luaL_argcheck(L, eps[0] > -1 && eps[1] > -1 && eps[2] > -1, 2, "strain would invert the cell");
  vf_system_strain(s, eps);
  return 0;
}

static int system_copy(lua_State *L) {
  vf_system *c = vf_system_copy(vf_lua_checksystem(L, 1));
  if (!c) return luaL_error(L, "out of memory copying the system");
  vf_lua_pushsystem(L, c);
  return 1;
}

/* sys:touch(): marks the system changed so the next evaluation recomputes
 * (benchmarks; positions changed behind vitrify's back). */
static int system_touch(lua_State *L) {
  vf_system_touch(vf_lua_checksystem(L, 1));
  return 0;
}

static int system_wrap(lua_State *L) {
  vf_system_wrap(vf_lua_checksystem(L, 1));
  return 0;
}

static int system_total_mass(lua_State *L) {
  lua_pushnumber(L, vf_system_total_mass(vf_lua_checksystem(L, 1)));
  return 1;
}

/* g/cm³: (g/mol) / N_A / (Å³ · 1e-24 cm³/Å³) */
static int system_density(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushnumber(L, vf_system_total_mass(s) / (0.602214076 * vf_box_volume(&s->box)));
  return 1;
}

static int system_title(lua_State *L) {
  vf_system *s = vf_lua_checksystem(L, 1);
  lua_pushstring(L, s->title ? s->title : "");
  return 1;
}

static int system_close(lua_State *L) {
  vf_lua_system *u = tosystem(L, 1);
  vf_system_free(u->sys);
  u->sys = NULL;
  return 0;
}

static int system_tostring(lua_State *L) {
  vf_lua_system *u = tosystem(L, 1);
  if (!u->sys) {
    lua_pushstring(L, "vitrify.System (closed)");
    return 1;
  }
  const vf_system *s = u->sys;
  lua_pushfstring(L, "vitrify.System: %d atoms, %d types, box %f x %f x %f A%s", s->n, s->ntypes,
                  s->box.lx, s->box.ly, s->box.lz, vf_box_is_triclinic(&s->box) ? " (triclinic)" : "");
  return 1;
}

static const luaL_Reg system_methods[] = {
    {"natoms", system_natoms},
    {"ntypes", system_ntypes},
    {"charge", system_charge},
    {"set_charge", system_set_charge},
    {"type", system_type},
    {"set_type", system_set_type},
    {"mol", system_mol},
    {"image", system_image},
    {"mass", system_mass},
    {"set_mass", system_set_mass},
    {"type_name", system_type_name},
    {"set_type_name", system_set_type_name},
    {"type_names", system_type_names},
    {"box", system_box},
    {"set_box", system_set_box},
    {"count", system_count},
    {"topology_types", system_topology_types},
    {"set_topology_types", system_set_topology_types},
    {"add_topology", system_add_topology},
    {"coeff", system_coeff},
    {"set_coeff", system_set_coeff},
    {"strain", system_strain},
    {"copy", system_copy},
    {"wrap", system_wrap},
    {"touch", system_touch},
    {"total_mass", system_total_mass},
    {"density", system_density},
    {"title", system_title},
    {"close", system_close},
    {NULL, NULL},
};

static const luaL_Reg system_meta[] = {
    {"__gc", system_close},
    {"__close", system_close},
    {"__tostring", system_tostring},
    {"__len", system_natoms},
    {"__index", NULL}, /* set below */
    {NULL, NULL},
};

void vf_lua_register_system(lua_State *L) {
  luaL_newmetatable(L, VF_SYSTEM_MT);
  luaL_setfuncs(L, system_meta, 0);
  luaL_newlib(L, system_methods);
  for (size_t k = 0; k < sizeof vector_methods / sizeof *vector_methods; k++) {
    lua_pushinteger(L, vector_methods[k].which);
    lua_pushcclosure(L, vector_methods[k].f, 1);
    lua_setfield(L, -2, vector_methods[k].name);
  }
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_pushcfunction(L, system_new);
  lua_setfield(L, -2, "system");
}
